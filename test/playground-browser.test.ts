/**
 * The playground in a real browser: Debian's Chromium driven by playwright-core, against the
 * playground on a loopback port with the real core and a fake digest whose second source fails.
 * Skipped, saying why, where /usr/bin/chromium is not installed (`apt-get install chromium`). axe-core
 * (npm) checks the page at desktop and phone sizes; any serious or critical finding fails.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../src/core.ts';
import { createHttpServer, type HttpServer } from '../src/http/server.ts';
import { silentLogger } from '../src/logger.ts';
import { mountPlayground } from '../src/playground/routes.ts';
import { renderAnswer } from '../src/playground/surfaces.ts';

const CHROMIUM = '/usr/bin/chromium';
const DESKTOP = { width: 1600, height: 1100 };
const PHONE = { width: 390, height: 844 };
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's serious and critical findings on the page as it is, one line each. Injected with
 * page.evaluate (not a script tag), which the page's Content-Security-Policy does not apply to.
 */
async function axeFindings(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  // A string, evaluated in the page: this file is compiled without the DOM's types.
  const violations = (await page.evaluate('axe.run().then((r) => r.violations)')) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}
const hasChromium = existsSync(CHROMIUM);
const ARTIFACTS = resolve(import.meta.dirname, '../test-artifacts');

let http: HttpServer;
let url: string;
let userDataDir: string;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
const outsideRequests: string[] = [];

