/**
 * Replicas on one PostgreSQL database: Slack throughput with 1 and 2 replicas at 50 concurrent
 * connections, and the time to deliver 500 digests due at once with 1 and 2 replicas. The floor, in
 * the same run: one replica on its own SQLite file (no shared database, no cross-replica dedupe).
 * Prints one JSON object on stdout; progress goes to stderr.
 *
 *   npx tsx bench/replicas.ts [--seconds 10] [--concurrency 50] [--digests 500]
 *
 * Each replica is test/helpers/replica-process.ts (the real startBot and shutdown path) in its own
 * process; this process plays Slack (Web API, literature) on loopback and is the load balancer: 50
 * virtual users in a closed loop, each sending its next signed `/her2` slash command when the last
 * was answered, spread round-robin over the replicas. Replica CPU seconds come from /proc, so the
 * per-request figure holds on a loaded machine; requests/s does not (the lead re-measures).
 * Needs PostgreSQL on 127.0.0.1:5432 (or TEST_POSTGRES_URL); creates and drops her2_store_bench_*.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { openPostgresEngine } from '../src/store/postgres-engine.ts';
import { openStore } from '../src/store/store.ts';
import { paper } from '../test/helpers/digest-literature.ts';
import { startFake } from '../test/helpers/fake-server.ts';
import { BOT_TOKEN, BOT_USER, SIGNING_SECRET, slackHeaders, slashCommandBody } from '../test/helpers/slack.ts';
import { postgresUnavailable, testDatabase } from '../test/helpers/store-engines.ts';
import { CLK_TCK, cpuTicks, loadAverage, round } from './lib/load.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '50' },
    digests: { type: 'string', default: '500' },
  },
});
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);
const DIGESTS = Number(values.digests);
const REPLICA = new URL('../test/helpers/replica-process.ts', import.meta.url).pathname;
const log = (msg: string) => process.stderr.write(`${msg}\n`);

if (postgresUnavailable) {
  process.stdout.write(`${JSON.stringify({ error: postgresUnavailable })}\n`);
  process.exit(1);
}

const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const PAPERS = [paper(99100001, day(1), 'PIK3CA mutation'), paper(99100002, day(2), 'p95HER2 expression')];
const slack = await startFake((req) => {
  if (req.path.startsWith('/literature')) return { body: PAPERS };
  if (req.path.includes('/auth.test')) return { body: { ok: true, user_id: BOT_USER, bot_id: 'BBOT', team_id: 'T1' } };
  if (req.path.includes('/chat.postMessage')) return { body: { ok: true, channel: req.body.channel, ts: '1.1' } };
  return { body: { ok: true } };
});
const database = testDatabase('her2_store_bench');
await database.create();
const folder = mkdtempSync(join(tmpdir(), 'her2bot-replicas-'));

interface Replica {
  child: ChildProcess;
  port: number;
}

async function start(store: { DATABASE_URL?: string; DATABASE_PATH?: string }): Promise<Replica> {
  const child = spawn(process.execPath, ['--import', 'tsx', REPLICA], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: '0',
      PLAYGROUND: 'off',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: `${slack.url}/api/`,
      DIGEST_SOURCES: 'pubmed',
      REPLICA_LITERATURE_URL: `${slack.url}/literature`,
      ...store,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = JSON.parse(line) as { ready?: boolean; port?: number };
      if (m.ready) resolve(m.port!);
    });
    child.once('exit', (code) => reject(new Error(`replica exited with ${code}`)));
  });
  return { child, port };
}

async function stop(replicas: Replica[]): Promise<void> {
  await Promise.all(
    replicas.map(
      (r) =>
        new Promise<void>((resolve) => {
          r.child.once('exit', () => resolve());
          r.child.kill('SIGTERM');
        }),
    ),
  );
}

/** Closed loop: each virtual user sends its next slash command when the last was answered. */
async function slashLoad(replicas: Replica[], seconds: number) {
  const ticks = () => replicas.reduce((n, r) => n + cpuTicks(r.child.pid!), 0);
  let sent = 0;
  let ok = 0;
  let errors = 0;
  const latencies: number[] = [];
  const cpuBefore = ticks();
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const replica = replicas[sent++ % replicas.length]!;
        const body = slashCommandBody('resistance pi3k', `${slack.url}/response/${sent}`, { channel_id: `C${sent}` });
        const t = performance.now();
        try {
          const res = await fetch(`http://127.0.0.1:${replica.port}/slack/events`, {
            method: 'POST',
            body,
            headers: slackHeaders(body, { contentType: 'application/x-www-form-urlencoded' }),
          });
          await res.arrayBuffer();
          if (res.status === 200) ok++;
          else errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpuSeconds = (ticks() - cpuBefore) / CLK_TCK;
  latencies.sort((a, b) => a - b);
  return {
    replicas: replicas.length,
    requests: ok,
    errors,
    requestsPerSecond: round(ok / elapsed, 1),
    p50Ms: round(latencies[Math.floor(latencies.length / 2)] ?? Number.NaN, 1),
    p99Ms: round(latencies[Math.floor(latencies.length * 0.99)] ?? Number.NaN, 1),
    replicaCpuMsPerRequest: round((cpuSeconds * 1000) / Math.max(1, ok), 3),
  };
}

async function throughput(label: string, store: () => Promise<Record<string, string>>, count: number) {
  log(`slack throughput: ${label}`);
  const env = await store();
  const replicas = await Promise.all(Array.from({ length: count }, () => start(env)));
  try {
    await slashLoad(replicas, 2); // warm-up
    return { setup: label, ...(await slashLoad(replicas, SECONDS)) };
  } finally {
    await stop(replicas);
  }
}

/** `DIGESTS` channels whose slot passed a minute ago: each replica catches them up at start. */
async function digestDelivery(count: number) {
  log(`digest delivery: ${DIGESTS} due, ${count} replica(s)`);
  const url = await database.freshSchema();
  const now = new Date();
  const slot = new Date(Math.floor(now.getTime() / 60_000) * 60_000 - 60_000);
  const seed = await openStore(url, { now: () => new Date(now.getTime() - 3_600_000) });
  for (let i = 0; i < DIGESTS; i++) {
    await seed.subscriptions.subscribe({
      channelKey: `slack:T1:CD${i}`,
      time: slot.toISOString().slice(11, 16),
      timeZone: 'UTC',
      userId: 'U1',
    });
  }
  const counter = await openPostgresEngine(url, { poolSize: 1 });
  const before = slack.requests.length;
  const started = performance.now();
  const replicas = await Promise.all(Array.from({ length: count }, () => start({ DATABASE_URL: url })));
  const ready = performance.now();
  let posted = 0;
  while (posted < DIGESTS && performance.now() - started < 600_000) {
    await new Promise((r) => setTimeout(r, 250));
    const [row] = await counter.all<{ n: number }>(
      "SELECT CAST(count(*) AS INTEGER) AS n FROM digest_runs WHERE status = 'posted'",
    );
    posted = row?.n ?? 0;
  }
  const done = performance.now();
  const parents = slack.requests
    .slice(before)
    .filter((r) => r.path.includes('/chat.postMessage') && r.body.thread_ts === undefined);
  const perChannel = new Map<string, number>();
  for (const r of parents) perChannel.set(String(r.body.channel), (perChannel.get(String(r.body.channel)) ?? 0) + 1);
  await stop(replicas);
  await counter.close();
  await seed.close();
  return {
    replicas: count,
    digests: DIGESTS,
    posted,
    secondsFromStartToAllPosted: round((done - started) / 1000, 2),
    secondsFromReadyToAllPosted: round((done - ready) / 1000, 2),
    postedTwice: [...perChannel.values()].filter((n) => n > 1).length,
    notPosted: DIGESTS - perChannel.size,
  };
}

const loadAtStart = loadAverage();
try {
  const floor = await throughput(
    '1 replica, SQLite file (floor)',
    async () => ({
      DATABASE_PATH: join(folder, 'floor.db'),
    }),
    1,
  );
  const one = await throughput(
    '1 replica, PostgreSQL',
    async () => ({ DATABASE_URL: await database.freshSchema() }),
    1,
  );
  const two = await throughput(
    '2 replicas, PostgreSQL',
    async () => ({ DATABASE_URL: await database.freshSchema() }),
    2,
  );
  const digestOne = await digestDelivery(1);
  const digestTwo = await digestDelivery(2);
  process.stdout.write(
    `${JSON.stringify(
      {
        bench: 'replicas',
        method:
          'closed loop of signed /her2 slash commands (acked with the card in the HTTP response) at the given concurrency, round-robin over the replicas; digests: subscriptions whose slot passed a minute before the replicas start, caught up at start; CPU from /proc',
        concurrency: CONCURRENCY,
        seconds: SECONDS,
        loadAverageAtStart: loadAtStart,
        loadAverageAtEnd: loadAverage(),
        slack: {
          floor,
          onePostgres: one,
          twoPostgres: two,
          speedupTwoOverOne: round(two.requestsPerSecond / one.requestsPerSecond, 2),
          postgresCostOverFloorCpu: round(one.replicaCpuMsPerRequest / floor.replicaCpuMsPerRequest, 2),
        },
        digest: { oneReplica: digestOne, twoReplicas: digestTwo },
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await slack.close();
  await database.drop();
  rmSync(folder, { recursive: true, force: true });
}
