import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/logger.ts';
import { migrate } from '../src/store/migrate.ts';
import { MIGRATIONS, type Migration } from '../src/store/migrations.ts';
import { openStore, StoreError } from '../src/store/store.ts';
import { describeEngines } from './helpers/store-engines.ts';
import { captureLogger, manualClock, T0, tempDir } from './helpers/store-fixture.ts';

const LATEST = MIGRATIONS.length;
const now = () => new Date(T0);

/** A further step, in both dialects. */
function step(name: string, sql: string, postgres = sql): Migration {
  return { version: LATEST + 1, name, sqlite: sql, postgres };
}

describeEngines('openStore', (engine) => {
  it('opens a database at the latest schema version', async () => {
    const store = await engine.open();
    expect(store.dialect).toBe(engine.name);
    expect(store.schemaVersion).toBe(LATEST);
    expect(await store.subscriptions.listActive()).toEqual([]);
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('runs each migration once; reopening applies nothing and keeps the data', async () => {
    const location = await engine.sharedLocation();
    const first = captureLogger();
    const clock = manualClock();
    const store = await engine.openAt(location, { logger: first.logger, now: clock.now });
    expect(first.messages().filter((m) => m === 'store: migration applied')).toHaveLength(LATEST);
    await store.subscriptions.subscribe({ channelKey: 'slack:T1:C1', time: '08:00', timeZone: 'UTC', userId: 'U1' });
    await store.close();

    clock.advance(60_000);
    const second = captureLogger();
    const reopened = await engine.openAt(location, { logger: second.logger, now: clock.now });
    expect(second.messages()).not.toContain('store: migration applied');
    expect((await reopened.subscriptions.get('slack:T1:C1'))?.createdAt).toBe(T0);

    const raw = await engine.engineAt(location);
    const ledger = await raw.all('SELECT version, applied_at FROM schema_migrations ORDER BY version');
    expect(ledger).toEqual(MIGRATIONS.map((m) => ({ version: m.version, applied_at: T0 })));
  });

  it('migrates once when several processes open a new database together', async () => {
    const location = await engine.sharedLocation();
    const logs = [captureLogger(), captureLogger(), captureLogger()];
    const stores = await Promise.all(logs.map((log) => engine.openAt(location, { logger: log.logger })));
    const applied = logs.flatMap((log) => log.messages()).filter((m) => m === 'store: migration applied');
    expect(applied).toHaveLength(LATEST);
    for (const store of stores) expect(store.schemaVersion).toBe(LATEST);
  });

  it('refuses a database migrated by a newer build, and leaves it untouched', async () => {
    const location = await engine.sharedLocation();
    await (await engine.openAt(location)).close();
    const raw = await engine.engineAt(location);
    await raw.run("INSERT INTO schema_migrations VALUES (@version, 'from the future', @at)", {
      version: LATEST + 1,
      at: T0,
    });

    const error = await openStore(location).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'schema_too_new' });
    expect((error as Error).message).toMatch(`schema version ${LATEST + 1}`);
    expect(await raw.all('SELECT CAST(count(*) AS INTEGER) AS n FROM schema_migrations')).toEqual([{ n: LATEST + 1 }]);
  });

  it('refuses a database whose recorded history differs from this build', async () => {
    const location = await engine.sharedLocation();
    await (await engine.openAt(location)).close();
    const raw = await engine.engineAt(location);
    await raw.run("UPDATE schema_migrations SET name = 'something else' WHERE version = 1");
    await expect(openStore(location)).rejects.toMatchObject({ code: 'schema_mismatch' });
  });

  it('close() can be called twice', async () => {
    const store = await engine.open();
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
  });
});

