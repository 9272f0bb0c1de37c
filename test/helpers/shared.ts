/**
 * `../shared/` (the fact sheet, fixtures, schemas, eval set) is present in CI and on the team's
 * machines but not in a user's fresh clone. Tests that read it use `describeShared`, which skips with
 * a message saying why.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'vitest';

export const SHARED_DIR = resolve(import.meta.dirname, '../../../shared');
export const hasShared = existsSync(resolve(SHARED_DIR, 'reference'));

export function sharedPath(...parts: string[]): string {
  return resolve(SHARED_DIR, ...parts);
}

/** Its body is not even collected without ../shared/, so it may read shared files at the top level. */
export function describeShared(name: string, fn: () => void): void {
  if (hasShared) describe(name, fn);
  else {
    describe(name, () => {
      it.skip('skipped: ../shared/ is absent in this checkout (it is present in CI)', () => {});
    });
  }
}
