import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, platformOf, type Store, slackChannelKey, teamsChannelKey } from '../src/store/store.ts';
import { manualClock, SLACK_CHANNEL, T0, TEAMS_CHANNEL } from './helpers/store-fixture.ts';

describe('channel keys', () => {
  it('name a Slack channel by workspace and channel id', () => {
    expect(slackChannelKey('T0001', 'C0001')).toBe('slack:T0001:C0001');
    expect(() => slackChannelKey('T0001', 'general')).toThrow(/C0456EFGH/);
  });

  it('name a Teams channel by conversation id, dropping the thread suffix', () => {
    expect(teamsChannelKey('19:abc@thread.tacv2;messageid=1700000000000')).toBe(TEAMS_CHANNEL);
    expect(teamsChannelKey('19:abc@thread.tacv2')).toBe(TEAMS_CHANNEL);
    expect(() => teamsChannelKey('')).toThrow();
  });

  it('tell the platform back from the key and reject anything else', () => {
    expect(platformOf(SLACK_CHANNEL)).toBe('slack');
    expect(platformOf(TEAMS_CHANNEL)).toBe('teams');
    for (const bad of ['C0001', 'discord:x', 'slack:', 'slack: C1', '']) {
      expect(() => platformOf(bad), bad).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    }
  });
});

