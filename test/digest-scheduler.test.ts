/**
 * The digest schedule: slots in the subscriber's zone across daylight-saving changes, one post per slot
 * however many bot processes share the database, catch-up of a slot missed while the bot was down,
 * and a crash between posting and recording.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { Core } from '../src/core.ts';
import { DigestPosters } from '../src/digest/posting.ts';
import { DigestScheduler } from '../src/digest/scheduler.ts';
import { DigestService } from '../src/digest/service.ts';
import { silentLogger } from '../src/logger.ts';
import { type RunningBot, startBot } from '../src/main.ts';
import { openStore, type Store } from '../src/store/store.ts';
import { paper, RecordingPoster, StandInSource, settableClock } from './helpers/digest-literature.ts';
import { BOT_TOKEN, type FakeSlack, SIGNING_SECRET, startFakeSlack } from './helpers/slack.ts';
import { tempDir } from './helpers/store-fixture.ts';

const SLACK = 'slack:T1:C1';
const digestConfig = loadConfig({}).digest;
let core: Core;
let folder: ReturnType<typeof tempDir>;
let dbPath: string;
let stores: Store[];
let schedulers: DigestScheduler[];
let pubmed: StandInSource;

beforeAll(async () => {
  core = await Core.open({ logger: silentLogger });
});

beforeEach(async () => {
  folder = tempDir();
  dbPath = join(folder.dir, 'her2bot.db');
  stores = [];
  schedulers = [];
  pubmed = new StandInSource('pubmed', [
    paper(99100001, '2026-11-27', 'PIK3CA mutation'),
    paper(99100002, '2026-11-28', 'p95HER2 expression'),
    paper(99100003, '2026-11-29', 'Neratinib after trastuzumab'),
  ]);
});

afterEach(async () => {
  vi.useRealTimers();
  for (const s of schedulers) s.stop();
  for (const s of stores) await s.close();
  folder.remove();
});

/** One bot process's digest machinery on the shared database file: its own connection, its own scheduler. */
async function process_(
  options: { now?: () => Date; poster?: RecordingPoster; instanceId?: string; sources?: StandInSource[] } = {},
) {
  const store = await openStore(dbPath, {
    ...(options.now ? { now: options.now } : {}),
    instanceId: options.instanceId,
  });
  const poster = options.poster ?? new RecordingPoster();
  const service = new DigestService(core, digestConfig, { sources: options.sources ?? [pubmed] });
  const scheduler = new DigestScheduler({
    store,
    service,
    posters: new DigestPosters().register(poster),
    ...(options.now ? { now: options.now } : {}),
  });
  stores.push(store);
  schedulers.push(scheduler);
  return { store, scheduler, poster };
}

async function subscribe(store: Store, time = '08:00', timeZone = 'Europe/Berlin', channelKey = SLACK) {
  await store.subscriptions.subscribe({ channelKey, time, timeZone, userId: 'U1' });
}

