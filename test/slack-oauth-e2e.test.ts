/**
 * Distributing the Slack app to several workspaces, end to end: the real Bolt receiver and InstallProvider
 * on a loopback port, a stand-in for Slack's Web API (oauth.v2.access, auth.test, chat.postMessage) that
 * tells each workspace's bot token apart, and a SQLite store on disk. Two workspaces install through
 * /slack/install and /slack/oauth_redirect (state checked against the browser's cookie); each is
 * answered and posted to with its own token; uninstalling one deletes its tokens and pauses its digest,
 * and the other keeps working.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackConversationKey, slackInstallationKey } from '../handlers/slack/identity.ts';
import { loadConfig } from '../src/config.ts';
import type { Digest } from '../src/digest/compose.ts';
import { DigestPosters } from '../src/digest/posting.ts';
import { silentLogger } from '../src/logger.ts';
import { type RunningBot, registerDigestPosters, startBot } from '../src/main.ts';
import { type FakeServer, type Recorded, startFake } from './helpers/fake-server.ts';
import { eventBody, SIGNING_SECRET, slackHeaders, slashCommandBody } from './helpers/slack.ts';
import { tempDir } from './helpers/store-fixture.ts';

const CLIENT_ID = '1111.2222';
const CLIENT_SECRET = 'client-secret-for-tests';
const TOKEN_KEY = `test-1:${randomBytes(32).toString('base64')}`;
/** What Slack's oauth.v2.access hands out for each one-time code: a workspace and its bot token. */
const WORKSPACES = {
  'code-lab-a': { team: 'TLABA', token: 'xoxb-lab-a-token', botUser: 'UBOTA' },
  'code-lab-b': { team: 'TLABB', token: 'xoxb-lab-b-token', botUser: 'UBOTB' },
} as const;
type Code = keyof typeof WORKSPACES;
const byToken = (token: string | undefined) => Object.values(WORKSPACES).find((w) => w.token === token);

const folder = tempDir();
const databasePath = join(folder.dir, 'her2bot.db');
let slack: FakeServer & { apiUrl: string };
let bot: RunningBot;
/** The Slack tokens that the stand-in saw revoked (they fail auth.test and chat.*). */
const revoked = new Set<string>();

function bearer(req: Recorded): string | undefined {
  const header = req.headers.authorization;
  return typeof header === 'string' ? header.replace(/^Bearer /, '') : (req.body.token as string | undefined);
}

