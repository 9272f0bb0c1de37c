import { beforeEach, expect, it } from 'vitest';
import type { Store } from '../src/store/store.ts';
import { describeEngines } from './helpers/store-engines.ts';
import { manualClock } from './helpers/store-fixture.ts';

const MINUTE = 60_000;

describeEngines('inbound deliveries', (engine) => {
  let store: Store;
  let clock: ReturnType<typeof manualClock>;
  beforeEach(async () => {
    clock = manualClock();
    store = await engine.open({ now: clock.now });
  });

  it('call the first delivery of a key first, and a repeat within the window a repeat', async () => {
    expect(await store.deliveries.firstDelivery('slack-event:Ev1', MINUTE)).toBe(true);
    expect(await store.deliveries.firstDelivery('slack-event:Ev1', MINUTE)).toBe(false);
    expect(await store.deliveries.firstDelivery('slack-event:Ev2', MINUTE)).toBe(true);
  });

  it('count a key as new again once its window has passed', async () => {
    await store.deliveries.firstDelivery('slack-event:Ev1', MINUTE);
    clock.advance(MINUTE - 1);
    expect(await store.deliveries.firstDelivery('slack-event:Ev1', MINUTE)).toBe(false);
    clock.advance(1);
    expect(await store.deliveries.firstDelivery('slack-event:Ev1', MINUTE)).toBe(true);
  });

  it('give a key to exactly one of several connections racing for it', async () => {
    const location = await engine.sharedLocation();
    const stores = await Promise.all([1, 2, 3].map(() => engine.openAt(location, { now: clock.now })));
    const results = await Promise.all(stores.map((s) => s.deliveries.firstDelivery('slack-event:EvRace', MINUTE)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('refuse keys that are not keys', async () => {
    await expect(store.deliveries.firstDelivery('', MINUTE)).rejects.toThrow(/delivery key/);
    await expect(store.deliveries.firstDelivery('a b', MINUTE)).rejects.toThrow(/delivery key/);
    await expect(store.deliveries.firstDelivery('k', 0)).rejects.toThrow(/window ms/);
  });
});
