/**
 * Digest items as shown (migration 6), on both engines: saved by ref before a digest posts, looked up
 * by the ref a feedback button carries, and listed per channel for `her2bot digest export`.
 */
import { beforeEach, expect, it } from 'vitest';
import { itemRef } from '../src/digest/item-ref.ts';
import type { ShownItemInput, Store } from '../src/store/store.ts';
import { describeEngines } from './helpers/store-engines.ts';
import { manualClock, SLACK_CHANNEL, storeWithSubscriber, T0, TEAMS_CHANNEL } from './helpers/store-fixture.ts';

const HOUR = 3_600_000;
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

function shown(itemKey: string, title: string, overrides: Partial<ShownItemInput> = {}): ShownItemInput {
  return {
    ref: itemRef(itemKey),
    itemKey,
    item: { title, url: `https://pubmed.ncbi.nlm.nih.gov/${itemKey.split(':')[1]}/`, source: 'pubmed' },
    tags: ['mech-pi3k-pathway-activation', 'agent-t-dm1'],
    reasons: { 'mech-pi3k-pathway-activation': 'PIK3CA mutation', 'agent-t-dm1': 'T-DM1' },
    kbVersion: '2.0.0',
    ...overrides,
  };
}

const first = shown('pubmed:99100001', 'PIK3CA mutation and T-DM1 resistance');
const second = shown('pubmed:99100002', 'PTEN loss under trastuzumab', { tags: ['agent-trastuzumab'], reasons: {} });
const third = shown('pubmed:99100003', 'p95HER2 and lapatinib', { tags: [], reasons: {} });

