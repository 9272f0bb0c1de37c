import { beforeEach, expect, it } from 'vitest';
import type { Store } from '../src/store/store.ts';
import { describeEngines } from './helpers/store-engines.ts';
import { manualClock, SLACK_CHANNEL, T0, TEAMS_CHANNEL } from './helpers/store-fixture.ts';

describeEngines('channel keys', (engine) => {
  let store: Store;
  beforeEach(async () => {
    store = await engine.open();
  });

  it('are opaque to the store: any key is kept as it is, and found by it', async () => {
    // Each surface spells its own keys in handlers/; the store never reads them.
    for (const channelKey of [SLACK_CHANNEL, TEAMS_CHANNEL, 'matrix:!room:example.org']) {
      await store.subscriptions.subscribe({ channelKey, time: '08:00', timeZone: 'UTC', userId: 'U1' });
      expect((await store.subscriptions.get(channelKey))?.channelKey).toBe(channelKey);
    }
    expect(Object.keys((await store.subscriptions.get(SLACK_CHANNEL))!)).not.toContain('platform');
  });

  it('must still be keys: non-empty, without whitespace', async () => {
    for (const bad of ['', 'slack: C1', ' ', 'a\nb']) {
      await expect(
        store.subscriptions.subscribe({ channelKey: bad, time: '08:00', timeZone: 'UTC', userId: 'U1' }),
        JSON.stringify(bad),
      ).rejects.toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    }
    expect(await store.subscriptions.listActive()).toEqual([]);
  });
});

