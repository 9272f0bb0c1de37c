/**
 * The one seam between the repositories and a database engine (SQLite or PostgreSQL). Repositories
 * write their SQL once, in the subset both engines speak, with `@name` placeholders: each engine
 * compiles them to its own (`@name` for better-sqlite3, `$1…` for pg). What the subset covers:
 * `INSERT … ON CONFLICT … DO UPDATE` with `excluded.` and table-qualified target columns, `RETURNING`,
 * `CASE`, `coalesce`, and parameters cast with `CAST(@x AS TEXT)` where PostgreSQL cannot infer a type.
 * Timestamps come from the store's injected clock, never from SQL `now()`, so tests drive time and
 * every engine stores the same ISO text. Only the schema (migrations) is written per engine.
 */

export type Dialect = 'sqlite' | 'postgres';

export type SqlValue = string | number | null;
export type Params = Readonly<Record<string, SqlValue>>;

/** Runs statements: the engine itself, or a transaction handed to `transaction()`'s callback. */
export interface Executor {
  /** The rows of a SELECT, or of a write with RETURNING. */
  all<Row>(sql: string, params?: Params): Promise<Row[]>;
  /** Runs a write and returns how many rows it changed. */
  run(sql: string, params?: Params): Promise<number>;
  /** Runs parameterless SQL, possibly several statements (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Engine extends Executor {
  readonly dialect: Dialect;
  /** Where the data is, safe to log: a file path, `:memory:`, or a URL without its password. */
  readonly location: string;
  /**
   * Runs `fn` in one transaction that holds the write lock from its first statement (SQLite: BEGIN
   * IMMEDIATE; PostgreSQL: one pooled connection); commits if it resolves, rolls back if it throws.
   * Only database calls may be awaited inside: on SQLite every other caller waits until it ends.
   */
  transaction<T>(fn: (tx: Executor) => Promise<T>): Promise<T>;
  /**
   * Runs the migrations under a lock that another process migrating the same database also takes
   * (PostgreSQL: a session advisory lock; SQLite: each step's BEGIN IMMEDIATE is that lock already).
   */
  withMigrationLock<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Runs `fn` (a migration step that rebuilds a table others reference) with foreign keys off, as
   * SQLite's table-rebuild recipe needs (the pragma is ignored inside a transaction, hence around
   * it); PostgreSQL alters tables in place and needs nothing.
   */
  withForeignKeysOff<T>(fn: () => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query; rejects with the reason otherwise. */
  ping(): Promise<void>;
  /** The connection's settings as the engine reports them, for a health check or a startup log line. */
  diagnostics(): Promise<Record<string, string | number | boolean>>;
  /** Closes the connection or pool; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Placeholders for a list, e.g. `IN (${list.sql})`: `@k0, @k1, …` and their values. Portable where
 * SQLite's `json_each` and PostgreSQL's `= ANY($1)` are not.
 */
export function inList(prefix: string, values: readonly SqlValue[]): { sql: string; params: Params } {
  if (values.length === 0) throw new Error('inList needs at least one value');
  const params: Record<string, SqlValue> = {};
  const names = values.map((value, i) => {
    params[`${prefix}${i}`] = value;
    return `@${prefix}${i}`;
  });
  return { sql: names.join(', '), params };
}