describeEngines('digest items as shown', (engine) => {
  let store: Store;
  let clock: ReturnType<typeof manualClock>;
  beforeEach(async () => {
    clock = manualClock();
    store = await storeWithSubscriber({ now: clock.now }, engine.open);
  });

  /** Posts items to a channel the way a digest run does: a claimed run, then the items marked posted. */
  async function post(channelKey: string, items: readonly ShownItemInput[]) {
    const run = (await store.runs.claimRun(channelKey, clock.now().toISOString(), HOUR))!;
    await store.postedItems.markPosted(
      channelKey,
      items.map((i) => i.itemKey),
      run.runId,
    );
  }

  it('saves items and finds each by its ref: the record, tags, reasons and version as shown', async () => {
    const record = shown('pubmed:99100004', 'Trastuzumab résistance: “HER2‑low” & ≥ 50 % of cases', {
      item: {
        title: 'Trastuzumab résistance: “HER2‑low” & ≥ 50 % of cases',
        authors: ['Okafor AN', 'Lee B'],
        ids: { pmid: '99100004', doi: '10.5555/x.1' },
        open: true,
        year: 2026,
        journal: null,
      },
    });
    await store.digestItems.save([first, record]);
    expect(await store.digestItems.get(record.ref)).toEqual({ ...record, firstSeen: T0, updatedAt: T0 });
    expect(await store.digestItems.get(first.ref)).toMatchObject({
      itemKey: 'pubmed:99100001',
      tags: ['mech-pi3k-pathway-activation', 'agent-t-dm1'],
      reasons: { 'agent-t-dm1': 'T-DM1' },
    });
  });

  it('finds nothing under a ref never saved, nor under strings that are no ref at all', async () => {
    await store.digestItems.save([first]);
    expect(await store.digestItems.get(second.ref)).toBeUndefined();
    for (const bad of ['', first.ref.toUpperCase(), first.ref.slice(0, 15), `${first.ref} `, "' OR 1=1 --"]) {
      expect(await store.digestItems.get(bad)).toBeUndefined();
    }
  });

  it('saves an item again as the later digest showed it, keeping when it was first seen', async () => {
    await store.digestItems.save([first]);
    clock.advance(HOUR);
    const retagged = {
      ...first,
      item: { ...first.item, title: 'PIK3CA mutation and T-DM1 resistance (corrected)' },
      tags: ['agent-t-dm1'],
      reasons: { 'agent-t-dm1': 'trastuzumab emtansine' },
      kbVersion: '2.1.0',
    };
    await store.digestItems.save([retagged]);
    await store.digestItems.save([retagged]);
    expect(await store.digestItems.get(first.ref)).toEqual({ ...retagged, firstSeen: T0, updatedAt: at(HOUR) });
  });

  it('saves all of a batch or none of it, and refuses what is not an item as shown', async () => {
    const refusals: Array<[Partial<ShownItemInput>, RegExp]> = [
      [{ ref: 'abc' }, /16 lowercase hex/],
      [{ ref: first.ref.toUpperCase() }, /16 lowercase hex/],
      [{ itemKey: 'pubmed: 1' }, /item key/],
      [{ tags: ['PI3K'] }, /not a mechanism or agent id/],
      [{ reasons: { pi3k: 'PIK3CA' } }, /not a mechanism or agent id/],
      [{ item: ['not', 'an', 'object'] as never }, /plain JSON object/],
      [{ kbVersion: '' }, /knowledge-base version/],
    ];
    for (const [bad, message] of refusals) {
      await expect(store.digestItems.save([second, { ...first, ...bad }])).rejects.toThrow(
        expect.objectContaining({ code: 'invalid_argument', message: expect.stringMatching(message) }),
      );
    }
    expect(await store.digestItems.get(second.ref)).toBeUndefined();
  });

  it('refuses a ref already saved for another item key, leaving the saved item as it was', async () => {
    await store.digestItems.save([first]);
    const impostor = { ...second, ref: first.ref };
    await expect(store.digestItems.save([third, impostor])).rejects.toThrow(/already saved for another item key/);
    expect(await store.digestItems.get(first.ref)).toEqual({ ...first, firstSeen: T0, updatedAt: T0 });
    expect(await store.digestItems.get(third.ref)).toBeUndefined();
  });

  it('lists what a channel was shown since an instant, newest posting first, then by item key', async () => {
    await store.digestItems.save([first, second, third]);
    await post(SLACK_CHANNEL, [second, first]);
    clock.advance(24 * HOUR);
    await post(SLACK_CHANNEL, [third]);
    const listed = await store.digestItems.postedIn(SLACK_CHANNEL, T0);
    expect(listed.map((i) => [i.itemKey, i.postedAt])).toEqual([
      ['pubmed:99100003', at(24 * HOUR)],
      ['pubmed:99100001', T0],
      ['pubmed:99100002', T0],
    ]);
    expect(listed[1]).toEqual({ ...first, firstSeen: T0, updatedAt: T0, postedAt: T0 });
    // The bound is inclusive, and an offset names the same instant as Z does.
    expect((await store.digestItems.postedIn(SLACK_CHANNEL, at(24 * HOUR))).map((i) => i.itemKey)).toEqual([
      'pubmed:99100003',
    ]);
    expect(
      (await store.digestItems.postedIn(SLACK_CHANNEL, '2026-11-30T08:00:00.001+01:00')).map((i) => i.itemKey),
    ).toEqual([]);
    expect(await store.digestItems.postedIn(SLACK_CHANNEL, new Date(Date.parse(T0) + 1))).toHaveLength(1);
  });

  it("lists only the channel's own postings, and only of items it saved", async () => {
    await store.subscriptions.subscribe({ channelKey: TEAMS_CHANNEL, time: '08:00', timeZone: 'UTC', userId: 'aad-1' });
    await store.digestItems.save([first, second]);
    await post(SLACK_CHANNEL, [first]);
    clock.advance(HOUR);
    await post(TEAMS_CHANNEL, [first, second]);
    // Posted before digest items were kept (or by a bot that did not save them): nothing to export.
    clock.advance(HOUR);
    await post(TEAMS_CHANNEL, [shown('pubmed:99100009', 'never saved')]);
    expect((await store.digestItems.postedIn(SLACK_CHANNEL, T0)).map((i) => i.itemKey)).toEqual(['pubmed:99100001']);
    const teams = await store.digestItems.postedIn(TEAMS_CHANNEL, T0);
    expect(teams.map((i) => [i.itemKey, i.postedAt])).toEqual([
      ['pubmed:99100001', at(HOUR)],
      ['pubmed:99100002', at(HOUR)],
    ]);
    expect(await store.digestItems.postedIn('slack:T0001:C9999', T0)).toEqual([]);
  });

  it('lists an item posted once with its latest record, at its first posting', async () => {
    await store.digestItems.save([first]);
    await post(SLACK_CHANNEL, [first]);
    clock.advance(24 * HOUR);
    await store.digestItems.save([{ ...first, tags: ['agent-t-dm1'] }]);
    await post(SLACK_CHANNEL, [first]);
    expect(await store.digestItems.postedIn(SLACK_CHANNEL, T0)).toEqual([
      { ...first, tags: ['agent-t-dm1'], firstSeen: T0, updatedAt: at(24 * HOUR), postedAt: T0 },
    ]);
  });

  it('refuses a since that does not say its zone', async () => {
    await expect(store.digestItems.postedIn(SLACK_CHANNEL, '2026-11-23')).rejects.toThrow(/ISO date-time/);
    await expect(store.digestItems.postedIn(SLACK_CHANNEL, new Date(Number.NaN))).rejects.toThrow(/not a valid/);
  });
});
