/**
 * The Teams side in Microsoft's own client: the bot in local mode (TEAMS_AUTH=none), Microsoft 365
 * Agents Playground (`@microsoft/m365agentsplayground`, a devDependency, which runs offline) pointed at
 * it, and the playground's page driven in Debian's Chromium: three messages typed, one card button
 * clicked, each answer an Adaptive Card drawn by the playground. Skipped, saying why, when the package
 * or Chromium is missing, or with AGENTS_PLAYGROUND=off.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/logger.ts';
import { type RunningBot, startBot } from '../src/main.ts';

const CHROMIUM = '/usr/bin/chromium';
const CLI = (() => {
  try {
    return createRequire(import.meta.url).resolve('@microsoft/m365agentsplayground/cli.js');
  } catch {
    return undefined;
  }
})();
const skipped =
  process.env.AGENTS_PLAYGROUND === 'off'
    ? 'AGENTS_PLAYGROUND=off'
    : !CLI
      ? '@microsoft/m365agentsplayground is not installed (npm install)'
      : !existsSync(CHROMIUM)
        ? `${CHROMIUM} not found; install Debian's chromium package`
        : undefined;

let bot: RunningBot;
let playground: ChildProcess;
let playgroundLog = '';
let folder: string;
let browser: Browser;
let page: Page;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitFor(url: string, deadline = Date.now() + 60_000): Promise<void> {
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    if (playground.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the Agents Playground did not start:\n${playgroundLog}`);
}

const cards = () => page.locator('.ac-adaptiveCard');

/** Types into the playground's compose box and waits for one more card, with the given text. */
async function send(text: string, expected: string): Promise<void> {
  const before = await cards().count();
  await page.getByRole('textbox').first().click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
  await expect.poll(() => cards().count(), { timeout: 30_000 }).toBe(before + 1);
  await expect.poll(() => cards().last().textContent(), { timeout: 10_000 }).toContain(expected);
}

describe.skipIf(skipped)(
  skipped
    ? `Teams in Microsoft 365 Agents Playground (skipped: ${skipped})`
    : 'Teams in Microsoft 365 Agents Playground',
  () => {
    beforeAll(async () => {
      folder = mkdtempSync(join(tmpdir(), 'her2-agents-playground-'));
      bot = await startBot(loadConfig({ PORT: '0', TEAMS_AUTH: 'none', DIGEST_ENABLED: 'false' }), {
        logger: silentLogger,
      });
      // The playground opens a browser at start (xdg-open); a no-op stands in for it.
      writeFileSync(join(folder, 'xdg-open'), '#!/bin/sh\nexit 0\n');
      chmodSync(join(folder, 'xdg-open'), 0o755);
      const port = await freePort();
      playground = spawn(
        process.execPath,
        [CLI!, '-e', `${bot.url}/api/messages`, '-c', 'msteams', '-p', String(port), '--disable-telemetry'],
        {
          // Its log goes to ./devTools/: the temporary folder, not the checkout.
          cwd: folder,
          env: { ...process.env, PATH: `${folder}${delimiter}${process.env.PATH}` },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      playground.stdout?.on('data', (d: Buffer) => (playgroundLog += d.toString()));
      playground.stderr?.on('data', (d: Buffer) => (playgroundLog += d.toString()));
      await waitFor(`http://127.0.0.1:${port}/`);
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      // Offline: the playground's page asks a CDN for fonts; those requests are refused here.
      await page.route(/^(?!http:\/\/(127\.0\.0\.1|localhost):)/, (route) => route.abort());
      await page.goto(`http://127.0.0.1:${port}/`);
      // The bot's welcome card, sent when the playground installs it in the personal chat.
      await cards().filter({ hasText: 'her2-bot' }).first().waitFor({ timeout: 30_000 });
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      playground?.kill();
      await bot?.close();
      if (folder) rmSync(folder, { recursive: true, force: true });
    });

    it('answers three questions with Adaptive Cards in the personal chat', { timeout: 90_000 }, async () => {
      await send('p95', 'p95HER2');
      await send('resistance pi3k', 'PI3K pathway activation');
      await send('T-DM1 vs lapatinib', 'EMILIA');
      expect(await cards().last().textContent()).toContain('Research use only, not medical advice');
    });

    it('answers a click on a card button with the next card', { timeout: 60_000 }, async () => {
      const pi3k = cards().filter({ hasText: 'PI3K pathway activation' }).last();
      await pi3k.getByRole('button', { name: 'Agents', exact: true }).click();
      await expect
        .poll(() => cards().filter({ hasText: 'Agents: PI3K pathway activation' }).count(), { timeout: 30_000 })
        .toBeGreaterThan(0);
    });
  },
);
