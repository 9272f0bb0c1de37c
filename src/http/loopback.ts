/**
 * Loopback: addresses only this machine can reach. The unauthenticated local modes (TEAMS_AUTH=none,
 * the playground by default) listen on, accept callers from and call out to these only.
 */

/** 127.0.0.0/8, ::1 (also IPv4-mapped) and localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h) || /^::ffff:127(?:\.\d{1,3}){3}$/.test(h);
}

/** An http(s) URL whose host is loopback; anything unparsable is not. */
export function isLoopbackUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  const parsed = URL.parse(url);
  return (
    parsed !== null && (parsed.protocol === 'http:' || parsed.protocol === 'https:') && isLoopbackHost(parsed.hostname)
  );
}
