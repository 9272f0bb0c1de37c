import { beforeEach, expect, it } from 'vitest';
import type { RunClaim, Store } from '../src/store/store.ts';
import { describeEngines } from './helpers/store-engines.ts';
import { manualClock, SLACK_CHANNEL, storeWithSubscriber, T0, TEAMS_CHANNEL } from './helpers/store-fixture.ts';

const HOUR = 3_600_000;

describeEngines('posted items', (engine) => {
  let store: Store;
  let clock: ReturnType<typeof manualClock>;
  let run: RunClaim;
  beforeEach(async () => {
    clock = manualClock();
    store = await storeWithSubscriber({ now: clock.now }, engine.open);
    run = (await store.runs.claimRun(SLACK_CHANNEL, T0, HOUR))!;
  });

  it('lets everything through for a channel that has been shown nothing', async () => {
    expect(await store.postedItems.filterUnposted(SLACK_CHANNEL, ['pubmed:1', 'NCT01234567@2026-11-28'])).toEqual([
      'pubmed:1',
      'NCT01234567@2026-11-28',
    ]);
    expect(await store.postedItems.filterUnposted(SLACK_CHANNEL, [])).toEqual([]);
  });

  it('filters out what was posted, keeping the given order and dropping duplicates', async () => {
    expect(await store.postedItems.markPosted(SLACK_CHANNEL, ['pubmed:2', 'pubmed:4'], run.runId)).toBe(2);
    expect(
      await store.postedItems.filterUnposted(SLACK_CHANNEL, [
        'pubmed:5',
        'pubmed:4',
        'pubmed:3',
        'pubmed:2',
        'pubmed:5',
      ]),
    ).toEqual(['pubmed:5', 'pubmed:3']);
  });

  it('is per channel: an item posted in one channel is still new in another', async () => {
    await store.subscriptions.subscribe({ channelKey: TEAMS_CHANNEL, time: '08:00', timeZone: 'UTC', userId: 'aad-1' });
    await store.postedItems.markPosted(SLACK_CHANNEL, ['pubmed:1'], run.runId);
    expect(await store.postedItems.filterUnposted(TEAMS_CHANNEL, ['pubmed:1'])).toEqual(['pubmed:1']);
  });

  it('keeps the first posting of a key: marking it again changes nothing', async () => {
    await store.postedItems.markPosted(SLACK_CHANNEL, ['pubmed:1'], run.runId);
    clock.advance(HOUR);
    const later = (await store.runs.claimRun(SLACK_CHANNEL, '2026-11-30T07:00:00Z', HOUR))!;
    expect(await store.postedItems.markPosted(SLACK_CHANNEL, ['pubmed:1', 'pubmed:2', 'pubmed:2'], later.runId)).toBe(
      1,
    );
    expect(await store.postedItems.listForRun(run.runId)).toEqual([
      { channelKey: SLACK_CHANNEL, itemKey: 'pubmed:1', postedAt: T0, runId: run.runId },
    ]);
    expect((await store.postedItems.listForRun(later.runId)).map((i) => i.itemKey)).toEqual(['pubmed:2']);
  });

  it('marks all of a batch or none of it', async () => {
    await expect(store.postedItems.markPosted(SLACK_CHANNEL, ['pubmed:1', 'bad key'], run.runId)).rejects.toThrow(
      /item key/,
    );
    expect(await store.postedItems.filterUnposted(SLACK_CHANNEL, ['pubmed:1'])).toEqual(['pubmed:1']);
  });

  it("refuses to file items under an unknown run or another channel's run", async () => {
    await store.subscriptions.subscribe({ channelKey: TEAMS_CHANNEL, time: '08:00', timeZone: 'UTC', userId: 'aad-1' });
    await expect(store.postedItems.markPosted(SLACK_CHANNEL, ['pubmed:1'], 999)).rejects.toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
    await expect(store.postedItems.markPosted(TEAMS_CHANNEL, ['pubmed:1'], run.runId)).rejects.toThrow(
      /does not exist/,
    );
    expect(await store.postedItems.filterUnposted(TEAMS_CHANNEL, ['pubmed:1'])).toEqual(['pubmed:1']);
  });

  it('refuses empty and whitespace keys when filtering', async () => {
    await expect(store.postedItems.filterUnposted(SLACK_CHANNEL, [''])).rejects.toThrow(/item key/);
    await expect(store.postedItems.filterUnposted(SLACK_CHANNEL, ['pubmed: 1'])).rejects.toThrow(/item key/);
  });
});
