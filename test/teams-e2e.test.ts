/**
 * The Teams surface end to end: the real CloudAdapter behind POST /api/messages on a loopback port,
 * activities as Teams sends them, and a stand-in for the Bot Framework connector that records replies.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryText } from '../handlers/teams/mention.ts';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/logger.ts';
import { type RunningBot, startBot } from '../src/main.ts';
import type { Recorded } from './helpers/fake-server.ts';
import {
  BOT_ID,
  CHANNEL_CONVERSATION,
  type FakeConnector,
  installActivity,
  invokeActivity,
  LocalCredentialsFactory,
  type LocalIdentity,
  messageActivity,
  startFakeConnector,
  startLocalIdentity,
} from './helpers/teams.ts';

let connector: FakeConnector;
let bot: RunningBot;

beforeAll(async () => {
  connector = await startFakeConnector();
  bot = await startBot(loadConfig({ PORT: '0', DATABASE_PATH: ':memory:', TEAMS_AUTH: 'none' }), {
    logger: silentLogger,
  });
});

afterAll(async () => {
  await bot?.close();
  await connector?.close();
});

beforeEach(() => {
  connector.requests.length = 0;
});

async function send(activity: Record<string, unknown>, headers: Record<string, string> = {}, url = bot.url) {
  const res = await fetch(`${url}/api/messages`, {
    method: 'POST',
    body: JSON.stringify(activity),
    headers: { 'content-type': 'application/json', ...headers },
  });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    json = undefined; // 401s answer in plain text
  }
  return { status: res.status, text, json };
}

const card = (r: Recorded) =>
  (r.body.attachments as { contentType: string; content: { body: { text?: string }[] } }[])[0]!;
const cardTitle = (r: Recorded) => card(r).content.body[0]?.text;

describe('messages', () => {
  it('answers a channel mention with an Adaptive Card in the same thread', async () => {
    const res = await send(messageActivity(connector.serviceUrl, 'neratinib evidence'));
    expect(res.status).toBe(200);
    const [reply] = connector.sent();
    expect(decodeURIComponent(reply!.path)).toContain(`/amer/v3/conversations/${CHANNEL_CONVERSATION}/activities/`);
    expect(card(reply!).contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardTitle(reply!)).toBe('Neratinib');
    expect(reply!.headers.authorization).toBeUndefined(); // local mode (TEAMS_AUTH=none)
  });

  it('answers in personal chat without a mention', async () => {
    await send(messageActivity(connector.serviceUrl, 'kadcyla', { conversationType: 'personal' }));
    expect(cardTitle(connector.sent()[0]!)).toBe('T-DM1 (trastuzumab emtansine)');
  });

  it('ignores one of its own cards dropped into its personal chat from the compose box (a card, no words)', async () => {
    const dropped = messageActivity(connector.serviceUrl, '', { conversationType: 'personal' });
    dropped.attachments = [
      { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: [] } },
    ];
    const res = await send(dropped);
    expect(res.status).toBe(200);
    expect(connector.sent()).toEqual([]);
  });

  it('calls a personal chat “this chat”, not a channel, in digest replies', async () => {
    await send(messageActivity(connector.serviceUrl, 'digest status', { conversationType: 'personal' }));
    const text = JSON.stringify(connector.sent().map((r) => r.body));
    expect(text).toContain('This chat has no digest subscription');
    expect(text).not.toContain('This channel');
  });

  it('answers a group-chat mention, and ignores channel messages that do not mention the bot', async () => {
    await send(messageActivity(connector.serviceUrl, 'p95', { conversationType: 'groupChat' }));
    expect(cardTitle(connector.sent()[0]!)).toBe('p95HER2');
    connector.requests.length = 0;
    await send(messageActivity(connector.serviceUrl, 'p95', { conversationType: 'channel', mention: false }));
    expect(connector.sent()).toEqual([]);
  });

  it('removes only its own mention and decodes entities; other people’s mentions stay', () => {
    const activity = messageActivity('http://x/', 'ask <at>Alice</at> about p95&amp;her2', {}) as never;
    expect(queryText(activity)).toBe('ask Alice about p95&her2');
  });

  it('answers a card button in place (updates its own message)', async () => {
    await send(
      messageActivity(connector.serviceUrl, '', {
        conversationType: 'personal',
        value: { her2: { a: 'open', id: 'ev-emilia-2012' } },
        replyToId: 'card-1',
      }),
    );
    const [update] = connector.sent();
    expect(update!.method).toBe('PUT');
    expect(update!.path).toMatch(/\/activities\/card-1$/);
    expect(cardTitle(update!)).toBe('EMILIA');
  });

  it('sends a new reply when Teams refuses the update', async () => {
    connector.failNext({ status: 404, body: { error: { code: 'NotFound' } } });
    await send(
      messageActivity(connector.serviceUrl, '', {
        conversationType: 'personal',
        value: { her2: { a: 'agents', id: 'mech-p95her2' } },
        replyToId: 'gone',
      }),
    );
    const requests = connector.sent();
    expect(requests.map((r) => r.method)).toEqual(['PUT', 'POST']);
    expect(cardTitle(requests[1]!)).toBe('Agents: p95HER2');
  });

  it('welcomes on install', async () => {
    await send(installActivity(connector.serviceUrl));
    const [welcome] = connector.sent();
    expect(cardTitle(welcome!)).toMatch(/^her2-bot/);
  });

  it('answers digest words after the mention, privately: the status goes to the asker’s personal chat', async () => {
    await send(messageActivity(connector.serviceUrl, 'digest status'));
    const [create, personal, inChannel] = connector.sent();
    expect(create!.path).toMatch(/\/v3\/conversations\/?$/);
    expect(create!.body).toMatchObject({ isGroup: false, members: [{ id: '29:user-1' }] });
    expect(JSON.stringify(personal!.body)).toContain('No digest here');
    expect(JSON.stringify(inChannel!.body)).not.toContain('No digest here');
    expect(inChannel!.body.text).toContain('personal chat');
  });
});

describe('local mode (TEAMS_AUTH=none)', () => {
  it('listens on loopback and says only ok and the version on /healthz', async () => {
    expect(bot.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(await (await fetch(`${bot.url}/healthz`)).json()).toEqual({ status: 'ok', version: expect.any(String) });
  });

  it('refuses an activity naming a serviceUrl outside this machine, and calls nothing', async () => {
    const attacker = await startFakeConnector();
    try {
      // 127.0.0.2 is loopback too; a public address the machine cannot reach stands for the outside.
      for (const serviceUrl of ['http://203.0.113.7:9/steal/', 'https://attacker.example/', 'not a url']) {
        const res = await send(messageActivity(serviceUrl, 'p95', { conversationType: 'personal' }));
        expect(res.status).toBe(403);
      }
      expect(connector.sent()).toEqual([]);
      expect(attacker.requests).toEqual([]);
    } finally {
      await attacker.close();
    }
  });

  it('stores nothing: no conversation reference, and digest subscribe is refused', async () => {
    await send(installActivity(connector.serviceUrl));
    const res = await send(messageActivity(connector.serviceUrl, 'digest subscribe 07:00'));
    expect(res.status).toBe(200);
    // The refusal is for the asker: it goes to their personal chat, the channel gets a short line.
    expect(connector.sent().some((r) => JSON.stringify(r.body).includes('TEAMS_AUTH=none'))).toBe(true);
    const key = `teams:${CHANNEL_CONVERSATION.split(';')[0]}`;
    expect(await bot.store!.conversations.get(key)).toBeUndefined();
    expect(await bot.store!.subscriptions.get(key)).toBeUndefined();
  });

  it('will not post proactively to a stored reference outside this machine', async () => {
    const sent = await bot.teams!.sendProactive(
      { serviceUrl: 'https://attacker.example/', conversation: { id: '19:x' }, bot: { id: BOT_ID } },
      { type: 'AdaptiveCard', $schema: 'x', version: '1.5', body: [] },
      'digest',
    );
    expect(sent).toMatchObject({ ok: false, failure: { code: 'serviceUrl not allowed' } });
  });
});

describe('without credentials or TEAMS_AUTH', () => {
  it('serves no /api/messages at all', async () => {
    const off = await startBot(loadConfig({ PORT: '0', DATABASE_PATH: ':memory:' }), { logger: silentLogger });
    try {
      expect(off.teams).toBeUndefined();
      const res = await send(
        messageActivity(connector.serviceUrl, 'p95', { conversationType: 'personal' }),
        {},
        off.url,
      );
      expect(res.status).toBe(404);
      expect(connector.sent()).toEqual([]);
    } finally {
      await off.close();
    }
  });
});

describe('message extension', () => {
  it('answers a search query in the HTTP response with cards and previews', async () => {
    const res = await send(
      invokeActivity(connector.serviceUrl, 'composeExtension/query', {
        commandId: 'searchKnowledge',
        parameters: [{ name: 'query', value: 'T-DM1 vs lapatinib' }],
      }),
    );
    expect(res.status).toBe(200);
    const result = (
      res.json as {
        composeExtension: {
          type: string;
          attachments: { content: { body: { text: string }[] }; preview: { content: { title: string } } }[];
        };
      }
    ).composeExtension;
    expect(result.type).toBe('result');
    expect(result.attachments[0]!.content.body[0]!.text).toBe('EMILIA');
    expect(result.attachments[0]!.preview.content.title).toBeDefined();
    expect(connector.sent()).toEqual([]);
  });

  it('lists the mechanisms for an empty query', async () => {
    const res = await send(
      invokeActivity(connector.serviceUrl, 'composeExtension/query', {
        commandId: 'searchKnowledge',
        parameters: [{ name: 'query', value: '' }],
      }),
    );
    const result = (res.json as { composeExtension: { attachments: unknown[] } }).composeExtension;
    expect(result.attachments).toHaveLength(bot.core.kb.mechanisms.length);
  });

  it('unfurls a ClinicalTrials.gov link the knowledge base cites', async () => {
    const res = await send(
      invokeActivity(connector.serviceUrl, 'composeExtension/queryLink', {
        url: 'https://clinicaltrials.gov/study/NCT00829166',
      }),
    );
    expect(JSON.stringify(res.json)).toContain('EMILIA');
  });
});

describe('connector errors', () => {
  it('waits out a 429 with Retry-After and then delivers', async () => {
    connector.failNext({ status: 429, headers: { 'retry-after': '1' }, body: {} });
    await send(messageActivity(connector.serviceUrl, 'p95', { conversationType: 'personal' }));
    const posts = connector.sent();
    expect(posts).toHaveLength(2);
    expect(cardTitle(posts[1]!)).toBe('p95HER2');
  });

  it.each([403, 500])('logs a %i from the connector and keeps serving', async (status) => {
    connector.failNext({ status, body: { error: { code: 'Failed' } } }, 5);
    const res = await send(messageActivity(connector.serviceUrl, 'p95', { conversationType: 'personal' }));
    expect(res.status).toBeLessThan(500);
    connector.failNext('hang', 0);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });

  it('sends a proactive card to a stored conversation, and reports removal (403) without throwing', async () => {
    const reference = {
      serviceUrl: connector.serviceUrl,
      conversation: { id: CHANNEL_CONVERSATION.split(';')[0] },
      bot: { id: BOT_ID },
      channelId: 'msteams',
    };
    const ok = await bot.teams!.sendProactive(
      reference,
      { type: 'AdaptiveCard', $schema: 'x', version: '1.5', body: [] },
      'digest',
    );
    expect(ok.ok).toBe(true);
    connector.failNext({ status: 403, body: {} }, 3);
    const removed = await bot.teams!.sendProactive(
      reference,
      { type: 'AdaptiveCard', $schema: 'x', version: '1.5', body: [] },
      'digest',
    );
    expect(removed).toMatchObject({ ok: false, failure: { status: 403, removed: true } });
  });
});

describe('with MicrosoftAppId (authenticated)', () => {
  const APP_ID = '00000000-0000-0000-0000-0000000000aa';
  let secured: RunningBot;
  let identity: LocalIdentity;

  beforeAll(async () => {
    identity = await startLocalIdentity();
    secured = await startBot(
      loadConfig({
        PORT: '0',
        DATABASE_PATH: ':memory:',
        HOST: '127.0.0.1',
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'secret',
        MicrosoftAppType: 'MultiTenant',
      }),
      {
        logger: silentLogger,
        teams: { credentialsFactory: new LocalCredentialsFactory(APP_ID), authSettings: identity.authSettings },
      },
    );
  });

  afterAll(async () => {
    await secured?.close();
    await identity?.server.close();
  });

  it('refuses a request without a token with 401 and replies nothing', async () => {
    const res = await send(
      messageActivity(connector.serviceUrl, 'p95', { conversationType: 'personal' }),
      {},
      secured.url,
    );
    expect(res.status).toBe(401);
    expect(connector.sent()).toEqual([]);
  });

  it('refuses a malformed token with 401', async () => {
    const res = await send(
      messageActivity(connector.serviceUrl, 'p95', { conversationType: 'personal' }),
      { authorization: 'Bearer not.a.jwt' },
      secured.url,
    );
    expect(res.status).toBe(401);
  });

  it('accepts a correctly signed channel token and delivers the reply with outbound credentials', async () => {
    const token = identity.token({ aud: APP_ID, serviceurl: connector.serviceUrl });
    const res = await send(
      messageActivity(connector.serviceUrl, 'p95', { conversationType: 'personal' }),
      { authorization: `Bearer ${token}` },
      secured.url,
    );
    expect(res.status).toBe(200);
    const [reply] = connector.sent();
    expect(reply!.headers.authorization).toBe('Bearer fake-outbound');
    expect(cardTitle(reply!)).toBe('p95HER2');
  });

  it('refuses a token whose serviceurl claim is not the activity serviceUrl with 401, and calls neither', async () => {
    const other = await startFakeConnector();
    try {
      const token = identity.token({ aud: APP_ID, serviceurl: connector.serviceUrl });
      const res = await send(
        messageActivity(other.serviceUrl, 'p95', { conversationType: 'personal' }),
        { authorization: `Bearer ${token}` },
        secured.url,
      );
      expect(res.status).toBe(401);
      expect(other.requests).toEqual([]);
      expect(connector.sent()).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('refuses a token that is not valid yet (nbf in the future) with 401, not 500', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = identity.token({ aud: APP_ID, serviceurl: connector.serviceUrl, nbf: now + 3600, exp: now + 7200 });
    const res = await send(
      messageActivity(connector.serviceUrl, 'p95', { conversationType: 'personal' }),
      { authorization: `Bearer ${token}` },
      secured.url,
    );
    expect(res.status).toBe(401);
    expect(connector.sent()).toEqual([]);
  });

  it('refuses a token for another app with 401', async () => {
    const token = identity.token({ aud: 'someone-else', serviceurl: connector.serviceUrl });
    const res = await send(
      messageActivity(connector.serviceUrl, 'p95', { conversationType: 'personal' }),
      { authorization: `Bearer ${token}` },
      secured.url,
    );
    expect(res.status).toBe(401);
  });
});
