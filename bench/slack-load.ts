/**
 * Slack load benchmark: signed `/her2` slash commands at 1, 10 and 50 concurrent connections against
 * the real bot and, in the same run, against bare Bolt apps on the same kind of receiver, so that the
 * ratios ours/bare are fair. Prints one JSON object on stdout; progress goes to stderr.
 *
 *   npx tsx bench/slack-load.ts [--seconds 10] [--warmup 3] [--levels 1,10,50] [--rounds 2] [--targets a,b]
 *                               [--cpu-prof-dir DIR]   (V8 CPU profiles of the server children)
 *
 * Every server runs in its own child process (bench/slack-server.ts), fresh per target and round;
 * levels run 1 → 10 → 50 in that process. Rounds alternate the order of the targets and comparisons
 * pool them, as bench/teams-load.ts does. The load is a closed loop: C virtual users on an undici Pool with C
 * keep-alive connections, each sending its next request when the previous one completed. This process
 * also plays Slack: the Web API stand-in (auth.test) and the response_url receiver, so every timestamp
 * comes from one performance.now() clock. Loopback only. Method as in
 * shared/reference/framework-floor.md.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BOT_TOKEN, BOT_USER, SIGNING_SECRET, slackHeaders, slashCommandBody } from '../test/helpers/slack.ts';
import {
  type Delivery,
  DeliveryWaiters,
  distribution,
  errorCount,
  idleReading,
  type LevelRun,
  loadAverage,
  machineReport,
  pooledRuns,
  round,
  roundMemory,
  runClosedLoopLevel,
  ServerChild,
  serverMetrics,
  shortLabel,
  verdict,
} from './lib/load.ts';
import { MIXED_QUERIES } from './lib/slack-texts.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    levels: { type: 'string', default: '1,10,50' },
    rounds: { type: 'string', default: '2' },
    targets: { type: 'string' },
    'cpu-prof-dir': { type: 'string' },
  },
});
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const LEVELS = values.levels.split(',').map(Number);
const ROUNDS = Number(values.rounds);
if (
  !(SECONDS > 0) ||
  !(WARMUP >= 0) ||
  !Number.isInteger(ROUNDS) ||
  ROUNDS < 1 ||
  LEVELS.some((c) => !Number.isInteger(c) || c < 1)
) {
  process.stderr.write(
    'usage: npx tsx bench/slack-load.ts [--seconds N] [--warmup N] [--levels 1,10,50] [--rounds N] [--targets a,b]\n',
  );
  process.exit(2);
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER_SCRIPT = fileURLToPath(new URL('./slack-server.ts', import.meta.url));
const DELIVERY_TIMEOUT_MS = 5000;

// --- what is sent ---------------------------------------------------------------------------------

type TargetName = 'bare_ack' | 'ours_search' | 'bare_ack_respond' | 'ours_digest_status';

interface Target {
  name: TargetName;
  serverMode: 'ours' | 'bare-ack' | 'bare-respond';
  description: string;
  texts: string[];
  /** The command also answers through response_url, and an iteration ends when that POST arrived. */
  delivers: boolean;
  perQuery: boolean;
  /** An error reason if the HTTP response is not what this target must answer. */
  checkAck(status: number, body: string): string | undefined;
}

