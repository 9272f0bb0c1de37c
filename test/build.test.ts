/**
 * The production build: `tsc -p tsconfig.build.json` emits JavaScript that runs without tsx and finds
 * the files read at run time (knowledge/, templates/, build/) from its own folder. Compiled here into a
 * temporary folder inside the project (test-artifacts/, ignored by git), so the real dist/ is left alone.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('..', import.meta.url).pathname;
let out: string;

beforeAll(async () => {
  mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
  out = mkdtempSync(join(ROOT, 'test-artifacts', 'build-'));
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  await run(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', out], { cwd: ROOT });
}, 180_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('the compiled CLI', () => {
  it('answers a question from the compiled JavaScript, with no TypeScript loader', { timeout: 60_000 }, async () => {
    const { stdout } = await run(process.execPath, [join(out, 'src/cli/bin.js'), 'ask', 'p95'], { cwd: out });
    expect(stdout).toMatch(/^p95HER2/);
    expect(stdout).toContain('Research use only');
  });

  it('renders Teams cards from the templates folder and prints the knowledge base', { timeout: 60_000 }, async () => {
    const teams = await run(process.execPath, [join(out, 'src/cli/bin.js'), 'ask', 'kadcyla', '--format', 'teams']);
    expect(JSON.parse(teams.stdout).type).toBe('AdaptiveCard');
    const kb = await run(process.execPath, [join(out, 'src/cli/bin.js'), 'kb']);
    expect(kb.stdout).toMatch(/mechanisms 13/);
  });
});
