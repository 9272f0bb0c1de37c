/**
 * One bot process in the claim race (`node --import tsx store-claim-process.ts <db> <channel> <slot> <id>`,
 * `<db>` a SQLite path or a PostgreSQL URL): opens (and, racing the others, migrates) the shared
 * database, subscribes the channel, says `ready`, waits for `go` on stdin so that every racer claims at
 * the same moment, then prints what it got as JSON, with how many migrations this process applied.
 */
import { createInterface } from 'node:readline';
import { createLogger } from '../../src/logger.ts';
import { openStore } from '../../src/store/store.ts';

const [location, channelKey, slot, instanceId] = process.argv.slice(2) as [string, string, string, string];
let migrationsApplied = 0;
const logger = createLogger({
  level: 'info',
  destination: {
    write: (line: string) => {
      if ((JSON.parse(line) as { msg?: string }).msg === 'store: migration applied') migrationsApplied++;
    },
  },
});
const store = await openStore(location, { instanceId, busyTimeoutMs: 10_000, logger });
await store.subscriptions.subscribe({ channelKey, time: '08:00', timeZone: 'Europe/Berlin', userId: instanceId });
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
lines.once('line', async () => {
  try {
    const claim = await store.runs.claimRun(channelKey, slot, 60_000);
    process.stdout.write(`${JSON.stringify({ instanceId, runId: claim?.runId ?? null, migrationsApplied })}\n`);
  } finally {
    await store.close();
    lines.close();
  }
});
