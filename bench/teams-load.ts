/**
 * Teams load benchmark: message activities, as Teams sends them, posted to POST /api/messages at 1, 10
 * and 50 concurrent connections against the real bot and, in the same run, against a bare botbuilder
 * CloudAdapter echo bot (scenario 3 of shared/reference/framework-floor.md), so that the ratios
 * ours/bare are fair. Prints one JSON object on stdout; progress goes to stderr.
 *
 *   npx tsx bench/teams-load.ts [--blocks 6] [--seconds 2] [--warmup 0.5] [--server-warmup 10]
 *                               [--levels 1,10,50] [--cpu-prof-dir DIR]
 *
 * Both servers run at once, each in its own child process (bench/teams-server.ts), and the load
 * alternates between them in short blocks, as in teams-cpu.ts: this machine's speed drifts by a
 * quarter within minutes (a bare adapter alone went from 1.1 to 1.9 ms of CPU per message between two
 * runs), and a server measured minutes after the other cannot be told apart from that drift. Each
 * server is first warmed up (--server-warmup seconds at c=10, in alternating blocks); then, at each
 * level, every block is a closed loop (bench/lib/load.ts) of --warmup seconds unmeasured and
 * --seconds measured on one server, then on the other, the first side alternating, --blocks times
 * each. A level's figures pool its blocks. This process also plays the Bot Framework connector (the
 * activities' serviceUrl), so the HTTP response and the delivered reply are timed on one clock.
 * Anonymous Teams mode, as in the floor: no Authorization header, no token on the reply. Loopback only.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  distribution,
  errorCount,
  idleReading,
  type LevelRun,
  loadAverage,
  machineReport,
  pooledRuns,
  quartiles,
  round,
  roundMemory,
  runClosedLoopLevel,
  ServerChild,
  serverMetrics,
  shortLabel,
  verdict,
} from './lib/load.ts';
import { activityFor, ConnectorStandIn, DELIVERY_TIMEOUT_MS, MIXED } from './lib/teams-traffic.ts';

const { values } = parseArgs({
  options: {
    blocks: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '0.5' },
    'server-warmup': { type: 'string', default: '10' },
    levels: { type: 'string', default: '1,10,50' },
    'cpu-prof-dir': { type: 'string' },
  },
});
const BLOCKS = Number(values.blocks);
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const SERVER_WARMUP = Number(values['server-warmup']);
const LEVELS = values.levels.split(',').map(Number);
if (
  !Number.isInteger(BLOCKS) ||
  BLOCKS < 1 ||
  !(SECONDS > 0) ||
  !(WARMUP >= 0) ||
  !(SERVER_WARMUP >= 0) ||
  LEVELS.some((c) => !Number.isInteger(c) || c < 1)
) {
  process.stderr.write(
    'usage: npx tsx bench/teams-load.ts [--blocks N] [--seconds N] [--warmup N] [--server-warmup N] [--levels 1,10,50]\n',
  );
  process.exit(2);
}
/** The servers' first warm-up runs at this concurrency, in blocks of --seconds. */
const SERVER_WARMUP_CONCURRENCY = 10;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER_SCRIPT = fileURLToPath(new URL('./teams-server.ts', import.meta.url));
const CONSTANT_TEXT = 'HER2 bot: ok'; // what bench/teams-server.ts's bare bot replies
const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

type TargetName = 'bare_echo' | 'ours_message';

interface Target {
  name: TargetName;
  serverMode: 'ours' | 'bare';
  description: string;
  perQuery: boolean;
  /** An error reason if the reply that reached the connector is not what this target must send. */
  checkReply(body: string): string | undefined;
}

