/**
 * Brings a database up to the schema this build knows, one numbered migration at a time. Safe when two
 * processes start together: each step takes the write lock first (BEGIN IMMEDIATE) and re-reads the
 * version inside it, so a step is applied exactly once. A database from a newer build is refused
 * rather than written to, since old code cannot know what the newer columns and rules mean.
 */
import type Database from 'better-sqlite3';
import type { Logger } from '../logger.ts';
import { StoreError } from './errors.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';
import type { Clock } from './values.ts';

const CREATE_LEDGER = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`;

interface AppliedRow {
  version: number;
  name: string;
}

/**
 * Applies the missing migrations and returns the resulting schema version. `migrations` is for tests
 * of the upgrade path; the bot always runs the real list.
 */
export function migrate(
  db: Database.Database,
  options: { logger: Logger; now: Clock; migrations?: readonly Migration[] },
): number {
  const migrations = options.migrations ?? MIGRATIONS;
  checkSequence(migrations);
  db.exec(CREATE_LEDGER);
  const applied = () =>
    db.prepare<[], AppliedRow>('SELECT version, name FROM schema_migrations ORDER BY version').all();

  const before = applied();
  checkHistory(before, migrations);
  for (const migration of migrations) {
    // Re-checked under the write lock below; this only spares an up-to-date database the lock.
    if (before.some((r) => r.version === migration.version)) continue;
    const ran = withForeignKeysOff(db, migration.rebuildsReferencedTable === true, () =>
      db
        .transaction(() => {
          const rows = applied();
          checkHistory(rows, migrations);
          if (rows.some((r) => r.version === migration.version)) return false;
          db.exec(migration.sql);
          if (migration.rebuildsReferencedTable) checkForeignKeys(db, migration);
          db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
            migration.version,
            migration.name,
            options.now().toISOString(),
          );
          return true;
        })
        .immediate(),
    );
    if (ran) options.logger.info({ version: migration.version, name: migration.name }, 'store: migration applied');
  }
  return migrations.at(-1)?.version ?? 0;
}

/**
 * SQLite's recipe for rebuilding a table (sqlite.org/lang_altertable.html#otheralter): foreign keys
 * off around the transaction, since the pragma is ignored inside one, and back to what they were after.
 */
function withForeignKeysOff<T>(db: Database.Database, off: boolean, step: () => T): T {
  const was = db.pragma('foreign_keys', { simple: true }) === 1;
  if (!off || !was) return step();
  db.pragma('foreign_keys = OFF');
  try {
    return step();
  } finally {
    db.pragma('foreign_keys = ON');
  }
}

/** A rebuild must leave every reference intact; otherwise the step is rolled back. */
function checkForeignKeys(db: Database.Database, migration: Migration): void {
  const broken = db.pragma('foreign_key_check') as unknown[];
  if (broken.length > 0) {
    throw new Error(`store migration ${migration.version} would break ${broken.length} foreign key reference(s)`);
  }
}

/** The list must be 1, 2, 3, …: a gap or a reordering is a merge mistake, caught before touching data. */
function checkSequence(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`store migrations must be numbered 1..n in order; found ${m.version} at position ${i + 1}`);
    }
  });
}

function checkHistory(applied: readonly AppliedRow[], migrations: readonly Migration[]): void {
  const latest = migrations.at(-1)?.version ?? 0;
  const newest = applied.at(-1)?.version ?? 0;
  if (newest > latest) {
    throw new StoreError(
      'schema_too_new',
      `The database is at schema version ${newest}, but this build of her2-bot knows only up to ${latest}. ` +
        'Upgrade the bot, or point DATABASE_PATH at another file; refusing to open it.',
    );
  }
  for (const row of applied) {
    const known = migrations[row.version - 1];
    if (known?.name !== row.name) {
      throw new StoreError(
        'schema_mismatch',
        `The database records migration ${row.version} as "${row.name}", but this build calls it ` +
          `"${known?.name ?? '(nothing)'}": it was created by a different schema history; refusing to open it.`,
      );
    }
  }
}
