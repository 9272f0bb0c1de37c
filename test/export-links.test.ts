/**
 * Signed export links (src/export/signed-links.ts): a link checks out only as it was signed, by the
 * same secret, before it expires; where links are not configured the Teams button says so plainly; and
 * the configuration decides when links are on.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { Core } from '../src/core.ts';
import { ExportDesk, INVALID_LINK } from '../src/export/desk.ts';
import { EXPORT_LINK_TTL_MS, ExportLinkSigner } from '../src/export/signed-links.ts';
import type { Logger } from '../src/logger.ts';
import type { Store } from '../src/store/store.ts';

const SECRET = 'x'.repeat(40);
const NOW = new Date('2026-11-30T09:00:00.000Z');
const REQUEST = {
  channelKey: 'teams:t:tenant-1:19:abc@thread.tacv2',
  since: '2026-11-23T09:00:00.000Z',
  format: 'ris',
} as const;
const signer = new ExportLinkSigner(SECRET, 'https://her2bot.example.org');
const queryOf = (url: string) => Object.fromEntries(new URL(url).searchParams) as Record<string, unknown>;
const later = (ms: number) => new Date(NOW.getTime() + ms);

describe('ExportLinkSigner', () => {
  it('makes a link under the public URL that checks out as signed until it expires', () => {
    const { url, expires } = signer.url(REQUEST, NOW);
    expect(url.startsWith('https://her2bot.example.org/digest/export?')).toBe(true);
    expect(expires.getTime() - NOW.getTime()).toBe(EXPORT_LINK_TTL_MS);
    expect(signer.check(queryOf(url), NOW)).toEqual({
      ok: true,
      link: { ...REQUEST, expires: expires.getTime() / 1000 },
    });
    expect(signer.check(queryOf(url), later(EXPORT_LINK_TTL_MS - 1000)).ok).toBe(true);
  });

  it('refuses it as expired from its expiry on', () => {
    const { url } = signer.url(REQUEST, NOW);
    expect(signer.check(queryOf(url), later(EXPORT_LINK_TTL_MS))).toEqual({ ok: false, reason: 'expired' });
    expect(signer.check(queryOf(url), later(24 * 3600_000))).toEqual({ ok: false, reason: 'expired' });
  });

  it.each([
    ['c', 'teams:t:tenant-1:19:other@thread.tacv2'],
    ['c', `${REQUEST.channelKey}\n`],
    ['s', '2026-01-01T00:00:00.000Z'],
    ['s', 'yesterday'],
    ['f', 'bibtex'],
    ['f', 'pdf'],
    ['e', '99999999999'],
    ['e', '-1'],
    ['sig', ''],
    ['sig', 'A'.repeat(43)],
    ['sig', 'not base64url!'],
  ])('refuses a link whose %s was changed to %j', (name, value) => {
    const query = queryOf(signer.url(REQUEST, NOW).url);
    expect(signer.check({ ...query, [name]: value }, NOW)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a link with a part missing or repeated (a query parser hands arrays)', () => {
    const query = queryOf(signer.url(REQUEST, NOW).url);
    for (const name of ['c', 's', 'f', 'e', 'sig']) {
      const { [name]: _dropped, ...rest } = query;
      expect(signer.check(rest, NOW).ok, name).toBe(false);
      expect(signer.check({ ...query, [name]: [query[name], query[name]] }, NOW).ok, name).toBe(false);
    }
  });

  it('refuses a link signed with another secret, even an expired one as invalid', () => {
    const other = new ExportLinkSigner('y'.repeat(40), 'https://her2bot.example.org');
    const { url } = other.url(REQUEST, NOW);
    expect(signer.check(queryOf(url), NOW)).toEqual({ ok: false, reason: 'invalid' });
    expect(signer.check(queryOf(url), later(EXPORT_LINK_TTL_MS * 2))).toEqual({ ok: false, reason: 'invalid' });
  });

  it('keeps a base path of the public URL and refuses to sign what a link cannot carry', () => {
    const based = new ExportLinkSigner(SECRET, 'https://bots.example.org:8443/her2');
    expect(based.url(REQUEST, NOW).url.startsWith('https://bots.example.org:8443/her2/digest/export?')).toBe(true);
    expect(() => signer.url({ ...REQUEST, channelKey: 'a\nb' }, NOW)).toThrow();
    expect(() => signer.url({ ...REQUEST, since: '2026-11-23' }, NOW)).toThrow();
  });

  it('signs with a key of its own: the secret itself appears nowhere in a link', () => {
    const { url } = signer.url(REQUEST, NOW);
    expect(url).not.toContain(SECRET);
    expect(queryOf(url).sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('the export desk without links', () => {
  let core: Core;
  beforeAll(async () => {
    core = await Core.open();
  });
  const noStore = {
    digestItems: {
      postedIn: () => {
        throw new Error('a desk without links must not read the store for a link');
      },
    },
  } as unknown as Pick<Store, 'digestItems'>;

  it('says plainly that export links are not set up, and logs (not shows) why', async () => {
    const logged: unknown[] = [];
    const logger = { warn: (o: unknown) => logged.push(o) } as unknown as Logger;
    const desk = new ExportDesk(core, noStore, { linksOff: 'PUBLIC_URL is not set', logger });
    const answer = await desk.link(REQUEST.channelKey, 'ris');
    expect(answer).toMatchObject({ type: 'notice', title: 'Export links are not set up' });
    expect(JSON.stringify(answer)).toContain('Ask whoever runs this bot to set up export links');
    expect(JSON.stringify(answer)).not.toContain('PUBLIC_URL');
    expect(logged).toEqual([{ reason: 'PUBLIC_URL is not set' }]);
    expect(answer).not.toHaveProperty('download');
    expect(desk.linksOn).toBe(false);
  });

  it('refuses every link it is shown', async () => {
    const desk = new ExportDesk(core, noStore, {});
    const { url } = signer.url(REQUEST, NOW);
    expect(await desk.serve(queryOf(url))).toEqual({ ok: false, status: 403, message: INVALID_LINK });
  });
});

describe('export link configuration', () => {
  const base = { PORT: '0', DIGEST_ENABLED: 'false' };

  it('is on with an https PUBLIC_URL and a secret: its own, else the Teams app password', () => {
    expect(
      loadConfig({ ...base, PUBLIC_URL: 'https://her2bot.example.org', EXPORT_LINK_SECRET: SECRET }).exportLinks,
    ).toEqual({ baseUrl: 'https://her2bot.example.org/', secret: SECRET, off: undefined });
    const teams = loadConfig({
      ...base,
      PUBLIC_URL: 'https://her2bot.example.org',
      MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
      MicrosoftAppPassword: 'app-password',
    });
    expect(teams.exportLinks.secret).toBe('app-password');
  });

  it.each([
    [{}, 'PUBLIC_URL (the https address this server is reached at) is not set'],
    [{ PUBLIC_URL: 'http://her2bot.example.org', EXPORT_LINK_SECRET: SECRET }, 'must be an https address'],
    [{ PUBLIC_URL: 'https://her2bot.example.org/?x=1', EXPORT_LINK_SECRET: SECRET }, 'plain base URL'],
    [{ PUBLIC_URL: 'https://her2bot.example.org' }, 'set EXPORT_LINK_SECRET'],
  ])('is off, saying why, with %j', (env, why) => {
    const { exportLinks } = loadConfig({ ...base, ...env });
    expect(exportLinks.baseUrl).toBeUndefined();
    expect(exportLinks.off).toContain(why);
  });

  it('stops the start for a PUBLIC_URL that is not a URL, or a short EXPORT_LINK_SECRET', () => {
    expect(() => loadConfig({ ...base, PUBLIC_URL: 'her2bot example' })).toThrow(/PUBLIC_URL is not a URL/);
    expect(() => loadConfig({ ...base, EXPORT_LINK_SECRET: 'short' })).toThrow(
      /EXPORT_LINK_SECRET: must be at least 32/,
    );
  });
});