describe('daylight-saving time', () => {
  it('runs 08:00 Europe/Berlin at 07:00Z before the March change and 06:00Z after it', async () => {
    const clock = settableClock('2026-03-27T12:00:00.000Z');
    const { store, scheduler } = await process_({ now: clock.now });
    await subscribe(store, '08:00', 'Europe/Berlin');
    await scheduler.refresh(SLACK);

    expect(scheduler.nextRun(SLACK)?.toISOString()).toBe('2026-03-28T07:00:00.000Z');
    clock.set('2026-03-28T07:00:00.000Z');
    expect(scheduler.nextRun(SLACK)?.toISOString()).toBe('2026-03-29T06:00:00.000Z'); // the change is that night
    clock.set('2026-03-29T06:00:00.000Z');
    expect(scheduler.nextRun(SLACK)?.toISOString()).toBe('2026-03-30T06:00:00.000Z');
  });

  it('runs 08:00 Europe/Berlin at 06:00Z before the October change and 07:00Z after it', async () => {
    const clock = settableClock('2026-10-24T06:00:00.000Z');
    const { store, scheduler } = await process_({ now: clock.now });
    await subscribe(store, '08:00', 'Europe/Berlin');
    await scheduler.refresh(SLACK);
    expect(scheduler.nextRun(SLACK)?.toISOString()).toBe('2026-10-25T07:00:00.000Z');
  });

  it('runs 08:00 America/New_York at 12:00Z before the November change and 13:00Z after it', async () => {
    const clock = settableClock('2026-10-30T12:00:00.000Z');
    const { store, scheduler } = await process_({ now: clock.now });
    await subscribe(store, '08:00', 'America/New_York');
    await scheduler.refresh(SLACK);

    expect(scheduler.nextRun(SLACK)?.toISOString()).toBe('2026-10-31T12:00:00.000Z');
    clock.set('2026-10-31T12:00:00.000Z');
    expect(scheduler.nextRun(SLACK)?.toISOString()).toBe('2026-11-01T13:00:00.000Z');
  });

  it('runs a time that does not exist on the spring-forward day (02:30 New York) once, when the gap ends', async () => {
    const clock = settableClock('2026-03-07T12:00:00.000Z');
    const { store, scheduler } = await process_({ now: clock.now });
    await subscribe(store, '02:30', 'America/New_York');
    await scheduler.refresh(SLACK);
    expect(scheduler.nextRun(SLACK)?.toISOString()).toBe('2026-03-08T07:00:00.000Z'); // 03:00 EDT
    clock.set('2026-03-08T07:00:00.000Z');
    expect(scheduler.nextRun(SLACK)?.toISOString()).toBe('2026-03-09T06:30:00.000Z');
  });

  it('gives a digest after the change the subscriber’s local date as its window end', async () => {
    const clock = settableClock('2026-11-01T13:00:04.000Z');
    const { store, scheduler, poster } = await process_({ now: clock.now });
    await subscribe(store, '08:00', 'America/New_York');
    pubmed.items.push(paper(99100011, '2026-10-30', 'HER3 ligand signalling'));
    expect(await scheduler.deliver(SLACK, new Date('2026-11-01T13:00:00.000Z'))).toMatchObject({ status: 'posted' });
    expect(poster.posts[0]!.digest.window).toEqual({ since: '2026-10-25', until: '2026-11-01' });
  });
});

describe('two bot processes on one database', () => {
  it('posts a slot once when two schedulers deliver it at the same moment', async () => {
    const clock = settableClock('2026-11-30T07:00:02.000Z');
    const poster = new RecordingPoster();
    const a = await process_({ now: clock.now, poster, instanceId: 'host-a#1' });
    const b = await process_({ now: clock.now, poster, instanceId: 'host-b#2' });
    await subscribe(a.store);

    const slot = new Date('2026-11-30T07:00:00.000Z');
    const outcomes = await Promise.all([a.scheduler.deliver(SLACK, slot), b.scheduler.deliver(SLACK, slot)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['posted', 'skipped']);
    expect(poster.posts).toHaveLength(1);
    const run = (await a.store.runs.lastSuccessfulRun(SLACK))!;
    expect(await b.store.runs.get(run.id)).toMatchObject({ status: 'posted', attempt: 1 });
  });

  it('posts a slot once when one process’s timer fires late (a busy event loop, a GC pause)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2026-11-30T06:59:50.000Z'));
    const now = () => new Date();
    const poster = new RecordingPoster();
    const a = await process_({ now, poster, instanceId: 'host-a#1' });
    const b = await process_({ now, poster, instanceId: 'host-b#2' });
    await subscribe(a.store);
    await a.scheduler.refresh(SLACK);
    // The system clock moves on by 1.2 s before process b schedules, so a's timer fires 1.2 s late,
    // while b is still waiting for the platform to accept its post (2 s).
    vi.setSystemTime(Date.now() + 1200);
    await b.scheduler.refresh(SLACK);
    poster.reply = async (_key, digest) => {
      await new Promise((resolve) => setTimeout(resolve, 2000));
      return { ok: true, messageId: `m${poster.posts.length}`, shownItems: digest.items.map((d) => d.key) };
    };

    await vi.advanceTimersByTimeAsync(15_000);

    expect(poster.posts).toHaveLength(1);
    const run = (await a.store.runs.lastSuccessfulRun(SLACK))!;
    expect(run.scheduledFor).toBe('2026-11-30T07:00:00.000Z');
    expect(run.claimedBy).toBe('host-b#2');
  });
});

