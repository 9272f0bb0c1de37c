import { beforeEach, expect, it } from 'vitest';
import type { Store } from '../src/store/store.ts';
import { describeEngines } from './helpers/store-engines.ts';
import { manualClock } from './helpers/store-fixture.ts';

describeEngines('source watermarks', (engine) => {
  let store: Store;
  let clock: ReturnType<typeof manualClock>;
  beforeEach(async () => {
    clock = manualClock();
    store = await engine.open({ now: clock.now });
  });

  it('are unset until a successful fetch records one', async () => {
    expect(await store.watermarks.get('pubmed')).toBeUndefined();
  });

  it('store the window end as a UTC instant, with the time it was recorded', async () => {
    clock.advance(60_000);
    expect(await store.watermarks.set('pubmed', '2026-11-29T00:00:00-05:00')).toEqual({
      source: 'pubmed',
      windowEnd: '2026-11-29T05:00:00.000Z',
      lastRunAt: '2026-11-29T07:01:00.000Z',
    });
    expect((await store.watermarks.get('pubmed'))?.windowEnd).toBe('2026-11-29T05:00:00.000Z');
    expect(await store.watermarks.get('clinicaltrials')).toBeUndefined();
  });

  it('replace the previous value, so an operator can re-run a range', async () => {
    await store.watermarks.set('clinicaltrials', new Date('2026-11-29T05:00:00Z'));
    await store.watermarks.set('clinicaltrials', new Date('2026-11-20T05:00:00Z'));
    expect((await store.watermarks.get('clinicaltrials'))?.windowEnd).toBe('2026-11-20T05:00:00.000Z');
  });

  it('refuse a window end that is not an instant with a zone', async () => {
    for (const end of ['2026-11-29', '2026-11-29T08:00', 'yesterday']) {
      await expect(store.watermarks.set('pubmed', end), end).rejects.toThrow(/ISO date-time/);
    }
    await expect(store.watermarks.set('pubmed', new Date(Number.NaN))).rejects.toThrow(/valid instant/);
  });
});