const TARGETS: Target[] = [
  {
    name: 'bare_echo',
    serverMode: 'bare',
    description:
      'Bare botbuilder 4.23 CloudAdapter + ConfigurationBotFrameworkAuthentication({}) on Express 5 with app.use(express.json()); an ActivityHandler whose onMessage replies with a constant text (framework floor scenario 3). Same activities as ours_message.',
    perQuery: false,
    checkReply: (body) => (body.includes(CONSTANT_TEXT) ? undefined : 'reply without the constant text'),
  },
  {
    name: 'ours_message',
    serverMode: 'ours',
    description:
      'The real bot (startBot, anonymous Teams mode, NODE_ENV production, LOG_LEVEL info, DATABASE_PATH :memory:, digest on, PLAYGROUND off): each message is searched, answered with an Adaptive Card replied into the same conversation (local mode stores nothing: no conversation reference is saved).',
    perQuery: true,
    checkReply: (body) => (body.includes(ADAPTIVE_CARD) ? undefined : 'reply without an Adaptive Card'),
  },
];

// --- one block ------------------------------------------------------------------------------------

let nextId = 1;

function runBlock(
  target: Target,
  server: ServerChild,
  concurrency: number,
  timing: { warmupSeconds: number; seconds: number; readHeap: boolean },
) {
  connector.reset(target.checkReply);
  return runClosedLoopLevel({
    server,
    concurrency,
    ...timing,
    perLabel: target.perQuery && concurrency === 1,
    next: (user) => {
      const id = nextId++;
      const { text, where } = MIXED[id % MIXED.length]!;
      const activity = activityFor(connector, user, id, text, where);
      return {
        label: text,
        path: '/api/messages',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(activity),
        delivery: connector.expect(activity.id),
        check: (status) => (status !== 200 ? `http ${status}` : undefined),
      };
    },
  });
}

/** One target's blocks at one level, pooled. */
function levelResult(blocks: LevelRun[]) {
  const { requests, throughputRps, responseMs, deliveredMs } = pooledRuns(blocks, SECONDS);
  const errorsByReason: Record<string, number> = {};
  for (const block of blocks)
    for (const [reason, n] of Object.entries(block.errors)) errorsByReason[reason] = (errorsByReason[reason] ?? 0) + n;
  const errors = blocks.reduce((n, block) => n + errorCount(block), 0);
  const byLabel = new Map<string, { response: number[]; delivered: number[] }>();
  for (const block of blocks)
    for (const [label, samples] of block.byLabel) {
      const pooled = byLabel.get(label) ?? { response: [], delivered: [] };
      pooled.response.push(...samples.response);
      pooled.delivered.push(...samples.delivered);
      byLabel.set(label, pooled);
    }
  return {
    concurrency: blocks[0]!.concurrency,
    blocks: blocks.length,
    requests,
    errors,
    ...(errors > 0 ? { errorsByReason } : {}),
    warmupRequests: blocks.reduce((n, block) => n + block.warmupRequests, 0),
    warmupErrors: blocks.reduce((n, block) => n + block.warmupErrors, 0),
    throughputRps,
    httpMs: responseMs,
    deliveredMs,
    meanDeliveredBytes: requests ? round(blocks.reduce((n, block) => n + block.deliveredBytes, 0) / requests, 0) : 0,
    ...(byLabel.size > 0
      ? {
          msByQuery: Object.fromEntries(
            [...byLabel].map(([q, samples]) => {
              const http = distribution(samples.response)!;
              const delivered = distribution(samples.delivered);
              return [
                shortLabel(q),
                {
                  n: samples.response.length,
                  httpP50: http.p50,
                  httpP99: http.p99,
                  deliveredP50: delivered?.p50,
                  deliveredP99: delivered?.p99,
                },
              ];
            }),
          ),
        }
      : {}),
    ...serverMetrics(blocks),
  };
}

type LevelResult = ReturnType<typeof levelResult>;

// --- the run --------------------------------------------------------------------------------------

const runStarted = performance.now();
const loadAverageAtStart = loadAverage();
const connector = new ConnectorStandIn();
await connector.start();

interface Side {
  target: Target;
  server: ServerChild;
  idle: Awaited<ReturnType<typeof idleReading>>;
  /** Measured blocks by concurrency. */
  blocks: Map<number, LevelRun[]>;
  levels: LevelResult[];
  warmup: { requests: number; errors: number };
  /** The connector's count of each measured block's replies. */
  connector: ReturnType<ConnectorStandIn['report']>[];
  memory?: Awaited<ReturnType<typeof roundMemory>>;
}