describe('nothing twice', () => {
  it('does not post a paper again when another source brings it the next day under its PMID', async () => {
    const clock = settableClock('2026-11-29T07:00:03.000Z');
    const europePmc = new StandInSource('europepmc', [
      {
        ...paper(0, '2026-11-29', 'MUC4 masking of the trastuzumab epitope'),
        source: 'europepmc',
        id: 'PMC:PMC9910001',
        pmid: undefined,
        doi: '10.5555/FIXTURE.2026.0001',
        url: 'https://europepmc.org/article/PMC/PMC9910001',
      },
    ]);
    pubmed.items = [];
    const { store, scheduler, poster } = await process_({ now: clock.now, sources: [pubmed, europePmc] });
    await subscribe(store);
    expect(await scheduler.deliver(SLACK, new Date('2026-11-29T07:00:00.000Z'))).toMatchObject({ items: 1 });

    // PubMed indexes it the next day; Europe PMC has meanwhile moved on.
    europePmc.items = [];
    pubmed.items = [
      paper(99100061, '2026-11-30', 'MUC4 masking of the trastuzumab epitope', { doi: '10.5555/fixture.2026.0001' }),
    ];
    clock.set('2026-11-30T07:00:03.000Z');
    expect(await scheduler.deliver(SLACK, new Date('2026-11-30T07:00:00.000Z'))).toMatchObject({ status: 'empty' });
    expect(poster.posts).toHaveLength(1);
  });

  it('counts the same paper from PubMed and Europe PMC on one day once', async () => {
    const clock = settableClock('2026-11-30T07:00:03.000Z');
    const europePmc = new StandInSource('europepmc', [
      { ...paper(99100001, '2026-11-27', 'PIK3CA mutation'), source: 'europepmc', id: 'MED:99100001' },
    ]);
    const { store, scheduler, poster } = await process_({ now: clock.now, sources: [pubmed, europePmc] });
    await subscribe(store);
    expect(await scheduler.deliver(SLACK, new Date('2026-11-30T07:00:00.000Z'))).toMatchObject({ items: 3 });
    expect(poster.posts[0]!.digest.sources).toEqual([
      { name: 'pubmed', status: 'ok', count: 3 },
      { name: 'europepmc', status: 'ok', count: 1 },
    ]);
  });
});

describe('a channel of a surface this server does not run', () => {
  it('is skipped, not claimed: another server that runs that surface posts it', async () => {
    const { store, scheduler, poster } = await process_({ poster: new RecordingPoster('slack:') });
    const teams = 'teams:19:elsewhere@thread.tacv2';
    await subscribe(store, '08:00', 'UTC', teams);
    const slot = new Date('2026-11-29T08:00:00.000Z');
    expect(await scheduler.deliver(teams, slot)).toEqual({
      status: 'skipped',
      reason: 'its surface is not configured',
    });
    expect(await store.runs.find(teams, slot)).toBeUndefined();
    expect(poster.posts).toEqual([]);
  });
});

describe('catch-up when the scheduler starts', () => {
  it('delivers a slot missed by less than a day', async () => {
    const clock = settableClock('2026-11-20T10:00:00.000Z');
    const { store, scheduler, poster } = await process_({ now: clock.now });
    await subscribe(store);
    clock.set('2026-11-30T09:30:00.000Z'); // the bot was down at 08:00 Berlin (07:00Z)

    const caught = await scheduler.start();
    expect(caught).toEqual([expect.objectContaining({ status: 'posted', items: 3 })]);
    expect(poster.posts).toHaveLength(1);
    expect((await store.runs.lastSuccessfulRun(SLACK))?.scheduledFor).toBe('2026-11-30T07:00:00.000Z');
  });

  it('after days down, delivers only the last slot, with a window that covers the days missed', async () => {
    const clock = settableClock('2026-11-26T07:00:03.000Z');
    const { store, scheduler, poster } = await process_({ now: clock.now });
    await subscribe(store);
    await scheduler.deliver(SLACK, new Date('2026-11-26T07:00:00.000Z'));
    expect(poster.posts).toHaveLength(0); // nothing in that window yet: an empty run, no post

    clock.set('2026-11-30T07:20:00.000Z');
    const caught = await scheduler.start();
    expect(caught).toHaveLength(1);
    expect(poster.posts).toHaveLength(1);
    expect(poster.posts[0]!.digest.window).toEqual({ since: '2026-11-25', until: '2026-11-30' });
    expect(poster.posts[0]!.digest.items).toHaveLength(3);
  });

  it('does not deliver a slot missed by more than a day (the 25-hour day of the October change)', async () => {
    const clock = settableClock('2026-10-20T10:00:00.000Z');
    const { store, scheduler, poster } = await process_({ now: clock.now });
    await subscribe(store);
    // 07:30 in Berlin on 25 October: the last 08:00 slot was 24.5 hours ago.
    clock.set('2026-10-25T06:30:00.000Z');
    expect(await scheduler.start()).toEqual([]);
    expect(poster.posts).toEqual([]);
    expect(scheduler.nextRun(SLACK)?.toISOString()).toBe('2026-10-25T07:00:00.000Z');
  });

  it('does not deliver again a slot that was already delivered', async () => {
    const clock = settableClock('2026-11-29T10:00:00.000Z');
    const { store, scheduler, poster } = await process_({ now: clock.now });
    await subscribe(store);
    clock.set('2026-11-30T07:00:03.000Z');
    await scheduler.deliver(SLACK, new Date('2026-11-30T07:00:00.000Z'));
    clock.set('2026-11-30T11:00:00.000Z');
    expect(await scheduler.start()).toEqual([expect.objectContaining({ status: 'skipped' })]);
    expect(poster.posts).toHaveLength(1);
  });

  it('does not deliver a slot from before the channel subscribed', async () => {
    const clock = settableClock('2026-11-30T09:00:00.000Z'); // subscribed at 10:00 Berlin, for 08:00
    const { store, scheduler, poster } = await process_({ now: clock.now });
    await subscribe(store);
    clock.set('2026-11-30T09:30:00.000Z'); // restarted half an hour later
    expect(await scheduler.start()).toEqual([]);
    expect(poster.posts).toEqual([]);
  });
});

