/**
 * Checks and explains the database file before and after SQLite opens it, so a bad DATABASE_PATH
 * stops the bot with one line naming the variable, the path and the fix: a folder that cannot be
 * created or written, a file that is read-only, or a file that is not (or no longer) a SQLite database.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StoreError } from './errors.ts';

/**
 * Creates the file's folder one level at a time (a recursive mkdir can spin on odd file systems such
 * as /proc), then checks that the folder, and the file if it exists, can be written.
 */
export function prepareDatabaseFolder(path: string): void {
  const folder = resolve(dirname(path));
  const missing: string[] = [];
  let existing = folder;
  while (!existsSync(existing)) {
    missing.unshift(existing);
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  if (!statSync(existing).isDirectory())
    throw unusable(path, `${existing} is not a folder`, 'set DATABASE_PATH to a file in a folder');
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (err) {
      throw unusable(
        path,
        `cannot create the folder ${dir} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
        'create it, or set DATABASE_PATH to a writable place',
      );
    }
  }
  try {
    accessSync(folder, constants.W_OK);
    if (existsSync(path)) accessSync(path, constants.R_OK | constants.W_OK);
  } catch (err) {
    throw unusable(
      path,
      `cannot write it (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      'check the file and folder permissions, or set DATABASE_PATH to a writable place',
    );
  }
}

/** SQLite's own refusal of the file, in words: read-only, or not a database (corrupt). */
export function explainSqliteFailure(path: string, err: unknown): unknown {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return unusable(
      path,
      `the file is not a SQLite database or is corrupt (${code})`,
      'restore it from a backup or move it aside (the bot then starts with an empty one)',
      err,
    );
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM') {
    return unusable(
      path,
      `cannot open it for writing (${code})`,
      'check the file and folder permissions, or set DATABASE_PATH to a writable place',
      err,
    );
  }
  return err;
}

function unusable(path: string, problem: string, fix: string, cause?: unknown): StoreError {
  return new StoreError('unusable', `DATABASE_PATH=${path}: ${problem}; ${fix}`, cause ? { cause } : undefined);
}
