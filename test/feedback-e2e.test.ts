/**
 * Readers' feedback end to end: the real bot (Bolt receiver, CloudAdapter) on loopback, stand-ins for
 * Slack's Web API and the Bot Framework connector, stand-in literature, a SQLite file. A digest is
 * posted, its feedback controls are pressed as Slack and Teams send them, and the test checks what was
 * stored, that the acknowledgement went only to the person who pressed, and that two "Not relevant"
 * presses on one tag lead to a mute the next digest honours. A Teams digest item's "new data on
 * CLEOPATRA" opens the entry's card the same way: for the clicker only. (Slack's: curation-e2e.)
 */
import { join } from 'node:path';
import { type Activity, TurnContext } from 'botbuilder';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/logger.ts';
import { type RunningBot, startBot } from '../src/main.ts';
import type { Store } from '../src/store/store.ts';
import { paper, StandInSource, settableClock } from './helpers/digest-literature.ts';
import type { Recorded } from './helpers/fake-server.ts';
import {
  actionBody,
  BOT_TOKEN,
  type FakeSlack,
  SIGNING_SECRET,
  slackHeaders,
  slashCommandBody,
  startFakeSlack,
} from './helpers/slack.ts';
import { tempDir } from './helpers/store-fixture.ts';
import {
  type FakeConnector,
  LocalCredentialsFactory,
  type LocalIdentity,
  messageActivity,
  startFakeConnector,
  startLocalIdentity,
} from './helpers/teams.ts';

const APP_ID = '00000000-0000-0000-0000-0000000000fb';
const clock = settableClock('2026-11-30T09:00:00.000Z');
const pubmed = new StandInSource('pubmed');
let slack: FakeSlack;
let connector: FakeConnector;
let identity: LocalIdentity;
let folder: ReturnType<typeof tempDir>;
let bot: RunningBot;
let store: Store;

beforeAll(async () => {
  [slack, connector, identity] = await Promise.all([startFakeSlack(), startFakeConnector(), startLocalIdentity()]);
  folder = tempDir();
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    PLAYGROUND: 'off',
    DATABASE_PATH: join(folder.dir, 'her2bot.db'),
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'secret',
  });
  bot = await startBot(config, {
    logger: silentLogger,
    teams: { credentialsFactory: new LocalCredentialsFactory(APP_ID), authSettings: identity.authSettings },
    slackRetries: 0,
    digestSources: [pubmed],
    now: clock.now,
  });
  store = bot.store!;
});

afterAll(async () => {
  await bot?.close();
  await Promise.all([slack?.close(), connector?.close(), identity?.server.close()]);
  folder?.remove();
});

beforeEach(() => {
  slack.requests.length = 0;
  connector.requests.length = 0;
  pubmed.items = [
    paper(99300001, '2026-11-26', 'p95HER2 expression and trastuzumab benefit'),
    paper(99300002, '2026-11-27', 'Truncated p95HER2 in metastatic disease'),
    paper(99300003, '2026-11-28', 'PTEN loss under trastuzumab'),
  ];
});

const slot = (day: string) => new Date(`${day}T07:00:00.000Z`);
const P95 = 'mech-p95her2';

let responses = 0;
async function signedPost(body: string, contentType: string) {
  const res = await fetch(`${bot.url}/slack/events`, {
    method: 'POST',
    body,
    headers: slackHeaders(body, { contentType }),
  });
  expect(res.status).toBe(200);
  return res;
}

async function slash(text: string, channel: string) {
  const path = `/response/${++responses}`;
  await signedPost(
    slashCommandBody(text, `${slack.url}${path}`, { channel_id: channel }),
    'application/x-www-form-urlencoded',
  );
  return (await slack.waitFor((r) => r.path === path)).body as Record<string, unknown>;
}

/** The digest item blocks of a posted message, by PMID: their overflow menu's options. */
function overflowOf(message: Recorded, pmid: number) {
  const blocks = message.body.blocks as { text?: { text: string }; accessory?: Record<string, unknown> }[];
  const block = blocks.find((b) => b.text?.text.includes(`pubmed.ncbi.nlm.nih.gov/${pmid}/`));
  const accessory = block?.accessory as { action_id: string; options: { value: string; text: { text: string } }[] };
  expect(accessory?.action_id).toMatch(/^her2_fb_\d+$/);
  return accessory;
}

