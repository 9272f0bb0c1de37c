/**
 * The store suite runs unchanged on both engines: `describeEngines(title, body)` registers `body`
 * once per engine. SQLite always runs; PostgreSQL runs when TEST_POSTGRES_URL (default: the local
 * server on 127.0.0.1:5432) answers, and is reported as skipped, with the reason, when it does not.
 *
 * Every test file gets a database of its own (`her2_store_<pid>_<random>`, created in beforeAll and
 * dropped in afterAll) and every test a fresh schema in it, so parallel test files and parallel runs
 * on one server never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe } from 'vitest';
import type { Engine } from '../../src/store/engine.ts';
import { openPostgresEngine } from '../../src/store/postgres-engine.ts';
import { openSqliteEngine } from '../../src/store/sqlite-engine.ts';
import { isPostgresUrl, openStore, type Store, type StoreOptions } from '../../src/store/store.ts';
import { tempDir } from './store-fixture.ts';

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Undefined when PostgreSQL answers; otherwise why its tests are skipped. */
export const postgresUnavailable: string | undefined = await probe(POSTGRES_ADMIN_URL);

async function probe(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    const code = (err as { code?: string }).code ?? (err as Error).message;
    return `PostgreSQL is unreachable at ${url.replace(/:[^:@/]*@/, ':***@')} (${code}); start it or set TEST_POSTGRES_URL`;
  } finally {
    await client.end().catch(() => {});
  }
}

export type EngineName = 'sqlite' | 'postgres';

/** One engine as a test sees it, set up by the describe block it was handed to. */
export interface TestEngine {
  readonly name: EngineName;
  /** Opens a store on a fresh, empty database of its own (closed after the test). */
  open(options?: StoreOptions): Promise<Store>;
  /** A fresh, empty database location several stores (or processes) can share within one test. */
  sharedLocation(): Promise<string>;
  /** Opens a store on a location from `sharedLocation()` (closed after the test). */
  openAt(location: string, options?: StoreOptions): Promise<Store>;
  /** The bare engine on a location, unmigrated: for migration tests and for tampering with rows. */
  engineAt(location: string): Promise<Engine>;
}

/** Registers `body` once per engine, as `<title> (sqlite)` and `<title> (postgres)`. */
export function describeEngines(title: string, body: (engine: TestEngine) => void): void {
  const engines: EngineName[] = ['sqlite', 'postgres'];
  describe.each(engines.filter((e) => e !== 'postgres' || !postgresUnavailable))(`${title} (%s)`, (name) =>
    body(useEngine(name)),
  );
  if (postgresUnavailable) {
    describe.skip(`${title} (postgres skipped: ${postgresUnavailable})`, () => body(useEngine('postgres')));
  }
}

/** The engine's hooks for the current describe block: a database per file, a schema per test. */
export function useEngine(name: EngineName): TestEngine {
  const opened: Store[] = [];
  const track = async (store: Promise<Store>) => {
    const s = await store;
    opened.push(s);
    return s;
  };
  const engines: Engine[] = [];
  const engineAt = async (location: string) => {
    const engine = isPostgresUrl(location) ? await openPostgresEngine(location) : openSqliteEngine(location);
    engines.push(engine);
    return engine;
  };
  afterEach(async () => {
    await Promise.all([...opened.splice(0), ...engines.splice(0)].map((s) => s.close()));
  });
  if (name === 'sqlite') {
    let tmp: ReturnType<typeof tempDir> | undefined;
    let files = 0;
    afterAll(() => tmp?.remove());
    return {
      name,
      open: (options) => track(openStore(':memory:', options)),
      sharedLocation: async () => {
        tmp ??= tempDir();
        files++;
        return join(tmp.dir, `shared-${files}.db`);
      },
      openAt: (location, options) => track(openStore(location, options)),
      engineAt,
    };
  }
  // Migrating a schema costs hundreds of ms on a loaded machine: `open()` reuses one migrated schema,
  // emptied before each test; `sharedLocation()` (migration tests, several stores) gets a new one.
  const database = testDatabase();
  let reused: string | undefined;
  beforeAll(async () => {
    await database.create();
    reused = await database.freshSchema();
    await (await openStore(reused)).close();
  });
  afterAll(database.drop);
  return {
    name,
    open: async (options) => {
      await database.empty(reused!);
      return track(openStore(reused!, options));
    },
    sharedLocation: () => database.freshSchema(),
    openAt: (location, options) => track(openStore(location, options)),
    engineAt,
  };
}

/**
 * A PostgreSQL database for one test file and a schema per caller. The URL selects the schema with
 * libpq's `options=-c search_path=…`, which `pg` passes to the server, so the bot's own code (and a
 * child process given the URL) works in it unchanged.
 */
export function testDatabase(prefix = 'her2_store') {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  let schemas = 0;
  let client: pg.Client | undefined;
  /** One connection to the test database for the helper's own statements. */
  const query = async (sql: string) => {
    if (!client) {
      client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
    }
    return client.query(sql);
  };
  const adminQuery = async (sql: string) => {
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };
  return {
    name,
    url: url.toString(),
    create: () => adminQuery(`CREATE DATABASE ${name}`),
    async drop() {
      await client?.end().catch(() => {});
      client = undefined;
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
    /** Creates an empty schema and returns the URL that selects it. */
    async freshSchema(): Promise<string> {
      const schema = `t${++schemas}`;
      await query(`CREATE SCHEMA ${schema}`);
      const withSchema = new URL(url);
      withSchema.searchParams.set('options', `-c search_path=${schema}`);
      return withSchema.toString();
    },
    /** Deletes every row of a schema's tables but the migration ledger. */
    async empty(schemaUrl: string): Promise<void> {
      const schema = new URL(schemaUrl).searchParams.get('options')!.split('=')[1]!;
      const { rows } = await query(
        `SELECT tablename FROM pg_tables WHERE schemaname = '${schema}' AND tablename <> 'schema_migrations'`,
      );
      if (rows.length === 0) return;
      const tables = rows.map((r: { tablename: string }) => `${schema}.${r.tablename}`).join(', ');
      await query(`TRUNCATE ${tables} RESTART IDENTITY CASCADE`);
    },
  };
}