const sides: Side[] = [];
try {
  for (const target of TARGETS) {
    process.stderr.write(`${target.name}: starting ${target.serverMode} server\n`);
    const server = await ServerChild.start({
      script: SERVER_SCRIPT,
      args: [target.serverMode],
      label: target.serverMode,
      cwd: ROOT,
      env: { NODE_ENV: 'production', BENCH_STANDIN_URL: connector.url },
      cpuProfDir: values['cpu-prof-dir'],
    });
    sides.push({
      target,
      server,
      idle: await idleReading(server),
      blocks: new Map(),
      levels: [],
      warmup: { requests: 0, errors: 0 },
      connector: [],
    });
  }

  /** Blocks on every side, the side that goes first alternating from block to block. */
  const alternate = async (count: number, run: (side: Side, index: number) => Promise<void>) => {
    for (let i = 0; i < count; i++) for (const side of i % 2 === 0 ? sides : [...sides].reverse()) await run(side, i);
  };

  const warmupBlocks = Math.ceil(SERVER_WARMUP / SECONDS);
  process.stderr.write(
    `warming both servers up: ${warmupBlocks} block(s) of ${SECONDS} s each at c=${SERVER_WARMUP_CONCURRENCY}\n`,
  );
  await alternate(warmupBlocks, async (side) => {
    const block = await runBlock(side.target, side.server, SERVER_WARMUP_CONCURRENCY, {
      warmupSeconds: SECONDS,
      seconds: 0,
      readHeap: false,
    });
    side.warmup.requests += block.warmupRequests;
    side.warmup.errors += block.warmupErrors;
  });

  for (const concurrency of LEVELS) {
    process.stderr.write(
      `c=${concurrency}: ${BLOCKS} block(s) per server of ${WARMUP} s warm-up + ${SECONDS} s measured\n`,
    );
    await alternate(BLOCKS, async (side, i) => {
      const block = await runBlock(side.target, side.server, concurrency, {
        warmupSeconds: WARMUP,
        seconds: SECONDS,
        readHeap: i === BLOCKS - 1,
      });
      side.blocks.set(concurrency, [...(side.blocks.get(concurrency) ?? []), block]);
      side.connector.push(connector.report());
    });
    for (const side of sides) {
      const level = levelResult(side.blocks.get(concurrency)!);
      side.levels.push(level);
      process.stderr.write(
        `  ${side.target.name}: ${level.requests} req, ${level.errors} errors, ${level.throughputRps} req/s, http p50/p99 ${level.httpMs?.p50}/${level.httpMs?.p99} ms, delivered p50/p99 ${level.deliveredMs?.p50}/${level.deliveredMs?.p99} ms, server CPU ${level.server.cpuPercentOfOneCore} % (${level.server.cpuMsPerRequest} ms/req), others ${level.otherProcessesCpuPercentOfOneCore} %\n`,
      );
    }
  }
  for (const side of sides) side.memory = await roundMemory(side.server, side.idle, side.levels);
} finally {
  for (const side of sides) await side.server.stop();
  await connector.close();
}

// --- comparisons and goals ------------------------------------------------------------------------

const MAX_RATIO = 1.3;
const GOAL_CONCURRENCY = 50;

const sideOf = (name: TargetName) => sides.find((side) => side.target.name === name)!;
const ours = sideOf('ours_message');
const bare = sideOf('bare_echo');

/** One target's blocks at one level, pooled (bench/lib/load.ts); the HTTP latency is `httpMs` here. */
function pooled(side: Side, concurrency: number) {
  const { responseMs, ...all } = pooledRuns(side.blocks.get(concurrency) ?? [], SECONDS);
  return { ...all, httpMs: responseMs };
}

const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a === null || a === undefined || b === null || b === undefined || b === 0 ? null : round(a / b, 3);

const within = (throughputRatio: number | null, httpP99Ratio: number | null, deliveredP99Ratio: number | null) =>
  throughputRatio !== null &&
  httpP99Ratio !== null &&
  deliveredP99Ratio !== null &&
  throughputRatio >= 1 / MAX_RATIO &&
  httpP99Ratio <= MAX_RATIO &&
  deliveredP99Ratio <= MAX_RATIO;

