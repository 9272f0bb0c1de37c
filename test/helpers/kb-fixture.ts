/** A writable copy of the minimal test knowledge base, for tests that break it on purpose. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const MIN_KB = resolve(import.meta.dirname, '../fixtures/kb-min');

export function copyMinKb(): { dir: string; edit(file: string, change: (text: string) => string): void } {
  const dir = mkdtempSync(join(tmpdir(), 'her2bot-kb-'));
  cpSync(MIN_KB, dir, { recursive: true });
  return {
    dir,
    edit(file, change) {
      const path = join(dir, file);
      writeFileSync(path, change(readFileSync(path, 'utf8')));
    },
  };
}
