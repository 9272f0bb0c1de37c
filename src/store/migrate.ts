/**
 * Brings a database up to the schema this build knows, one numbered migration at a time, each in its
 * own transaction. Safe when several processes start together: they take the engine's migration lock
 * (PostgreSQL: an advisory lock; SQLite: each step's BEGIN IMMEDIATE) and re-read the version inside
 * each step's transaction, so a step is applied exactly once. A database from a newer build is
 * refused rather than written to, since old code cannot know what the newer columns and rules mean.
 */
import type { Logger } from '../logger.ts';
import type { Engine, Executor } from './engine.ts';
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
export async function migrate(
  engine: Engine,
  options: { logger: Logger; now: Clock; migrations?: readonly Migration[] },
): Promise<number> {
  const migrations = options.migrations ?? MIGRATIONS;
  checkSequence(migrations);
  return engine.withMigrationLock(async () => {
    await engine.exec(CREATE_LEDGER);
    const applied = (db: Executor) =>
      db.all<AppliedRow>('SELECT version, name FROM schema_migrations ORDER BY version');

    const before = await applied(engine);
    checkHistory(before, migrations);
    for (const migration of migrations) {
      // Re-checked inside the step's transaction; this only spares an up-to-date database the lock.
      if (before.some((r) => r.version === migration.version)) continue;
      const rebuild = migration.rebuildsReferencedTable === true;
      const step = () =>
        engine.transaction(async (tx) => {
          const rows = await applied(tx);
          checkHistory(rows, migrations);
          if (rows.some((r) => r.version === migration.version)) return false;
          await tx.exec(migration[engine.dialect]);
          if (rebuild) await checkForeignKeys(engine, tx, migration);
          await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)', {
            version: migration.version,
            name: migration.name,
            at: options.now().toISOString(),
          });
          return true;
        });
      const ran = await (rebuild ? engine.withForeignKeysOff(step) : step());
      if (ran) options.logger.info({ version: migration.version, name: migration.name }, 'store: migration applied');
    }
    return migrations.at(-1)?.version ?? 0;
  });
}

/**
 * A rebuild must leave every reference intact; otherwise the step is rolled back. SQLite checks here
 * (its foreign keys were off for the rebuild); PostgreSQL never lets a reference break.
 */
async function checkForeignKeys(engine: Engine, tx: Executor, migration: Migration): Promise<void> {
  if (engine.dialect !== 'sqlite') return;
  const broken = await tx.all('PRAGMA foreign_key_check');
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
        'Upgrade the bot, or point DATABASE_PATH (or DATABASE_URL) at another database; refusing to open it.',
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