describe('a crash between post and record, through the real bot', () => {
  let slack: FakeSlack;
  let bot: RunningBot | undefined;
  const clock = settableClock('2026-11-29T12:00:00.000Z');

  beforeAll(async () => {
    slack = await startFakeSlack();
  });
  afterAll(() => slack.close());
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
  });

  const start = () =>
    startBot(
      loadConfig({
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
        HOST: '127.0.0.1',
        PLAYGROUND: 'off',
        DATABASE_PATH: dbPath,
      }),
      { logger: silentLogger, slackRetries: 0, digestSources: [pubmed], now: clock.now },
    );
  const parents = () => slack.calls('chat.postMessage').filter((r) => r.body.thread_ts === undefined);

  it('re-posts that one digest once when the next process takes the slot over, then only new items', async () => {
    bot = await start();
    await subscribe(bot.store!, '08:00', 'Europe/Berlin', 'slack:T1:C1');

    // The process dies after Slack accepted the message and before anything was recorded (nothing it
    // tries to write gets through; the real kill -9 is in faults-crash.test.ts).
    clock.set('2026-11-30T07:00:02.000Z');
    vi.spyOn(bot.store!.runs, 'completeRun').mockImplementation(() => {
      throw new Error('killed');
    });
    vi.spyOn(bot.store!.runs, 'failRun').mockImplementation(() => {
      throw new Error('killed');
    });
    expect(await bot.scheduler!.deliver('slack:T1:C1', new Date('2026-11-30T07:00:00.000Z'))).toMatchObject({
      status: 'failed',
      retry: 'record',
    });
    expect(parents()).toHaveLength(1);
    await bot.close();

    // Restarted after the claim's 30-minute lease ran out: the missed slot is caught up.
    clock.set('2026-11-30T07:40:00.000Z');
    slack.requests.length = 0;
    bot = await start();
    await bot.caughtUp;
    expect(parents()).toHaveLength(1);
    const run = (await bot.store!.runs.lastSuccessfulRun('slack:T1:C1'))!;
    expect(run).toMatchObject({ scheduledFor: '2026-11-30T07:00:00.000Z', status: 'posted', attempt: 2 });
    expect(await bot.store!.postedItems.listForRun(run.id)).toHaveLength(3);

    // The next day: only what is new.
    pubmed.items.push(paper(99100004, '2026-12-01', 'Cyclin E amplification'));
    clock.set('2026-12-01T07:00:02.000Z');
    slack.requests.length = 0;
    expect(await bot.scheduler!.deliver('slack:T1:C1', new Date('2026-12-01T07:00:00.000Z'))).toMatchObject({
      status: 'posted',
      items: 1,
    });
    expect(JSON.stringify(parents()[0]!.body)).toContain('Cyclin E amplification');
  });
});
