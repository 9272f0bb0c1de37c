import { beforeEach, expect, it } from 'vitest';
import type { ConversationReferenceJson, Store } from '../src/store/store.ts';
import { describeEngines } from './helpers/store-engines.ts';
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

describeEngines('conversation references', (engine) => {
  let store: Store;
  let clock: ReturnType<typeof manualClock>;
  beforeEach(async () => {
    clock = manualClock();
    store = await engine.open({ now: clock.now });
  });

  it('round-trips the whole reference as JSON, tagged with the SDK', async () => {
    await store.conversations.save(TEAMS_CHANNEL, reference);
    expect(await store.conversations.get(TEAMS_CHANNEL)).toEqual({
      key: TEAMS_CHANNEL,
      reference,
      sdk: 'botbuilder',
      updatedAt: T0,
    });
  });

  it('replaces the reference on a second save', async () => {
    await store.conversations.save(TEAMS_CHANNEL, reference);
    clock.advance(5000);
    const moved = { ...reference, serviceUrl: 'https://smba.trafficmanager.net/amer/' };
    const saved = await store.conversations.save(TEAMS_CHANNEL, moved, { sdk: 'agents' });
    expect(saved).toMatchObject({ sdk: 'agents', updatedAt: '2026-11-29T07:00:05.000Z' });
    expect((await store.conversations.get(TEAMS_CHANNEL))?.reference.serviceUrl).toBe(moved.serviceUrl);
  });

  it('deletes a reference once', async () => {
    await store.conversations.save(TEAMS_CHANNEL, reference);
    expect(await store.conversations.delete(TEAMS_CHANNEL)).toBe(true);
    expect(await store.conversations.delete(TEAMS_CHANNEL)).toBe(false);
    expect(await store.conversations.get(TEAMS_CHANNEL)).toBeUndefined();
  });

  it('refuses a reference without a usable serviceUrl or conversation id', async () => {
    const bad: unknown[] = [
      { ...reference, serviceUrl: 'not a url' },
      { ...reference, serviceUrl: 'ftp://example.org/' },
      { ...reference, conversation: { id: '' } },
      { serviceUrl: reference.serviceUrl },
      null,
    ];
    for (const ref of bad) {
      await expect(store.conversations.save(TEAMS_CHANNEL, ref as ConversationReferenceJson)).rejects.toThrow(
        expect.objectContaining({ code: 'invalid_argument' }),
      );
    }
    expect(await store.conversations.get(TEAMS_CHANNEL)).toBeUndefined();
  });
});
