/**
 * Short-lived download links for a digest export: the link names the channel, the window's start, the
 * format and when it expires, and carries an HMAC-SHA256 over exactly those, keyed by a server secret.
 * Whoever holds an unexpired link gets that one file and nothing else; changing any part of it, or
 * waiting past its expiry, gets a refusal. The signature is a credential: never log a link whole.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { EXPORT_FORMATS, type ExportFormat } from '../digest/export-formats.ts';

/** The route that serves the links (mounted by ./route.ts). */
export const EXPORT_LINK_PATH = 'digest/export';
/** How long a link works. */
export const EXPORT_LINK_TTL_MS = 15 * 60 * 1000;

export interface ExportLink {
  channelKey: string;
  /** ISO instant: the window's start. */
  since: string;
  format: ExportFormat;
  /** Unix seconds after which the link is refused. */
  expires: number;
}

export type LinkCheck = { ok: true; link: ExportLink } | { ok: false; reason: 'expired' | 'invalid' };

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;
/** A conversation key: short, one line, no control characters (so the signed text stays unambiguous). */
const CHANNEL_KEY = /^[^\p{Cc}]{1,512}$/u;

export class ExportLinkSigner {
  private readonly key: Buffer;
  private readonly base: URL;

  /**
   * `secret`: EXPORT_LINK_SECRET, or another server secret; the signing key is derived from it for this
   * purpose only, so a link never exposes (or could be checked against) the secret itself.
   * `baseUrl`: the bot's public https address (PUBLIC_URL); links point under it.
   */
  constructor(
    secret: string,
    baseUrl: string,
    private readonly ttlMs = EXPORT_LINK_TTL_MS,
  ) {
    if (secret.length === 0) throw new Error('an export link secret is required');
    this.key = createHmac('sha256', secret).update('her2-bot digest export links v1').digest();
    this.base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  }

  /** A link to one export, valid for the signer's lifetime from `now`. */
  url(request: Omit<ExportLink, 'expires'>, now: Date): { url: string; expires: Date } {
    if (!CHANNEL_KEY.test(request.channelKey) || !ISO_INSTANT.test(request.since))
      throw new Error('not a channel key and window start an export link can carry');
    const expires = Math.floor((now.getTime() + this.ttlMs) / 1000);
    const link = { ...request, expires };
    const url = new URL(EXPORT_LINK_PATH, this.base);
    url.search = new URLSearchParams({
      c: link.channelKey,
      s: link.since,
      f: link.format,
      e: String(link.expires),
      sig: this.signature(link),
    }).toString();
    return { url: url.href, expires: new Date(expires * 1000) };
  }

  /** The export a link's query names, if its signature holds and it has not expired. */
  check(query: Record<string, unknown>, now: Date): LinkCheck {
    const { c, s, f, e, sig } = query;
    const text = (v: unknown): v is string => typeof v === 'string';
    if (!text(c) || !text(s) || !text(f) || !text(e) || !text(sig)) return { ok: false, reason: 'invalid' };
    if (!CHANNEL_KEY.test(c) || !ISO_INSTANT.test(s) || !/^\d{1,12}$/.test(e)) return { ok: false, reason: 'invalid' };
    if (!(EXPORT_FORMATS as readonly string[]).includes(f) || !SIGNATURE.test(sig))
      return { ok: false, reason: 'invalid' };
    const link: ExportLink = { channelKey: c, since: s, format: f as ExportFormat, expires: Number(e) };
    const expected = Buffer.from(this.signature(link), 'base64url');
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
    // Checked after the signature: an expiry is only worth believing once it is known to be ours.
    if (now.getTime() >= link.expires * 1000) return { ok: false, reason: 'expired' };
    return { ok: true, link };
  }

  private signature(link: ExportLink): string {
    // One field per line, in a fixed order; none of them can hold a line break (checked above), so
    // no two different links sign the same text.
    const text = ['v1', link.channelKey, link.since, link.format, String(link.expires)].join('\n');
    return createHmac('sha256', this.key).update(text).digest('base64url');
  }
}