/** Quartiles of ours/bare over the pairs of blocks run one after the other: how much the ratio moves. */
function perBlockPairs(concurrency: number) {
  const o = ours.blocks.get(concurrency) ?? [];
  const b = bare.blocks.get(concurrency) ?? [];
  const pairs = o.flatMap((ob, i) => (b[i] ? [[ob, b[i]] as const] : []));
  return {
    throughputRatio: quartiles(pairs.map(([x, y]) => x.response.length / Math.max(1, y.response.length))),
    httpP99Ratio: quartiles(
      pairs.map(([x, y]) => (distribution(x.response)?.p99 ?? 0) / (distribution(y.response)?.p99 ?? 1)),
    ),
  };
}

const comparisonLevels = LEVELS.map((concurrency) => {
  const o = pooled(ours, concurrency);
  const b = pooled(bare, concurrency);
  const throughputRatio = ratio(o.throughputRps, b.throughputRps);
  const httpP99Ratio = ratio(o.httpMs?.p99, b.httpMs?.p99);
  const deliveredP99Ratio = ratio(o.deliveredMs?.p99, b.deliveredMs?.p99);
  return {
    concurrency,
    throughputRps: { ours: o.throughputRps, bare: b.throughputRps },
    throughputRatioOursOverBare: throughputRatio,
    httpMs: {
      ours: { p50: o.httpMs?.p50, p99: o.httpMs?.p99 },
      bare: { p50: b.httpMs?.p50, p99: b.httpMs?.p99 },
    },
    httpP50RatioOursOverBare: ratio(o.httpMs?.p50, b.httpMs?.p50),
    httpP99RatioOursOverBare: httpP99Ratio,
    deliveredMs: {
      ours: { p50: o.deliveredMs?.p50, p99: o.deliveredMs?.p99 },
      bare: { p50: b.deliveredMs?.p50, p99: b.deliveredMs?.p99 },
    },
    deliveredP50RatioOursOverBare: ratio(o.deliveredMs?.p50, b.deliveredMs?.p50),
    deliveredP99RatioOursOverBare: deliveredP99Ratio,
    deliveredP99DeltaMs: o.deliveredMs && b.deliveredMs ? round(o.deliveredMs.p99 - b.deliveredMs.p99, 3) : null,
    serverCpuMsPerRequest: { ours: o.serverCpuMsPerRequest, bare: b.serverCpuMsPerRequest },
    serverCpuRatioOursOverBare: ratio(o.serverCpuMsPerRequest, b.serverCpuMsPerRequest),
    perBlockPair: perBlockPairs(concurrency),
    within1_3xOfBare: verdict(within(throughputRatio, httpP99Ratio, deliveredP99Ratio)),
  };
});

const comparisons = [
  {
    ours: 'ours_message',
    bare: 'bare_echo',
    what: `every level with its ${BLOCKS} block(s) per server pooled (throughput = requests over all measured windows; percentiles over all samples); perBlockPair shows the spread over the pairs of blocks run one after the other`,
    levels: comparisonLevels,
  },
];

function atGoalLevel(side: Side) {
  if (!side.blocks.has(GOAL_CONCURRENCY)) return 'not measured';
  const p = pooled(side, GOAL_CONCURRENCY);
  return { httpP99Ms: p.httpMs?.p99, deliveredP99Ms: p.deliveredMs?.p99, throughputRps: p.throughputRps };
}

/** The connector's counts over a side's measured blocks. */
function connectorTotals(reports: Side['connector']) {
  const otherRequests: Record<string, number> = {};
  for (const r of reports)
    for (const [k, n] of Object.entries(r.otherRequests)) otherRequests[k] = (otherRequests[k] ?? 0) + n;
  const sum = (f: (r: Side['connector'][number]) => number) => reports.reduce((t, r) => t + f(r), 0);
  return {
    replies: sum((r) => r.replies),
    unexpectedReplies: sum((r) => r.unexpectedReplies),
    repliesWithAuthorization: sum((r) => r.repliesWithAuthorization),
    connectionsFromServer: sum((r) => r.connectionsFromServer),
    otherRequests,
    sampleReply: reports.find((r) => r.sampleReply)?.sampleReply,
  };
}

