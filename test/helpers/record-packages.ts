/**
 * Preloaded into a child process (`node --import tsx --import ./record-packages.ts …`): when the process
 * exits it writes the npm packages it loaded through CommonJS (every package we keep out of the CLI is
 * CommonJS: botbuilder, @slack/bolt, express, better-sqlite3) to the file named by RECORD_PACKAGES_TO.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const out = process.env.RECORD_PACKAGES_TO;

process.on('exit', () => {
  if (!out) return;
  const packages = new Set<string>();
  for (const path of Object.keys(require.cache)) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(path)?.[1];
    if (name) packages.add(name);
  }
  writeFileSync(out, JSON.stringify([...packages].sort()));
});