/** Picks an option of an item's overflow menu, as Slack sends it; returns the response_url reply. */
async function pick(message: Recorded, pmid: number, label: string, user = 'U1', channel = 'C30') {
  const menu = overflowOf(message, pmid);
  const option = menu.options.find((o) => o.text.text === label)!;
  const path = `/response/${++responses}`;
  await signedPost(
    actionBody({
      type: 'block_actions',
      team: { id: 'T1', domain: 'lab' },
      user: { id: user, name: 'dr.a', team_id: 'T1' },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: '1.2.3',
      container: { type: 'message', message_ts: '1700000000.000100', channel_id: channel, is_ephemeral: false },
      channel: { id: channel, name: 'oncology' },
      response_url: `${slack.url}${path}`,
      actions: [
        { type: 'overflow', action_id: menu.action_id, block_id: 'b1', selected_option: option, action_ts: '1.1' },
      ],
    }),
    'application/x-www-form-urlencoded',
  );
  return { path, reply: () => slack.waitFor((r) => r.path === path) };
}

const parentPost = (channel: string) =>
  slack.calls('chat.postMessage').find((r) => r.body.channel === channel && r.body.thread_ts === undefined)!;

describe('feedback on a Slack digest', () => {
  it('stores Useful with the item as shown and acknowledges it only to the person who pressed', async () => {
    await slash('digest subscribe 08:00 Europe/Berlin', 'C30');
    clock.set('2026-11-30T07:00:05.000Z');
    expect(await bot.scheduler!.deliver('slack:T1:C30', slot('2026-11-30'))).toMatchObject({ status: 'posted' });
    const parent = parentPost('C30');
    expect(overflowOf(parent, 99300001).options.map((o) => o.text.text)).toEqual([
      'Useful',
      'Not relevant',
      'Wrong tags…',
    ]);

    const pressed = await pick(parent, 99300001, 'Useful');
    const reply = (await pressed.reply()).body as Record<string, unknown>;
    expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(JSON.stringify(reply)).toContain('Noted as useful');
    const [saved] = await store.feedback.list();
    expect(saved).toMatchObject({
      userId: 'U1',
      surface: 'slack',
      conversationKey: 'slack:T1:C30',
      itemKey: 'pubmed:99300001',
      action: 'useful',
      kbVersion: bot.core.kb.version,
    });
    expect(saved!.tags).toContain(P95);
    expect(saved!.reasons[P95]).toBeTruthy();
    // Nothing was posted for everyone to see.
    expect(slack.calls('chat.postMessage').filter((r) => r.body.channel === 'C30')).toHaveLength(1);
  });

  it('offers "fewer like this" after a second Not relevant on one tag, mutes it, and the next digest leaves it out', async () => {
    await slash('digest subscribe 08:00 Europe/Berlin', 'C31');
    clock.set('2026-11-30T07:00:05.000Z');
    await bot.scheduler!.deliver('slack:T1:C31', slot('2026-11-30'));
    const posted = parentPost('C31');

    const first = await (await pick(posted, 99300001, 'Not relevant', 'U1', 'C31')).reply();
    expect(JSON.stringify(first.body)).toContain('Noted as not relevant');
    expect(JSON.stringify(first.body)).not.toContain('Fewer like this');

    const second = await (await pick(posted, 99300002, 'Not relevant', 'U2', 'C31')).reply();
    const blocks = JSON.stringify(second.body);
    expect(second.body).toMatchObject({ response_type: 'ephemeral' });
    expect(blocks).toContain('Fewer like this: p95HER2');

    // Press the offer.
    const button = (
      second.body.blocks as {
        type: string;
        elements?: { text: { text: string }; action_id: string; value: string }[];
      }[]
    )
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.text?.text === 'Fewer like this: p95HER2')!;
    const path = `/response/${++responses}`;
    await signedPost(
      actionBody({
        type: 'block_actions',
        team: { id: 'T1' },
        user: { id: 'U2', team_id: 'T1' },
        trigger_id: '1.2.4',
        container: { type: 'message', channel_id: 'C31', is_ephemeral: true },
        channel: { id: 'C31' },
        response_url: `${slack.url}${path}`,
        actions: [
          { type: 'button', action_id: button.action_id, block_id: 'b2', value: button.value, action_ts: '1.2' },
        ],
      }),
      'application/x-www-form-urlencoded',
    );
    expect(JSON.stringify((await slack.waitFor((r) => r.path === path)).body)).toContain(
      'leave out items led by p95HER2',
    );
    expect((await store.mutes.list('slack:T1:C31')).map((m) => m.tag)).toEqual([P95]);
    expect(JSON.stringify(await slash('digest status', 'C31'))).toContain(
      'Muted (items led by these are left out): p95HER2',
    );

    // The next digest: new p95 and PTEN papers; only PTEN's is posted.
    pubmed.items.push(
      paper(99300011, '2026-12-01', 'p95HER2 by immunohistochemistry'),
      paper(99300012, '2026-12-01', 'PTEN loss and everolimus'),
    );
    clock.set('2026-12-01T07:00:05.000Z');
    slack.requests.length = 0;
    await bot.scheduler!.deliver('slack:T1:C31', slot('2026-12-01'));
    const next = JSON.stringify(parentPost('C31').body);
    expect(next).toContain('PTEN loss and everolimus');
    expect(next).not.toContain('p95HER2 by immunohistochemistry');

    // Unmuting brings it back in the preview.
    expect(JSON.stringify(await slash('digest unmute p95HER2', 'C31'))).toContain('shows items led by p95HER2 again');
    expect(await store.mutes.list('slack:T1:C31')).toEqual([]);
    expect(JSON.stringify(await slash('digest preview', 'C31'))).toContain('p95HER2 by immunohistochemistry');
  });

  it('opens the Wrong tags modal with views.open and stores what the reader picked, acknowledged ephemerally', async () => {
    await slash('digest subscribe 08:00 Europe/Berlin', 'C32');
    clock.set('2026-11-30T07:00:05.000Z');
    await bot.scheduler!.deliver('slack:T1:C32', slot('2026-11-30'));
    await pick(parentPost('C32'), 99300003, 'Wrong tags…', 'U3', 'C32');
    const open = await slack.waitFor((r) => r.path.startsWith('/api/views.open'));
    const view = (typeof open.body.view === 'string' ? JSON.parse(open.body.view) : open.body.view) as {
      callback_id: string;
      private_metadata: string;
      blocks: { block_id?: string; element?: { options: { value: string }[] } }[];
    };
    expect(view.callback_id).toBe('her2fb_wrong_tags');
    const addOptions = view.blocks.find((b) => b.block_id === 'add')!.element!.options.map((o) => o.value);
    expect(addOptions).toContain('agent-t-dxd');
    const removable = view.blocks.find((b) => b.block_id === 'remove')!.element!.options.map((o) => o.value);

    await signedPost(
      actionBody({
        type: 'view_submission',
        team: { id: 'T1' },
        user: { id: 'U3', team_id: 'T1' },
        api_app_id: 'A1',
        token: 'legacy',
        trigger_id: '1.2.5',
        view: {
          id: 'V1',
          type: 'modal',
          callback_id: view.callback_id,
          private_metadata: view.private_metadata,
          state: {
            values: {
              remove: { tags: { type: 'multi_static_select', selected_options: [{ value: removable[0] }] } },
              add: {
                tags: {
                  type: 'multi_static_select',
                  selected_options: [{ value: 'agent-t-dxd' }, { value: 'not-a-tag' }],
                },
              },
            },
          },
        },
      }),
      'application/x-www-form-urlencoded',
    );
    const ack = await slack.waitFor((r) => r.path.startsWith('/api/chat.postEphemeral'));
    expect(ack.body).toMatchObject({ channel: 'C32', user: 'U3' });
    expect(JSON.stringify(ack.body)).toContain('corrections to the tags were saved');
    const saved = (await store.feedback.list()).find((f) => f.action === 'wrong_tags')!;
    expect(saved).toMatchObject({
      itemKey: 'pubmed:99300003',
      tagsRemoved: [removable[0]],
      tagsAdded: ['agent-t-dxd'],
    });
  });

  it('takes a report on an answer card through a modal and keeps its text', async () => {
    // A search is answered in the slash command's own HTTP response.
    const res = await signedPost(
      slashCommandBody('cleopatra', `${slack.url}/response/unused`, { channel_id: 'C33' }),
      'application/x-www-form-urlencoded',
    );
    const card = (await res.json()) as Record<string, unknown>;
    const report = (card.blocks as { elements?: { text: { text: string }; action_id: string; value: string }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.text?.text === 'Report a problem')!;
    expect(report.action_id).toMatch(/^her2_fb_\d+$/);
    await signedPost(
      actionBody({
        type: 'block_actions',
        team: { id: 'T1' },
        user: { id: 'U4', team_id: 'T1' },
        trigger_id: '1.2.6',
        container: { type: 'message', channel_id: 'C33', is_ephemeral: true },
        channel: { id: 'C33' },
        response_url: `${slack.url}/response/unused`,
        actions: [
          { type: 'button', action_id: report.action_id, block_id: 'b3', value: report.value, action_ts: '1.3' },
        ],
      }),
      'application/x-www-form-urlencoded',
    );
    const open = await slack.waitFor((r) => r.path.startsWith('/api/views.open'));
    const view = (typeof open.body.view === 'string' ? JSON.parse(open.body.view) : open.body.view) as {
      callback_id: string;
      private_metadata: string;
    };
    expect(view.callback_id).toBe('her2fb_report');
    await signedPost(
      actionBody({
        type: 'view_submission',
        team: { id: 'T1' },
        user: { id: 'U4', team_id: 'T1' },
        view: {
          id: 'V2',
          type: 'modal',
          callback_id: view.callback_id,
          private_metadata: view.private_metadata,
          state: { values: { report: { text: { type: 'plain_text_input', value: 'The OS figure looks outdated' } } } },
        },
      }),
      'application/x-www-form-urlencoded',
    );
    const ack = await slack.waitFor((r) => r.path.startsWith('/api/chat.postEphemeral'));
    expect(ack.body).toMatchObject({ channel: 'C33', user: 'U4' });
    const [saved] = await store.feedback.listReports();
    expect(saved).toMatchObject({
      action: 'report',
      text: 'The OS figure looks outdated',
      conversationKey: 'slack:T1:C33',
    });
    expect(saved!.itemKey).toMatch(/^answer:ev-/);
  });
});

