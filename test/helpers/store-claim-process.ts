/**
 * One bot process in the claim race (`node --import tsx store-claim-process.ts <db> <channel> <slot> <id>`):
 * opens (and, racing the others, migrates) the shared file, subscribes the channel, says `ready`, waits
 * for `go` on stdin so that every racer claims at the same moment, then prints what it got as JSON.
 */
import { createInterface } from 'node:readline';
import { openStore } from '../../src/store/store.ts';

const [path, channelKey, slot, instanceId] = process.argv.slice(2) as [string, string, string, string];
const store = openStore(path, { instanceId, busyTimeoutMs: 10_000 });
store.subscriptions.subscribe({ channelKey, time: '08:00', timeZone: 'Europe/Berlin', userId: instanceId });
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
lines.once('line', () => {
  try {
    const claim = store.runs.claimRun(channelKey, slot, 60_000);
    process.stdout.write(`${JSON.stringify({ instanceId, runId: claim?.runId ?? null })}\n`);
  } finally {
    store.close();
    lines.close();
  }
});
