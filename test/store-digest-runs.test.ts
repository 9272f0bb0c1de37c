import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { beforeEach, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/store/migrations.ts';
import type { Store } from '../src/store/store.ts';
import { describeEngines } from './helpers/store-engines.ts';
import {
  captureLogger,
  manualClock,
  SLACK_CHANNEL,
  storeWithSubscriber,
  T0,
  TEAMS_CHANNEL,
} from './helpers/store-fixture.ts';

const MINUTE = 60_000;
const SLOT = '2026-11-29T08:00:00+01:00'; // 08:00 in Berlin
const SLOT_UTC = '2026-11-29T07:00:00.000Z';
const WINDOW = { since: '2026-11-26T05:00:00Z', until: '2026-11-29T05:00:00Z' };

describeEngines('digest runs in one process', (engine) => {
  let store: Store;
  let clock: ReturnType<typeof manualClock>;
  let log: ReturnType<typeof captureLogger>;
  beforeEach(async () => {
    clock = manualClock();
    log = captureLogger();
    store = await storeWithSubscriber({ now: clock.now, logger: log.logger, instanceId: 'bot-a' }, engine.open);
  });

  it('claims a slot once, keyed by the instant however it is spelled', async () => {
    const claim = await store.runs.claimRun(SLACK_CHANNEL, SLOT, 10 * MINUTE);
    expect(claim).toEqual({
      runId: expect.any(Number),
      channelKey: SLACK_CHANNEL,
      scheduledFor: SLOT_UTC,
      attempt: 1,
      leaseUntil: '2026-11-29T07:10:00.000Z',
    });
    expect(await store.runs.claimRun(SLACK_CHANNEL, SLOT, 10 * MINUTE)).toBeUndefined();
    expect(await store.runs.claimRun(SLACK_CHANNEL, new Date(SLOT_UTC), 10 * MINUTE)).toBeUndefined();
    expect(await store.runs.get(claim!.runId)).toMatchObject({ status: 'claimed', claimedBy: 'bot-a', claimedAt: T0 });
  });

  it('claims different slots and different channels independently', async () => {
    await store.subscriptions.subscribe({ channelKey: TEAMS_CHANNEL, time: '08:00', timeZone: 'UTC', userId: 'aad-1' });
    expect(await store.runs.claimRun(SLACK_CHANNEL, SLOT, MINUTE)).toBeDefined();
    expect(await store.runs.claimRun(SLACK_CHANNEL, '2026-11-30T07:00:00Z', MINUTE)).toBeDefined();
    expect(await store.runs.claimRun(TEAMS_CHANNEL, SLOT, MINUTE)).toBeDefined();
  });

  it('claims nothing for a channel that is not an active subscription', async () => {
    expect(await store.runs.claimRun('slack:T9:C9', SLOT, MINUTE)).toBeUndefined();
    await store.subscriptions.markDormant(SLACK_CHANNEL, 'channel_not_found');
    expect(await store.runs.claimRun(SLACK_CHANNEL, SLOT, MINUTE)).toBeUndefined();
    await store.subscriptions.unsubscribe(SLACK_CHANNEL);
    expect(await store.runs.claimRun(SLACK_CHANNEL, SLOT, MINUTE)).toBeUndefined();
  });

  it('refuses a slot without a zone and a lease that is not a positive whole number of ms', async () => {
    await expect(store.runs.claimRun(SLACK_CHANNEL, '2026-11-29T08:00', MINUTE)).rejects.toThrow(/offset/);
    await expect(store.runs.claimRun(SLACK_CHANNEL, SLOT, 0)).rejects.toThrow(/ttlMs/);
    await expect(store.runs.claimRun(SLACK_CHANNEL, SLOT, 1.5)).rejects.toThrow(/ttlMs/);
  });

  it('does not take over a live lease, and takes over an expired one with the next attempt', async () => {
    const first = (await store.runs.claimRun(SLACK_CHANNEL, SLOT, 10 * MINUTE))!;
    clock.advance(10 * MINUTE - 1);
    expect(await store.runs.claimRun(SLACK_CHANNEL, SLOT, 10 * MINUTE)).toBeUndefined();
    clock.advance(1);
    const second = (await store.runs.claimRun(SLACK_CHANNEL, SLOT, 10 * MINUTE))!;
    expect(second).toMatchObject({ runId: first.runId, attempt: 2, leaseUntil: '2026-11-29T07:20:00.000Z' });
    expect(log.messages()).toContain('store: took over an unfinished digest run');
  });

  it('completes a posted run and records its items in the same step', async () => {
    const claim = (await store.runs.claimRun(SLACK_CHANNEL, SLOT, 10 * MINUTE))!;
    clock.advance(MINUTE);
    const done = await store.runs.completeRun(claim, {
      status: 'posted',
      itemKeys: ['pubmed:41000001', 'NCT01234567@2026-11-28'],
      messageId: '1764399660.000100',
      window: WINDOW,
      sources: { pubmed: { fetched: 12, new: 1 }, clinicaltrials: { fetched: 3, new: 1 } },
    });
    expect(done).toBe(true);
    expect(await store.runs.get(claim.runId)).toEqual({
      id: claim.runId,
      channelKey: SLACK_CHANNEL,
      scheduledFor: SLOT_UTC,
      status: 'posted',
      attempt: 1,
      claimedBy: 'bot-a',
      claimedAt: T0,
      leaseUntil: '2026-11-29T07:10:00.000Z',
      window: { since: '2026-11-26T05:00:00.000Z', until: '2026-11-29T05:00:00.000Z' },
      sources: { pubmed: { fetched: 12, new: 1 }, clinicaltrials: { fetched: 3, new: 1 } },
      messageId: '1764399660.000100',
      error: undefined,
      finishedAt: '2026-11-29T07:01:00.000Z',
      createdAt: T0,
      updatedAt: '2026-11-29T07:01:00.000Z',
    });
    expect(await store.postedItems.filterUnposted(SLACK_CHANNEL, ['pubmed:41000001', 'pubmed:41000002'])).toEqual([
      'pubmed:41000002',
    ]);
    expect(await store.runs.claimRun(SLACK_CHANNEL, SLOT, MINUTE)).toBeUndefined();
  });

  it('rolls the items back when the outcome cannot be recorded', async () => {
    const claim = (await store.runs.claimRun(SLACK_CHANNEL, SLOT, 10 * MINUTE))!;
    const bad = { status: 'posted', itemKeys: ['pubmed:1'], window: { since: WINDOW.until, until: WINDOW.since } };
    await expect(store.runs.completeRun(claim, bad as never)).rejects.toThrow(/after until/);
    expect(await store.postedItems.filterUnposted(SLACK_CHANNEL, ['pubmed:1'])).toEqual(['pubmed:1']);
    expect((await store.runs.get(claim.runId))?.status).toBe('claimed');
  });

  it('completes an empty run, with or without a "nothing new" message', async () => {
    const claim = (await store.runs.claimRun(SLACK_CHANNEL, SLOT, 10 * MINUTE))!;
    expect(await store.runs.completeRun(claim, { status: 'empty', window: WINDOW })).toBe(true);
    expect(await store.runs.get(claim.runId)).toMatchObject({ status: 'empty', messageId: undefined });
    expect(await store.postedItems.listForRun(claim.runId)).toEqual([]);
  });

  it('records a failure with its error scrubbed of secrets, and does not retry it unless asked', async () => {
    const claim = (await store.runs.claimRun(SLACK_CHANNEL, SLOT, 10 * MINUTE))!;
    const error = new Error('GET https://eutils/esearch.fcgi?api_key=SECRET failed with xoxb-1-2');
    expect(await store.runs.failRun(claim, error, { sources: { pubmed: { error: 'timeout' } } })).toBe(true);
    const failed = (await store.runs.get(claim.runId))!;
    expect(failed).toMatchObject({ status: 'failed', sources: { pubmed: { error: 'timeout' } } });
    expect(failed.error).not.toMatch(/SECRET|xoxb-1-2/);
    expect(failed.error).toContain('api_key=[redacted]');

    expect(await store.runs.claimRun(SLACK_CHANNEL, SLOT, MINUTE)).toBeUndefined();
    const retry = (await store.runs.claimRun(SLACK_CHANNEL, SLOT, MINUTE, { retryFailed: true }))!;
    expect(retry).toMatchObject({ runId: claim.runId, attempt: 2 });
    expect(await store.runs.get(claim.runId)).toMatchObject({
      status: 'claimed',
      error: undefined,
      sources: undefined,
    });
  });

  it('never re-opens a run that ended posted or empty, even with retryFailed', async () => {
    const claim = (await store.runs.claimRun(SLACK_CHANNEL, SLOT, MINUTE))!;
    await store.runs.completeRun(claim, { status: 'empty' });
    clock.advance(2 * MINUTE);
    expect(await store.runs.claimRun(SLACK_CHANNEL, SLOT, MINUTE, { retryFailed: true })).toBeUndefined();
  });

  it('accepts the outcome only from the attempt that holds the claim', async () => {
    const stale = (await store.runs.claimRun(SLACK_CHANNEL, SLOT, MINUTE))!;
    clock.advance(MINUTE);
    const current = (await store.runs.claimRun(SLACK_CHANNEL, SLOT, MINUTE))!;

    expect(await store.runs.failRun(stale, 'late failure')).toBe(false);
    expect(await store.runs.renewClaim(stale, MINUTE)).toBeUndefined();
    // The stale attempt's message did reach the channel: its items are recorded, the run is not touched.
    expect(await store.runs.completeRun(stale, { status: 'posted', itemKeys: ['pubmed:1'] })).toBe(false);
    expect(await store.postedItems.filterUnposted(SLACK_CHANNEL, ['pubmed:1'])).toEqual([]);
    expect(await store.runs.get(current.runId)).toMatchObject({ status: 'claimed', attempt: 2 });
    expect(log.messages()).toContain('store: digest run outcome ignored, the claim was lost');

    expect(await store.runs.completeRun(current, { status: 'posted', itemKeys: ['pubmed:2'] })).toBe(true);
    expect(await store.runs.completeRun(current, { status: 'empty' })).toBe(false);
  });

  it('renews a held lease so a slow run is not taken over', async () => {
    const claim = (await store.runs.claimRun(SLACK_CHANNEL, SLOT, MINUTE))!;
    clock.advance(MINUTE - 1);
    const renewed = (await store.runs.renewClaim(claim, 5 * MINUTE))!;
    expect(renewed.leaseUntil).toBe('2026-11-29T07:05:59.999Z');
    clock.advance(2 * MINUTE);
    expect(await store.runs.claimRun(SLACK_CHANNEL, SLOT, MINUTE)).toBeUndefined();
    expect(await store.runs.completeRun(renewed, { status: 'empty' })).toBe(true);
  });

  it('finds the latest slot that ended posted or empty', async () => {
    expect(await store.runs.lastSuccessfulRun(SLACK_CHANNEL)).toBeUndefined();
    const day1 = (await store.runs.claimRun(SLACK_CHANNEL, '2026-11-27T07:00:00Z', MINUTE))!;
    await store.runs.completeRun(day1, { status: 'posted', itemKeys: ['pubmed:1'], window: WINDOW });
    const day2 = (await store.runs.claimRun(SLACK_CHANNEL, '2026-11-28T07:00:00Z', MINUTE))!;
    await store.runs.completeRun(day2, { status: 'empty' });
    const day3 = (await store.runs.claimRun(SLACK_CHANNEL, '2026-11-29T07:00:00Z', MINUTE))!;
    await store.runs.failRun(day3, 'Slack said ratelimited');
    await store.runs.claimRun(SLACK_CHANNEL, '2026-11-30T07:00:00Z', MINUTE);

    expect(await store.runs.lastSuccessfulRun(SLACK_CHANNEL)).toMatchObject({
      id: day2.runId,
      status: 'empty',
      scheduledFor: '2026-11-28T07:00:00.000Z',
    });
    expect(await store.runs.lastSuccessfulRun(TEAMS_CHANNEL)).toBeUndefined();
  });
});

describeEngines('digest runs across two processes on one database', (engine) => {
  let a: Store;
  let b: Store;
  let clockA: ReturnType<typeof manualClock>;
  let clockB: ReturnType<typeof manualClock>;

  beforeEach(async () => {
    const location = await engine.sharedLocation();
    clockA = manualClock();
    clockB = manualClock();
    a = await engine.openAt(location, { now: clockA.now, instanceId: 'bot-a' });
    b = await engine.openAt(location, { now: clockB.now, instanceId: 'bot-b' });
    await a.subscriptions.subscribe({
      channelKey: SLACK_CHANNEL,
      time: '08:00',
      timeZone: 'Europe/Berlin',
      userId: 'U1',
    });
  });

  it('gives the slot to exactly one of them', async () => {
    const claims = [
      await a.runs.claimRun(SLACK_CHANNEL, SLOT, 10 * MINUTE),
      await b.runs.claimRun(SLACK_CHANNEL, SLOT, 10 * MINUTE),
    ];
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect((await a.runs.get(claims[0]!.runId))?.claimedBy).toBe('bot-a');
    expect(await b.runs.claimRun(SLACK_CHANNEL, SLOT, 10 * MINUTE)).toBeUndefined();
  });

  it('lets the other take over once the holder crashed and its lease ran out', async () => {
    const crashed = (await a.runs.claimRun(SLACK_CHANNEL, SLOT, 10 * MINUTE))!;
    clockB.advance(5 * MINUTE);
    expect(await b.runs.claimRun(SLACK_CHANNEL, SLOT, 10 * MINUTE)).toBeUndefined();
    clockB.advance(5 * MINUTE);
    const takeover = (await b.runs.claimRun(SLACK_CHANNEL, SLOT, 10 * MINUTE))!;
    expect(takeover).toMatchObject({ runId: crashed.runId, attempt: 2 });
    expect(await a.runs.get(crashed.runId)).toMatchObject({ status: 'claimed', claimedBy: 'bot-b' });

    expect(await b.runs.completeRun(takeover, { status: 'posted', itemKeys: ['pubmed:1'] })).toBe(true);
    expect(await a.postedItems.filterUnposted(SLACK_CHANNEL, ['pubmed:1'])).toEqual([]);
    expect((await a.runs.lastSuccessfulRun(SLACK_CHANNEL))?.claimedBy).toBe('bot-b');
  });

  it('sees the other connection’s writes at once (subscriptions, mutes)', async () => {
    await b.mutes.mute(SLACK_CHANNEL, 'agent-t-dm1', 'U1');
    expect((await a.mutes.list(SLACK_CHANNEL)).map((m) => m.tag)).toEqual(['agent-t-dm1']);
    expect((await b.subscriptions.listActive()).map((s) => s.channelKey)).toEqual([SLACK_CHANNEL]);
  });
});

describeEngines('digest runs claimed by racing processes', (engine) => {
  it('migrates a new database once and gives the slot to exactly one process claiming at the same moment', async () => {
    const path = await engine.sharedLocation();
    const script = new URL('./helpers/store-claim-process.ts', import.meta.url).pathname;
    const racers = Array.from({ length: 3 }, (_, i) =>
      spawn(process.execPath, ['--import', 'tsx', script, path, SLACK_CHANNEL, SLOT, `racer-${i}`]),
    );
    try {
      const outputs = racers.map(lines);
      await Promise.all(outputs.map((next) => next()));
      for (const racer of racers) racer.stdin.write('go\n');
      const results = (await Promise.all(outputs.map((next) => next()))).map(
        (line) => JSON.parse(line) as { instanceId: string; runId: number | null; migrationsApplied: number },
      );
      expect(results.reduce((n, r) => n + r.migrationsApplied, 0)).toBe(MIGRATIONS.length);

      const winners = results.filter((r) => r.runId !== null);
      expect(winners).toHaveLength(1);
      const store = await engine.openAt(path);
      expect(await store.runs.get(winners[0]!.runId!)).toMatchObject({ claimedBy: winners[0]!.instanceId, attempt: 1 });
      expect(await store.runs.claimRun(SLACK_CHANNEL, SLOT, MINUTE)).toBeUndefined();
    } finally {
      for (const racer of racers) racer.kill();
    }
  });
});

/** Reads a child's stdout line by line; each call resolves with the next line (or fails on exit). */
function lines(child: ChildProcessWithoutNullStreams): () => Promise<string> {
  const queue: string[] = [];
  const waiting: Array<{ resolve: (line: string) => void; reject: (err: Error) => void }> = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const waiter = waiting.shift();
    if (waiter) waiter.resolve(line);
    else queue.push(line);
  });
  child.on('exit', (code) => {
    for (const waiter of waiting.splice(0)) waiter.reject(new Error(`racer exited with ${code}: ${stderr}`));
  });
  return () => {
    const line = queue.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (child.exitCode !== null) return Promise.reject(new Error(`racer exited with ${child.exitCode}: ${stderr}`));
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };
}