const TARGETS: Target[] = [
  {
    name: 'bare_ack',
    serverMode: 'bare-ack',
    description:
      'Bare Bolt 5.1 app, ExpressReceiver on Express 5, same signing secret; /her2 acks a constant text in the HTTP response. Same mixed texts as ours_search.',
    texts: MIXED_QUERIES,
    delivers: false,
    perQuery: false,
    checkAck: (status, body) =>
      status !== 200 ? `http ${status}` : body.includes('HER2 bot: ok') ? undefined : 'ack without the text',
  },
  {
    name: 'ours_search',
    serverMode: 'ours',
    description:
      'The real bot (startBot, Slack on in HTTP mode). /her2 with mixed texts; the ack body IS the card (search + Block Kit render), so ack latency = time to delivered card for these commands.',
    texts: MIXED_QUERIES,
    delivers: false,
    perQuery: true,
    checkAck: (status, body) =>
      status !== 200 ? `http ${status}` : body.includes('"blocks":[{') ? undefined : 'ack without a card',
  },
  {
    name: 'bare_ack_respond',
    serverMode: 'bare-respond',
    description:
      'Bare Bolt 5.1 app as bare_ack, but after the ack it calls respond() with a constant text (framework floor scenario 2).',
    texts: ['digest status'],
    delivers: true,
    perQuery: false,
    checkAck: (status) => (status !== 200 ? `http ${status}` : undefined),
  },
  {
    name: 'ours_digest_status',
    serverMode: 'ours',
    description:
      'The real bot: `/her2 digest status` acks with an empty 200 and answers through response_url (respond()); sampleDelivery shows what it answered (while startBot does not wire the digest, a card saying it is not enabled).',
    texts: ['digest status'],
    delivers: true,
    perQuery: false,
    checkAck: (status) => (status !== 200 ? `http ${status}` : undefined),
  },
];

const selected = values.targets ? values.targets.split(',') : undefined;
const targets = selected ? TARGETS.filter((t) => selected.includes(t.name)) : TARGETS;

// --- Slack stand-in: Web API and response_url, in this process ----------------------------------

class SlackStandIn {
  private readonly deliveries = new DeliveryWaiters(DELIVERY_TIMEOUT_MS);
  apiCalls: Record<string, number> = {};
  sampleDelivery: string | undefined;
  private server: Server | undefined;
  url = '';

  get unexpectedDeliveries(): number {
    return this.deliveries.unexpected;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let bytes = 0;
      const chunks: Buffer[] = [];
      const url = req.url ?? '';
      const keep = this.sampleDelivery === undefined && url.startsWith('/r/');
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (keep) chunks.push(chunk);
      });
      req.on('end', () => {
        const arrivedAt = performance.now();
        if (url.startsWith('/r/')) {
          if (keep) this.sampleDelivery = Buffer.concat(chunks).toString('utf8');
          this.deliveries.arrive(url.slice(3), { arrivedAt, bytes });
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
          return;
        }
        const method = url.replace(/^\/api\//, '').split('?')[0] ?? url;
        this.apiCalls[method] = (this.apiCalls[method] ?? 0) + 1;
        const body =
          method === 'auth.test' ? { ok: true, user_id: BOT_USER, bot_id: 'BBOT', team_id: 'T1' } : { ok: true };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Resolves with the arrival time of POST /r/<id>; rejects after DELIVERY_TIMEOUT_MS. */
  expect(id: number): Promise<Delivery> {
    return this.deliveries.expect(String(id));
  }

  reset(): void {
    this.apiCalls = {};
    this.deliveries.unexpected = 0;
    this.sampleDelivery = undefined;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.close(() => resolve());
      this.server?.closeAllConnections();
    });
  }
}

// --- one level ------------------------------------------------------------------------------------

let nextId = 1;

async function runLevel(target: Target, server: ServerChild, slack: SlackStandIn, concurrency: number) {
  const run: LevelRun = await runClosedLoopLevel({
    server,
    concurrency,
    warmupSeconds: WARMUP,
    seconds: SECONDS,
    perLabel: target.perQuery && concurrency === 1,
    next: () => {
      const id = nextId++;
      const text = target.texts[id % target.texts.length]!;
      const body = slashCommandBody(text, `${slack.url}/r/${id}`);
      const headers = slackHeaders(body, { contentType: 'application/x-www-form-urlencoded' });
      const delivery = target.delivers ? slack.expect(id) : undefined;
      return { label: text, path: '/slack/events', headers, body, delivery, check: target.checkAck };
    },
  });
  const requests = run.response.length;
  const errors = errorCount(run);

  return { run, result: levelResult(target, run, concurrency, requests, errors) };
}

