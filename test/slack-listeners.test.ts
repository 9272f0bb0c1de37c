/**
 * handlers/slack/listeners.ts on a real Bolt app: one global middleware and no Bolt listener, and
 * each payload reaches the one handler registered for it (by command, event type, action id or
 * callback id); what no handler takes goes on down Bolt's chain.
 */
import { App, type Receiver } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { SlackListeners } from '../handlers/slack/listeners.ts';

class NullReceiver implements Receiver {
  init() {}
  async start() {}
  async stop() {}
}

function setUp() {
  const calls: string[] = [];
  const listeners = new SlackListeners();
  listeners.command('/her2', async ({ ack }) => {
    calls.push('command');
    await ack();
  });
  listeners.event('app_mention', async ({ event }) => {
    calls.push(`mention ${event.text}`);
  });
  listeners.message(async ({ message }) => {
    calls.push(`message ${message.channel}`);
  });
  listeners.action({ action_id: /^her2_open_\d+$/ }, async ({ ack, action }) => {
    calls.push(`open ${(action as { action_id: string }).action_id}`);
    await ack();
  });
  listeners.action({ action_id: /^her2_.*$/ }, async ({ ack }) => {
    calls.push('any her2 action');
    await ack();
  });
  listeners.view('her2_report', async ({ ack, view }) => {
    calls.push(`view ${view.callback_id}`);
    await ack();
  });
  const app = new App({
    receiver: new NullReceiver(),
    authorize: async () => ({ botToken: 'xoxb-test', botUserId: 'UBOT', botId: 'BBOT' }),
    convoStore: false,
  });
  listeners.mountOn(app);
  const send = (body: Record<string, unknown>) =>
    app.processEvent({ body, ack: async () => undefined } as unknown as Parameters<App['processEvent']>[0]);
  return { app, calls, send };
}

const team = { team: { id: 'T1' }, user: { id: 'U1' }, api_app_id: 'A1' };
const eventBody = (event: Record<string, unknown>) => ({
  type: 'event_callback',
  team_id: 'T1',
  api_app_id: 'A1',
  event,
});

describe('Slack listeners, mounted as one global middleware', () => {
  it('adds one global middleware and no Bolt listener, however many handlers', () => {
    const bare = new App({ receiver: new NullReceiver(), authorize: async () => ({}), convoStore: false });
    const { app } = setUp();
    const middleware = (a: App) => (a as unknown as { middleware: unknown[] }).middleware.length;
    expect((app as unknown as { listeners: unknown[] }).listeners).toHaveLength(0);
    expect(middleware(app)).toBe(middleware(bare) + 1);
  });

  it('passes what no handler takes on to the rest of the chain (a listener registered on Bolt itself)', async () => {
    const { app, calls, send } = setUp();
    app.command('/other', async ({ ack }) => {
      calls.push('bolt /other');
      await ack();
    });
    await send({ command: '/other', text: '', team_id: 'T1', channel_id: 'C1', user_id: 'U1', api_app_id: 'A1' });
    await send({ command: '/her2', text: 'p95', team_id: 'T1', channel_id: 'C1', user_id: 'U1', api_app_id: 'A1' });
    expect(calls).toEqual(['bolt /other', 'command']);
  });

  it('routes each event to the handler of its type, and message events to message()', async () => {
    const { calls, send } = setUp();
    await send(eventBody({ type: 'app_mention', text: 'hi', user: 'U1', channel: 'C1', ts: '1.0' }));
    await send(eventBody({ type: 'message', text: 'dm', user: 'U1', channel: 'D1', channel_type: 'im', ts: '2.0' }));
    await send(eventBody({ type: 'reaction_added', user: 'U1', item: {} }));
    expect(calls).toEqual(['mention hi', 'message D1']);
  });

  it('gives a block action to the first handler whose action id matches, and nothing to an unknown id', async () => {
    const { calls, send } = setUp();
    const action = (action_id: string) => ({
      type: 'block_actions',
      ...team,
      actions: [{ type: 'button', action_id, block_id: 'b', action_ts: '1' }],
    });
    await send(action('her2_open_3'));
    await send(action('her2_share_1'));
    await send(action('someone_else'));
    expect(calls).toEqual(['open her2_open_3', 'any her2 action']);
  });

  it('routes a command and a view submission by name', async () => {
    const { calls, send } = setUp();
    await send({ command: '/her2', text: 'p95', team_id: 'T1', channel_id: 'C1', user_id: 'U1', api_app_id: 'A1' });
    await send({ command: '/other', text: '', team_id: 'T1', channel_id: 'C1', user_id: 'U1', api_app_id: 'A1' });
    await send({
      type: 'view_submission',
      ...team,
      view: { id: 'V1', callback_id: 'her2_report', state: { values: {} } },
    });
    await send({ type: 'view_submission', ...team, view: { id: 'V2', callback_id: 'other', state: { values: {} } } });
    expect(calls).toEqual(['command', 'view her2_report']);
  });

  it('lets admit see every payload first and drop it, synchronously or not', async () => {
    const calls: string[] = [];
    const listeners = new SlackListeners();
    listeners.command('/her2', async ({ command, ack }) => {
      calls.push(`command ${command.text}`);
      await ack();
    });
    const app = new App({
      receiver: new NullReceiver(),
      authorize: async () => ({ botToken: 'xoxb-test' }),
      convoStore: false,
    });
    listeners.mountOn(app, {
      admit: (body) => {
        calls.push(`admit ${body.text}`);
        return body.text === 'later' ? Promise.resolve(false) : body.text !== 'drop';
      },
    });
    for (const text of ['p95', 'drop', 'later']) {
      await app.processEvent({
        body: { command: '/her2', text, team_id: 'T1', channel_id: 'C1', user_id: 'U1', api_app_id: 'A1' },
        ack: async () => undefined,
      } as unknown as Parameters<App['processEvent']>[0]);
    }
    expect(calls).toEqual(['admit p95', 'command p95', 'admit drop', 'admit later']);
  });

  it('gives handlers the respond() of respondVia for a payload with a response_url, and Bolt’s otherwise', async () => {
    const used: string[] = [];
    const listeners = new SlackListeners();
    listeners.command('/her2', async ({ ack, respond }) => {
      await ack();
      await respond('answer');
    });
    const app = new App({
      receiver: new NullReceiver(),
      authorize: async () => ({ botToken: 'xoxb-test' }),
      convoStore: false,
    });
    listeners.mountOn(app, {
      respondVia: (url) => async (message) => {
        used.push(`${url} ${JSON.stringify(message)}`);
        return new Response(null);
      },
    });
    await app.processEvent({
      body: {
        command: '/her2',
        text: 'x',
        team_id: 'T1',
        channel_id: 'C1',
        user_id: 'U1',
        response_url: 'https://hooks.slack.test/r/1',
      },
      ack: async () => undefined,
    } as unknown as Parameters<App['processEvent']>[0]);
    expect(used).toEqual(['https://hooks.slack.test/r/1 "answer"']);
  });

  it('refuses two handlers for one event type and names that are not event types', () => {
    const listeners = new SlackListeners();
    listeners.event('app_mention', async () => undefined);
    expect(() => listeners.event('app_mention', async () => undefined)).toThrow(/two listeners/);
    expect(() => listeners.event('app_mention|.*', async () => undefined)).toThrow(/not a Slack event type/);
  });
});
