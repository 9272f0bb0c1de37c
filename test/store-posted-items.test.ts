import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunClaim, Store } from '../src/store/store.ts';
import { manualClock, SLACK_CHANNEL, storeWithSubscriber, T0, TEAMS_CHANNEL } from './helpers/store-fixture.ts';

const HOUR = 3_600_000;

describe('posted items', () => {
  let store: Store;
  let clock: ReturnType<typeof manualClock>;
  let run: RunClaim;
  beforeEach(() => {
    clock = manualClock();
    store = storeWithSubscriber({ now: clock.now });
    run = store.runs.claimRun(SLACK_CHANNEL, T0, HOUR)!;
  });
  afterEach(() => store.close());

  it('lets everything through for a channel that has been shown nothing', () => {
    expect(store.postedItems.filterUnposted(SLACK_CHANNEL, ['pubmed:1', 'NCT01234567@2026-11-28'])).toEqual([
      'pubmed:1',
      'NCT01234567@2026-11-28',
    ]);
    expect(store.postedItems.filterUnposted(SLACK_CHANNEL, [])).toEqual([]);
  });

  it('filters out what was posted, keeping the given order and dropping duplicates', () => {
    expect(store.postedItems.markPosted(SLACK_CHANNEL, ['pubmed:2', 'pubmed:4'], run.runId)).toBe(2);
    expect(
      store.postedItems.filterUnposted(SLACK_CHANNEL, ['pubmed:5', 'pubmed:4', 'pubmed:3', 'pubmed:2', 'pubmed:5']),
    ).toEqual(['pubmed:5', 'pubmed:3']);
  });

  it('is per channel: an item posted in one channel is still new in another', () => {
    store.subscriptions.subscribe({ channelKey: TEAMS_CHANNEL, time: '08:00', timeZone: 'UTC', userId: 'aad-1' });
    store.postedItems.markPosted(SLACK_CHANNEL, ['pubmed:1'], run.runId);
    expect(store.postedItems.filterUnposted(TEAMS_CHANNEL, ['pubmed:1'])).toEqual(['pubmed:1']);
  });

  it('keeps the first posting of a key: marking it again changes nothing', () => {
    store.postedItems.markPosted(SLACK_CHANNEL, ['pubmed:1'], run.runId);
    clock.advance(HOUR);
    const later = store.runs.claimRun(SLACK_CHANNEL, '2026-11-30T07:00:00Z', HOUR)!;
    expect(store.postedItems.markPosted(SLACK_CHANNEL, ['pubmed:1', 'pubmed:2', 'pubmed:2'], later.runId)).toBe(1);
    expect(store.postedItems.listForRun(run.runId)).toEqual([
      { channelKey: SLACK_CHANNEL, itemKey: 'pubmed:1', postedAt: T0, runId: run.runId },
    ]);
    expect(store.postedItems.listForRun(later.runId).map((i) => i.itemKey)).toEqual(['pubmed:2']);
  });

  it('marks all of a batch or none of it', () => {
    expect(() => store.postedItems.markPosted(SLACK_CHANNEL, ['pubmed:1', 'bad key'], run.runId)).toThrow(/item key/);
    expect(store.postedItems.filterUnposted(SLACK_CHANNEL, ['pubmed:1'])).toEqual(['pubmed:1']);
  });

  it("refuses to file items under an unknown run or another channel's run", () => {
    store.subscriptions.subscribe({ channelKey: TEAMS_CHANNEL, time: '08:00', timeZone: 'UTC', userId: 'aad-1' });
    expect(() => store.postedItems.markPosted(SLACK_CHANNEL, ['pubmed:1'], 999)).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
    expect(() => store.postedItems.markPosted(TEAMS_CHANNEL, ['pubmed:1'], run.runId)).toThrow(/does not exist/);
    expect(store.postedItems.filterUnposted(TEAMS_CHANNEL, ['pubmed:1'])).toEqual(['pubmed:1']);
  });

  it('refuses empty and whitespace keys when filtering', () => {
    expect(() => store.postedItems.filterUnposted(SLACK_CHANNEL, [''])).toThrow(/item key/);
    expect(() => store.postedItems.filterUnposted(SLACK_CHANNEL, ['pubmed: 1'])).toThrow(/item key/);
  });
});
