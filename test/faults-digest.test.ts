/**
 * Fault injection for the digest (issue 14, findings 2, 3, 4, 6 and 9): a locked or full database at
 * claim, post and record; a bad stored time zone; a restart within the lease; the CLI and the server
 * on the same day; a thread reply that fails. Real SQLite files, real schedulers, a recording poster.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { Core } from '../src/core.ts';
import { DigestPosters } from '../src/digest/posting.ts';
import { DigestScheduler } from '../src/digest/scheduler.ts';
import { DigestService } from '../src/digest/service.ts';
import { silentLogger } from '../src/logger.ts';
import { faultCounts, guardProcess } from '../src/runtime/faults.ts';
import { openStore, type Store } from '../src/store/store.ts';
import { paper, RecordingPoster, StandInSource } from './helpers/digest-literature.ts';
import { captureLogger, tempDir } from './helpers/store-fixture.ts';

const SLACK = 'slack:T1:C1';
const OTHER = 'slack:T1:C2';
const digestConfig = loadConfig({}).digest;
const full = () => new Database.SqliteError('database or disk is full', 'SQLITE_FULL');

let core: Core;
let folder: ReturnType<typeof tempDir>;
let dbPath: string;
let cleanups: (() => void)[];

beforeAll(async () => {
  core = await Core.open({ logger: silentLogger });
});
beforeEach(async () => {
  folder = tempDir();
  dbPath = join(folder.dir, 'her2bot.db');
  cleanups = [];
});
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of cleanups.reverse()) await c();
  folder.remove();
});
afterAll(() => undefined);

/** One bot process's digest machinery: short lease and retry waits keep every test bounded. */
async function bot(options: { busyTimeoutMs?: number; leaseMs?: number; instanceId?: string } = {}) {
  const log = captureLogger();
  const store = await openStore(dbPath, {
    busyTimeoutMs: options.busyTimeoutMs ?? 5000,
    ...(options.instanceId ? { instanceId: options.instanceId } : {}),
  });
  const poster = new RecordingPoster();
  const pubmed = new StandInSource('pubmed', [
    paper(99100001, '2026-11-27', 'PIK3CA mutation'),
    paper(99100002, '2026-11-28', 'p95HER2 expression'),
    paper(99100003, '2026-11-29', 'Neratinib after trastuzumab'),
  ]);
  const scheduler = new DigestScheduler({
    store,
    service: new DigestService(core, digestConfig, { sources: [pubmed] }),
    posters: new DigestPosters().register(poster),
    logger: log.logger,
    leaseMs: options.leaseMs ?? 60_000,
    retryDelaysMs: [30, 60, 120, 240],
    recordRetryDelaysMs: [10, 20],
  });
  cleanups.push(async () => {
    scheduler.stop();
    await store.close();
  });
  return { store, scheduler, poster, pubmed, log };
}

async function subscribe(store: Store, channelKey = SLACK, timeZone = 'UTC') {
  await store.subscriptions.subscribe({ channelKey, time: '08:00', timeZone, userId: 'U1' });
}

const SLOT = new Date('2026-11-30T08:00:00.000Z');
const posted = (store: Store) => store.runs.find(SLACK, SLOT.toISOString());

