/**
 * Socket Mode end to end: the real Bolt SocketModeClient connects to a local WebSocket stand-in for
 * Slack (after apps.connections.open on the Web API stand-in) and answers envelopes over the socket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/logger.ts';
import { type RunningBot, startBot } from '../src/main.ts';
import { BOT_TOKEN, BOT_USER, type FakeSlack, SIGNING_SECRET, startFakeSlack } from './helpers/slack.ts';

let slack: FakeSlack;
let wss: WebSocketServer;
let bot: RunningBot;
const socketMessages: Record<string, unknown>[] = [];
let socket: WebSocket | undefined;

function waitForSocket(
  predicate: (m: Record<string, unknown>) => boolean,
  timeoutMs = 5000,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      const found = socketMessages.find(predicate);
      if (found) resolve(found);
      else if (Date.now() - started > timeoutMs) reject(new Error('no matching socket message'));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

beforeAll(async () => {
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const wsPort = (wss.address() as { port: number }).port;
  const connected = new Promise<void>((resolve) => {
    wss.on('connection', (ws) => {
      socket = ws;
      ws.on('message', (data) => socketMessages.push(JSON.parse(String(data))));
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          debug_info: { host: 'local' },
          connection_info: { app_id: 'A1' },
        }),
      );
      resolve();
    });
  });
  slack = await startFakeSlack();
  slack.failNext('apps.connections.open', { body: { ok: true, url: `ws://127.0.0.1:${wsPort}/link/?ticket=t` } }, 100);
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_APP_TOKEN: 'xapp-test',
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    DATABASE_PATH: ':memory:',
    HOST: '127.0.0.1',
  });
  bot = await startBot(config, { logger: silentLogger, slackRetries: 1 });
  await connected;
});

afterAll(async () => {
  await bot?.close();
  wss?.close();
  await slack?.close();
});

describe('Socket Mode', () => {
  it('opens the connection with the app-level token', () => {
    const open = slack.calls('apps.connections.open')[0];
    expect(open?.headers.authorization).toBe('Bearer xapp-test');
  });

  it('answers /her2 over the socket: the acknowledgement carries the card', async () => {
    socket!.send(
      JSON.stringify({
        envelope_id: 'e1',
        type: 'slash_commands',
        accepts_response_payload: true,
        payload: {
          token: 'legacy',
          team_id: 'T1',
          channel_id: 'C1',
          user_id: 'U1',
          command: '/her2',
          text: 'p95',
          api_app_id: 'A1',
          response_url: `${slack.url}/response/s1`,
          trigger_id: '1.2.3',
        },
      }),
    );
    const ack = await waitForSocket((m) => m.envelope_id === 'e1');
    expect(JSON.stringify(ack.payload)).toContain('p95HER2');
  });

  it('answers an @-mention event with a threaded chat.postMessage', async () => {
    socket!.send(
      JSON.stringify({
        envelope_id: 'e2',
        type: 'events_api',
        accepts_response_payload: false,
        payload: {
          type: 'event_callback',
          team_id: 'T1',
          api_app_id: 'A1',
          event_id: 'EvSOCK1',
          event_time: 1700000000,
          authorizations: [{ team_id: 'T1', user_id: BOT_USER, is_bot: true }],
          event: {
            type: 'app_mention',
            user: 'U1',
            text: `<@${BOT_USER}> tykerb`,
            ts: '1700000000.1',
            channel: 'C1',
            event_ts: '1700000000.1',
          },
        },
      }),
    );
    await waitForSocket((m) => m.envelope_id === 'e2');
    const post = await slack.waitFor((r) => r.path === '/api/chat.postMessage');
    expect(post.body.thread_ts).toBe('1700000000.1');
    expect(JSON.stringify(post.body.blocks)).toContain('Lapatinib');
  });

  it('serves no /slack/events route in Socket Mode', async () => {
    const res = await fetch(`${bot.url}/slack/events`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
  });
});
