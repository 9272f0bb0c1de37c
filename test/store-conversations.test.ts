import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConversationReferenceJson, openStore, type Store } from '../src/store/store.ts';
import { manualClock, T0, TEAMS_CHANNEL } from './helpers/store-fixture.ts';

/** Shaped like `TurnContext.getConversationReference(activity)` for a Teams channel. */
const reference = {
  activityId: 'f:123',
  user: { id: '29:user', name: 'Dr Example', aadObjectId: 'aad-1' },
  bot: { id: '28:bot', name: 'her2-bot' },
  conversation: { id: '19:abc@thread.tacv2', isGroup: true, conversationType: 'channel', tenantId: 'tenant-1' },
  channelId: 'msteams',
  locale: 'en-US',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
};

describe('conversation references', () => {
  let store: Store;
  let clock: ReturnType<typeof manualClock>;
  beforeEach(() => {
    clock = manualClock();
    store = openStore(':memory:', { now: clock.now });
  });
  afterEach(() => store.close());

  it('round-trips the whole reference as JSON, tagged with the SDK', () => {
    store.conversations.save(TEAMS_CHANNEL, reference);
    expect(store.conversations.get(TEAMS_CHANNEL)).toEqual({
      key: TEAMS_CHANNEL,
      reference,
      sdk: 'botbuilder',
      updatedAt: T0,
    });
  });

  it('replaces the reference on a second save', () => {
    store.conversations.save(TEAMS_CHANNEL, reference);
    clock.advance(5000);
    const moved = { ...reference, serviceUrl: 'https://smba.trafficmanager.net/amer/' };
    const saved = store.conversations.save(TEAMS_CHANNEL, moved, { sdk: 'agents' });
    expect(saved).toMatchObject({ sdk: 'agents', updatedAt: '2026-11-29T07:00:05.000Z' });
    expect(store.conversations.get(TEAMS_CHANNEL)?.reference.serviceUrl).toBe(moved.serviceUrl);
  });

  it('deletes a reference once', () => {
    store.conversations.save(TEAMS_CHANNEL, reference);
    expect(store.conversations.delete(TEAMS_CHANNEL)).toBe(true);
    expect(store.conversations.delete(TEAMS_CHANNEL)).toBe(false);
    expect(store.conversations.get(TEAMS_CHANNEL)).toBeUndefined();
  });

  it('refuses a reference without a usable serviceUrl or conversation id', () => {
    const bad: unknown[] = [
      { ...reference, serviceUrl: 'not a url' },
      { ...reference, serviceUrl: 'ftp://example.org/' },
      { ...reference, conversation: { id: '' } },
      { serviceUrl: reference.serviceUrl },
      null,
    ];
    for (const ref of bad) {
      expect(() => store.conversations.save(TEAMS_CHANNEL, ref as ConversationReferenceJson)).toThrow(
        expect.objectContaining({ code: 'invalid_argument' }),
      );
    }
    expect(store.conversations.get(TEAMS_CHANNEL)).toBeUndefined();
  });
});