describe('a database error at claim, post or record never ends the process and the digest is posted once', () => {
  it('SQLITE_BUSY at claim (another connection holds the write lock): retried after the lock is gone', async () => {
    const { store, scheduler, poster } = await bot({ busyTimeoutMs: 20 });
    await subscribe(store);
    const locker = new Database(dbPath);
    locker.exec('BEGIN IMMEDIATE');
    const first = await scheduler.deliver(SLACK, SLOT);
    expect(first).toMatchObject({ status: 'failed', code: 'SQLITE_BUSY', retry: 'deliver' });
    locker.exec('COMMIT');
    locker.close();
    await vi.waitFor(async () => expect((await posted(store))?.status).toBe('posted'), { timeout: 5000 });
    expect(poster.posts).toHaveLength(1);
    expect(faultCounts()['digest:SQLITE_BUSY']).toBeGreaterThanOrEqual(1);
  });

  it('SQLITE_FULL at claim: logged with its code, retried, posted once', async () => {
    const { store, scheduler, poster, log } = await bot();
    await subscribe(store);
    vi.spyOn(store.runs, 'claimRun').mockImplementationOnce(() => {
      throw full();
    });
    expect(await scheduler.deliver(SLACK, SLOT)).toMatchObject({ status: 'failed', code: 'SQLITE_FULL' });
    expect(log.lines).toContainEqual(
      expect.objectContaining({ code: 'SQLITE_FULL', msg: 'digest claim failed (SQLITE_FULL)' }),
    );
    await vi.waitFor(async () => expect((await posted(store))?.status).toBe('posted'), { timeout: 5000 });
    expect(poster.posts).toHaveLength(1);
  });

  it('SQLITE_FULL just before the post (lease renewal) and at recording the failure: retried after the lease', async () => {
    const { store, scheduler, poster } = await bot({ leaseMs: 300 });
    await subscribe(store);
    vi.spyOn(store.runs, 'renewClaim').mockImplementationOnce(() => {
      throw full();
    });
    vi.spyOn(store.runs, 'failRun').mockImplementationOnce(() => {
      throw full();
    });
    expect(await scheduler.deliver(SLACK, SLOT)).toMatchObject({ status: 'failed', code: 'SQLITE_FULL' });
    expect(poster.posts).toHaveLength(0);
    await vi.waitFor(async () => expect((await posted(store))?.status).toBe('posted'), { timeout: 5000 });
    expect(poster.posts).toHaveLength(1);
  });

  it('SQLITE_FULL at record, twice: recorded on the in-run retry, never posted again', async () => {
    const { store, scheduler, poster } = await bot();
    await subscribe(store);
    const complete = store.runs.completeRun.bind(store.runs);
    let calls = 0;
    vi.spyOn(store.runs, 'completeRun').mockImplementation((claim, outcome) => {
      calls += 1;
      if (calls <= 2) throw full();
      return complete(claim, outcome);
    });
    expect(await scheduler.deliver(SLACK, SLOT)).toMatchObject({ status: 'posted', items: 3 });
    expect(poster.posts).toHaveLength(1);
    expect(await store.postedItems.filterUnposted(SLACK, ['pubmed:99100001'])).toEqual([]);
  });

  it('SQLITE_FULL at record for longer: the scheduler records it later, still without a second post', async () => {
    const { store, scheduler, poster } = await bot();
    await subscribe(store);
    const complete = store.runs.completeRun.bind(store.runs);
    let disk = 'full';
    vi.spyOn(store.runs, 'completeRun').mockImplementation((claim, outcome) => {
      if (disk === 'full') throw full();
      return complete(claim, outcome);
    });
    expect(await scheduler.deliver(SLACK, SLOT)).toMatchObject({ status: 'failed', retry: 'record' });
    disk = 'freed';
    await vi.waitFor(async () => expect((await posted(store))?.status).toBe('posted'), { timeout: 5000 });
    expect(poster.posts).toHaveLength(1);
    // The next day's digest has nothing new: the three items were recorded by the retry.
    expect(await scheduler.deliver(SLACK, new Date('2026-12-01T08:00:00.000Z'))).toMatchObject({ status: 'empty' });
  });

  it('logs and counts an unhandled rejection instead of ending the process', async () => {
    const log = captureLogger();
    const release = guardProcess(log.logger);
    try {
      const before = faultCounts().unhandledRejection ?? 0;
      process.emit('unhandledRejection', new Database.SqliteError('locked', 'SQLITE_BUSY'), Promise.resolve());
      expect(faultCounts().unhandledRejection).toBe(before + 1);
      expect(log.lines).toContainEqual(expect.objectContaining({ code: 'SQLITE_BUSY' }));
    } finally {
      release();
    }
  });
});

