/**
 * For the store tests: a clock the test moves by hand, a throwaway folder for file databases, a logger
 * that keeps its lines, and a store with one active subscription to run digests for.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/logger.ts';
import { openStore, type Store, type StoreOptions } from '../../src/store/store.ts';

export const T0 = '2026-11-29T07:00:00.000Z';

export interface ManualClock {
  now: () => Date;
  advance(ms: number): void;
}

export function manualClock(start: string = T0): ManualClock {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance(ms) {
      t += ms;
    },
  };
}

/** A fresh temporary folder; call the returned `remove` in afterEach. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'her2bot-store-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function captureLogger() {
  const lines: Array<{ level: number; msg: string } & Record<string, unknown>> = [];
  const logger = createLogger({ level: 'debug', destination: { write: (l: string) => lines.push(JSON.parse(l)) } });
  return { logger, lines, messages: () => lines.map((l) => l.msg) };
}

export const SLACK_CHANNEL = 'slack:T0001:C0001';
export const TEAMS_CHANNEL = 'teams:19:abc@thread.tacv2';

/** A fresh store (in memory by default) whose Slack channel is subscribed at 08:00 Berlin time. */
export async function storeWithSubscriber(
  options: StoreOptions = {},
  open: (options: StoreOptions) => Promise<Store> = (o) => openStore(':memory:', o),
): Promise<Store> {
  const store = await open(options);
  await store.subscriptions.subscribe({
    channelKey: SLACK_CHANNEL,
    time: '08:00',
    timeZone: 'Europe/Berlin',
    userId: 'U0001',
  });
  return store;
}