function levelResult(target: Target, run: LevelRun, concurrency: number, requests: number, errors: number) {
  return {
    concurrency,
    requests,
    errors,
    ...(errors > 0 ? { errorsByReason: run.errors } : {}),
    warmupRequests: run.warmupRequests,
    warmupErrors: run.warmupErrors,
    throughputRps: round(requests / SECONDS, 1),
    ackMs: distribution(run.response),
    deliveredMs: target.delivers ? distribution(run.delivered) : null,
    meanAckBytes: requests ? round(run.responseBytes / requests, 0) : 0,
    ...(target.delivers ? { meanDeliveredBytes: requests ? round(run.deliveredBytes / requests, 0) : 0 } : {}),
    ...(run.byLabel.size > 0
      ? {
          ackMsByQuery: Object.fromEntries(
            [...run.byLabel].map(([q, samples]) => {
              const d = distribution(samples.response)!;
              return [shortLabel(q), { n: samples.response.length, p50: d.p50, p99: d.p99 }];
            }),
          ),
        }
      : {}),
    ...serverMetrics(run),
  };
}

type LevelResult = ReturnType<typeof levelResult>;

// --- the run --------------------------------------------------------------------------------------

const runStarted = performance.now();
const loadAverageAtStart = loadAverage();
const slack = new SlackStandIn();
await slack.start();

const results: Partial<
  Record<TargetName, { description: string; serverMode: string; texts: string[]; rounds: unknown[] }>
> = {};
/** Raw runs per target and concurrency, over all rounds, for the pooled comparison. */
const runsOf: Partial<Record<TargetName, Map<number, LevelRun[]>>> = {};
const levelsOf: Partial<Record<TargetName, LevelResult[]>> = {};

// Rounds alternate the order of the targets, so that drift in the machine's speed (seen here: the same
// server ±25 % from one run to the next) hits ours and bare alike; comparisons pool the rounds.
for (let round_ = 1; round_ <= ROUNDS; round_++) {
  const order = round_ % 2 === 1 ? targets : [...targets].reverse();
  for (const target of order) {
    slack.reset();
    const tag = `${target.name} (round ${round_}/${ROUNDS})`;
    process.stderr.write(`${tag}: starting ${target.serverMode} server\n`);
    const server = await ServerChild.start({
      script: SERVER_SCRIPT,
      args: [target.serverMode],
      label: target.serverMode,
      cwd: ROOT,
      env: {
        NODE_ENV: 'production',
        BENCH_SIGNING_SECRET: SIGNING_SECRET,
        BENCH_BOT_TOKEN: BOT_TOKEN,
        BENCH_API_URL: `${slack.url}/api/`,
      },
      cpuProfDir: values['cpu-prof-dir'],
    });
    const idle = await idleReading(server);
    const levels: LevelResult[] = [];
    try {
      for (const concurrency of LEVELS) {
        process.stderr.write(`${tag}: c=${concurrency}, ${WARMUP} s warm-up + ${SECONDS} s measured\n`);
        const { run, result: level } = await runLevel(target, server, slack, concurrency);
        levels.push(level);
        const runs = runsOf[target.name] ?? new Map<number, LevelRun[]>();
        runsOf[target.name] = runs;
        runs.set(concurrency, [...(runs.get(concurrency) ?? []), run]);
        process.stderr.write(
          `  ${level.requests} req, ${level.errors} errors, ${level.throughputRps} req/s, ack p50/p99 ${level.ackMs?.p50}/${level.ackMs?.p99} ms` +
            (level.deliveredMs ? `, delivered p50/p99 ${level.deliveredMs.p50}/${level.deliveredMs.p99} ms` : '') +
            `, server CPU ${level.server.cpuPercentOfOneCore} % (${level.server.cpuMsPerRequest} ms/req), RSS ${level.server.rssAfterMiB} MiB, others ${level.otherProcessesCpuPercentOfOneCore} %\n`,
        );
      }
      const memoryRecord = await roundMemory(server, idle, levels);
      levelsOf[target.name] = [...(levelsOf[target.name] ?? []), ...levels];
      const entry = results[target.name] ?? {
        description: target.description,
        serverMode: target.serverMode,
        texts: target.texts,
        rounds: [],
      };
      results[target.name] = entry;
      entry.rounds.push({
        round: round_,
        ...memoryRecord,
        levels,
        webApiCalls: { ...slack.apiCalls },
        ...(target.delivers
          ? { unexpectedDeliveries: slack.unexpectedDeliveries, sampleDelivery: slack.sampleDelivery?.slice(0, 300) }
          : {}),
      });
    } finally {
      await server.stop();
    }
  }
}
await slack.close();