describe('subscriptions', () => {
  let store: Store;
  let clock: ReturnType<typeof manualClock>;
  beforeEach(() => {
    clock = manualClock();
    store = openStore(':memory:', { now: clock.now });
  });
  afterEach(() => store.close());

  const subscribeSlack = (overrides: Partial<Parameters<Store['subscriptions']['subscribe']>[0]> = {}) =>
    store.subscriptions.subscribe({
      channelKey: SLACK_CHANNEL,
      time: '08:00',
      timeZone: 'Europe/Berlin',
      topics: ['mech-p95her2', 'agent-t-dxd'],
      userId: 'U0001',
      ...overrides,
    });

  it('subscribes a channel, active, with everything it was given', () => {
    expect(subscribeSlack({ postNothingNew: true })).toEqual({
      channelKey: SLACK_CHANNEL,
      platform: 'slack',
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
    expect(store.subscriptions.get(SLACK_CHANNEL)).toEqual(subscribeSlack({ postNothingNew: true }));
  });

  it('defaults to all topics and silence on empty days', () => {
    const sub = subscribeSlack({ topics: undefined });
    expect(sub.topics).toEqual([]);
    expect(sub.postNothingNew).toBe(false);
  });

  it('updates settings in place on a second subscribe, keeping who created it', () => {
    subscribeSlack();
    clock.advance(1000);
    const updated = subscribeSlack({ time: '17:30', timeZone: 'America/New_York', topics: [], userId: 'U0002' });
    expect(updated).toMatchObject({ time: '17:30', timeZone: 'America/New_York', topics: [] });
    expect(updated.createdBy).toBe('U0001');
    expect(updated.createdAt).toBe(T0);
    expect(updated.updatedAt).toBe('2026-11-29T07:00:01.000Z');
    expect(store.subscriptions.listActive()).toHaveLength(1);
  });

  it('starts a new subscription (new creator) when a channel re-subscribes after unsubscribing', () => {
    subscribeSlack();
    store.subscriptions.unsubscribe(SLACK_CHANNEL);
    clock.advance(1000);
    const again = subscribeSlack({ userId: 'U0002' });
    expect(again).toMatchObject({ status: 'active', createdBy: 'U0002', createdAt: '2026-11-29T07:00:01.000Z' });
  });

  it('stores the canonical zone name and refuses unknown zones and offsets', () => {
    expect(subscribeSlack({ timeZone: 'europe/berlin' }).timeZone).toBe('Europe/Berlin');
    for (const zone of ['Mars/Olympus', '', '+01:00', 'GMT+1']) {
      expect(() => subscribeSlack({ timeZone: zone }), zone).toThrow(/time zone/);
    }
  });

  it('refuses delivery times that are not HH:MM on a 24-hour clock', () => {
    for (const time of ['8:00', '24:00', '07:60', '0800', '07:00:00', '']) {
      expect(() => subscribeSlack({ time }), time).toThrow(/HH:MM/);
    }
    expect(subscribeSlack({ time: '23:59' }).time).toBe('23:59');
  });

  it('accepts mechanism and agent ids as topics, deduplicated, and refuses free text', () => {
    expect(subscribeSlack({ topics: ['mech-p95her2', 'mech-p95her2'] }).topics).toEqual(['mech-p95her2']);
    expect(() => subscribeSlack({ topics: ['PI3K'] })).toThrow(/mechanism id/);
  });

  it('refuses a channel key of no known platform and an empty user id', () => {
    expect(() => subscribeSlack({ channelKey: 'C0001' })).toThrow(/slack: or teams:/);
    expect(() => subscribeSlack({ userId: '' })).toThrow(/user id/);
    expect(store.subscriptions.get('C0001')).toBeUndefined();
  });

  it('unsubscribes, once, keeping the row', () => {
    subscribeSlack();
    clock.advance(1000);
    expect(store.subscriptions.unsubscribe(SLACK_CHANNEL)).toBe(true);
    expect(store.subscriptions.unsubscribe(SLACK_CHANNEL)).toBe(false);
    expect(store.subscriptions.unsubscribe('slack:T9:C9')).toBe(false);
    expect(store.subscriptions.get(SLACK_CHANNEL)).toMatchObject({
      status: 'unsubscribed',
      updatedAt: '2026-11-29T07:00:01.000Z',
    });
    expect(store.subscriptions.listActive()).toEqual([]);
  });

  it('marks a channel dormant with the first reason and time, and reactivates it', () => {
    subscribeSlack();
    clock.advance(1000);
    expect(store.subscriptions.markDormant(SLACK_CHANNEL, 'channel_not_found')).toBe(true);
    clock.advance(1000);
    expect(store.subscriptions.markDormant(SLACK_CHANNEL, 'not_in_channel')).toBe(true);
    expect(store.subscriptions.get(SLACK_CHANNEL)).toMatchObject({
      status: 'dormant',
      dormant: { reason: 'channel_not_found', since: '2026-11-29T07:00:01.000Z' },
    });
    expect(store.subscriptions.listActive()).toEqual([]);

    expect(store.subscriptions.reactivate(SLACK_CHANNEL)).toBe(true);
    expect(store.subscriptions.reactivate(SLACK_CHANNEL)).toBe(false);
    expect(store.subscriptions.get(SLACK_CHANNEL)).toMatchObject({ status: 'active', dormant: undefined });
  });

  it('does not mark an unsubscribed or unknown channel dormant, and needs a reason', () => {
    subscribeSlack();
    store.subscriptions.unsubscribe(SLACK_CHANNEL);
    expect(store.subscriptions.markDormant(SLACK_CHANNEL, 'channel_not_found')).toBe(false);
    expect(store.subscriptions.markDormant('slack:T9:C9', 'channel_not_found')).toBe(false);
    expect(() => store.subscriptions.markDormant(SLACK_CHANNEL, ' ')).toThrow(/reason/);
    expect(store.subscriptions.get(SLACK_CHANNEL)?.status).toBe('unsubscribed');
  });

  it('lists active subscriptions in key order, optionally for one platform', () => {
    store.subscriptions.subscribe({ channelKey: TEAMS_CHANNEL, time: '09:00', timeZone: 'UTC', userId: 'aad-1' });
    subscribeSlack();
    store.subscriptions.subscribe({
      channelKey: 'slack:T0001:C0002',
      time: '07:00',
      timeZone: 'UTC',
      userId: 'U0003',
    });
    store.subscriptions.markDormant('slack:T0001:C0002', 'not_in_channel');
    expect(store.subscriptions.listActive().map((s) => s.channelKey)).toEqual([SLACK_CHANNEL, TEAMS_CHANNEL]);
    expect(store.subscriptions.listActive('teams').map((s) => s.platform)).toEqual(['teams']);
  });
});
