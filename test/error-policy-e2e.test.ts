/**
 * One error policy on every entry point of both surfaces, end to end (the real Bolt receiver and the
 * real CloudAdapter on loopback, stand-ins for Slack's Web API and the Bot Framework connector). Each
 * handler is made to fail inside the core; the person gets the short "something went wrong, try
 * again" with a reference wherever a reply is possible, the log gets the error and the one
 * interaction line under that same reference, and no error text or stack trace reaches the chat.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.ts';
import type { Core } from '../src/core.ts';
import { createLogger } from '../src/logger.ts';
import { type RunningBot, startBot } from '../src/main.ts';
import type { Recorded } from './helpers/fake-server.ts';
import {
  actionBody,
  BOT_TOKEN,
  BOT_USER,
  eventBody,
  type FakeSlack,
  SIGNING_SECRET,
  slackHeaders,
  slashCommandBody,
  startFakeSlack,
} from './helpers/slack.ts';
import {
  type FakeConnector,
  installActivity,
  invokeActivity,
  messageActivity,
  startFakeConnector,
} from './helpers/teams.ts';

/** What the core throws: a path and a message that must never reach a chat. */
const FAILURE = 'index corrupt at /srv/her2/index.json';
const SORRY = /something went wrong.*try again \(reference ([0-9a-f]{8})\)/;

let slack: FakeSlack;
let connector: FakeConnector;
let bot: RunningBot;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  [slack, connector] = await Promise.all([startFakeSlack(), startFakeConnector()]);
  const logger = createLogger({ level: 'info', destination: { write: (l: string) => lines.push(JSON.parse(l)) } });
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    PLAYGROUND: 'off',
    TEAMS_AUTH: 'none',
    DATABASE_PATH: ':memory:',
  });
  bot = await startBot(config, { logger, slackRetries: 0 });
});

afterAll(async () => {
  await bot?.close();
  await Promise.all([slack?.close(), connector?.close()]);
});

beforeEach(() => {
  slack.requests.length = 0;
  connector.requests.length = 0;
  lines.length = 0;
  vi.restoreAllMocks();
});

function failIn(
  method: keyof Core & ('answerParsed' | 'handleAction' | 'overview' | 'unfurl' | 'search' | 'answerCommand'),
) {
  vi.spyOn(bot.core, method).mockImplementation(() => {
    throw new Error(FAILURE);
  });
}

