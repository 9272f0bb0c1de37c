/**
 * Who receives each reply, end to end: the real Bolt receiver and the real CloudAdapter on loopback,
 * stand-ins for Slack's Web API and the Bot Framework connector, the digest on with stand-in sources.
 * `digest preview` and `digest status` are typed as a mention in a Slack channel, a Teams group chat
 * and a Teams channel: the asker gets the private reply, and nothing posted where everyone sees it
 * claims privacy or carries the private card. A click on a shared Teams card leaves it in place.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/logger.ts';
import { type RunningBot, startBot } from '../src/main.ts';
import { paper, StandInSource, settableClock } from './helpers/digest-literature.ts';
import type { Recorded } from './helpers/fake-server.ts';
import {
  BOT_TOKEN,
  BOT_USER,
  eventBody,
  type FakeSlack,
  SIGNING_SECRET,
  slackHeaders,
  startFakeSlack,
} from './helpers/slack.ts';
import { tempDir } from './helpers/store-fixture.ts';
import { CHANNEL_CONVERSATION, type FakeConnector, messageActivity, startFakeConnector } from './helpers/teams.ts';

const PREVIEW_TITLE = 'Digest preview (only you see this; nothing is posted)';
const clock = settableClock('2026-11-30T09:00:00.000Z');
const pubmed = new StandInSource('pubmed');
let slack: FakeSlack;
let connector: FakeConnector;
let folder: ReturnType<typeof tempDir>;
let bot: RunningBot;

beforeAll(async () => {
  [slack, connector] = await Promise.all([startFakeSlack(), startFakeConnector()]);
  folder = tempDir();
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    PLAYGROUND: 'off',
    TEAMS_AUTH: 'none',
    DATABASE_PATH: join(folder.dir, 'her2bot.db'),
  });
  bot = await startBot(config, { logger: silentLogger, slackRetries: 0, digestSources: [pubmed], now: clock.now });
  pubmed.items = [paper(99200001, '2026-11-27', 'PIK3CA mutation and T-DM1 resistance')];
});

afterAll(async () => {
  await bot?.close();
  await Promise.all([slack?.close(), connector?.close()]);
  folder?.remove();
});

beforeEach(() => {
  slack.requests.length = 0;
  connector.requests.length = 0;
});

const body = (r: Recorded) => JSON.stringify(r.body);

describe('Slack: a mention in a channel', () => {
  async function mention(text: string) {
    const payload = eventBody({
      type: 'app_mention',
      user: 'U1',
      text: `<@${BOT_USER}> ${text}`,
      ts: '1700000000.000200',
      channel: 'C7',
      team: 'T1',
    });
    const res = await fetch(`${bot.url}/slack/events`, {
      method: 'POST',
      body: payload,
      headers: slackHeaders(payload),
    });
    expect(res.status).toBe(200);
    return slack.waitFor((r) => /chat\.(postEphemeral|postMessage)/.test(r.path));
  }

  for (const [words, expected] of [
    ['digest preview', PREVIEW_TITLE],
    ['digest status', 'No digest here'],
  ] as const) {
    it(`answers “${words}” only to the asker (chat.postEphemeral), in the mention's thread`, async () => {
      const sent = await mention(words);
      expect(sent.path).toContain('chat.postEphemeral');
      expect(sent.body).toMatchObject({ channel: 'C7', user: 'U1', thread_ts: '1700000000.000200' });
      expect(body(sent)).toContain(expected);
      await new Promise((r) => setTimeout(r, 50));
      expect(slack.calls('chat.postMessage')).toEqual([]);
    });
  }

  it('tells only the asker, with a reference, when answering fails; no stack trace in chat', async () => {
    const spy = vi.spyOn(bot.core, 'answerParsed').mockImplementation(() => {
      throw new Error('index corrupt at /srv/her2/index.json');
    });
    try {
      const sent = await mention('p95');
      expect(sent.path).toContain('chat.postEphemeral');
      expect(sent.body).toMatchObject({ channel: 'C7', user: 'U1' });
      expect(String(sent.body.text)).toMatch(/something went wrong.*reference [0-9a-f]{8}/);
      expect(body(sent)).not.toContain('index corrupt');
    } finally {
      spy.mockRestore();
    }
  });

  it('still answers a question for everyone in the thread', async () => {
    const sent = await mention('p95');
    expect(sent.path).toContain('chat.postMessage');
    expect(body(sent)).toContain('p95HER2');
  });
});

describe.each([
  ['a Teams group chat', 'groupChat', '19:group@thread.v2'],
  ['a Teams channel', 'channel', CHANNEL_CONVERSATION],
] as const)('Teams: a mention in %s', (_name, conversationType, conversationId) => {
  async function mention(text: string) {
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      body: JSON.stringify(messageActivity(connector.serviceUrl, text, { conversationType, conversationId })),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
    const sent = connector.sent();
    const where = (r: Recorded) => decodeURIComponent(r.path);
    return {
      created: sent.filter((r) => /\/v3\/conversations\/?$/.test(where(r))),
      shared: sent.filter((r) => where(r).includes(conversationId.split(';')[0]!)),
      personal: sent.filter((r) => /\/v3\/conversations\/reply-\d+\/activities/.test(where(r))),
    };
  }

  for (const [words, expected] of [
    ['digest preview', PREVIEW_TITLE],
    ['digest status', 'No digest here'],
  ] as const) {
    it(`sends “${words}” to the asker's personal chat and says so, without the card, where everyone sees it`, async () => {
      const { created, shared, personal } = await mention(words);
      expect(created).toHaveLength(1);
      expect(created[0]!.body).toMatchObject({ isGroup: false, members: [{ id: '29:user-1' }] });
      expect(personal).toHaveLength(1);
      expect(body(personal[0]!)).toContain(expected);
      expect(shared).toHaveLength(1);
      expect(shared[0]!.body.text).toContain('I sent you that in our personal chat');
      expect(body(shared[0]!)).not.toContain('only you see this');
      expect(body(shared[0]!)).not.toContain(expected);
      expect(shared[0]!.body.attachments).toBeUndefined();
    });
  }

  it('asks for a personal chat, and shows nothing private, when Teams refuses to open one', async () => {
    connector.failNext({ status: 403, body: { error: { code: 'BotNotInConversationRoster' } } });
    const { shared, personal } = await mention('digest preview');
    expect(personal).toEqual([]);
    expect(shared).toHaveLength(1);
    expect(shared[0]!.body.text).toContain('open a chat with HER2 Bot');
    expect(body(shared[0]!)).not.toContain('only you see this');
  });

  it('tells the asker, with a reference, when answering fails', async () => {
    const spy = vi.spyOn(bot.core, 'answerParsed').mockImplementation(() => {
      throw new Error('index corrupt at /srv/her2/index.json');
    });
    try {
      const { shared } = await mention('p95');
      expect(String(shared[0]!.body.text)).toMatch(/something went wrong.*reference [0-9a-f]{8}/);
      expect(body(shared[0]!)).not.toContain('index corrupt');
    } finally {
      spy.mockRestore();
    }
  });

  it('names its own syntax in help: an @-mention, never /her2 or a <placeholder>', async () => {
    const { shared } = await mention('help');
    const text = body(shared[0]!);
    expect(text).toContain('@HER2 Bot mechanisms');
    expect(text).not.toContain('/her2');
    expect(text).not.toMatch(/<[a-z]+>/);
  });

  it('answers a click on a shared card with a reply, leaving the original answer in place', async () => {
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      body: JSON.stringify(
        messageActivity(connector.serviceUrl, '', {
          conversationType,
          conversationId,
          mention: false,
          value: { her2: { a: 'agents', id: 'mech-p95her2' }, back: { a: 'open', id: 'mech-p95her2' } },
          replyToId: 'shared-card-1',
        }),
      ),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
    const sent = connector.sent();
    expect(sent.map((r) => r.method)).toEqual(['POST']);
    expect(sent.some((r) => r.path.includes('shared-card-1') && r.method === 'PUT')).toBe(false);
    expect(body(sent[0]!)).toContain('Agents: p95HER2');
  });
});

describe('Teams: a click in a personal chat', () => {
  it('updates the card in place and offers Back to the card it replaced', async () => {
    await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      body: JSON.stringify(
        messageActivity(connector.serviceUrl, '', {
          conversationType: 'personal',
          value: { her2: { a: 'agents', id: 'mech-p95her2' }, back: { a: 'open', id: 'mech-p95her2' } },
          replyToId: 'my-card-1',
        }),
      ),
      headers: { 'content-type': 'application/json' },
    });
    const [update] = connector.sent();
    expect(update!.method).toBe('PUT');
    expect(update!.path).toMatch(/\/activities\/my-card-1$/);
    const card = (update!.body.attachments as { content: { actions: { title: string; data?: unknown }[] } }[])[0]!
      .content;
    expect(card.actions[0]).toMatchObject({ title: 'Back', data: { her2: { a: 'open', id: 'mech-p95her2' } } });
  });
});
