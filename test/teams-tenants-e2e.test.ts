/**
 * Teams across tenants (a MultiTenant bot): the real bot with Teams authenticated, one connector
 * stand-in per tenant (each tenant's serviceUrl), and both tenants using the same conversation id on
 * purpose, the worst case. Subscriptions, conversation references and digests are keyed by tenant: a
 * digest subscribed in tenant A posts only to tenant A's connector, never to tenant B's.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/logger.ts';
import { type RunningBot, startBot } from '../src/main.ts';
import type { Store } from '../src/store/store.ts';
import { paper, StandInSource, settableClock } from './helpers/digest-literature.ts';
import { tempDir } from './helpers/store-fixture.ts';
import {
  type FakeConnector,
  LocalCredentialsFactory,
  type LocalIdentity,
  messageActivity,
  startFakeConnector,
  startLocalIdentity,
} from './helpers/teams.ts';

const APP_ID = '00000000-0000-0000-0000-0000000000ee';
const TENANT_A = '11111111-aaaa-4aaa-8aaa-111111111111';
const TENANT_B = '22222222-bbbb-4bbb-8bbb-222222222222';
/** The same conversation id in both tenants. */
const SHARED = '19:shared@thread.tacv2';
const keyIn = (tenant: string, conversation = SHARED) => `teams:t:${tenant}:${conversation}`;

const clock = settableClock('2026-11-30T09:00:00.000Z');
const pubmed = new StandInSource('pubmed');
const connectors: Record<string, FakeConnector> = {};
let identity: LocalIdentity;
let folder: ReturnType<typeof tempDir>;
let bot: RunningBot;
let store: Store;

beforeAll(async () => {
  const [a, b, id] = await Promise.all([startFakeConnector(), startFakeConnector(), startLocalIdentity()]);
  connectors[TENANT_A] = a;
  connectors[TENANT_B] = b;
  identity = id;
  folder = tempDir();
  pubmed.items = [paper(99200001, '2026-11-26', 'p95HER2 expression and trastuzumab benefit')];
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PLAYGROUND: 'off',
    DATABASE_PATH: join(folder.dir, 'her2bot.db'),
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'secret',
    MicrosoftAppType: 'MultiTenant',
  });
  bot = await startBot(config, {
    logger: silentLogger,
    teams: { credentialsFactory: new LocalCredentialsFactory(APP_ID), authSettings: identity.authSettings },
    digestSources: [pubmed],
    now: clock.now,
  });
  store = bot.store!;
});

afterAll(async () => {
  await bot?.close();
  await Promise.all([...Object.values(connectors).map((c) => c.close()), identity?.server.close()]);
  folder?.remove();
});