/** The interaction line of a failed interaction: waits for it, since events are answered after the ack. */
async function failedInteraction(surface: string, kind: string): Promise<{ id: string }> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const line = lines.find((l) => l.msg === 'interaction' && l.surface === surface && l.kind === kind);
    if (line) {
      expect(line).toMatchObject({ level: 30, answer: 'failed', ms: expect.any(Number) });
      const error = lines.find((l) => l.level === 50 && l.id === line.id);
      expect(error, 'an error line with the same correlation id').toMatchObject({ surface, kind });
      expect(JSON.stringify(error)).toContain(FAILURE);
      return { id: line.id as string };
    }
    if (Date.now() > deadline) throw new Error(`no interaction line for ${surface} ${kind}: ${JSON.stringify(lines)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The message the person saw: the short sorry, quoting the logged reference, and nothing of the error. */
function expectSorry(said: unknown, id: string): void {
  const text = JSON.stringify(said);
  expect(text).toMatch(SORRY);
  expect(SORRY.exec(text)![1]).toBe(id);
  expect(text).not.toContain('index corrupt');
  expect(text).not.toMatch(/\bat .*\.ts:\d+/);
}

describe('Slack: every listener', () => {
  async function post(body: string, contentType = 'application/json') {
    const res = await fetch(`${bot.url}/slack/events`, {
      method: 'POST',
      body,
      headers: slackHeaders(body, { contentType }),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  }
  const event = (e: Record<string, unknown>) => post(eventBody(e));
  const button = (actionId: string, value: string) =>
    post(
      actionBody({
        type: 'block_actions',
        team: { id: 'T1', domain: 'lab' },
        user: { id: 'U1', name: 'dr.a', team_id: 'T1' },
        api_app_id: 'A1',
        token: 'legacy',
        container: { type: 'message', message_ts: '1700000000.000001', channel_id: 'C1', is_ephemeral: true },
        channel: { id: 'C1', name: 'oncology' },
        response_url: `${slack.url}/response/9`,
        actions: [{ type: 'button', action_id: actionId, block_id: 'b1', value, action_ts: '1700000000.1' }],
      }),
      'application/x-www-form-urlencoded',
    );
  const responded = () => slack.waitFor((r: Recorded) => r.path.startsWith('/response/'));

  it('/her2: the acknowledgement itself says so', async () => {
    failIn('answerParsed');
    const body = slashCommandBody('p95', `${slack.url}/response/1`);
    const res = await post(body, 'application/x-www-form-urlencoded');
    const { id } = await failedInteraction('slack', 'command');
    expect(res.json).toMatchObject({ response_type: 'ephemeral' });
    expectSorry(res.json, id);
  });

  it('a mention: only the asker is told (chat.postEphemeral)', async () => {
    failIn('answerParsed');
    await event({ type: 'app_mention', user: 'U1', text: `<@${BOT_USER}> p95`, ts: '1.2', channel: 'C1', team: 'T1' });
    const sent = await slack.waitFor((r) => r.path === '/api/chat.postEphemeral');
    const { id } = await failedInteraction('slack', 'mention');
    expect(sent.body).toMatchObject({ channel: 'C1', user: 'U1' });
    expectSorry(sent.body, id);
  });

  it('a direct message: the reply in the DM says so', async () => {
    failIn('answerParsed');
    await event({ type: 'message', channel_type: 'im', user: 'U1', text: 'p95', ts: '1.3', channel: 'D1' });
    const sent = await slack.waitFor((r) => r.path === '/api/chat.postMessage');
    const { id } = await failedInteraction('slack', 'dm');
    expect(sent.body).toMatchObject({ channel: 'D1' });
    expectSorry(sent.body, id);
  });

  it('a card button: an ephemeral response to the person who clicked', async () => {
    failIn('handleAction');
    await button('her2_open_1', JSON.stringify({ a: 'open', id: 'mech-p95her2' }));
    const sent = await responded();
    const { id } = await failedInteraction('slack', 'click');
    expect(sent.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expectSorry(sent.body, id);
  });

  it('Share to channel: an ephemeral response, and nothing posted to the channel', async () => {
    failIn('handleAction');
    await button('her2_share_1', JSON.stringify({ a: 'open', id: 'mech-p95her2' }));
    const sent = await responded();
    const { id } = await failedInteraction('slack', 'share');
    expectSorry(sent.body, id);
    expect(slack.calls('chat.postMessage')).toEqual([]);
  });

  it('App Home: the tab shows the short message instead of staying blank', async () => {
    failIn('overview');
    await event({ type: 'app_home_opened', user: 'U1', channel: 'D1', tab: 'home', event_ts: '1.4' });
    const sent = await slack.waitFor((r) => r.path === '/api/views.publish');
    const { id } = await failedInteraction('slack', 'home');
    expect(sent.body.user_id).toBe('U1');
    expectSorry(sent.body.view, id);
  });

  it('a link unfurl has no one to answer: logged with its reference, the link left as Slack shows it', async () => {
    failIn('unfurl');
    await event({
      type: 'link_shared',
      channel: 'C1',
      user: 'U1',
      message_ts: '1.5',
      links: [{ domain: 'pubmed.ncbi.nlm.nih.gov', url: 'https://pubmed.ncbi.nlm.nih.gov/23020162/' }],
      event_ts: '1.5',
    });
    await failedInteraction('slack', 'unfurl');
    expect(slack.requests.filter((r) => r.path.startsWith('/api/chat.'))).toEqual([]);
  });

  it('logs one interaction line for an interaction that works, without the words at info', async () => {
    await event({ type: 'app_home_opened', user: 'U1', channel: 'D1', tab: 'home', event_ts: '1.6' });
    await slack.waitFor((r) => r.path === '/api/views.publish');
    await vi.waitFor(() => expect(lines.filter((l) => l.msg === 'interaction')).toHaveLength(1));
    expect(lines.find((l) => l.msg === 'interaction')).toMatchObject({
      surface: 'slack',
      kind: 'home',
      answer: 'home',
    });
  });
});

describe('Teams: every handler', () => {
  async function send(activity: Record<string, unknown>) {
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      body: JSON.stringify(activity),
      headers: { 'content-type': 'application/json' },
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  }
  const said = () => connector.sent().map((r) => r.body);

  it('a mention in a channel: the reply there says so', async () => {
    failIn('answerParsed');
    await send(messageActivity(connector.serviceUrl, 'p95', { conversationType: 'channel' }));
    const { id } = await failedInteraction('teams', 'mention');
    expect(said()).toHaveLength(1);
    expectSorry(said()[0], id);
  });

  it('a personal chat message', async () => {
    failIn('answerParsed');
    await send(messageActivity(connector.serviceUrl, 'p95', { conversationType: 'personal' }));
    const { id } = await failedInteraction('teams', 'dm');
    expectSorry(said()[0], id);
  });

  it('a card click', async () => {
    failIn('handleAction');
    await send(
      messageActivity(connector.serviceUrl, '', {
        conversationType: 'personal',
        value: { her2: { a: 'agents', id: 'mech-p95her2' } },
        replyToId: 'card-1',
      }),
    );
    const { id } = await failedInteraction('teams', 'click');
    expect(connector.sent().map((r) => r.method)).toEqual(['POST']);
    expectSorry(said()[0], id);
  });

  it('the message-extension search: the invoke response carries the message', async () => {
    failIn('search');
    const res = await send(
      invokeActivity(connector.serviceUrl, 'composeExtension/query', {
        commandId: 'searchKnowledge',
        parameters: [{ name: 'query', value: 'p95' }],
      }),
    );
    const { id } = await failedInteraction('teams', 'extension');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ composeExtension: { type: 'message' } });
    expectSorry(res.json, id);
    expect(connector.sent()).toEqual([]);
  });

  it('a link unfurl in the compose box', async () => {
    failIn('unfurl');
    const res = await send(
      invokeActivity(connector.serviceUrl, 'composeExtension/queryLink', {
        url: 'https://clinicaltrials.gov/study/NCT00829166',
      }),
    );
    const { id } = await failedInteraction('teams', 'unfurl');
    expect(res.status).toBe(200);
    expectSorry(res.json, id);
  });

  it('the welcome on install', async () => {
    failIn('answerCommand');
    await send(installActivity(connector.serviceUrl));
    const { id } = await failedInteraction('teams', 'welcome');
    expect(said()).toHaveLength(1);
    expectSorry(said()[0], id);
  });

  it('logs one interaction line for the bot being added to a conversation (conversationUpdate)', async () => {
    const added = {
      ...installActivity(connector.serviceUrl),
      type: 'conversationUpdate',
      action: undefined,
      membersAdded: [{ id: '28:her2-bot' }],
    };
    const res = await send(added);
    expect(res.status).toBe(200);
    expect(lines.filter((l) => l.msg === 'interaction')).toEqual([
      expect.objectContaining({ surface: 'teams', kind: 'welcome', answer: 'added' }),
    ]);
    expect(connector.sent()).toEqual([]);
  });
});
