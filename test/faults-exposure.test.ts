/**
 * Finding 1 and 11 of issue 14 (exposure): what a server without credentials, or with the playground
 * turned on, shows to whoever reaches its port. SSRF through Teams' serviceUrl is in teams-e2e.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { type RunningBot, startBot } from '../src/main.ts';
import { countFault } from '../src/runtime/faults.ts';
import { captureLogger } from './helpers/store-fixture.ts';

let bot: RunningBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

describe('a server without credentials', () => {
  it('listens on 127.0.0.1, not on every interface, and says /healthz ok with the version only', async () => {
    bot = await startBot(loadConfig({ PORT: '0', DATABASE_PATH: ':memory:' }), { logger: captureLogger().logger });
    expect(bot.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await (await fetch(`${bot.url}/healthz`)).json();
    expect(health).toEqual({ status: 'ok', version: expect.any(String) });
    expect(JSON.stringify(health)).not.toMatch(/teams|anonymous|surfaces/i);
  });

  it('shows surfaces and fault counters on /healthz only with HEALTH_DETAILS=on', async () => {
    countFault('test:probe');
    bot = await startBot(loadConfig({ PORT: '0', DATABASE_PATH: ':memory:', HEALTH_DETAILS: 'on' }), {
      logger: captureLogger().logger,
    });
    const health = (await (await fetch(`${bot.url}/healthz`)).json()) as {
      details: { surfaces: Record<string, string>; faults: Record<string, number>; database: unknown };
    };
    expect(health.details.surfaces.teams).toBe('off');
    expect(health.details.faults['test:probe']).toBeGreaterThanOrEqual(1);
    expect(health.details.database).toMatchObject({ engine: 'sqlite', reachable: true });
  });

  it('says on /healthz when the database does not answer, with a code and nothing from the URL', async () => {
    bot = await startBot(loadConfig({ PORT: '0', DATABASE_PATH: ':memory:', HEALTH_DETAILS: 'on' }), {
      logger: captureLogger().logger,
    });
    const down = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432 for postgres://bot:secret@db/x'), {
      code: 'ECONNREFUSED',
    });
    vi.spyOn(bot.store!, 'ping').mockRejectedValue(down);
    const res = await fetch(`${bot.url}/healthz`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(JSON.parse(text).details.database).toEqual({ engine: 'sqlite', reachable: false, error: 'ECONNREFUSED' });
    expect(text).not.toContain('secret');
  });
});

describe('the playground with platform credentials', () => {
  it('warns at start when PLAYGROUND=on is served on a non-loopback address', async () => {
    const log = captureLogger();
    // Teams in Socket-free HTTP mode with credentials picks 0.0.0.0; port 0 keeps the test bounded.
    bot = await startBot(
      loadConfig({
        PORT: '0',
        DATABASE_PATH: ':memory:',
        PLAYGROUND: 'on',
        MicrosoftAppId: 'app',
        MicrosoftAppPassword: 'pw',
      }),
      { logger: log.logger },
    );
    expect(log.messages()).toContainEqual(expect.stringMatching(/the playground is served on HOST=0\.0\.0\.0/));
  });

  it('does not warn on loopback', async () => {
    const log = captureLogger();
    bot = await startBot(loadConfig({ PORT: '0', DATABASE_PATH: ':memory:', PLAYGROUND: 'on' }), {
      logger: log.logger,
    });
    expect(log.messages().some((m) => /the playground is served on HOST/.test(m))).toBe(false);
  });
});