describe('feedback on a Teams digest', () => {
  const conversation = '19:feedback@thread.tacv2;messageid=1700000000009';
  const key = 'teams:t:tenant-1:19:feedback@thread.tacv2';

  async function send(activity: Record<string, unknown>) {
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      body: JSON.stringify(activity),
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${identity.token({ aud: APP_ID, serviceurl: connector.serviceUrl })}`,
      },
    });
    expect(res.status).toBe(200);
  }

  /** A submit on the digest card, from the channel, as Teams sends it: the data and the form's inputs. */
  async function submit(value: Record<string, unknown>) {
    const activity = messageActivity(connector.serviceUrl, '', { conversationId: conversation, mention: false });
    await send({ ...activity, text: undefined, value, replyToId: '1700000000009' });
  }

  it('stores Not relevant and Wrong tags, acknowledging in the personal chat, never in the channel', async () => {
    await send(
      messageActivity(connector.serviceUrl, 'digest subscribe 08:00 Europe/Berlin', { conversationId: conversation }),
    );
    clock.set('2026-11-30T07:00:05.000Z');
    connector.requests.length = 0;
    expect(await bot.scheduler!.deliver(key, slot('2026-11-30'))).toMatchObject({ status: 'posted' });
    const card = (connector.sent()[0]!.body as { attachments: { content: Record<string, unknown> }[] }).attachments[0]!
      .content;
    const text = JSON.stringify(card);
    const submits = [...text.matchAll(/"her2fb":\{"f":"nr","r":"([0-9a-f]{16})"\}/g)].map((m) => m[1]!);
    expect(submits.length).toBeGreaterThanOrEqual(3);
    expect(text).toContain('"title":"Wrong tags"');
    expect(text).toContain('"type":"Input.ChoiceSet"');

    connector.requests.length = 0;
    await submit({ her2fb: { f: 'nr', r: submits[0] } });
    const sent = connector.sent();
    // A personal chat is opened for the person, the acknowledgement goes there, and the channel only
    // hears that it was sent privately.
    const created = sent.find((r) => r.method === 'POST' && /\/v3\/conversations$/.test(r.path));
    expect(created?.body).toMatchObject({ isGroup: false, members: [{ id: '29:user-1' }] });
    const inChannel = sent.filter((r) => decodeURIComponent(r.path).includes('19:feedback@thread.tacv2'));
    expect(JSON.stringify(inChannel.map((r) => r.body))).not.toContain('Noted as not relevant');
    expect(JSON.stringify(sent.map((r) => r.body))).toContain('Noted as not relevant');
    expect((await store.feedback.list()).find((f) => f.surface === 'teams')).toMatchObject({
      action: 'not_relevant',
      conversationKey: key,
      userId: '29:user-1',
    });

    await submit({ her2fb: { f: 'wt' }, item: submits[1], remove: '', add: 'agent-t-dxd,agent-tucatinib' });
    const wrong = (await store.feedback.list()).find((f) => f.surface === 'teams' && f.action === 'wrong_tags');
    expect(wrong?.tagsAdded).toEqual(['agent-t-dxd', 'agent-tucatinib']);
  });

  /**
   * Two people press Not relevant on p95HER2 items in a channel, the second accepts "Fewer like this"
   * where the offer reaches them (their personal chat), and the channel's next digest leaves p95HER2 out.
   */
  async function muteFromPersonalChat(channel: string, key: string, users: [string, string]) {
    const inThread = `${channel};messageid=1700000000077`;
    await send(
      messageActivity(connector.serviceUrl, 'digest subscribe 08:00 Europe/Berlin', { conversationId: inThread }),
    );
    expect(await store.subscriptions.get(key)).toBeDefined();

    clock.set('2026-11-30T07:00:05.000Z');
    connector.requests.length = 0;
    expect(await bot.scheduler!.deliver(key, slot('2026-11-30'))).toMatchObject({ status: 'posted' });
    const posted = JSON.stringify(connector.sent()[0]!.body);
    const refs = [...posted.matchAll(/"her2fb":\{"f":"nr","r":"([0-9a-f]{16})"\}/g)].map((m) => m[1]!);
    const p95Refs: string[] = [];
    for (const ref of refs) if ((await store.digestItems.get(ref))?.tags[0] === P95) p95Refs.push(ref);
    expect(p95Refs).toHaveLength(2);

    /** Not relevant pressed in the channel by one person; what the bot sent in answer. */
    const notRelevant = async (ref: string, user: string) => {
      connector.requests.length = 0;
      const press = messageActivity(connector.serviceUrl, '', { conversationId: inThread, mention: false });
      await send({ ...press, from: { id: user, name: user }, text: undefined, value: { her2fb: { f: 'nr', r: ref } } });
      return JSON.stringify(connector.sent().map((r) => r.body));
    };
    expect(await notRelevant(p95Refs[0]!, users[0])).not.toContain('Fewer like this');
    const second = await notRelevant(p95Refs[1]!, users[1]);
    const pressed = (await store.feedback.list()).filter((f) => users.includes(f.userId));
    expect(pressed.map((f) => [f.action, f.conversationKey])).toEqual([
      ['not_relevant', key],
      ['not_relevant', key],
    ]);
    expect(second).toContain('Fewer like this: p95HER2');
    const offer = JSON.parse(
      /\{"type":"Action\.Submit","title":"Fewer like this: p95HER2","data":(\{"her2fb":\{[^}]*\}\})\}/.exec(
        second,
      )![1]!,
    );

    // The offer came to the second person's personal chat with the bot: it is pressed there. Someone
    // else pressing the same offer (a forwarded card) mutes nothing.
    const accept = async (user: string) => {
      connector.requests.length = 0;
      const personal = messageActivity(connector.serviceUrl, '', { conversationType: 'personal' });
      await send({ ...personal, from: { id: user, name: user }, text: undefined, value: offer });
      return JSON.stringify(connector.sent().map((r) => r.body));
    };
    expect(await accept(users[0])).toContain('That offer is out of date, so nothing was muted.');
    expect(await store.mutes.list(key)).toEqual([]);
    expect(await accept(users[1])).toContain('leave out items led by p95HER2');
    expect((await store.mutes.list(key)).map((m) => m.tag)).toEqual([P95]);

    // The next digest: a new p95 paper and a PTEN one; only PTEN's is posted.
    pubmed.items.push(
      paper(99300021, '2026-12-01', 'p95HER2 fragments in circulating tumour cells'),
      paper(99300022, '2026-12-01', 'PTEN loss and everolimus after trastuzumab'),
    );
    clock.set('2026-12-01T07:00:05.000Z');
    connector.requests.length = 0;
    expect(await bot.scheduler!.deliver(key, slot('2026-12-01'))).toMatchObject({ status: 'posted' });
    const next = JSON.stringify(connector.sent().map((r) => r.body));
    expect(next).toContain('PTEN loss and everolimus after trastuzumab');
    expect(next).not.toContain('p95HER2 fragments in circulating tumour cells');
  }

  it('mutes a tag for the channel from the offer in the personal chat, and the next digest honours it', async () => {
    const channel = '19:mute@thread.tacv2';
    await muteFromPersonalChat(channel, `teams:t:tenant-1:${channel}`, ['29:user-5', '29:user-6']);
  });

  it('keeps feedback and mutes under the tenant-less key of a channel the bot knew before keys carried the tenant', async () => {
    // The bot's earlier version stored this channel's reference under the conversation id alone;
    // its subscription, posted items, feedback and mutes all live under that key.
    const channel = '19:legacy-mute@thread.tacv2';
    const legacy = `teams:${channel}`;
    const reference = TurnContext.getConversationReference(
      messageActivity(connector.serviceUrl, 'p95', { conversationId: channel }) as Partial<Activity>,
    );
    await store.conversations.save(legacy, reference as never);
    await muteFromPersonalChat(channel, legacy, ['29:user-7', '29:user-8']);
    const tenantKey = `teams:t:tenant-1:${channel}`;
    expect(await store.subscriptions.get(tenantKey)).toBeUndefined();
    expect(await store.mutes.list(tenantKey)).toEqual([]);
    expect((await store.feedback.list()).filter((f) => f.conversationKey === tenantKey)).toEqual([]);
  });

  it('sends the entry’s card to the reader’s personal chat for “new data on CLEOPATRA” clicked in a channel', async () => {
    const channel = '19:entry@thread.tacv2';
    pubmed.items.push(paper(22149875, '2026-11-28', 'Pertuzumab, trastuzumab and docetaxel: final overall survival'));
    await send(
      messageActivity(connector.serviceUrl, 'digest subscribe 08:00 Europe/Berlin', { conversationId: channel }),
    );
    clock.set('2026-11-30T07:00:05.000Z');
    connector.requests.length = 0;
    expect(await bot.scheduler!.deliver(`teams:t:tenant-1:${channel}`, slot('2026-11-30'))).toMatchObject({
      status: 'posted',
    });
    const digest = JSON.stringify(connector.sent().map((r) => r.body));
    const submit = JSON.parse(
      /\{"type":"Action\.Submit","title":"new data on CLEOPATRA","data":(\{[^}]*\}\})\}/.exec(digest)![1]!,
    );
    expect(submit).toEqual({ her2: { a: 'show', id: 'ev-cleopatra-2012' } });

    connector.requests.length = 0;
    const click = messageActivity(connector.serviceUrl, '', {
      conversationId: `${channel};messageid=17000`,
      mention: false,
    });
    await send({ ...click, text: undefined, value: submit, replyToId: '17000' });
    const sent = connector.sent();
    const created = sent.find((r) => r.method === 'POST' && /\/v3\/conversations$/.test(r.path));
    expect(created?.body).toMatchObject({ isGroup: false, members: [{ id: '29:user-1' }] });
    const inChannel = JSON.stringify(
      sent.filter((r) => decodeURIComponent(r.path).includes(channel)).map((r) => r.body),
    );
    const elsewhere = JSON.stringify(
      sent.filter((r) => !decodeURIComponent(r.path).includes(channel)).map((r) => r.body),
    );
    // The entry's own card, with its citation, in the personal chat...
    expect(elsewhere).toContain('CLEOPATRA');
    expect(elsewhere).toContain('https://pubmed.ncbi.nlm.nih.gov/22149875/');
    // ...and in the channel only the line saying so; the digest is not replaced.
    expect(inChannel).not.toContain('pubmed.ncbi.nlm.nih.gov/22149875');
    expect(inChannel).toContain('personal chat');
    expect(sent.filter((r) => r.method === 'PUT')).toEqual([]);
  });
});
