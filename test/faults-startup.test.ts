/**
 * Finding 8 of issue 14: start-up and configuration failures end in one line naming the variable and
 * the fix, never a hang or a stack trace. Each case starts the real bot (or opens the real store).
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { silentLogger } from '../src/logger.ts';
import { startBot } from '../src/main.ts';
import { openStore, StoreError } from '../src/store/store.ts';
import { tempDir } from './helpers/store-fixture.ts';

const folders: ReturnType<typeof tempDir>[] = [];
afterEach(async () => {
  for (const f of folders.splice(0)) f.remove();
});
function folder() {
  const f = tempDir();
  folders.push(f);
  return f.dir;
}

async function storeError(path: string): Promise<StoreError> {
  try {
    await (await openStore(path)).close();
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    return err as StoreError;
  }
  throw new Error(`openStore(${path}) did not fail`);
}

describe('DATABASE_PATH', () => {
  it('a corrupt file: names the variable and the path, and says restore from backup or move it aside', async () => {
    const path = join(folder(), 'her2bot.db');
    writeFileSync(path, 'this is not a database, it is a shopping list\n'.repeat(200));
    const error = await storeError(path);
    expect(error.code).toBe('unusable');
    expect(error.message).toBe(
      `DATABASE_PATH=${path}: the file is not a SQLite database or is corrupt (SQLITE_NOTADB); restore it from a backup or move it aside (the bot then starts with an empty one)`,
    );
  });

  it('a folder that is a file: says so at once', async () => {
    const file = join(folder(), 'plain-file');
    writeFileSync(file, 'x');
    expect((await storeError(join(file, 'her2bot.db'))).message).toMatch(
      new RegExp(`^DATABASE_PATH=${file}/her2bot.db: ${file} is not a folder`),
    );
  });

  it('a path under /proc ends with an error instead of spinning', async () => {
    const started = Date.now();
    expect((await storeError('/proc/nope/bot.db')).message).toMatch(
      /^DATABASE_PATH=\/proc\/nope\/bot\.db: cannot create the folder \/proc\/nope/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops startBot with that one message', async () => {
    const path = join(folder(), 'her2bot.db');
    writeFileSync(path, 'garbage'.repeat(1000));
    await expect(startBot(loadConfig({ PORT: '0', DATABASE_PATH: path }), { logger: silentLogger })).rejects.toThrow(
      /^DATABASE_PATH=.*restore it from a backup or move it aside/,
    );
  });
});

describe('listening', () => {
  let blocker: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (blocker ? blocker.close(() => r()) : r()));
    blocker = undefined;
  });

  it('a port in use names PORT', async () => {
    blocker = createServer();
    await new Promise<void>((r) => blocker!.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    await expect(
      startBot(loadConfig({ PORT: String(port), DATABASE_PATH: ':memory:' }), { logger: silentLogger }),
    ).rejects.toThrow(
      `PORT=${port} is already in use on 127.0.0.1 (EADDRINUSE): stop the other program or set PORT to a free port`,
    );
  });

  it('a HOST that is not this machine names HOST', async () => {
    await expect(
      startBot(loadConfig({ PORT: '0', HOST: '203.0.113.9', DATABASE_PATH: ':memory:' }), { logger: silentLogger }),
    ).rejects.toThrow(/^HOST=203\.0\.113\.9 is not an address of this machine \(EADDRNOTAVAIL\)/);
  });
});

describe('Slack at start', () => {
  it('an unreachable SLACK_API_URL is reported as unreachable, not as a rejected token', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const config = loadConfig({
      PORT: '0',
      DATABASE_PATH: ':memory:',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: `http://127.0.0.1:${port}/api/`,
    });
    const failure = startBot(config, { logger: silentLogger, slackRetries: 0 });
    await expect(failure).rejects.toThrow(
      `Slack's Web API could not be reached at SLACK_API_URL=http://127.0.0.1:${port}/api/ (ECONNREFUSED)`,
    );
    await expect(failure).rejects.not.toThrow(/rejected/);
  });
});