describe('one bad subscription skips itself; the rest keep their schedule', () => {
  it('an invalid stored time zone is logged and skipped, the channel after it is scheduled', async () => {
    const { store, scheduler, log } = await bot();
    await subscribe(store, SLACK);
    await subscribe(store, OTHER);
    const raw = new Database(dbPath);
    raw.prepare('UPDATE subscriptions SET time_zone = ? WHERE channel_key = ?').run('Mars/Olympus_Mons', SLACK);
    await raw.close();
    await scheduler.start();
    expect(scheduler.nextRun(SLACK)).toBeUndefined();
    expect(scheduler.nextRun(OTHER)).toBeInstanceOf(Date);
    expect(log.lines).toContainEqual(
      expect.objectContaining({
        channelKey: SLACK,
        timeZone: 'Mars/Olympus_Mons',
        msg: expect.stringMatching(/cannot be scheduled/),
      }),
    );
  });
});

describe('one claim key per channel and day, whoever runs it', () => {
  it('the CLI (slotOfDay) and the server’s schedule claim the same slot: one post', async () => {
    const server = await bot({ instanceId: 'server#1' });
    const cli = await bot({ instanceId: 'cli#2' });
    await subscribe(server.store);
    const sub = (await server.store.subscriptions.get(SLACK))!;
    // At 07:00 the CLI delivers "now": that is today's 08:00 slot, which the server then finds done.
    expect(cli.scheduler.slotOfDay(sub, new Date('2026-11-30T07:00:00.000Z'))).toEqual(SLOT);
    expect(cli.scheduler.slotOfDay(sub, new Date('2026-11-30T09:30:00.000Z'))).toEqual(SLOT);
    expect(await cli.scheduler.delivery.deliver(SLACK, cli.scheduler.slotOfDay(sub, SLOT))).toMatchObject({
      status: 'posted',
    });
    expect(await server.scheduler.deliver(SLACK, SLOT)).toMatchObject({ status: 'skipped' });
    expect(server.poster.posts.length + cli.poster.posts.length).toBe(1);
  });
});

describe('a restart within the lease', () => {
  it('logs that the slot is held, retries after the lease, and posts it once', async () => {
    const crashed = await openStore(dbPath, { instanceId: 'crashed#1' });
    cleanups.push(() => crashed.close());
    await subscribe(crashed);
    // The crashed process claimed the slot (lease 400 ms) and died before posting.
    expect(crashed.runs.claimRun(SLACK, SLOT.toISOString(), 400)).toBeDefined();
    const { scheduler, poster, log, store } = await bot({ instanceId: 'restarted#2' });
    const first = await scheduler.deliver(SLACK, SLOT);
    expect(first).toMatchObject({ status: 'skipped', retryAt: expect.any(Date) });
    expect(log.lines).toContainEqual(
      expect.objectContaining({ claimedBy: 'crashed#1', msg: expect.stringMatching(/held by another claim/) }),
    );
    await vi.waitFor(async () => expect(await posted(store)).toMatchObject({ status: 'posted', attempt: 2 }), {
      timeout: 5000,
    });
    expect(poster.posts).toHaveLength(1);
  });
});

describe('items are recorded only when a confirmed message shows them', () => {
  it('records what the platform showed, keeps the window, and brings the rest the next day', async () => {
    const { store, scheduler, poster } = await bot();
    await subscribe(store);
    // The parent showed two items; the thread reply with the third failed.
    poster.reply = (_key, digest) => ({
      ok: true,
      messageId: 'm1',
      shownItems: digest.items.slice(0, 2).map((d) => d.key),
    });
    expect(await scheduler.deliver(SLACK, SLOT)).toMatchObject({ status: 'posted', items: 2, undelivered: 1 });
    const missing = poster.posts[0]!.digest.items[2]!;
    expect(await store.postedItems.filterUnposted(SLACK, [missing.key])).toEqual([missing.key]);

    poster.reply = (_key, digest) => ({ ok: true, messageId: 'm2', shownItems: digest.items.map((d) => d.key) });
    expect(await scheduler.deliver(SLACK, new Date('2026-12-01T08:00:00.000Z'))).toMatchObject({
      status: 'posted',
      items: 1,
    });
    expect(poster.posts[1]!.digest.items.map((d) => d.key)).toEqual([missing.key]);
  });
});