describe.skipIf(!hasChromium)(
  hasChromium
    ? 'the playground in headless Chromium'
    : `the playground in headless Chromium (skipped: ${CHROMIUM} not found; install Debian's chromium package)`,
  () => {
    beforeAll(async () => {
      const core = await Core.open();
      http = createHttpServer(silentLogger, () => ({
        status: 'ok',
        version: 'test',
        knowledgeBase: { version: core.kb.version, date: core.kb.versionDate },
        surfaces: {},
      }));
      mountPlayground(http.web, {
        core,
        logger: silentLogger,
        digest: {
          dryRun: async () => ({
            surfaces: renderAnswer(core, core.answer('trials'), { shareable: false }).surfaces,
            sources: [
              { name: 'pubmed', status: 'ok', count: 2 },
              { name: 'europepmc', status: 'failed', count: 0, error: 'fetch failed: getaddrinfo ENOTFOUND' },
            ],
          }),
        },
      });
      url = (await http.listen(0, '127.0.0.1')).url;
      userDataDir = mkdtempSync(join(tmpdir(), 'her2-playground-'));
      context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        headless: true,
        viewport: DESKTOP,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      // Offline by construction: nothing outside this server is fetched; a stand-in answers, and the
      // request is recorded.
      await context.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => {
        outsideRequests.push(route.request().url());
        return route.fulfill({ status: 200, contentType: 'text/plain', body: 'offline stand-in' });
      });
      page = context.pages()[0] ?? (await context.newPage());
      page.on('pageerror', (err) => pageErrors.push(err.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error') pageErrors.push(msg.text());
      });
      page.on('dialog', (dialog) => {
        pageErrors.push(`dialog: ${dialog.message()}`);
        return dialog.dismiss();
      });
      await page.goto(`${url}/`);
    });

    afterAll(async () => {
      await context?.close();
      await http?.close();
      if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    });

    const slack = () => page.locator('.surface-slack');
    const teams = () => page.locator('.surface-teams');

    it('shows the disclaimer and the knowledge-base version', async () => {
      await expect.poll(() => page.locator('#kb-version').textContent()).toMatch(/^Knowledge base \d/);
      expect(await page.locator('.disclaimer').textContent()).toBe('Research use only, not medical advice.');
      expect(await page.locator('#examples .chip').count()).toBeGreaterThan(3);
      // Every part of the page is inside a landmark, the tab bar too.
      expect(await page.locator('main [role="tablist"]').count()).toBe(1);
    });

    it('answers what a user types three ways: Slack blocks, the Teams card, plain text', async () => {
      await page.getByLabel('Type what a user would type').fill('/her2 resistance pi3k');
      await page.keyboard.press('Enter');
      await expect.poll(() => slack().locator('.sk-header').first().textContent()).toBe('PI3K pathway activation');
      // The short first message: the biomarker as its one fact (the frequency is behind More details).
      expect(await slack().locator('.sk-fields .sk-field').count()).toBe(1);
      expect(await slack().locator('.sk-mrkdwn strong', { hasText: 'mTOR inhibitors (level B)' }).count()).toBe(1);
      expect(await slack().getByText('Only visible to you').count()).toBe(1);
      // Drawn by Microsoft's renderer: its root element and a TextBlock with our markdown rendered.
      const card = teams().locator('.ac-adaptiveCard');
      expect(await card.count()).toBe(1);
      expect(await card.locator('.ac-textBlock', { hasText: 'PI3K pathway activation' }).count()).toBeGreaterThan(0);
      expect(await card.getByRole('button', { name: 'mTOR inhibitors (level B)', exact: true }).count()).toBe(1);
      // Our markdown rendered: the source links are links.
      expect(await card.locator('.ac-textBlock a[href^="https://"]').count()).toBeGreaterThan(0);
      expect(await card.locator('.ac-pushButton', { hasText: 'Agents' }).count()).toBe(1);
      expect(await card.locator('.ac-pushButton', { hasText: 'More details' }).count()).toBe(1);
      expect(await page.locator('.text-answer').textContent()).toMatch(/^PI3K pathway activation\n/);
      expect(await page.locator('.surface .ok').allTextContents()).toEqual(
        expect.arrayContaining([expect.stringMatching(/^✓ Within Slack/), expect.stringMatching(/^✓ Parses/)]),
      );
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'playground.png') });
    });

    it('shows the raw Slack payload and copies it', async () => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      const raw = slack().locator('details.raw');
      await raw.locator('summary').click();
      await raw.getByRole('button', { name: 'Copy' }).click();
      await expect.poll(() => raw.locator('.copy').textContent()).toBe('Copied');
      const copied = JSON.parse(String(await page.evaluate('navigator.clipboard.readText()')));
      expect(copied.blocks[0]).toMatchObject({ type: 'header', text: { text: 'PI3K pathway activation' } });
      await raw.locator('summary').click();
    });

    it('follows a Slack button to the next answer, and Back returns', async () => {
      await slack().locator('.sk-actions button', { hasText: 'Agents' }).click();
      await expect
        .poll(() => slack().locator('.sk-header').first().textContent())
        .toBe('Agents: PI3K pathway activation');
      expect(await page.locator('.caption').textContent()).toMatch(/^Button clicked: agents/);
      await page.getByRole('button', { name: '← Back' }).click();
      await expect.poll(() => slack().locator('.sk-header').first().textContent()).toBe('PI3K pathway activation');
    });

    it('follows Teams Action.Submit buttons, and each item opens from a button named after it', async () => {
      await teams().locator('.ac-pushButton', { hasText: 'Evidence' }).click();
      await expect
        .poll(() => slack().locator('.sk-header').first().textContent())
        .toBe('Evidence: PI3K pathway activation');
      await page.getByRole('button', { name: '← Back' }).click();
      // No clickable container: Microsoft's renderer marks those `.ac-container.ac-selectable`.
      expect(await teams().locator('.ac-container.ac-selectable').count()).toBe(0);
      const item = teams().getByRole('button', { name: 'mTOR inhibitors (level B)', exact: true });
      // By keyboard: focus the button and press Enter.
      await item.focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => slack().locator('.sk-header').first().textContent()).toBe('mTOR inhibitors');
    });

    it('opens Action.OpenUrl links in a new tab', async () => {
      await page.getByRole('button', { name: 'cleopatra os' }).click();
      const open = teams()
        .locator('.ac-pushButton', { hasText: /^Open / })
        .first();
      await expect.poll(() => open.count()).toBe(1);
      const [popup] = await Promise.all([page.waitForEvent('popup'), open.click()]);
      await popup.waitForLoadState();
      const target = popup.url();
      expect(target).toMatch(/^https:\/\/(doi\.org|pubmed\.ncbi\.nlm\.nih\.gov|clinicaltrials\.gov)\//);
      await popup.close();
      // The new tab's own request (answered by the stand-in) is the only one allowed out.
      expect(outsideRequests.every((u) => u === target)).toBe(true);
      outsideRequests.length = 0;
    });

    it('shows hostile input as text: no script runs, no markup appears', async () => {
      const hostile = '<img src=x onerror="alert(1)"> <!channel> <b>bold</b>';
      await page.getByLabel('Type what a user would type').fill(hostile);
      await page.getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => slack().locator('.sk-context').first().textContent()).toBe(`You asked: ${hostile}`);
      expect(await page.locator('.surfaces img, .surfaces b').count()).toBe(0);
      expect(await page.locator('.caption').textContent()).toContain(hostile);
    });

    it('runs the digest dry run and explains which sources could not be reached', async () => {
      await page.getByRole('tab', { name: 'Digest' }).click();
      expect(await page.locator('#digest-since').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      await page.getByRole('button', { name: 'Run a dry run' }).click();
      const summary = page.locator('.sources-summary');
      await expect.poll(() => summary.textContent()).toMatch(/^1 of 2 sources could not be reached: Europe PMC\./);
      const failed = page.locator('#digest-sources tr.source-failed');
      expect(await failed.locator('th').textContent()).toBe('Europe PMC');
      expect(await failed.textContent()).toContain('could not be reached');
      expect(await failed.textContent()).toContain('fetch failed: getaddrinfo ENOTFOUND');
      expect(await page.locator('#panel-digest .surface-teams .ac-adaptiveCard').count()).toBe(1);
      expect(await page.locator('#panel-digest .text-answer').textContent()).toContain('Research use only');
      await page.screenshot({ path: join(ARTIFACTS, 'playground-digest.png') });
    });

    it('clears the previous run’s results when a new dry run fails, and says why in plain words', async () => {
      expect(await page.locator('#panel-digest .surface-teams').count()).toBe(1);
      await page.locator('#digest-since').fill('2026-11-08');
      await page.locator('#digest-until').fill('2026-11-01');
      await page.getByRole('button', { name: 'Run a dry run' }).click();
      const alert = page.locator('#digest-results [role="alert"]');
      await expect.poll(() => alert.textContent()).toBe('since: must not be after until');
      // The browser logs the 400 itself; it is this test's doing, not a page error.
      const logged = pageErrors.indexOf(
        'Failed to load resource: the server responded with a status of 400 (Bad Request)',
      );
      if (logged >= 0) pageErrors.splice(logged, 1);
      expect(await page.locator('#panel-digest .surface').count()).toBe(0);
      expect(await page.locator('#digest-sources').textContent()).toBe('');
      await page.getByRole('tab', { name: 'Ask' }).click();
    });

    it('fits the input’s placeholder in the input on a phone', async () => {
      await page.setViewportSize(PHONE);
      const fits = (await page.evaluate(`(() => {
        const input = document.getElementById('ask-text');
        const style = getComputedStyle(input);
        const context = document.createElement('canvas').getContext('2d');
        context.font = style.font;
        const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return { text: context.measureText(input.placeholder).width, room };
      })()`)) as { text: number; room: number };
      expect(fits.text).toBeLessThanOrEqual(fits.room);
      await page.setViewportSize(DESKTOP);
    });

    it.each([
      ['desktop', 'Ask'],
      ['desktop', 'Digest'],
      ['phone', 'Ask'],
      ['phone', 'Digest'],
    ] as const)('has no serious or critical axe finding: %s, %s tab with results', async (size, tab) => {
      await page.setViewportSize(size === 'phone' ? PHONE : DESKTOP);
      await page.getByRole('tab', { name: tab }).click();
      if (tab === 'Ask') {
        await page.getByLabel('Type what a user would type').fill('/her2 resistance pi3k');
        await page.getByRole('button', { name: 'Send' }).click();
        await expect.poll(() => slack().locator('.sk-header').first().textContent()).toBe('PI3K pathway activation');
      } else {
        await page.locator('#digest-since').fill('2026-11-01');
        await page.locator('#digest-until').fill('2026-11-07');
        await page.getByRole('button', { name: 'Run a dry run' }).click();
        await expect.poll(() => page.locator('#panel-digest .surface-teams .ac-adaptiveCard').count()).toBe(1);
      }
      const findings = await axeFindings(page);
      expect(findings, findings.join('\n')).toEqual([]);
      await page.setViewportSize(DESKTOP);
    });

    it('raised no page errors and asked nothing of the outside world', () => {
      expect(pageErrors).toEqual([]);
      expect(outsideRequests).toEqual([]);
    });
  },
);
