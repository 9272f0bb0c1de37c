/**
 * Findings 10 and 11 of issue 14: malformed but correctly signed (or authenticated) input gets an
 * answer, not a TypeError; a replayed signed request is refused; Teams fields of the wrong shape are
 * coerced at the edge. The real bot, Slack in HTTP mode and Teams in local mode (TEAMS_AUTH=none).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { type RunningBot, startBot } from '../src/main.ts';
import { faultCounts } from '../src/runtime/faults.ts';
import {
  BOT_TOKEN,
  BOT_USER,
  eventBody,
  type FakeSlack,
  SIGNING_SECRET,
  slackHeaders,
  slashCommandBody,
  startFakeSlack,
} from './helpers/slack.ts';
import { captureLogger } from './helpers/store-fixture.ts';
import { BOT_ID, type FakeConnector, invokeActivity, messageActivity, startFakeConnector } from './helpers/teams.ts';

let slack: FakeSlack;
let connector: FakeConnector;
let bot: RunningBot;
const log = captureLogger();

beforeAll(async () => {
  [slack, connector] = await Promise.all([startFakeSlack(), startFakeConnector()]);
  bot = await startBot(
    loadConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      TEAMS_AUTH: 'none',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_PATH: ':memory:',
    }),
    { logger: log.logger, slackRetries: 0 },
  );
});
afterAll(async () => {
  await bot?.close();
  await Promise.all([slack?.close(), connector?.close()]);
});
beforeEach(() => {
  slack.requests.length = 0;
  connector.requests.length = 0;
});

const typeErrors = () => log.lines.filter((l) => JSON.stringify(l).includes('TypeError'));

async function event(e: Record<string, unknown>) {
  const body = eventBody(e);
  const res = await fetch(`${bot.url}/slack/events`, { method: 'POST', body, headers: slackHeaders(body) });
  return res.status;
}

describe('malformed but correctly signed Slack input', () => {
  it('an app_mention without text is answered (with help)', async () => {
    expect(await event({ type: 'app_mention', user: 'U1', channel: 'C1', ts: '1.1', event_ts: '1.1' })).toBe(200);
    const reply = await slack.waitFor((r) => r.path === '/api/chat.postMessage');
    expect(JSON.stringify(reply.body)).toMatch(/her2-bot/);
    expect(typeErrors()).toEqual([]);
  });

  it('an app_mention whose text is an array is answered', async () => {
    expect(
      await event({ type: 'app_mention', user: 'U1', channel: 'C1', ts: '1.2', text: ['p95'], event_ts: '1.2' }),
    ).toBe(200);
    await slack.waitFor((r) => r.path === '/api/chat.postMessage');
    expect(typeErrors()).toEqual([]);
  });

  it('a link_shared without links unfurls nothing and throws nothing', async () => {
    expect(await event({ type: 'link_shared', channel: 'C1', message_ts: '1.3', user: 'U1' })).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(slack.calls('chat.unfurl')).toEqual([]);
    expect(typeErrors()).toEqual([]);
  });

  it('a slash command whose text arrives twice (an array) is answered, not a 500', async () => {
    const body = `${slashCommandBody('p95', `${slack.url}/response/arr`)}&text=her2`;
    const res = await fetch(`${bot.url}/slack/events`, {
      method: 'POST',
      body,
      headers: slackHeaders(body, { contentType: 'application/x-www-form-urlencoded' }),
    });
    expect(res.status).toBe(200);
    expect(typeErrors()).toEqual([]);
  });

  it('a digest command without response_url is answered in the acknowledgement', async () => {
    const body = new URLSearchParams(slashCommandBody('digest status', 'x'));
    body.delete('response_url');
    const raw = body.toString();
    const res = await fetch(`${bot.url}/slack/events`, {
      method: 'POST',
      body: raw,
      headers: slackHeaders(raw, { contentType: 'application/x-www-form-urlencoded' }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('No digest here');
    expect(typeErrors()).toEqual([]);
  });

  it('a signed request replayed within the five-minute window is refused with 401, and answered once', async () => {
    const body = slashCommandBody('p95', `${slack.url}/response/replay`);
    const headers = slackHeaders(body, { contentType: 'application/x-www-form-urlencoded' });
    const first = await fetch(`${bot.url}/slack/events`, { method: 'POST', body, headers });
    const again = await fetch(`${bot.url}/slack/events`, { method: 'POST', body, headers });
    expect(first.status).toBe(200);
    expect(again.status).toBe(401);
    expect(await again.text()).toBe('');
  });
});

describe('malformed Teams activities', () => {
  async function send(activity: Record<string, unknown>) {
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      body: JSON.stringify(activity),
      headers: { 'content-type': 'application/json' },
    });
    return { status: res.status, text: await res.text() };
  }

  it('entities that are not a list: answered as a message without a mention (personal chat)', async () => {
    const activity = {
      ...messageActivity(connector.serviceUrl, 'p95', { conversationType: 'personal' }),
      entities: 'oops',
    };
    expect((await send(activity)).status).toBe(200);
    expect(connector.sent()).toHaveLength(1);
  });

  it('membersAdded that is not a list: no crash', async () => {
    const activity = {
      ...messageActivity(connector.serviceUrl, '', { conversationType: 'personal' }),
      type: 'conversationUpdate',
      membersAdded: { id: BOT_ID },
    };
    expect((await send(activity)).status).toBeLessThan(500);
  });

  it('a search whose parameters are not a list lists the mechanisms', async () => {
    const res = await send(
      invokeActivity(connector.serviceUrl, 'composeExtension/query', {
        commandId: 'searchKnowledge',
        parameters: 'p95',
      }),
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain('composeExtension');
  });

  it('an activity without conversation or from is refused with 400', async () => {
    const { conversation: _c, ...rest } = messageActivity(connector.serviceUrl, 'p95') as Record<string, unknown>;
    expect((await send(rest)).status).toBe(400);
    expect(connector.sent()).toEqual([]);
  });

  it('left no unhandled rejection behind', () => {
    expect(faultCounts().unhandledRejection ?? 0).toBe(0);
    expect(typeErrors()).toEqual([]);
    expect(BOT_USER).toBeTruthy();
  });
});
