/**
 * The default engine: one SQLite file through better-sqlite3, which is synchronous; its answers are
 * handed back as promises so the repositories are the same for both engines.
 *
 * Several bot processes may share the file: WAL lets readers and the one writer proceed together,
 * `busy_timeout` makes a writer wait for the lock instead of failing, and every transaction begins
 * IMMEDIATE, because a deferred one that upgrades to a write lock fails at once with SQLITE_BUSY
 * under WAL instead of waiting.
 *
 * Within one process, while a transaction awaits between its statements, every other caller of the
 * same file waits for it to end: on the same connection its statements must not interleave with
 * someone else's, and a second connection's BEGIN IMMEDIATE would block the one thread that could
 * finish the first (until busy_timeout, then SQLITE_BUSY). Hence one turn per file, shared by every
 * connection this process opens on it.
 */
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { type Logger, silentLogger } from '../logger.ts';
import { LruCache } from '../util/lru.ts';
import { explainSqliteFailure, prepareDatabaseFolder } from './database-file.ts';
import type { Engine, Executor, Params } from './engine.ts';

export interface SqliteOptions {
  logger?: Logger;
  /** How long a write waits for another connection's lock before failing. */
  busyTimeoutMs?: number;
}

const IN_MEMORY = ':memory:';

export function openSqliteEngine(path: string, options: SqliteOptions = {}): Engine {
  const logger = options.logger ?? silentLogger;
  if (path !== IN_MEMORY) prepareDatabaseFolder(path);
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (err) {
    throw explainSqliteFailure(path, err);
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    const journal = db.pragma('journal_mode = WAL', { simple: true });
    if (path !== IN_MEMORY && journal !== 'wal') {
      logger.warn({ path, journal }, 'store: WAL mode unavailable; concurrent bot processes will block each other');
    }
    // FULL, not NORMAL: a handful of writes a day, and a committed "posted" must survive a power cut.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
  } catch (err) {
    db.close();
    throw explainSqliteFailure(path, err);
  }
  return new SqliteEngine(db, path, path === IN_MEMORY ? { current: undefined } : turnOf(resolve(path)));
}

/** Set while a transaction runs on the file: resolves when it ends. */
interface Turn {
  current: Promise<void> | undefined;
}

const turns = new Map<string, Turn>();

function turnOf(file: string): Turn {
  let turn = turns.get(file);
  if (!turn) {
    turn = { current: undefined };
    turns.set(file, turn);
  }
  return turn;
}

class SqliteEngine implements Engine {
  readonly dialect = 'sqlite';
  private readonly statements = new LruCache<string, Database.Statement>(500);
  /** Runs statements at once, for the transaction that holds the connection. */
  private readonly direct: Executor = {
    all: async <Row>(sql: string, params?: Params) => this.prepare(sql).all(...args(params)) as Row[],
    run: async (sql: string, params?: Params) => this.prepare(sql).run(...args(params)).changes,
    exec: async (sql: string) => {
      this.db.exec(sql);
    },
  };

  constructor(
    private readonly db: Database.Database,
    readonly location: string,
    private readonly turn: Turn,
  ) {}

  async all<Row>(sql: string, params?: Params): Promise<Row[]> {
    while (this.turn.current) await this.turn.current;
    return this.direct.all<Row>(sql, params);
  }

  async run(sql: string, params?: Params): Promise<number> {
    while (this.turn.current) await this.turn.current;
    return this.direct.run(sql, params);
  }

  async exec(sql: string): Promise<void> {
    while (this.turn.current) await this.turn.current;
    return this.direct.exec(sql);
  }

  async transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T> {
    // The wait and the taking of the turn in one synchronous step: another caller resuming from the
    // same wait must find the turn taken. (The waits are written out, not in a helper, for that reason.)
    while (this.turn.current) await this.turn.current;
    let end!: () => void;
    this.turn.current = new Promise((done) => {
      end = done;
    });
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.direct);
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    } finally {
      this.turn.current = undefined;
      end();
    }
  }

  withMigrationLock<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  async withForeignKeysOff<T>(fn: () => Promise<T>): Promise<T> {
    while (this.turn.current) await this.turn.current;
    const was = this.db.pragma('foreign_keys', { simple: true }) === 1;
    if (!was) return fn();
    this.db.pragma('foreign_keys = OFF');
    try {
      return await fn();
    } finally {
      this.db.pragma('foreign_keys = ON');
    }
  }

  async ping(): Promise<void> {
    await this.all('SELECT 1');
  }

  async diagnostics(): Promise<Record<string, string | number | boolean>> {
    while (this.turn.current) await this.turn.current;
    return {
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      foreignKeys: this.db.pragma('foreign_keys', { simple: true }) === 1,
      busyTimeoutMs: Number(this.db.pragma('busy_timeout', { simple: true })),
      synchronous: ['off', 'normal', 'full', 'extra'][Number(this.db.pragma('synchronous', { simple: true }))]!,
    };
  }

  async close(): Promise<void> {
    while (this.turn.current) await this.turn.current;
    if (this.db.open) this.db.close();
  }

  private prepare(sql: string): Database.Statement {
    return this.statements.getOrSet(sql, () => this.db.prepare(sql));
  }
}

function args(params: Params | undefined): [Params] | [] {
  return params ? [params] : [];
}