/** `@HER2 Bot <text>` from a tenant, through that tenant's serviceUrl; returns what the bot sent back. */
async function mention(tenant: string, text: string, conversationId = SHARED) {
  const connector = connectors[tenant]!;
  const before = connector.sent().length;
  const activity = messageActivity(connector.serviceUrl, text, { conversationId });
  (activity.conversation as Record<string, unknown>).tenantId = tenant;
  activity.channelData = { tenant: { id: tenant } };
  const res = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    body: JSON.stringify(activity),
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${identity.token({ aud: APP_ID, serviceurl: connector.serviceUrl })}`,
    },
  });
  expect(res.status).toBe(200);
  return JSON.stringify(
    connector
      .sent()
      .slice(before)
      .map((r) => r.body),
  );
}

const slot = (day: string) => new Date(`${day}T07:00:00.000Z`);

describe('two tenants, one conversation id', () => {
  it('keeps a subscription in tenant A to tenant A: tenant B sees none', async () => {
    expect(await mention(TENANT_A, 'digest subscribe 08:00 Europe/Berlin')).toContain('Digest subscribed');
    expect(await mention(TENANT_B, 'p95')).toContain('p95HER2');
    expect(await mention(TENANT_B, 'digest status')).toMatch(/no digest subscription/i);
    expect((await store.subscriptions.get(keyIn(TENANT_A)))?.status).toBe('active');
    expect(await store.subscriptions.get(keyIn(TENANT_B))).toBeUndefined();
    // Each tenant's reference under its own key, with its own serviceUrl.
    expect((await store.conversations.get(keyIn(TENANT_A)))?.reference.serviceUrl).toBe(
      connectors[TENANT_A]!.serviceUrl,
    );
    expect((await store.conversations.get(keyIn(TENANT_B)))?.reference.serviceUrl).toBe(
      connectors[TENANT_B]!.serviceUrl,
    );
  });

  it("posts tenant A's digest to tenant A's connector only, with tenant A's id", async () => {
    for (const c of Object.values(connectors)) c.requests.length = 0;
    clock.set('2026-11-30T07:00:05.000Z');
    expect(await bot.scheduler!.deliver(keyIn(TENANT_A), slot('2026-11-30'))).toMatchObject({ status: 'posted' });
    const [post, ...rest] = connectors[TENANT_A]!.sent();
    expect(rest).toEqual([]);
    expect(decodeURIComponent(post!.path)).toContain(`/v3/conversations/${SHARED}/activities`);
    expect(JSON.stringify(post!.body)).toContain('p95HER2 expression and trastuzumab benefit');
    expect((post!.body.conversation as { tenantId?: string }).tenantId).toBe(TENANT_A);
    expect(connectors[TENANT_B]!.sent()).toEqual([]);
  });

  it('a subscription in tenant B gets its own digest, and each item is posted once per tenant', async () => {
    clock.set('2026-11-30T09:00:00.000Z');
    expect(await mention(TENANT_B, 'digest subscribe 08:00 Europe/Berlin')).toContain('Digest subscribed');
    for (const c of Object.values(connectors)) c.requests.length = 0;
    clock.set('2026-12-01T07:00:05.000Z');
    const a = await bot.scheduler!.deliver(keyIn(TENANT_A), slot('2026-12-01'));
    const b = await bot.scheduler!.deliver(keyIn(TENANT_B), slot('2026-12-01'));
    // A has seen the paper already; B has not: what A was shown says nothing about B.
    expect(a).toMatchObject({ status: 'empty' });
    expect(b).toMatchObject({ status: 'posted' });
    expect(connectors[TENANT_A]!.sent()).toEqual([]);
    expect(connectors[TENANT_B]!.sent()).toHaveLength(1);
    expect((connectors[TENANT_B]!.sent()[0]!.body.conversation as { tenantId?: string }).tenantId).toBe(TENANT_B);
  });

  it('refuses to post a reference of another tenant under a tenant key', async () => {
    // As if a row had been written under tenant A's key with tenant B's reference.
    const other = (await store.conversations.get(keyIn(TENANT_B)))!.reference;
    await store.conversations.save(keyIn(TENANT_A, '19:planted@thread.tacv2'), other as never);
    await store.subscriptions.subscribe({
      channelKey: keyIn(TENANT_A, '19:planted@thread.tacv2'),
      time: '08:00',
      timeZone: 'Europe/Berlin',
      userId: 'U1',
    });
    for (const c of Object.values(connectors)) c.requests.length = 0;
    clock.set('2026-12-02T07:00:05.000Z');
    const result = await bot.scheduler!.deliver(keyIn(TENANT_A, '19:planted@thread.tacv2'), slot('2026-12-02'));
    expect(result).toMatchObject({ status: 'failed' });
    expect(connectors[TENANT_B]!.sent()).toEqual([]);
    expect(connectors[TENANT_A]!.sent()).toEqual([]);
  });
});

describe('a conversation known before keys carried the tenant', () => {
  it('keeps its tenant-less key, so its subscription stays one', async () => {
    const legacy = 'teams:19:legacy@thread.tacv2';
    clock.set('2026-12-02T09:00:00.000Z');
    // The bot's earlier version stored the reference and the subscription under the conversation id alone.
    await mention(TENANT_A, 'p95', '19:legacy@thread.tacv2');
    const saved = (await store.conversations.get(keyIn(TENANT_A, '19:legacy@thread.tacv2')))!.reference;
    await store.conversations.save(legacy, saved as never);
    await store.subscriptions.subscribe({ channelKey: legacy, time: '08:00', timeZone: 'Europe/Berlin', userId: 'U1' });
    const status = await mention(TENANT_A, 'digest status', '19:legacy@thread.tacv2;messageid=1');
    expect(status).toContain('Digest active');
  });
});