describeEngines('migrations', (engine) => {
  it('are numbered 1..n in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('apply only the steps a database lacks when the list grows', async () => {
    const db = await engine.engineAt(await engine.sharedLocation());
    await migrate(db, { logger: silentLogger, now });
    const next = step('add a column', 'ALTER TABLE tag_mutes ADD note TEXT');
    expect(await migrate(db, { logger: silentLogger, now, migrations: [...MIGRATIONS, next] })).toBe(LATEST + 1);
    expect(await db.all('SELECT max(version) AS v FROM schema_migrations')).toEqual([{ v: LATEST + 1 }]);
  });

  it('roll a failing step back completely', async () => {
    const db = await engine.engineAt(await engine.sharedLocation());
    const broken = step(
      'broken',
      'CREATE TABLE half_done (x); SELECT nonsense FROM nowhere',
      'CREATE TABLE half_done (x INTEGER); SELECT nonsense FROM nowhere',
    );
    await expect(migrate(db, { logger: silentLogger, now, migrations: [...MIGRATIONS, broken] })).rejects.toThrow(
      /nowhere/,
    );
    await expect(db.all('SELECT * FROM half_done')).rejects.toThrow(/half_done/);
    expect(await db.all('SELECT max(version) AS v FROM schema_migrations')).toEqual([{ v: LATEST }]);
  });

  it('drop the never-read source watermarks (migration 7), leaving every other table as it was', async () => {
    const location = await engine.sharedLocation();
    const v6 = await engine.engineAt(location);
    const before = MIGRATIONS.findIndex((m) => m.name === 'no source watermarks');
    expect(MIGRATIONS[before]?.version).toBe(7);
    await migrate(v6, { logger: silentLogger, now, migrations: MIGRATIONS.slice(0, before) });
    await v6.run("INSERT INTO source_watermarks VALUES ('pubmed', @t, @t)", { t: T0 });
    await v6.run("INSERT INTO tag_mutes VALUES ('slack:T0001:C0001', 'agent-t-dm1', 'U1', @t)", { t: T0 });

    const store = await engine.openAt(location, { now });
    expect(store.schemaVersion).toBe(LATEST);
    await expect(v6.all('SELECT * FROM source_watermarks')).rejects.toThrow(/source_watermarks/);
    expect((await store.mutes.list('slack:T0001:C0001')).map((m) => m.tag)).toEqual(['agent-t-dm1']);
  });

  it('upgrade a version-1 database to opaque keys: the platform column goes, rows and their runs stay', async () => {
    const location = await engine.sharedLocation();
    const v1 = await engine.engineAt(location);
    await migrate(v1, { logger: silentLogger, now, migrations: MIGRATIONS.slice(0, 1) });
    for (const [key, platform] of [
      ['slack:T0001:C0001', 'slack'],
      ['teams:19:abc@thread.tacv2', 'teams'],
    ] as const) {
      await v1.run(
        `INSERT INTO subscriptions (channel_key, platform, time, time_zone, status, created_at, created_by, updated_at)
         VALUES (@key, @platform, '08:00', 'UTC', 'active', @t, 'U1', @t)`,
        { key, platform, t: T0 },
      );
    }
    await v1.run(
      `INSERT INTO digest_runs (channel_key, scheduled_for, status, attempt, claimed_by, claimed_at, lease_until,
                                finished_at, created_at, updated_at)
       VALUES ('slack:T0001:C0001', @t, 'posted', 1, 'old', @t, @t, @t, @t, @t)`,
      { t: T0 },
    );
    await v1.run("INSERT INTO posted_items VALUES ('slack:T0001:C0001', 'pmid:1', @t, 1)", { t: T0 });

    const store = await engine.openAt(location, { now });
    expect(store.schemaVersion).toBe(LATEST);
    expect((await store.subscriptions.listActive()).map((s) => s.channelKey)).toEqual([
      'slack:T0001:C0001',
      'teams:19:abc@thread.tacv2',
    ]);
    // Rebuilding the parent table did not cascade into its children.
    expect(await store.runs.lastSuccessfulRun('slack:T0001:C0001')).toMatchObject({ status: 'posted' });
    expect(await store.postedItems.filterUnposted('slack:T0001:C0001', ['pmid:1', 'pmid:2'])).toEqual(['pmid:2']);
    if (engine.name === 'sqlite') expect((await store.diagnostics()).foreignKeys).toBe(true);
    const [row] = await v1.all<Record<string, unknown>>('SELECT * FROM subscriptions LIMIT 1');
    expect(Object.keys(row!)).not.toContain('platform');
  });

  it('reject a list with a gap before touching the database', async () => {
    const db = await engine.engineAt(await engine.sharedLocation());
    const gap = [...MIGRATIONS, { ...step('skipped one', 'SELECT 1'), version: LATEST + 2 }];
    await expect(migrate(db, { logger: silentLogger, now, migrations: gap })).rejects.toThrow(/1\.\.n/);
    await expect(db.all('SELECT * FROM schema_migrations')).rejects.toThrow(/schema_migrations/);
  });
});

describe('openStore on a PostgreSQL URL that cannot be used', () => {
  it('stops with one line naming DATABASE_URL (without its password), the problem and the fix', async () => {
    const refused = await openStore('postgres://bot:secret@127.0.0.1:1/her2bot').catch((err: unknown) => err);
    expect(refused).toMatchObject({ code: 'unusable' });
    expect((refused as Error).message).toBe(
      'DATABASE_URL=postgres://bot:***@127.0.0.1:1/her2bot: nothing accepts connections there (ECONNREFUSED); is PostgreSQL running, and are host and port right?',
    );
  });
});

describe('openStore on a SQLite file', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.remove());

  it('opens :memory: and names where the data is', async () => {
    const store = await openStore(':memory:');
    expect(store.location).toBe(':memory:');
    await store.close();
  });

  it('creates the parent folders of a file database', async () => {
    const path = join(tmp.dir, 'nested', 'deeper', 'her2bot.db');
    const store = await openStore(path);
    expect(existsSync(path)).toBe(true);
    expect(store.location).toBe(path);
    await store.close();
  });

  it('turns on WAL, foreign keys and a busy timeout', async () => {
    const path = join(tmp.dir, 'bot.db');
    const store = await openStore(path, { busyTimeoutMs: 1234 });
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
    expect(await store.diagnostics()).toEqual({
      journalMode: 'wal',
      foreignKeys: true,
      busyTimeoutMs: 1234,
      synchronous: 'full',
    });
    await store.close();
  });
});
