/**
 * The digest end to end through the real bot: startBot with Slack on in HTTP mode against the Web API
 * stand-in and Teams against the connector stand-in, a SQLite file in a temporary folder, stand-in
 * literature sources and a clock the test sets. Commands arrive as signed slash commands and as
 * @-mentions; scheduled runs are started with `bot.scheduler.deliver(channel, slot)`.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { RateLimiter } from '../src/digest/limiter.ts';
import { createPubMedSource } from '../src/digest/sources/pubmed.ts';
import { silentLogger } from '../src/logger.ts';
import { type RunningBot, startBot } from '../src/main.ts';
import type { Store } from '../src/store/store.ts';
import { digestFixture, efetchAllOfHistory, fakeClock, instantRetries } from './helpers/digest.ts';
import { paper, StandInSource, settableClock, trial } from './helpers/digest-literature.ts';
import type { Recorded } from './helpers/fake-server.ts';
import { type FakeServer, json, replies, startFake, text, xml } from './helpers/fake-server.ts';
import {
  BOT_TOKEN,
  type FakeSlack,
  SIGNING_SECRET,
  slackHeaders,
  slashCommandBody,
  startFakeSlack,
} from './helpers/slack.ts';
import { tempDir } from './helpers/store-fixture.ts';
import {
  CHANNEL_CONVERSATION,
  type FakeConnector,
  LocalCredentialsFactory,
  type LocalIdentity,
  messageActivity,
  startFakeConnector,
  startLocalIdentity,
} from './helpers/teams.ts';

const APP_ID = '00000000-0000-0000-0000-0000000000dd';

const clock = settableClock('2026-11-30T09:00:00.000Z');
const pubmed = new StandInSource('pubmed');
const trials = new StandInSource('clinicaltrials');
let slack: FakeSlack;
let connector: FakeConnector;
let identity: LocalIdentity;
let literature: FakeServer;
let folder: ReturnType<typeof tempDir>;
let bot: RunningBot;
let store: Store;

beforeAll(async () => {
  [slack, connector, literature, identity] = await Promise.all([
    startFakeSlack(),
    startFakeConnector(),
    startFake(),
    startLocalIdentity(),
  ]);
  folder = tempDir();
  const config = loadConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    PLAYGROUND: 'off',
    DATABASE_PATH: join(folder.dir, 'her2bot.db'),
    // Teams authenticated: only an authenticated Teams endpoint stores references and subscriptions.
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'secret',
  });
  bot = await startBot(config, {
    logger: silentLogger,
    teams: { credentialsFactory: new LocalCredentialsFactory(APP_ID), authSettings: identity.authSettings },
    slackRetries: 0,
    digestSources: [pubmed, trials],
    now: clock.now,
  });
  store = bot.store!;
});

afterAll(async () => {
  await bot?.close();
  await Promise.all([slack?.close(), connector?.close(), literature?.close(), identity?.server.close()]);
  folder?.remove();
});

beforeEach(async () => {
  clock.set('2026-11-30T09:00:00.000Z');
  slack.requests.length = 0;
  connector.requests.length = 0;
  literature.reset();
  pubmed.failing = undefined;
  pubmed.delegate = undefined;
  pubmed.items = [
    paper(99100001, '2026-11-24', 'PIK3CA mutation and T-DM1 resistance'),
    paper(99100002, '2026-11-25', 'PTEN loss under trastuzumab'),
    paper(99100003, '2026-11-26', 'PI3K/AKT/mTOR signalling after pertuzumab'),
    paper(99100004, '2026-11-27', 'PIK3CA H1047R and lapatinib'),
    paper(99100005, '2026-11-28', 'Alpelisib with trastuzumab after PIK3CA mutation'),
    paper(99100006, '2026-11-29', 'PI3K pathway activation in residual disease'),
    paper(99100011, '2026-11-26', 'p95HER2 expression'),
    paper(99100012, '2026-11-28', 'Truncated p95HER2 and trastuzumab benefit'),
    paper(99100021, '2026-11-29', 'Neratinib after trastuzumab'),
  ];
  trials.failing = undefined;
  trials.items = [trial('NCT09910001', '2026-11-27', 'Tucatinib After T-DM1 in HER2-positive Breast Cancer')];
});

const FIRST_ITEMS = 10;
const slot = (day: string) => new Date(`${day}T07:00:00.000Z`); // 08:00 in Berlin, in winter

let responses = 0;
/** `/her2 <text>` in a Slack channel; returns what the bot sent to response_url. */
async function slash(text: string, channel: string) {
  const path = `/response/${++responses}`;
  const body = slashCommandBody(text, `${slack.url}${path}`, { channel_id: channel });
  const res = await fetch(`${bot.url}/slack/events`, {
    method: 'POST',
    body,
    headers: slackHeaders(body, { contentType: 'application/x-www-form-urlencoded' }),
  });
  expect(res.status).toBe(200);
  const reply = await slack.waitFor((r) => r.path === path);
  return { type: reply.body.response_type, text: JSON.stringify(reply.body) };
}