describeEngines('subscriptions', (engine) => {
  let store: Store;
  let clock: ReturnType<typeof manualClock>;
  beforeEach(async () => {
    clock = manualClock();
    store = await engine.open({ now: clock.now });
  });

  const subscribeSlack = (overrides: Partial<Parameters<Store['subscriptions']['subscribe']>[0]> = {}) =>
    store.subscriptions.subscribe({
      channelKey: SLACK_CHANNEL,
      time: '08:00',
      timeZone: 'Europe/Berlin',
      topics: ['mech-p95her2', 'agent-t-dxd'],
      userId: 'U0001',
      ...overrides,
    });

  it('subscribes a channel, active, with everything it was given', async () => {
    expect(await subscribeSlack({ postNothingNew: true })).toEqual({
      channelKey: SLACK_CHANNEL,
      time: '08:00',
      timeZone: 'Europe/Berlin',
      topics: ['mech-p95her2', 'agent-t-dxd'],
      postNothingNew: true,
      status: 'active',
      dormant: undefined,
      createdAt: T0,
      createdBy: 'U0001',
      updatedAt: T0,
    });
    expect(await store.subscriptions.get(SLACK_CHANNEL)).toEqual(await subscribeSlack({ postNothingNew: true }));
  });

  it('defaults to all topics and silence on empty days', async () => {
    const sub = await subscribeSlack({ topics: undefined });
    expect(sub.topics).toEqual([]);
    expect(sub.postNothingNew).toBe(false);
  });

  it('updates settings in place on a second subscribe, keeping who created it', async () => {
    await subscribeSlack();
    clock.advance(1000);
    const updated = await subscribeSlack({ time: '17:30', timeZone: 'America/New_York', topics: [], userId: 'U0002' });
    expect(updated).toMatchObject({ time: '17:30', timeZone: 'America/New_York', topics: [] });
    expect(updated.createdBy).toBe('U0001');
    expect(updated.createdAt).toBe(T0);
    expect(updated.updatedAt).toBe('2026-11-29T07:00:01.000Z');
    expect(await store.subscriptions.listActive()).toHaveLength(1);
  });

  it('starts a new subscription (new creator) when a channel re-subscribes after unsubscribing', async () => {
    await subscribeSlack();
    await store.subscriptions.unsubscribe(SLACK_CHANNEL);
    clock.advance(1000);
    const again = await subscribeSlack({ userId: 'U0002' });
    expect(again).toMatchObject({ status: 'active', createdBy: 'U0002', createdAt: '2026-11-29T07:00:01.000Z' });
  });

  it('stores the canonical zone name and refuses unknown zones and offsets', async () => {
    expect((await subscribeSlack({ timeZone: 'europe/berlin' })).timeZone).toBe('Europe/Berlin');
    for (const zone of ['Mars/Olympus', '', '+01:00', 'GMT+1']) {
      await expect(subscribeSlack({ timeZone: zone }), zone).rejects.toThrow(/time zone/);
    }
  });

  it('refuses delivery times that are not HH:MM on a 24-hour clock', async () => {
    for (const time of ['8:00', '24:00', '07:60', '0800', '07:00:00', '']) {
      await expect(subscribeSlack({ time }), time).rejects.toThrow(/HH:MM/);
    }
    expect((await subscribeSlack({ time: '23:59' })).time).toBe('23:59');
  });

  it('accepts mechanism and agent ids as topics, deduplicated, and refuses free text', async () => {
    expect((await subscribeSlack({ topics: ['mech-p95her2', 'mech-p95her2'] })).topics).toEqual(['mech-p95her2']);
    await expect(subscribeSlack({ topics: ['PI3K'] })).rejects.toThrow(/mechanism id/);
  });

  it('refuses an empty channel key and an empty user id', async () => {
    await expect(subscribeSlack({ channelKey: '' })).rejects.toThrow(/channel key/);
    await expect(subscribeSlack({ userId: '' })).rejects.toThrow(/user id/);
    expect(await store.subscriptions.listActive()).toEqual([]);
  });

  it('unsubscribes, once, keeping the row', async () => {
    await subscribeSlack();
    clock.advance(1000);
    expect(await store.subscriptions.unsubscribe(SLACK_CHANNEL)).toBe(true);
    expect(await store.subscriptions.unsubscribe(SLACK_CHANNEL)).toBe(false);
    expect(await store.subscriptions.unsubscribe('slack:T9:C9')).toBe(false);
    expect(await store.subscriptions.get(SLACK_CHANNEL)).toMatchObject({
      status: 'unsubscribed',
      updatedAt: '2026-11-29T07:00:01.000Z',
    });
    expect(await store.subscriptions.listActive()).toEqual([]);
  });

  it('marks a channel dormant with the first reason and time, and reactivates it', async () => {
    await subscribeSlack();
    clock.advance(1000);
    expect(await store.subscriptions.markDormant(SLACK_CHANNEL, 'channel_not_found')).toBe(true);
    clock.advance(1000);
    expect(await store.subscriptions.markDormant(SLACK_CHANNEL, 'not_in_channel')).toBe(true);
    expect(await store.subscriptions.get(SLACK_CHANNEL)).toMatchObject({
      status: 'dormant',
      dormant: { reason: 'channel_not_found', since: '2026-11-29T07:00:01.000Z' },
    });
    expect(await store.subscriptions.listActive()).toEqual([]);

    expect(await store.subscriptions.reactivate(SLACK_CHANNEL)).toBe(true);
    expect(await store.subscriptions.reactivate(SLACK_CHANNEL)).toBe(false);
    expect(await store.subscriptions.get(SLACK_CHANNEL)).toMatchObject({ status: 'active', dormant: undefined });
  });

  it('does not mark an unsubscribed or unknown channel dormant, and needs a reason', async () => {
    await subscribeSlack();
    await store.subscriptions.unsubscribe(SLACK_CHANNEL);
    expect(await store.subscriptions.markDormant(SLACK_CHANNEL, 'channel_not_found')).toBe(false);
    expect(await store.subscriptions.markDormant('slack:T9:C9', 'channel_not_found')).toBe(false);
    await expect(store.subscriptions.markDormant(SLACK_CHANNEL, ' ')).rejects.toThrow(/reason/);
    expect((await store.subscriptions.get(SLACK_CHANNEL))?.status).toBe('unsubscribed');
  });

  it('lists active subscriptions in key order', async () => {
    await store.subscriptions.subscribe({ channelKey: TEAMS_CHANNEL, time: '09:00', timeZone: 'UTC', userId: 'aad-1' });
    await subscribeSlack();
    await store.subscriptions.subscribe({
      channelKey: 'slack:T0001:C0002',
      time: '07:00',
      timeZone: 'UTC',
      userId: 'U0003',
    });
    await store.subscriptions.markDormant('slack:T0001:C0002', 'not_in_channel');
    expect((await store.subscriptions.listActive()).map((s) => s.channelKey)).toEqual([SLACK_CHANNEL, TEAMS_CHANNEL]);
  });
});