// --- comparisons and goals ------------------------------------------------------------------------

const MAX_RATIO = 1.3;
const P99_GOAL_MS = 50;
const GOAL_CONCURRENCY = 50;

interface Pair {
  ours: TargetName;
  bare: TargetName;
  latency: 'ackMs' | 'deliveredMs';
  what: string;
}

const PAIRS: Pair[] = [
  {
    ours: 'ours_search',
    bare: 'bare_ack',
    latency: 'ackMs',
    what: 'searches and subcommands: the card is the ack, so the compared latency is the ack (= delivered card)',
  },
  {
    ours: 'ours_digest_status',
    bare: 'bare_ack_respond',
    latency: 'deliveredMs',
    what: 'response_url path: the compared latency is time to the delivered response_url POST',
  },
];

/** All rounds of one target at one level, pooled, with the p99 of the latency its pair compares. */
function pooled(name: TargetName, concurrency: number, latency: 'ackMs' | 'deliveredMs') {
  const runs = runsOf[name]?.get(concurrency);
  if (!runs || runs.length === 0) return undefined;
  const all = pooledRuns(runs, SECONDS);
  return { ...all, p99: (latency === 'ackMs' ? all.responseMs : all.deliveredMs)?.p99 };
}

const comparisons = PAIRS.flatMap((pair) => {
  const levels = LEVELS.flatMap((concurrency) => {
    const o = pooled(pair.ours, concurrency, pair.latency);
    const b = pooled(pair.bare, concurrency, pair.latency);
    if (!o || !b || o.p99 === undefined || b.p99 === undefined) return [];
    const throughputRatio = round(o.throughputRps / b.throughputRps, 3);
    const p99Ratio = round(o.p99 / b.p99, 3);
    const oursRounds = levelsOf[pair.ours]?.filter((l) => l.concurrency === concurrency) ?? [];
    const bareRounds = levelsOf[pair.bare]?.filter((l) => l.concurrency === concurrency) ?? [];
    return [
      {
        concurrency,
        rounds: Math.min(o.rounds, b.rounds),
        throughputRps: { ours: o.throughputRps, bare: b.throughputRps },
        throughputRatioOursOverBare: throughputRatio,
        p99Ms: { ours: o.p99, bare: b.p99 },
        p99RatioOursOverBare: p99Ratio,
        p99DeltaMs: round(o.p99 - b.p99, 3),
        serverCpuMsPerRequest: { ours: o.serverCpuMsPerRequest, bare: b.serverCpuMsPerRequest },
        within1_3xOfBare: verdict(throughputRatio >= 1 / MAX_RATIO && p99Ratio <= MAX_RATIO),
        byRound: oursRounds.flatMap((ours, i) => {
          const bare = bareRounds[i];
          const op99 = ours[pair.latency]?.p99;
          const bp99 = bare?.[pair.latency]?.p99;
          if (!bare || op99 === undefined || bp99 === undefined) return [];
          return [
            {
              round: i + 1,
              throughputRatio: round(ours.throughputRps / bare.throughputRps, 3),
              p99Ratio: round(op99 / bp99, 3),
            },
          ];
        }),
      },
    ];
  });
  return [{ ours: pair.ours, bare: pair.bare, latency: pair.latency, what: pair.what, levels }];
});