const goals = {
  within1_3xOfBareAdapter: {
    rule: `at every level, blocks pooled: throughput(ours)/throughput(bare) >= ${round(1 / MAX_RATIO, 3)}, and p99(ours)/p99(bare) <= ${MAX_RATIO} for both the HTTP response and the delivered reply`,
    overall:
      comparisonLevels.length === 0
        ? 'not measured'
        : verdict(comparisonLevels.every((l) => l.within1_3xOfBare === 'met')),
    byConcurrency: Object.fromEntries(comparisonLevels.map((l) => [l.concurrency, l.within1_3xOfBare])),
  },
  p99At50ConcurrentForInformation: {
    note: `no goal is set for Teams; closed loop at saturation, so latency ≈ concurrency / throughput (Little's law), and the bare adapter itself needs ≈ 1.5–1.8 ms of CPU per turn (framework floor: 728 turns/s, delivered p99 100 ms, HTTP p99 126 ms at c=50)`,
    ours_message: atGoalLevel(ours),
    bare_echo: atGoalLevel(bare),
  },
};

const maxOtherCpu = Math.max(
  0,
  ...sides.flatMap((side) =>
    [...side.blocks.values()].flat().map((b) => serverMetrics(b).otherProcessesCpuPercentOfOneCore),
  ),
);

console.log(
  JSON.stringify(
    {
      benchmark: 'teams-load',
      date: new Date().toISOString(),
      node: process.version,
      machine: machineReport(maxOtherCpu, loadAverageAtStart),
      settings: {
        levels: LEVELS,
        blocksPerServerAndLevel: BLOCKS,
        warmupSecondsPerBlock: WARMUP,
        measuredSecondsPerBlock: SECONDS,
        serverWarmup: `${Math.ceil(SERVER_WARMUP / SECONDS) * SECONDS} s per server at c=${SERVER_WARMUP_CONCURRENCY} before the first level, in alternating blocks, not measured`,
        blockOrder:
          'both servers up at once; at each level the load alternates between them block by block, the first side alternating (ours, bare, bare, ours, …)',
        loadModel:
          'closed loop: C virtual users on one undici Pool per block (connections=C, pipelining=1, keep-alive), each sends its next activity when the previous iteration completed (HTTP response read and reply delivered); every activity has a unique id',
        activities: MIXED.map((m) => `${m.where}: ${m.text}`),
        activityShape:
          "test/helpers/teams.ts messageActivity: type message, channelId msteams, serviceUrl = this process's connector stand-in (/amer/), per virtual user a personal conversation or a channel thread (<at>HER2 Bot</at> mention), tenant, no Authorization header",
        serverProcess:
          'node --expose-gc --import tsx bench/teams-server.ts <mode>: one child per target for the whole run, levels 1 → 10 → 50 in it',
        deliveryTimeoutMs: DELIVERY_TIMEOUT_MS,
      },
      paths: {
        httpMs:
          'POST /api/messages sent → full HTTP response read (200, empty body). CloudAdapter awaits the whole turn including the outbound reply before it answers, so httpMs > deliveredMs.',
        deliveredMs:
          "POST /api/messages sent → the reply POST {serviceUrl}v3/conversations/{conversation}/activities/{activity id} fully received by the connector stand-in in this process (same clock); the reply's content is checked (ours: an Adaptive Card; bare: the constant text)",
        serverCpu:
          'server process utime+stime over the measured windows, 100 = one full core; otherProcesses = machine busy time minus the loaded server and the load generator (noise from elsewhere, including the idle server)',
        memory:
          'server VmRSS before each level and after it, VmHWM (peak) after it, V8 heapUsed after a forced GC after its last block, and the same at the end after 1 s idle',
      },
      targets: Object.fromEntries(
        sides.map((side) => [
          side.target.name,
          {
            description: side.target.description,
            serverMode: side.target.serverMode,
            ...side.memory,
            warmup: side.warmup,
            levels: side.levels,
            connector: connectorTotals(side.connector),
          },
        ]),
      ),
      comparisons,
      goals,
      runSeconds: round((performance.now() - runStarted) / 1000, 1),
    },
    null,
    2,
  ),
);
