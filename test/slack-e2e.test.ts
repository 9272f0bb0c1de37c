/**
 * The Slack surface end to end: the real Bolt receiver on a real loopback port, signed requests as
 * Slack sends them, and a stand-in for Slack's Web API and response_url that records what the bot sends.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SlackMessage } from '../src/cards/slack.ts';
import { slackSpecialSequences } from '../src/cards/validate.ts';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/logger.ts';
import { type RunningBot, startBot } from '../src/main.ts';
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

let slack: FakeSlack;
let bot: RunningBot;

beforeAll(async () => {
  slack = await startFakeSlack();
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    DATABASE_PATH: ':memory:',
    HOST: '127.0.0.1',
    HEALTH_DETAILS: 'on',
  });
  bot = await startBot(config, { logger: silentLogger, slackRetries: 2 });
});

afterAll(async () => {
  await bot?.close();
  await slack?.close();
});

beforeEach(() => {
  slack.requests.length = 0;
});

async function post(body: string, headers: Record<string, string>) {
  const started = performance.now();
  const res = await fetch(`${bot.url}/slack/events`, { method: 'POST', body, headers });
  const text = await res.text();
  return {
    status: res.status,
    text,
    json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    ms: performance.now() - started,
  };
}

function slash(text: string) {
  const body = slashCommandBody(text, `${slack.url}/response/1`);
  return post(body, slackHeaders(body, { contentType: 'application/x-www-form-urlencoded' }));
}

function event(e: Record<string, unknown>, eventId?: string, extraHeaders: Record<string, string> = {}) {
  const body = eventBody(e, eventId);
  return post(body, { ...slackHeaders(body), ...extraHeaders });
}

function click(actionId: string, value: string, options: { ephemeral?: boolean } = {}) {
  const body = actionBody({
    type: 'block_actions',
    team: { id: 'T1', domain: 'lab' },
    user: { id: 'U1', name: 'dr.a', team_id: 'T1' },
    api_app_id: 'A1',
    token: 'legacy',
    trigger_id: '1.2.3',
    container: {
      type: 'message',
      message_ts: '1700000000.000001',
      channel_id: 'C1',
      is_ephemeral: options.ephemeral ?? true,
    },
    channel: { id: 'C1', name: 'oncology' },
    response_url: `${slack.url}/response/2`,
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: 'b1',
        value,
        text: { type: 'plain_text', text: 'x' },
        action_ts: '1700000000.1',
      },
    ],
  });
  return post(body, slackHeaders(body, { contentType: 'application/x-www-form-urlencoded' }));
}

const header = (m: SlackMessage | Record<string, unknown> | undefined) =>
  ((m as SlackMessage).blocks[0] as { text: { text: string } }).text.text;

describe('/her2 slash command', () => {
  it('acknowledges within 3 s with the ephemeral card and a Share to channel button', async () => {
    const res = await slash('resistance pi3k');
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(3000);
    expect(res.json).toMatchObject({ response_type: 'ephemeral' });
    expect(header(res.json)).toBe('PI3K pathway activation');
    expect(res.text).toContain('Share to channel');
    expect(res.text).toContain('Research use only, not medical advice.');
  });

  it('sends the ack as JSON, the same card every time for the same words', async () => {
    const acks = [];
    for (let i = 0; i < 2; i++) {
      // Each real delivery differs (its trigger_id); an identical signed request is a replay and refused.
      const body = slashCommandBody('p95', `${slack.url}/response/1`, { trigger_id: `1.2.${i}` });
      const res = await fetch(`${bot.url}/slack/events`, {
        method: 'POST',
        body,
        headers: slackHeaders(body, { contentType: 'application/x-www-form-urlencoded' }),
      });
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      acks.push(await res.json());
    }
    expect(acks[0]).toMatchObject({ response_type: 'ephemeral', blocks: expect.any(Array) });
    expect(acks[1]).toEqual(acks[0]);
  });

  it('answers help, and an empty /her2, with the help card', async () => {
    for (const text of ['help', '']) {
      const res = await slash(text);
      expect(header(res.json)).toMatch(/^her2-bot: trastuzumab resistance/);
    }
  });

  it('answers the list subcommands, and treats an unknown word as a search', async () => {
    expect(header((await slash('mechanisms')).json)).toBe('Mechanisms of trastuzumab resistance');
    expect(header((await slash('tykerb')).json)).toBe('Lapatinib');
  });

  it('answers a query that matches nothing with suggestions and examples', async () => {
    const res = await slash('kadsilla');
    expect(header(res.json)).toBe('No match in the knowledge base');
    expect(res.text).toContain('T-DM1 (trastuzumab emtansine)');
  });

  it.each([['<!channel> <!here> <@U999>'], ['x'.repeat(4000)], ['pi3k: ~ ^2 her2 - +']])(
    'survives hostile text %#',
    async (text) => {
      const res = await slash(text);
      expect(res.status).toBe(200);
      expect(slackSpecialSequences(res.json as unknown as SlackMessage)).toEqual([]);
    },
  );

  it('replies through response_url for digest commands (status of an unsubscribed channel)', async () => {
    const res = await slash('digest status');
    expect(res.status).toBe(200);
    const reply = await slack.waitFor((r) => r.path === '/response/1');
    expect(reply.body).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(reply.body)).toContain('No digest here');
  });
});

describe('Events API', () => {
  it('answers url_verification with the challenge', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 'legacy' });
    const res = await post(body, slackHeaders(body));
    expect(res.status).toBe(200);
    expect(res.text).toContain('abc123');
  });

  it('answers an @-mention in the thread, with only the bot mention removed', async () => {
    const res = await event({
      type: 'app_mention',
      user: 'U1',
      text: `<@${BOT_USER}> what overcomes PTEN loss?`,
      ts: '1700000000.000200',
      channel: 'C1',
      event_ts: '1700000000.000200',
    });
    expect(res.status).toBe(200);
    const call = await slack.waitFor((r) => r.path === '/api/chat.postMessage');
    expect(call.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(call.body).toMatchObject({ channel: 'C1', thread_ts: '1700000000.000200' });
    expect(header(call.body)).toBe('PI3K pathway activation');
  });

  it('answers a direct message without a mention, and ignores the bot’s own messages', async () => {
    await event({
      type: 'message',
      channel_type: 'im',
      user: 'U1',
      text: 'kadcyla',
      ts: '1700000000.000300',
      channel: 'D1',
      event_ts: '1700000000.000300',
    });
    const call = await slack.waitFor((r) => r.path === '/api/chat.postMessage');
    expect(call.body.channel).toBe('D1');
    expect(header(call.body)).toBe('T-DM1 (trastuzumab emtansine)');
    slack.requests.length = 0;
    await event({
      type: 'message',
      channel_type: 'im',
      user: BOT_USER,
      bot_id: 'BBOT',
      text: 'x',
      ts: '1700000000.000400',
      channel: 'D1',
      event_ts: '1700000000.000400',
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(slack.calls('chat.postMessage')).toEqual([]);
  });

  it('publishes the App Home with the mechanism map when the Home tab opens', async () => {
    await event({ type: 'app_home_opened', user: 'U1', channel: 'D1', tab: 'home', event_ts: '1700000000.000500' });
    const call = await slack.waitFor((r) => r.path === '/api/views.publish');
    expect(call.body.user_id).toBe('U1');
    const text = JSON.stringify(call.body.view);
    expect(text).toContain('Mechanism map');
    expect(text).toContain('p95HER2');
    expect(text).toContain('Research use only');
  });

  it('unfurls a PubMed link the knowledge base cites, and leaves other links alone', async () => {
    await event({
      type: 'link_shared',
      channel: 'C1',
      user: 'U1',
      message_ts: '1700000000.000600',
      links: [
        { domain: 'pubmed.ncbi.nlm.nih.gov', url: 'https://pubmed.ncbi.nlm.nih.gov/23020162/' },
        { domain: 'pubmed.ncbi.nlm.nih.gov', url: 'https://pubmed.ncbi.nlm.nih.gov/99999999/' },
      ],
      event_ts: '1700000000.000600',
    });
    const call = await slack.waitFor((r) => r.path === '/api/chat.unfurl');
    const unfurls = call.body.unfurls as Record<string, unknown>;
    expect(Object.keys(unfurls)).toEqual(['https://pubmed.ncbi.nlm.nih.gov/23020162/']);
    expect(JSON.stringify(unfurls)).toContain('EMILIA');
  });

  it('answers an event once when Slack retries it', async () => {
    const e = {
      type: 'app_mention',
      user: 'U1',
      text: `<@${BOT_USER}> p95`,
      ts: '1700000000.000700',
      channel: 'C1',
      event_ts: '1700000000.000700',
    };
    await event(e, 'EvRETRY1');
    await slack.waitFor((r) => r.path === '/api/chat.postMessage');
    await event(e, 'EvRETRY1', { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    await new Promise((r) => setTimeout(r, 300));
    expect(slack.calls('chat.postMessage')).toHaveLength(1);
  });
});

describe('buttons', () => {
  it('Open replaces the asker’s ephemeral card in place', async () => {
    await click('her2_open_1', JSON.stringify({ a: 'open', id: 'agent-neratinib' }));
    const reply = await slack.waitFor((r) => r.path === '/response/2');
    expect(reply.body).toMatchObject({ replace_original: true, response_type: 'ephemeral' });
    expect(header(reply.body)).toBe('Neratinib');
  });

  it('on a shared message, answers only the person who clicked', async () => {
    await click('her2_agents_2', JSON.stringify({ a: 'agents', id: 'mech-p95her2' }), { ephemeral: false });
    const reply = await slack.waitFor((r) => r.path === '/response/2');
    expect(reply.body).toMatchObject({ replace_original: false, response_type: 'ephemeral' });
    expect(header(reply.body)).toBe('Agents: p95HER2');
  });

  it.each([
    ['her2_evidence_3', { a: 'evidence', id: 'agent-t-dm1' }, 'Evidence: T-DM1 (trastuzumab emtansine)'],
    ['her2_more_4', { a: 'more', q: 'lapatinib', p: 1 }, 'Results for “lapatinib”'],
    ['her2_page_5', { a: 'page', q: 'trials', p: 2 }, 'Clinical trials in the knowledge base'],
  ])('%s answers from its payload', async (actionId, payload, title) => {
    await click(actionId, JSON.stringify(payload));
    const reply = await slack.waitFor((r) => r.path === '/response/2');
    expect(header(reply.body)).toBe(title);
  });

  it('answers a tampered payload with a friendly error, not a crash', async () => {
    const res = await click('her2_open_9', '{"a":"drop tables"}');
    expect(res.status).toBe(200);
    const reply = await slack.waitFor((r) => r.path === '/response/2');
    expect(JSON.stringify(reply.body)).toContain('out of date');
  });

  it('Share to channel posts the card for everyone, says who shared it, and removes the ephemeral copy', async () => {
    await click('her2_share_6', JSON.stringify({ a: 'share', id: 'ev-emilia-2012' }));
    const post = await slack.waitFor((r) => r.path === '/api/chat.postMessage');
    expect(post.body.channel).toBe('C1');
    expect(JSON.stringify(post.body.blocks)).toContain('Shared by <@U1>');
    expect(JSON.stringify(post.body.blocks)).toContain('EMILIA');
    const cleanup = await slack.waitFor((r) => r.path === '/response/2');
    expect(cleanup.body).toMatchObject({ delete_original: true });
  });

  it('tells the user why sharing failed when the channel is not found, and keeps running', async () => {
    slack.failNext('chat.postMessage', { body: { ok: false, error: 'channel_not_found' } });
    await click('her2_share_7', JSON.stringify({ a: 'share', id: 'agent-t-dm1' }));
    const reply = await slack.waitFor((r) => r.path === '/response/2');
    expect(JSON.stringify(reply.body)).toContain('I cannot see this channel');
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
  });

  it('acknowledges link buttons', async () => {
    const res = await click('her2_link_8', '');
    expect(res.status).toBe(200);
  });
});

describe('request verification', () => {
  const body = slashCommandBody('p95', 'http://127.0.0.1:9/response');
  const form = 'application/x-www-form-urlencoded';
  it.each([
    ['a wrong signature', slackHeaders(body, { secret: 'wrong', contentType: form })],
    ['missing headers', { 'content-type': form }],
    [
      'a timestamp more than 5 minutes old',
      slackHeaders(body, { ts: Math.floor(Date.now() / 1000) - 301, contentType: form }),
    ],
    [
      'a timestamp more than 5 minutes ahead',
      slackHeaders(body, { ts: Math.floor(Date.now() / 1000) + 600, contentType: form }),
    ],
  ])('refuses %s with 401 and runs no listener', async (_label, headers) => {
    const res = await post(body, headers);
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('p95HER2');
  });
});

describe('Web API failures', () => {
  it('waits out a 429 with Retry-After and then delivers', async () => {
    slack.failNext('chat.postMessage', {
      status: 429,
      headers: { 'retry-after': '1' },
      body: { ok: false, error: 'ratelimited' },
    });
    await event({
      type: 'app_mention',
      user: 'U1',
      text: `<@${BOT_USER}> hsp90`,
      ts: '1700000000.000800',
      channel: 'C1',
      event_ts: '1700000000.000800',
    });
    await slack.waitFor((r) => r.path === '/api/chat.postMessage' && r !== slack.calls('chat.postMessage')[0], 5000);
    const calls = slack.calls('chat.postMessage');
    expect(calls).toHaveLength(2);
    expect(header(calls[1]!.body)).toBe('HSP90 inhibitors');
  });

  it('logs channel_not_found on a mention reply and keeps serving', async () => {
    slack.failNext('chat.postMessage', { body: { ok: false, error: 'channel_not_found' } });
    await event({
      type: 'app_mention',
      user: 'U1',
      text: `<@${BOT_USER}> p95`,
      ts: '1700000000.000900',
      channel: 'CGONE',
      event_ts: '1700000000.000900',
    });
    await slack.waitFor((r) => r.path === '/api/chat.postMessage');
    const res = await slash('p95');
    expect(res.status).toBe(200);
  });
});

describe('health', () => {
  it('reports version, knowledge-base version and the Slack mode', async () => {
    const res = await fetch(`${bot.url}/healthz`);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      details: { knowledgeBase: { version: bot.core.kb.version }, surfaces: { slack: 'http' } },
    });
  });
});
