/**
 * The shared engine: PostgreSQL through a `pg` connection pool, chosen by DATABASE_URL, for several
 * bot replicas on one database. Statements are the repositories' shared SQL with `@name` placeholders
 * compiled to `$1…` once per statement text.
 */
import pg from 'pg';
import { type Logger, silentLogger } from '../logger.ts';
import { LruCache } from '../util/lru.ts';
import { redactUrl } from './database-url.ts';
import type { Engine, Executor, Params } from './engine.ts';
import { StoreError } from './errors.ts';

export interface PostgresOptions {
  logger?: Logger;
  /** Connections in the pool; the bot's writes are short, a few suffice for a replica. */
  poolSize?: number;
}

/** Opens a pool and checks the database answers, so a bad DATABASE_URL stops the bot at start. */
export async function openPostgresEngine(url: string, options: PostgresOptions = {}): Promise<Engine> {
  const logger = options.logger ?? silentLogger;
  const location = redactUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    application_name: 'her2-bot',
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection the server closed (a restart, a failover) must not end the process: the pool
  // drops it and the next query opens another.
  pool.on('error', (err) => logger.warn({ code: (err as { code?: string }).code }, 'store: idle connection lost'));
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end().catch(() => {});
    throw explainPostgresFailure(location, err);
  }
  return new PostgresEngine(pool, location);
}

const compiled = new LruCache<string, { text: string; names: string[] }>(1000);

/** `@name` → `$n` (the same name, the same number) and the order to pass the values in. */
function compile(sql: string): { text: string; names: string[] } {
  return compiled.getOrSet(sql, () => {
    const names: string[] = [];
    const text = sql.replace(/@([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
      const at = names.indexOf(name);
      if (at >= 0) return `$${at + 1}`;
      names.push(name);
      return `$${names.length}`;
    });
    return { text, names };
  });
}

function values(names: readonly string[], params: Params | undefined): unknown[] {
  return names.map((name) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`missing SQL parameter @${name}`);
    return value;
  });
}

function executor(client: pg.Pool | pg.PoolClient): Executor {
  return {
    async all<Row>(sql: string, params?: Params) {
      const { text, names } = compile(sql);
      return (await client.query(text, values(names, params))).rows as Row[];
    },
    async run(sql: string, params?: Params) {
      const { text, names } = compile(sql);
      return (await client.query(text, values(names, params))).rowCount ?? 0;
    },
    async exec(sql: string) {
      await client.query(sql);
    },
  };
}

class PostgresEngine implements Engine {
  readonly dialect = 'postgres';
  private readonly direct: Executor;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {
    this.direct = executor(pool);
  }

  all<Row>(sql: string, params?: Params): Promise<Row[]> {
    return this.direct.all<Row>(sql, params);
  }

  run(sql: string, params?: Params): Promise<number> {
    return this.direct.run(sql, params);
  }

  exec(sql: string): Promise<void> {
    return this.direct.exec(sql);
  }

  async transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      try {
        const result = await fn(executor(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      }
    } finally {
      client.release();
    }
  }

  /**
   * A session advisory lock on a connection of its own, keyed by the schema, so replicas starting
   * together migrate one after the other (the second finds nothing left to do) while databases or
   * schemas of unrelated deployments never wait for each other.
   */
  async withMigrationLock<T>(fn: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const key = "hashtext(current_database() || '.' || current_schema() || ':her2-bot migrations')";
    try {
      await client.query(`SELECT pg_advisory_lock(${key})`);
      try {
        return await fn();
      } finally {
        await client.query(`SELECT pg_advisory_unlock(${key})`);
      }
    } finally {
      client.release();
    }
  }

  withForeignKeysOff<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async diagnostics(): Promise<Record<string, string | number | boolean>> {
    const { rows } = await this.pool.query<{ version: string; schema: string }>(
      "SELECT current_setting('server_version') AS version, current_schema() AS schema",
    );
    return {
      serverVersion: rows[0]?.version ?? 'unknown',
      schema: rows[0]?.schema ?? 'unknown',
      poolSize: this.pool.options.max,
      connections: this.pool.totalCount,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/** Why the first query failed, in words that name DATABASE_URL and the fix. */
function explainPostgresFailure(location: string, err: unknown): StoreError {
  const e = err as { code?: string; message?: string };
  const code = e.code ?? '';
  const problem =
    code === 'ECONNREFUSED'
      ? 'nothing accepts connections there (ECONNREFUSED); is PostgreSQL running, and are host and port right?'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? `the host name does not resolve (${code})`
        : code === '28P01' || code === '28000'
          ? `PostgreSQL refused the login (${code}): check the user and password`
          : code === '3D000'
            ? 'the database does not exist: create it (createdb) or fix the name in the URL'
            : `cannot connect (${code || e.message || 'error'})`;
  return new StoreError('unusable', `DATABASE_URL=${location}: ${problem}`, { cause: err });
}
