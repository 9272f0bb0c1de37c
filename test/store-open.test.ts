import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/logger.ts';
import { migrate } from '../src/store/migrate.ts';
import { MIGRATIONS } from '../src/store/migrations.ts';
import { openStore, StoreError } from '../src/store/store.ts';
import { captureLogger, manualClock, T0, tempDir } from './helpers/store-fixture.ts';

const LATEST = MIGRATIONS.length;

describe('openStore', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(() => tmp.remove());

  it('opens an in-memory database at the latest schema version', () => {
    const store = openStore(':memory:');
    expect(store.path).toBe(':memory:');
    expect(store.schemaVersion).toBe(LATEST);
    expect(store.subscriptions.listActive()).toEqual([]);
    store.close();
  });

  it('creates the parent folders of a file database', () => {
    const path = join(tmp.dir, 'nested', 'deeper', 'her2bot.db');
    const store = openStore(path);
    expect(existsSync(path)).toBe(true);
    store.close();
  });

  it('turns on WAL, foreign keys and a busy timeout', () => {
    const path = join(tmp.dir, 'bot.db');
    const store = openStore(path, { busyTimeoutMs: 1234 });
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
    expect(store.diagnostics()).toEqual({
      journalMode: 'wal',
      foreignKeys: true,
      busyTimeoutMs: 1234,
      synchronous: 'full',
    });
    store.close();
  });

  it('runs each migration once; reopening applies nothing and keeps the data', () => {
    const path = join(tmp.dir, 'bot.db');
    const first = captureLogger();
    const clock = manualClock();
    const store = openStore(path, { logger: first.logger, now: clock.now });
    expect(first.messages().filter((m) => m === 'store: migration applied')).toHaveLength(LATEST);
    store.watermarks.set('pubmed', T0);
    store.close();

    clock.advance(60_000);
    const second = captureLogger();
    const reopened = openStore(path, { logger: second.logger, now: clock.now });
    expect(second.messages()).not.toContain('store: migration applied');
    expect(reopened.watermarks.get('pubmed')?.windowEnd).toBe(T0);
    reopened.close();

    const raw = new Database(path, { readonly: true });
    const ledger = raw.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all();
    raw.close();
    expect(ledger).toEqual(MIGRATIONS.map((m) => ({ version: m.version, applied_at: T0 })));
  });

  it('refuses a database migrated by a newer build, and leaves it untouched', () => {
    const path = join(tmp.dir, 'bot.db');
    openStore(path).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO schema_migrations VALUES (?, 'from the future', ?)").run(LATEST + 1, T0);
    raw.close();

    const error = catchError(() => openStore(path));
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'schema_too_new' });
    expect((error as Error).message).toMatch(`schema version ${LATEST + 1}`);

    const check = new Database(path, { readonly: true });
    expect(check.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: LATEST + 1 });
    check.close();
  });

  it('refuses a database whose recorded history differs from this build', () => {
    const path = join(tmp.dir, 'bot.db');
    openStore(path).close();
    const raw = new Database(path);
    raw.prepare("UPDATE schema_migrations SET name = 'something else' WHERE version = 1").run();
    raw.close();
    expect(catchError(() => openStore(path))).toMatchObject({ code: 'schema_mismatch' });
  });

  it('close() can be called twice', () => {
    const store = openStore(':memory:');
    store.close();
    expect(() => store.close()).not.toThrow();
  });
});

describe('migrations', () => {
  it('are numbered 1..n in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('apply only the steps a database lacks when the list grows', () => {
    const db = new Database(':memory:');
    const now = () => new Date(T0);
    migrate(db, { logger: silentLogger, now });
    const next = { version: LATEST + 1, name: 'add a column', sql: 'ALTER TABLE source_watermarks ADD note TEXT' };
    expect(migrate(db, { logger: silentLogger, now, migrations: [...MIGRATIONS, next] })).toBe(LATEST + 1);
    expect(db.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: LATEST + 1 });
    db.close();
  });

  it('roll a failing step back completely', () => {
    const db = new Database(':memory:');
    const now = () => new Date(T0);
    const broken = {
      version: LATEST + 1,
      name: 'broken',
      sql: 'CREATE TABLE half_done (x); SELECT nonsense FROM nowhere',
    };
    expect(() => migrate(db, { logger: silentLogger, now, migrations: [...MIGRATIONS, broken] })).toThrow(/nowhere/);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_done'").get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: LATEST });
    db.close();
  });

  it('upgrade a version-1 database to opaque keys: the platform column goes, rows and their runs stay', () => {
    const tmp = tempDir();
    try {
      const path = join(tmp.dir, 'v1.sqlite');
      const v1 = new Database(path);
      v1.pragma('foreign_keys = ON');
      migrate(v1, { logger: silentLogger, now: () => new Date(T0), migrations: MIGRATIONS.slice(0, 1) });
      const subscribe = v1.prepare(
        `INSERT INTO subscriptions (channel_key, platform, time, time_zone, status, created_at, created_by, updated_at)
         VALUES (?, ?, '08:00', 'UTC', 'active', @t, 'U1', @t)`.replaceAll('@t', `'${T0}'`),
      );
      subscribe.run('slack:T0001:C0001', 'slack');
      subscribe.run('teams:19:abc@thread.tacv2', 'teams');
      v1.prepare(
        `INSERT INTO digest_runs (channel_key, scheduled_for, status, attempt, claimed_by, claimed_at, lease_until,
                                  finished_at, created_at, updated_at)
         VALUES ('slack:T0001:C0001', @t, 'posted', 1, 'old', @t, @t, @t, @t, @t)`.replaceAll('@t', `'${T0}'`),
      ).run();
      v1.prepare(`INSERT INTO posted_items VALUES ('slack:T0001:C0001', 'pmid:1', '${T0}', 1)`).run();
      v1.close();

      const store = openStore(path, { now: () => new Date(T0) });
      expect(store.schemaVersion).toBe(LATEST);
      expect(store.subscriptions.listActive().map((s) => s.channelKey)).toEqual([
        'slack:T0001:C0001',
        'teams:19:abc@thread.tacv2',
      ]);
      // Rebuilding the parent table did not cascade into its children.
      expect(store.runs.lastSuccessfulRun('slack:T0001:C0001')).toMatchObject({ status: 'posted' });
      expect(store.postedItems.filterUnposted('slack:T0001:C0001', ['pmid:1', 'pmid:2'])).toEqual(['pmid:2']);
      expect(store.diagnostics().foreignKeys).toBe(true);
      store.close();

      const raw = new Database(path, { readonly: true });
      const columns = raw.prepare<[], { name: string }>('PRAGMA table_info(subscriptions)').all();
      expect(columns.map((c) => c.name)).not.toContain('platform');
      expect(
        raw
          .prepare<[], { name: string }>('PRAGMA index_list(subscriptions)')
          .all()
          .map((i) => i.name),
      ).toContain('subscriptions_by_status');
      raw.close();
    } finally {
      tmp.remove();
    }
  });

  it('reject a list with a gap before touching the database', () => {
    const db = new Database(':memory:');
    const gap = [...MIGRATIONS, { version: LATEST + 2, name: 'skipped one', sql: 'SELECT 1' }];
    expect(() => migrate(db, { logger: silentLogger, now: () => new Date(T0), migrations: gap })).toThrow(/1\.\.n/);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get()).toEqual({ n: 0 });
    db.close();
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}
