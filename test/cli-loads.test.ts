/**
 * The CLI loads only what a command needs: answering a question, inspecting the knowledge base and
 * measuring relevance never load the Slack, Teams, HTTP or SQLite code. Each command runs in a child
 * process that records the packages it loaded.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/store-fixture.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const SERVER_PACKAGES = ['botbuilder', '@slack/bolt', '@slack/web-api', 'express', 'better-sqlite3'];

async function packagesLoadedBy(args: string[]): Promise<string[]> {
  const folder = tempDir();
  const out = join(folder.dir, 'packages.json');
  try {
    // The exit status is not the point here (eval exits 1 when a case fails); the record is.
    await new Promise<void>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', '--import', './test/helpers/record-packages.ts', 'src/cli/bin.ts', ...args],
        { cwd: ROOT, env: { ...process.env, RECORD_PACKAGES_TO: out }, timeout: 60_000 },
        () => resolve(),
      );
    });
    return JSON.parse(readFileSync(out, 'utf8')) as string[];
  } finally {
    folder.remove();
  }
}

describe('what each CLI command loads', () => {
  it.each([
    ['ask p95', ['ask', 'p95']],
    ['ask --format teams', ['ask', 'T-DM1 vs lapatinib', '--format', 'teams']],
    ['kb lint', ['kb', 'lint']],
    ['eval', ['eval', 'test/fixtures/eval/extended.yaml', '--json']],
  ])('%s loads none of botbuilder, Bolt, Express or SQLite', { timeout: 90_000 }, async (_name, args) => {
    const loaded = await packagesLoadedBy(args);
    if (args[0] !== 'kb') expect(loaded).toContain('handlebars');
    for (const name of SERVER_PACKAGES) expect(loaded).not.toContain(name);
  });

  it('ask reads the built search index without lunr and logs nothing, so loads neither lunr nor pino', {
    timeout: 90_000,
  }, async () => {
    const loaded = await packagesLoadedBy(['ask', 'p95']);
    expect(loaded).toContain('handlebars');
    expect(loaded).not.toContain('lunr');
    expect(loaded).not.toContain('pino');
  });

  it('the recorder sees the server packages when a command does load them (serve loads Express)', {
    timeout: 90_000,
  }, async () => {
    const loaded = await packagesLoadedBy(['serve', '--help']);
    expect(loaded).toContain('express');
  });
});