function p99At(name: TargetName, latency: 'ackMs' | 'deliveredMs'): number | undefined {
  return pooled(name, GOAL_CONCURRENCY, latency)?.p99;
}

const goals = {
  within1_3xOfBareBolt: {
    rule: `at every level: throughput(ours)/throughput(bare) >= ${round(1 / MAX_RATIO, 3)} and p99(ours)/p99(bare) <= ${MAX_RATIO}`,
    results: Object.fromEntries(
      comparisons.map((c) => [
        `${c.ours}_vs_${c.bare}`,
        {
          overall: verdict(c.levels.length > 0 && c.levels.every((l) => l.within1_3xOfBare === 'met')),
          byConcurrency: Object.fromEntries(c.levels.map((l) => [l.concurrency, l.within1_3xOfBare])),
        },
      ]),
    ),
  },
  p99Under50msAt50Concurrent: {
    rule: `p99 < ${P99_GOAL_MS} ms at c=${GOAL_CONCURRENCY}; closed loop at saturation, so latency ≈ concurrency / throughput (Little's law)`,
    results: Object.fromEntries(
      PAIRS.flatMap((pair) =>
        [pair.ours, pair.bare].map((name) => {
          const p99 = p99At(name, pair.latency);
          return [
            `${name}.${pair.latency}`,
            p99 === undefined ? 'not measured' : { p99Ms: p99, verdict: verdict(p99 < P99_GOAL_MS) },
          ];
        }),
      ),
    ),
  },
};

const maxOtherCpu = Math.max(
  0,
  ...Object.values(levelsOf).flatMap((levels) => levels.map((l) => l.otherProcessesCpuPercentOfOneCore)),
);

console.log(
  JSON.stringify(
    {
      benchmark: 'slack-load',
      date: new Date().toISOString(),
      node: process.version,
      machine: machineReport(maxOtherCpu, loadAverageAtStart),
      settings: {
        levels: LEVELS,
        warmupSecondsPerLevel: WARMUP,
        measuredSecondsPerLevel: SECONDS,
        loadModel:
          'closed loop: C virtual users on one undici Pool (connections=C, pipelining=1, keep-alive), each sends its next request when the previous iteration completed; every request signed individually with a unique response_url',
        serverProcess:
          'node --expose-gc --import tsx bench/slack-server.ts <mode>: one fresh child per target and round, levels 1 → 10 → 50 in it; its log (stderr) goes straight to a file',
        rounds: ROUNDS,
        roundsMethod:
          'rounds alternate the order of the targets; comparisons pool the rounds (requests over all measured windows, latency samples together) and list each round’s ratios',
        deliveryTimeoutMs: DELIVERY_TIMEOUT_MS,
      },
      paths: {
        ackMs:
          'POST /slack/events sent → full HTTP response read. For ours_search the response body is the card itself, so this is also time to delivered card.',
        deliveredMs:
          'POST /slack/events sent → the response_url POST fully received by the stand-in in this process (same clock). Only for targets that answer through respond(); there the iteration ends when both have happened.',
        serverCpu:
          'server process utime+stime over the measured window, 100 = one full core; otherProcesses = machine busy time minus server and load generator (noise from elsewhere)',
        memory:
          'server VmRSS before each level (after the previous one) and after it, VmHWM (peak) after it, V8 heapUsed after a forced GC after it, and the same at the end after 1 s idle',
      },
      targets: results,
      comparisons,
      goals,
      runSeconds: round((performance.now() - runStarted) / 1000, 1),
    },
    null,
    2,
  ),
);
