import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/store/store.ts';
import { manualClock } from './helpers/store-fixture.ts';

describe('source watermarks', () => {
  let store: Store;
  let clock: ReturnType<typeof manualClock>;
  beforeEach(() => {
    clock = manualClock();
    store = openStore(':memory:', { now: clock.now });
  });
  afterEach(() => store.close());

  it('are unset until a successful fetch records one', () => {
    expect(store.watermarks.get('pubmed')).toBeUndefined();
  });

  it('store the window end as a UTC instant, with the time it was recorded', () => {
    clock.advance(60_000);
    expect(store.watermarks.set('pubmed', '2026-11-29T00:00:00-05:00')).toEqual({
      source: 'pubmed',
      windowEnd: '2026-11-29T05:00:00.000Z',
      lastRunAt: '2026-11-29T07:01:00.000Z',
    });
    expect(store.watermarks.get('pubmed')?.windowEnd).toBe('2026-11-29T05:00:00.000Z');
    expect(store.watermarks.get('clinicaltrials')).toBeUndefined();
  });

  it('replace the previous value, so an operator can re-run a range', () => {
    store.watermarks.set('clinicaltrials', new Date('2026-11-29T05:00:00Z'));
    store.watermarks.set('clinicaltrials', new Date('2026-11-20T05:00:00Z'));
    expect(store.watermarks.get('clinicaltrials')?.windowEnd).toBe('2026-11-20T05:00:00.000Z');
  });

  it('refuse a window end that is not an instant with a zone', () => {
    for (const end of ['2026-11-29', '2026-11-29T08:00', 'yesterday']) {
      expect(() => store.watermarks.set('pubmed', end), end).toThrow(/ISO date-time/);
    }
    expect(() => store.watermarks.set('pubmed', new Date(Number.NaN))).toThrow(/valid instant/);
  });
});