beforeAll(async () => {
  const fake = await startFake((req) => {
    const method = req.path.replace(/^\/api\//, '').split('?')[0]!;
    if (method === 'oauth.v2.access') {
      const w = WORKSPACES[req.body.code as Code];
      if (!w || req.body.client_id !== CLIENT_ID || req.body.client_secret !== CLIENT_SECRET) {
        return { body: { ok: false, error: 'invalid_code' } };
      }
      return {
        body: {
          ok: true,
          app_id: 'AHER2',
          authed_user: { id: 'UINSTALLER' },
          scope: 'app_mentions:read,chat:write,commands,im:history,links:read,links:write',
          token_type: 'bot',
          access_token: w.token,
          bot_user_id: w.botUser,
          team: { id: w.team, name: `Lab ${w.team}` },
          enterprise: null,
          is_enterprise_install: false,
        },
      };
    }
    const w = byToken(bearer(req));
    if (!w || revoked.has(w.token)) return { body: { ok: false, error: 'invalid_auth' } };
    if (method === 'auth.test')
      return { body: { ok: true, user_id: w.botUser, bot_id: `B${w.team}`, team_id: w.team } };
    if (method === 'chat.postMessage')
      return { body: { ok: true, channel: req.body.channel, ts: '1700000000.000200' } };
    return { body: { ok: true } };
  });
  slack = Object.assign(fake, { apiUrl: `${fake.url}/api/` });
  bot = await startBot(config(), { logger: silentLogger, slackRetries: 0 });
});

afterAll(async () => {
  await bot?.close();
  await slack?.close();
  folder.remove();
});

function config() {
  return loadConfig({
    SLACK_CLIENT_ID: CLIENT_ID,
    SLACK_CLIENT_SECRET: CLIENT_SECRET,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_STATE_SECRET: 'a-state-secret-of-enough-length-1234',
    SLACK_TOKEN_ENCRYPTION_KEY: TOKEN_KEY,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_PATH: databasePath,
    PUBLIC_URL: 'https://her2bot.example.org',
  });
}

/** A browser's install: /slack/install sets the state cookie and sends it to Slack; Slack redirects back. */
async function install(code: Code) {
  const start = await fetch(`${bot.url}/slack/install`, { redirect: 'manual' });
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0]!;
  const authorizeUrl = new URL(start.headers.get('location') ?? '');
  const state = authorizeUrl.searchParams.get('state') ?? '';
  const back = await fetch(`${bot.url}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, {
    headers: { cookie },
    redirect: 'manual',
  });
  return { start, authorizeUrl, state, cookie, back, page: await back.text() };
}

function signedPost(body: string, contentType?: string) {
  return fetch(`${bot.url}/slack/events`, {
    method: 'POST',
    body,
    headers: slackHeaders(body, contentType ? { contentType } : {}),
  });
}

function slash(team: string, text: string) {
  const body = slashCommandBody(text, `${slack.url}/response/${team}`, {
    team_id: team,
    trigger_id: `t.${Math.random()}`,
  });
  return signedPost(body, 'application/x-www-form-urlencoded');
}

function teamEvent(team: string, event: Record<string, unknown>) {
  const body = JSON.parse(eventBody(event)) as Record<string, unknown>;
  body.team_id = team;
  body.authorizations = [{ team_id: team, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }];
  return signedPost(JSON.stringify(body));
}

function mention(team: string, words: string) {
  return teamEvent(team, {
    type: 'app_mention',
    user: 'U1',
    text: `<@UBOT> ${words}`,
    ts: `${Date.now() / 1000}`,
    channel: 'C1',
    event_ts: `${Date.now() / 1000}`,
  });
}

async function tokenOfNextPost(action: () => Promise<Response>): Promise<string | undefined> {
  const before = slack.requests.length;
  const res = await action();
  expect(res.status).toBe(200);
  const post = await slack.waitFor(
    (r) => r.path.startsWith('/api/chat.postMessage') && slack.requests.indexOf(r) >= before,
    5000,
  );
  return bearer(post);
}

const emptyDigest = (): Digest => ({
  window: { since: '2026-11-30T07:00:00.000Z', until: '2026-12-01T07:00:00.000Z' },
  sources: [],
  items: [],
  groups: [],
  incomplete: false,
  kb: { version: bot.core.kb.version, date: bot.core.kb.versionDate },
});

describe('Slack OAuth install for several workspaces', () => {
  it('sends the browser to Slack with our client id, the scopes and a state tied to a cookie', async () => {
    const start = await fetch(`${bot.url}/slack/install`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const url = new URL(start.headers.get('location') ?? '');
    expect(`${url.origin}${url.pathname}`).toBe(new URL('/oauth/v2/authorize', slack.url).href);
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('scope')?.split(',')).toContain('commands');
    expect(url.searchParams.get('redirect_uri')).toBe('https://her2bot.example.org/slack/oauth_redirect');
    const state = url.searchParams.get('state');
    expect(state).toBeTruthy();
    expect(start.headers.get('set-cookie')).toContain(`slack-app-oauth-state=${state}`);
  });

  it('refuses a redirect whose state is not this browser session’s, without asking Slack for a token', async () => {
    const calls = () => slack.requests.filter((r) => r.path.startsWith('/api/oauth.v2.access')).length;
    const before = calls();
    const res = await fetch(`${bot.url}/slack/oauth_redirect?code=code-lab-a&state=forged`, {
      headers: { cookie: 'slack-app-oauth-state=another' },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await res.text()).toMatch(/could not be installed/i);
    expect(calls()).toBe(before);
    expect(await bot.store?.installations.get(slackInstallationKey('TLABA'))).toBeUndefined();
  });

  it('installs two workspaces, exchanging each code at the stand-in oauth.v2.access', async () => {
    for (const code of ['code-lab-a', 'code-lab-b'] as const) {
      const done = await install(code);
      expect(done.back.status).toBe(200);
      expect(done.page).toMatch(/installed/i);
      const exchange = slack.requests.filter((r) => r.path.startsWith('/api/oauth.v2.access')).at(-1);
      expect(exchange?.body).toMatchObject({ code, client_id: CLIENT_ID });
    }
    expect((await bot.store?.installations.get(slackInstallationKey('TLABA')))?.keyId).toBe('test-1');
    expect(await bot.store?.installations.get(slackInstallationKey('TLABB'))).toBeDefined();
  });

  it('keeps the tokens encrypted at rest: neither appears in the database file', () => {
    const bytes = readFileSync(databasePath).toString('latin1') + readWal();
    expect(bytes).toContain('slack:TLABA');
    expect(bytes).not.toContain('xoxb-lab-a-token');
    expect(bytes).not.toContain('xoxb-lab-b-token');
  });

  it("answers each workspace's /her2 and posts in each workspace with that workspace's own token", async () => {
    for (const team of ['TLABA', 'TLABB']) {
      const res = await slash(team, 'p95');
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('p95HER2');
    }
    expect(await tokenOfNextPost(() => mention('TLABA', 'p95'))).toBe('xoxb-lab-a-token');
    expect(await tokenOfNextPost(() => mention('TLABB', 'p95'))).toBe('xoxb-lab-b-token');
  });

  it("posts each workspace's digest with its own token", async () => {
    const posters = await registerDigestPosters(new DigestPosters(), config(), {
      core: bot.core,
      logger: silentLogger,
      store: bot.store!,
    });
    for (const [team, token] of [
      ['TLABA', 'xoxb-lab-a-token'],
      ['TLABB', 'xoxb-lab-b-token'],
    ] as const) {
      const before = slack.requests.length;
      const channelKey = slackConversationKey(team, 'C1');
      const result = await posters.forKey(channelKey)!.post(channelKey, emptyDigest());
      expect(result.ok).toBe(true);
      const post = slack.requests.slice(before).find((r) => r.path.startsWith('/api/chat.postMessage'));
      expect(bearer(post!)).toBe(token);
    }
  });

  it('uninstalling one workspace deletes its tokens and pauses its digest; the other keeps working', async () => {
    const store = bot.store!;
    for (const team of ['TLABA', 'TLABB']) {
      await store.subscriptions.subscribe({
        channelKey: slackConversationKey(team, 'C1'),
        time: '08:00',
        timeZone: 'Europe/Berlin',
        userId: 'U1',
      });
    }
    const res = await teamEvent('TLABA', { type: 'app_uninstalled', event_ts: `${Date.now() / 1000}` });
    expect(res.status).toBe(200);
    revoked.add('xoxb-lab-a-token'); // Slack revokes the token of an uninstalled app
    await expect.poll(() => store.installations.get(slackInstallationKey('TLABA'))).toBeUndefined();
    expect(await store.subscriptions.get(slackConversationKey('TLABA', 'C1'))).toMatchObject({
      status: 'dormant',
      dormant: { reason: 'app_uninstalled' },
    });
    expect((await store.subscriptions.get(slackConversationKey('TLABB', 'C1')))?.status).toBe('active');
    expect(await store.installations.get(slackInstallationKey('TLABB'))).toBeDefined();

    // The uninstalled workspace is no longer served; the other is, with its own token.
    const gone = await slash('TLABA', 'p95');
    expect(await gone.text()).not.toContain('p95HER2');
    const still = await slash('TLABB', 'p95');
    expect(await still.text()).toContain('p95HER2');
    expect(await tokenOfNextPost(() => mention('TLABB', 'p95'))).toBe('xoxb-lab-b-token');
  });

  it('installing again brings new tokens and resumes the digest the uninstall paused', async () => {
    revoked.delete('xoxb-lab-a-token');
    const again = await install('code-lab-a');
    expect(again.back.status).toBe(200);
    expect((await bot.store?.subscriptions.get(slackConversationKey('TLABA', 'C1')))?.status).toBe('active');
    expect(await tokenOfNextPost(() => mention('TLABA', 'p95'))).toBe('xoxb-lab-a-token');
  });

  it('a revoked bot token (tokens_revoked) removes the workspace the same way', async () => {
    const res = await teamEvent('TLABB', {
      type: 'tokens_revoked',
      tokens: { bot: ['UBOTB'] },
      event_ts: `${Date.now() / 1000}`,
    });
    expect(res.status).toBe(200);
    await expect.poll(() => bot.store?.installations.get(slackInstallationKey('TLABB'))).toBeUndefined();
    expect((await bot.store?.subscriptions.get(slackConversationKey('TLABB', 'C1')))?.dormant?.reason).toBe(
      'tokens_revoked',
    );
    expect(await bot.store?.installations.get(slackInstallationKey('TLABA'))).toBeDefined();
  });
});

function readWal(): string {
  try {
    return readFileSync(`${databasePath}-wal`).toString('latin1');
  } catch {
    return '';
  }
}