/** `@HER2 Bot <text>` in a Teams channel thread; returns what the bot sent to the connector. */
async function mention(text: string, conversationId: string) {
  const before = connector.sent().length;
  const res = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    body: JSON.stringify(messageActivity(connector.serviceUrl, text, { conversationId })),
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${identity.token({ aud: APP_ID, serviceurl: connector.serviceUrl })}`,
    },
  });
  expect(res.status).toBe(200);
  return JSON.stringify(
    connector
      .sent()
      .slice(before)
      .map((r) => r.body),
  );
}

const posts = (channel: string) => slack.calls('chat.postMessage').filter((r) => r.body.channel === channel);
const parents = (channel: string) => posts(channel).filter((r) => r.body.thread_ts === undefined);
const threadReplies = (channel: string) => posts(channel).filter((r) => r.body.thread_ts !== undefined);
const postedKeys = async (channelKey: string, keys: string[]) => {
  const unposted = new Set(await store.postedItems.filterUnposted(channelKey, keys));
  return keys.filter((k) => !unposted.has(k));
};
const titlesIn = (r: Recorded | string) => {
  const body = typeof r === 'string' ? r : JSON.stringify(r.body);
  return [...pubmed.items, ...trials.items].filter((i) => body.includes(i.title)).map((i) => i.id);
};

describe('digest commands in Slack (/her2 digest …, answered through response_url)', () => {
  const key = 'slack:T1:C10';

  it('subscribes with a time, a zone and a topic, and stores the subscription', async () => {
    const reply = await slash('digest subscribe 08:00 Europe/Berlin pi3k', 'C10');
    expect(reply.type).toBe('in_channel');
    expect(reply.text).toContain('Digest subscribed');
    expect(reply.text).toContain('daily at 08:00 (Europe/Berlin)');
    expect(reply.text).toContain('Topics: PI3K pathway activation');
    expect(await store.subscriptions.get(key)).toMatchObject({
      channelKey: key,
      time: '08:00',
      timeZone: 'Europe/Berlin',
      topics: ['mech-pi3k-pathway-activation'],
      status: 'active',
      createdBy: 'U1',
      postNothingNew: false,
    });
  });

  it('shows the status with the next run in UTC, privately', async () => {
    const reply = await slash('digest status', 'C10');
    expect(reply.type).toBe('ephemeral');
    expect(reply.text).toContain('Digest active');
    expect(reply.text).toContain('Next digest: 2026-12-01 07:00 UTC');
    expect(reply.text).toContain('No digest posted yet.');
  });

  it('previews only to the asker, with the topic’s items, and posts and records nothing', async () => {
    const reply = await slash('digest preview', 'C10');
    expect(reply.type).toBe('ephemeral');
    expect(reply.text).toContain('Digest preview (only you see this; nothing is posted)');
    // The six PI3K papers (four shown, two counted), nothing off the subscribed topic.
    expect(titlesIn(reply.text)).toHaveLength(4);
    expect(reply.text).toContain('…and 2 more in this group');
    expect(reply.text).not.toContain('p95HER2 expression');
    expect(reply.text).not.toContain('Neratinib after trastuzumab');
    expect(pubmed.windows.at(-1)).toEqual({ since: '2026-11-23', until: '2026-11-30' });
    expect(slack.calls('chat.postMessage')).toEqual([]);
    expect(await postedKeys(key, ['pubmed:99100001'])).toEqual([]);
    expect(await store.runs.lastSuccessfulRun(key)).toBeUndefined();
  });

  it('refuses a time that does not exist and a topic it cannot match, leaving the subscription as it was', async () => {
    expect((await slash('digest subscribe 25:00', 'C10')).text).toContain('Not subscribed');
    const unknown = await slash('digest subscribe zzqxv', 'C10');
    expect(unknown.text).toContain('I could not match “zzqxv” to a mechanism or agent.');
    expect((await store.subscriptions.get(key))?.time).toBe('08:00');
  });

  it('unsubscribes, and the status then says there is no digest', async () => {
    const reply = await slash('digest unsubscribe', 'C10');
    expect(reply.text).toContain('Digest stopped');
    expect((await store.subscriptions.get(key))?.status).toBe('unsubscribed');
    expect(bot.scheduler!.nextRun(key)).toBeUndefined();
    expect((await slash('digest status', 'C10')).text).toContain('No digest here');
    expect(await bot.scheduler!.deliver(key, slot('2026-12-01'))).toEqual({
      status: 'skipped',
      reason: 'not subscribed',
    });
  });
});

describe('digest commands in Teams (@HER2 Bot digest …)', () => {
  const conversation = '19:commands@thread.tacv2;messageid=1700000000001';
  const key = 'teams:t:tenant-1:19:commands@thread.tacv2';

  it('subscribes from a channel thread for the whole channel, and keeps the conversation reference', async () => {
    const reply = await mention('digest subscribe 07:30 America/New_York always', conversation);
    expect(reply).toContain('Digest subscribed');
    expect(reply).toContain('daily at 07:30 (America/New_York)');
    expect(reply).toContain('On days with nothing new, a short line says so.');
    expect(await store.subscriptions.get(key)).toMatchObject({
      time: '07:30',
      timeZone: 'America/New_York',
      topics: [],
      postNothingNew: true,
      createdBy: '29:user-1',
    });
    expect((await store.conversations.get(key))?.reference.serviceUrl).toBe(connector.serviceUrl);
  });

  it('shows the status and a preview', async () => {
    const status = await mention('digest status', conversation);
    expect(status).toContain('Digest active');
    expect(status).toContain('Next digest: 2026-11-30 12:30 UTC');
    const preview = await mention('digest preview', conversation);
    expect(preview).toContain('Digest preview (only you see this; nothing is posted)');
    // Four of the six PI3K papers (the best-scored), p95HER2, the neratinib paper and the trial.
    expect(titlesIn(preview)).toEqual(expect.arrayContaining(['99100011', '99100021', 'NCT09910001']));
    expect(titlesIn(preview)).toHaveLength(8);
    expect(await postedKeys(key, ['pubmed:99100001'])).toEqual([]);
  });

  it('unsubscribes', async () => {
    expect(await mention('digest unsubscribe', conversation)).toContain('Digest stopped');
    expect((await store.subscriptions.get(key))?.status).toBe('unsubscribed');
    expect(await mention('digest status', conversation)).toContain('No digest here');
  });
});

describe('scheduled delivery', () => {
  it('posts to Slack as a parent with the full list in its thread, records the items, and the next day posts only new ones', async () => {
    const key = 'slack:T1:C20';
    await slash('digest subscribe 08:00 Europe/Berlin', 'C20');
    clock.set('2026-11-30T07:00:05.000Z');

    const first = await bot.scheduler!.deliver(key, slot('2026-11-30'));
    expect(first).toMatchObject({ status: 'posted', items: FIRST_ITEMS });
    expect(parents('C20')).toHaveLength(1);
    const parent = parents('C20')[0]!;
    expect(parent.body.text).toMatch(/^HER2 resistance literature 2026-11-23 to 2026-11-30: 10 new item\(s\)/);
    expect(JSON.stringify(parent.body)).toContain('…and 2 more in this group');
    expect(threadReplies('C20')).toHaveLength(1);
    expect(threadReplies('C20')[0]!.body.thread_ts).toBe('1700000000.000100');
    expect(titlesIn(threadReplies('C20')[0]!)).toHaveLength(FIRST_ITEMS);

    const run = (await store.runs.get((first as { runId: number }).runId))!;
    expect(run).toMatchObject({
      status: 'posted',
      messageId: '1700000000.000100',
      scheduledFor: '2026-11-30T07:00:00.000Z',
    });
    expect(run.window).toEqual({ since: '2026-11-23T00:00:00.000Z', until: '2026-11-30T00:00:00.000Z' });
    expect((await store.postedItems.listForRun(run.id)).map((p) => p.itemKey)).toHaveLength(FIRST_ITEMS);

    // The same slot again (a second timer, a retry): nothing.
    expect(await bot.scheduler!.deliver(key, slot('2026-11-30'))).toMatchObject({ status: 'skipped' });

    // Next day: the window overlaps yesterday's, and only the two new papers are posted.
    pubmed.items.push(
      paper(99100031, '2026-11-30', 'PTEN loss and everolimus'),
      paper(99100032, '2026-12-01', 'p95HER2 by immunohistochemistry'),
    );
    clock.set('2026-12-01T07:00:03.000Z');
    slack.requests.length = 0;
    expect(await bot.scheduler!.deliver(key, slot('2026-12-01'))).toMatchObject({ status: 'posted', items: 2 });
    expect(pubmed.windows.at(-1)).toEqual({ since: '2026-11-29', until: '2026-12-01' });
    expect(parents('C20')).toHaveLength(1);
    expect(titlesIn(parents('C20')[0]!).sort()).toEqual(['99100031', '99100032']);
    expect(threadReplies('C20')).toEqual([]);

    // A third day with nothing new posts nothing (the subscription did not ask for "always").
    clock.set('2026-12-02T07:00:03.000Z');
    slack.requests.length = 0;
    expect(await bot.scheduler!.deliver(key, slot('2026-12-02'))).toMatchObject({ status: 'empty' });
    expect(posts('C20')).toEqual([]);
  });

  it('posts to Teams proactively at the channel’s root from the stored reference, once per item', async () => {
    const conversation = '19:delivery@thread.tacv2;messageid=1700000000002';
    const key = 'teams:t:tenant-1:19:delivery@thread.tacv2';
    await mention('digest subscribe 08:00 Europe/Berlin', conversation);
    connector.requests.length = 0;
    clock.set('2026-11-30T07:00:05.000Z');

    expect(await bot.scheduler!.deliver(key, slot('2026-11-30'))).toMatchObject({
      status: 'posted',
      items: FIRST_ITEMS,
    });
    // Teams has no thread: what the first card cannot show follows in a second card.
    const [post, more] = connector.sent();
    expect(connector.sent()).toHaveLength(2);
    expect(post!.method).toBe('POST');
    expect(JSON.stringify(post!.body)).toContain('more item(s) are listed in the next message(s)');
    expect(JSON.stringify(more!.body)).toContain('More of this digest');
    const shown = new Set([...titlesIn(post!), ...titlesIn(more!)]);
    expect(shown.size).toBe(FIRST_ITEMS);
    const pmids = [...shown].filter((id) => !id.startsWith('NCT'));
    expect(
      await postedKeys(
        key,
        pmids.map((id) => `pubmed:${id}`),
      ),
    ).toHaveLength(pmids.length);
    // At the root of the channel, not as a reply in the thread the subscribe command was typed in.
    // (botbuilder still names its own continuation activity as replyToId; the thread is in the id.)
    expect(decodeURIComponent(post!.path)).toMatch(
      /^\/amer\/v3\/conversations\/19:delivery@thread\.tacv2\/activities\b/,
    );
    expect(post!.body.conversation).toMatchObject({ id: '19:delivery@thread.tacv2' });
    const attachment = (post!.body.attachments as { contentType: string }[])[0]!;
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(post!.body.summary).toMatch(/^HER2 resistance literature 2026-11-23 to 2026-11-30: 10 new item\(s\)/);
    expect((await store.runs.lastSuccessfulRun(key))?.status).toBe('posted');
    expect((await store.runs.lastSuccessfulRun(key))?.messageId).toMatch(/^reply-\d+$/); // the connector's activity id

    pubmed.items.push(paper(99100041, '2026-12-01', 'Cyclin E amplification'));
    clock.set('2026-12-01T07:00:05.000Z');
    connector.requests.length = 0;
    expect(await bot.scheduler!.deliver(key, slot('2026-12-01'))).toMatchObject({ status: 'posted', items: 1 });
    expect(titlesIn(connector.sent()[0]!)).toEqual(['99100041']);
  });

  it('re-posts at most the one digest whose record was lost between post and record, and loses nothing', async () => {
    const key = 'slack:T1:C30';
    await slash('digest subscribe 08:00 Europe/Berlin', 'C30');
    clock.set('2026-11-30T07:00:05.000Z');
    // Every attempt to record fails (as if the process had died after the post).
    const completeRun = vi.spyOn(store.runs, 'completeRun').mockImplementation(() => {
      throw new Error('SQLITE_IOERR: disk I/O error');
    });
    try {
      const crashed = await bot.scheduler!.deliver(key, slot('2026-11-30'));
      expect(crashed).toMatchObject({ status: 'failed', dormant: false, retry: 'record' });
    } finally {
      completeRun.mockRestore();
    }
    expect(parents('C30')).toHaveLength(1); // it did reach the channel…
    expect(await postedKeys(key, ['pubmed:99100001'])).toEqual([]); // …but was not recorded

    pubmed.items.push(paper(99100051, '2026-12-01', 'IGF-1R signalling'));
    clock.set('2026-12-01T07:00:05.000Z');
    slack.requests.length = 0;
    expect(await bot.scheduler!.deliver(key, slot('2026-12-01'))).toMatchObject({
      status: 'posted',
      items: FIRST_ITEMS + 1,
    });
    expect(titlesIn(threadReplies('C30')[0]!)).toHaveLength(FIRST_ITEMS + 1);

    clock.set('2026-12-02T07:00:05.000Z');
    slack.requests.length = 0;
    expect(await bot.scheduler!.deliver(key, slot('2026-12-02'))).toMatchObject({ status: 'empty' });
    expect(posts('C30')).toEqual([]);
  });
});

describe('a literature source that fails, then recovers', () => {
  it('says PubMed is missing in the first digest, and brings its records from that window the next day', async () => {
    const key = 'slack:T1:C40';
    // The real PubMed source against the loopback E-utilities stand-in, with instant backoff.
    pubmed.delegate = createPubMedSource({
      baseUrl: `${literature.url}/`,
      term: 'HER2[tiab]',
      tool: 'her2-bot',
      timeoutMs: 2000,
      limiter: new RateLimiter({ requestsPerSecond: 3, clock: fakeClock() }),
      ...instantRetries(),
    });
    literature.route(
      '/esearch.fcgi',
      replies(
        text('Too Many Requests', 429),
        text('Internal Server Error', 500),
        text('Bad Gateway', 502),
        text('Service Unavailable', 503),
      ),
    );
    await slash('digest subscribe 08:00 Europe/Berlin', 'C40');
    clock.set('2026-11-30T07:00:05.000Z');

    expect(await bot.scheduler!.deliver(key, slot('2026-11-30'))).toMatchObject({ status: 'posted', items: 1 });
    const first = JSON.stringify(parents('C40')[0]!.body);
    expect(first).toContain('PubMed (unreachable) · ClinicalTrials.gov (1)');
    expect(first).toContain('Incomplete: PubMed could not be reached');
    expect(titlesIn(first)).toEqual(['NCT09910001']);
    expect(literature.requests.filter((r) => r.path === '/esearch.fcgi')).toHaveLength(4);
    const failedRun = (await store.runs.lastSuccessfulRun(key))!;
    expect(failedRun.sources).toMatchObject({
      pubmed: { status: 'failed', count: 0 },
      clinicaltrials: { status: 'ok' },
    });
    expect(JSON.stringify(failedRun.sources)).toContain('HTTP 503');

    // The next day PubMed answers; the window reaches back to where the failed one started.
    literature.reset();
    literature.route('/esearch.fcgi', () => json(digestFixture('pubmed/esearch-history.json')));
    literature.route('/efetch.fcgi', () => xml(efetchAllOfHistory()));
    clock.set('2026-12-01T07:00:05.000Z');
    slack.requests.length = 0;
    const second = await bot.scheduler!.deliver(key, slot('2026-12-01'));
    expect(second).toMatchObject({ status: 'posted' });
    const term = literature.requests.find((r) => r.path === '/esearch.fcgi')!.form.get('term');
    expect(term).toBe('(HER2[tiab]) AND ("2026/11/22"[crdt] : "2026/12/01"[crdt])');
    const body = JSON.stringify(parents('C40')[0]!.body);
    expect(body).not.toContain('Incomplete');
    expect(body).toContain('https://pubmed.ncbi.nlm.nih.gov/99000001/');
    expect(body).toContain('RETRACTION of PMID 98000010');
    expect(body).not.toContain('Tucatinib After T-DM1'); // the trial was posted yesterday
  });
});

describe('a channel the bot was removed from', () => {
  it.each(['channel_not_found', 'not_in_channel'])(
    'turns the Slack subscription dormant on %s, says so in the status, and posts there no more',
    async (error) => {
      const channel = error === 'channel_not_found' ? 'C50' : 'C51';
      const key = `slack:T1:${channel}`;
      await slash('digest subscribe 08:00 Europe/Berlin', channel);
      slack.failNext('chat.postMessage', { body: { ok: false, error } });
      clock.set('2026-11-30T07:00:05.000Z');

      expect(await bot.scheduler!.deliver(key, slot('2026-11-30'))).toMatchObject({
        status: 'failed',
        error,
        dormant: true,
        retry: 'none',
      });
      expect(await store.subscriptions.get(key)).toMatchObject({
        status: 'dormant',
        dormant: { reason: error, since: '2026-11-30T07:00:05.000Z' },
      });
      expect(bot.scheduler!.nextRun(key)).toBeUndefined();
      const status = await slash('digest status', channel);
      expect(status.text).toContain('Digest paused');
      expect(status.text).toContain(`Paused since 2026-11-30: ${error}.`);

      slack.requests.length = 0;
      clock.set('2026-12-01T07:00:05.000Z');
      expect(await bot.scheduler!.deliver(key, slot('2026-12-01'))).toEqual({
        status: 'skipped',
        reason: 'not subscribed',
      });
      expect(slack.calls('chat.postMessage')).toEqual([]);
    },
  );

  it('turns the Teams subscription dormant on 403 and posts there no more', async () => {
    const conversation = '19:removed@thread.tacv2;messageid=1700000000003';
    const key = 'teams:t:tenant-1:19:removed@thread.tacv2';
    await mention('digest subscribe 08:00 Europe/Berlin', conversation);
    connector.failNext({ status: 403, body: { error: { code: 'BotNotInConversationRoster', message: 'removed' } } });
    clock.set('2026-11-30T07:00:05.000Z');
    connector.requests.length = 0;

    expect(await bot.scheduler!.deliver(key, slot('2026-11-30'))).toMatchObject({ status: 'failed', dormant: true });
    expect((await store.subscriptions.get(key))?.status).toBe('dormant');
    expect(connector.sent()).toHaveLength(1); // one attempt, no retry of a 403
    expect(await mention('digest status', conversation)).toContain('Digest paused');

    connector.requests.length = 0;
    expect(await bot.scheduler!.deliver(key, slot('2026-12-01'))).toMatchObject({ status: 'skipped' });
    expect(connector.sent()).toEqual([]);
  });
});

describe('the subscription thread of the default Teams fixture', () => {
  it('keeps one subscription per channel whichever thread it is typed in', async () => {
    await mention('digest subscribe', CHANNEL_CONVERSATION);
    await mention('digest subscribe 09:15', `${CHANNEL_CONVERSATION.split(';')[0]};messageid=1700000000999`);
    expect(await store.subscriptions.get('teams:t:tenant-1:19:abcdef0123456789@thread.tacv2')).toMatchObject({
      time: '09:15',
      timeZone: 'UTC',
    });
  });
});
