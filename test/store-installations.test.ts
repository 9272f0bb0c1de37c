/**
 * OAuth installs in the store, on both engines: sealed on the way in, opened on the way out, resealed
 * after a key rotation; and a workspace leaving pauses exactly its subscriptions, coming back resumes
 * exactly those.
 */
import { randomBytes } from 'node:crypto';
import { beforeEach, expect, it } from 'vitest';
import { SealedInstalls } from '../src/installs/sealed-installs.ts';
import { workspaceInstalled, workspaceRemoved } from '../src/installs/workspace-lifecycle.ts';
import type { Store } from '../src/store/store.ts';
import { parseSealingKey, SealedBox, UnsealError } from '../src/util/sealed-box.ts';
import { describeEngines } from './helpers/store-engines.ts';
import { captureLogger, manualClock } from './helpers/store-fixture.ts';

const key = (id: string) => parseSealingKey(`${id}:${randomBytes(32).toString('base64')}`, 'TEST_KEY');
const INSTALL = { team: { id: 'T1', name: 'Lab' }, bot: { token: 'xoxb-t1', userId: 'UB' } };

describeEngines('installations', (engine) => {
  let store: Store;
  let clock: ReturnType<typeof manualClock>;
  beforeEach(async () => {
    clock = manualClock();
    store = await engine.open({ now: clock.now });
  });

  it('keeps only the sealed form, under the key id, and gives the install back whole', async () => {
    const installs = new SealedInstalls(store.installations, new SealedBox(key('k1')));
    await installs.save('slack:T1', INSTALL);
    const row = await store.installations.get('slack:T1');
    expect(row?.keyId).toBe('k1');
    expect(row?.sealed).not.toContain('xoxb');
    expect(await installs.load('slack:T1')).toEqual(INSTALL);
    expect(await installs.load('slack:T2')).toBeUndefined();
  });

  it('a reinstall replaces the tokens and keeps the first install time', async () => {
    const installs = new SealedInstalls(store.installations, new SealedBox(key('k1')));
    await installs.save('slack:T1', INSTALL);
    clock.advance(60_000);
    await installs.save('slack:T1', { ...INSTALL, bot: { token: 'xoxb-new', userId: 'UB' } });
    const row = (await store.installations.get('slack:T1'))!;
    expect(row.createdAt < row.updatedAt).toBe(true);
    expect(((await installs.load('slack:T1')) as typeof INSTALL).bot.token).toBe('xoxb-new');
    expect(await installs.remove('slack:T1')).toBe(true);
    expect(await installs.remove('slack:T1')).toBe(false);
  });

  it('a row moved under another key does not open', async () => {
    const installs = new SealedInstalls(store.installations, new SealedBox(key('k1')));
    await installs.save('slack:T1', INSTALL);
    const row = (await store.installations.get('slack:T1'))!;
    await store.installations.save('slack:T2', { keyId: row.keyId, sealed: row.sealed });
    await expect(installs.load('slack:T2')).rejects.toThrow(UnsealError);
  });

  it('after a rotation, resealAll moves every install to the new key; a reseal never overwrites newer tokens', async () => {
    const k1 = key('k1');
    const k2 = key('k2');
    const before = new SealedInstalls(store.installations, new SealedBox(k1));
    await before.save('slack:T1', INSTALL);
    await before.save('slack:T2', { ...INSTALL, team: { id: 'T2', name: 'Other' } });
    const { logger } = captureLogger();
    const after = new SealedInstalls(store.installations, new SealedBox(k2, [k1]));
    expect(await store.installations.sealedWithOtherKey('k2')).toHaveLength(2);
    expect(await after.resealAll(logger)).toEqual({ resealed: 2, unreadable: 0 });
    expect(await store.installations.sealedWithOtherKey('k2')).toEqual([]);
    // Now the old key can go.
    expect(await new SealedInstalls(store.installations, new SealedBox(k2)).load('slack:T1')).toEqual(INSTALL);
    // Compare-and-set: a stale sealed value does not replace the current one.
    const current = (await store.installations.get('slack:T1'))!;
    expect(await store.installations.replaceSealed('slack:T1', 'v1.k1.stale.value', { keyId: 'k2', sealed: 'x' })).toBe(
      false,
    );
    expect((await store.installations.get('slack:T1'))?.sealed).toBe(current.sealed);
  });

  it('counts and logs an install whose key is gone, and leaves it for the operator', async () => {
    await new SealedInstalls(store.installations, new SealedBox(key('lost'))).save('slack:T1', INSTALL);
    const { logger, lines } = captureLogger();
    const installs = new SealedInstalls(store.installations, new SealedBox(key('k2')));
    expect(await installs.resealAll(logger)).toEqual({ resealed: 0, unreadable: 1 });
    expect(lines.at(-1)).toMatchObject({ installationKey: 'slack:T1', keyId: 'lost' });
    expect(JSON.stringify(lines)).not.toContain('xoxb');
    expect((await store.installations.get('slack:T1'))?.keyId).toBe('lost');
  });

  it('a workspace leaving pauses only its own active subscriptions and deletes its tokens; coming back resumes those', async () => {
    const installs = new SealedInstalls(store.installations, new SealedBox(key('k1')));
    await installs.save('slack:T1', INSTALL);
    await installs.save('slack:T10', INSTALL);
    for (const channelKey of ['slack:T1:C1', 'slack:T1:C2', 'slack:T10:C1', 'teams:19:x@thread.tacv2']) {
      await store.subscriptions.subscribe({ channelKey, time: '08:00', timeZone: 'Europe/Berlin', userId: 'U1' });
    }
    await store.subscriptions.markDormant('slack:T1:C2', 'channel_not_found');
    const result = await workspaceRemoved(store, installs, {
      installationKeys: ['slack:T1'],
      conversationPrefix: 'slack:T1:',
      reason: 'app_uninstalled',
    });
    expect(result).toEqual({ tokensDeleted: 1, subscriptionsPaused: 1 });
    const status = async (k: string) => (await store.subscriptions.get(k))?.dormant?.reason ?? 'active';
    expect(await status('slack:T1:C1')).toBe('app_uninstalled');
    expect(await status('slack:T1:C2')).toBe('channel_not_found');
    // T10 shares the characters "slack:T1" but not the prefix "slack:T1:".
    expect(await status('slack:T10:C1')).toBe('active');
    expect(await status('teams:19:x@thread.tacv2')).toBe('active');
    expect(await installs.load('slack:T10')).toBeDefined();

    expect(await workspaceInstalled(store, 'slack:T1:')).toBe(1);
    expect(await status('slack:T1:C1')).toBe('active');
    expect(await status('slack:T1:C2')).toBe('channel_not_found');
  });
});
