/**
 * Teams server CPU per message, ours against a bare CloudAdapter, interleaved so that this machine's
 * drift cancels out: the Teams twin of bench/slack-cpu.ts. teams-load.ts measures throughput and
 * latency, which swing with the machine from one run to the next here; this measures what they follow
 * from, the server's CPU time per message, with both servers running at once and the load alternating
 * between them in short blocks:
 *
 *   npx tsx bench/teams-cpu.ts [--blocks 16] [--block-ms 1000] [--levels 1,10] [--sides ours,bare]
 *                              [--cpu-prof-dir DIR]
 *
 * Sides are bench/teams-server.ts modes (`ours`, `bare`); `ours@DIR` runs DIR/bench/teams-server.ts
 * from another checkout of this repository (with its own node_modules and build/), so that two versions
 * of the bot can be compared the same way (`--sides ours,ours@../old`). For each block the client posts
 * the mixed message activities of teams-load.ts (bench/lib/teams-traffic.ts) to one server for block-ms
 * at concurrency C (closed loop, keep-alive; an iteration ends when the HTTP response was read and the
 * reply reached the connector stand-in in this process), then to the other; which goes first
 * alternates. A server's CPU time is the sum over all its threads of /proc/<pid>/task/<tid>/schedstat,
 * read before and after each block. Prints one JSON object; `cpuRatio` is first side over second.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { alternateBlocks, type CpuSide, closeSides, compareSides, cpuSide, printCpuRun } from './lib/cpu-blocks.ts';
import { loadAverage, ServerChild } from './lib/load.ts';
import { activityFor, ConnectorStandIn, MIXED } from './lib/teams-traffic.ts';

const { values } = parseArgs({
  options: {
    blocks: { type: 'string', default: '16' },
    'block-ms': { type: 'string', default: '1000' },
    levels: { type: 'string', default: '1,10' },
    sides: { type: 'string', default: 'ours,bare' },
    'cpu-prof-dir': { type: 'string' },
  },
});
const BLOCKS = Number(values.blocks);
const BLOCK_MS = Number(values['block-ms']);
const LEVELS = values.levels.split(',').map(Number);
const WARMUP_BLOCKS = 3;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface SideSpec {
  label: string;
  mode: 'ours' | 'bare';
  checkout: string;
}
function sideSpec(text: string): SideSpec | undefined {
  const [mode, dir] = text.split('@');
  if (mode !== 'ours' && mode !== 'bare') return undefined;
  return { label: text, mode, checkout: dir ? resolve(dir) : ROOT };
}
const specs = values.sides.split(',').map(sideSpec);
if (
  !(BLOCKS >= 2) ||
  !(BLOCK_MS >= 100) ||
  LEVELS.some((c) => !Number.isInteger(c) || c < 1) ||
  specs.length !== 2 ||
  specs.some((s) => !s) ||
  specs[0]!.label === specs[1]!.label
) {
  process.stderr.write(
    'usage: npx tsx bench/teams-cpu.ts [--blocks N>=2] [--block-ms N>=100] [--levels 1,10] [--sides A,B]\n' +
      '  a side is ours, bare, or ours@DIR / bare@DIR for another checkout; the two must differ\n',
  );
  process.exit(2);
}
const [first, second] = specs as [SideSpec, SideSpec];

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
const CONSTANT_TEXT = 'HER2 bot: ok'; // what bench/teams-server.ts's bare bot replies
const checkReply = (mode: SideSpec['mode']) => (body: string) =>
  body.includes(mode === 'ours' ? ADAPTIVE_CARD : CONSTANT_TEXT) ? undefined : `reply not what ${mode} sends`;

const connector = new ConnectorStandIn();
await connector.start();

let nextId = 1;
/** One message to a side, done when its HTTP response was read and its reply reached the stand-in. */
async function message(side: CpuSide, user: number): Promise<void> {
  const id = nextId++;
  const { text, where } = MIXED[id % MIXED.length]!;
  const activity = activityFor(connector, user, id, text, where);
  const delivery = connector.expect(activity.id);
  const res = await side.pool.request({
    method: 'POST',
    path: '/api/messages',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  await res.body.text();
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode} from the ${side.label} server`);
  const { problem } = await delivery;
  if (problem) throw new Error(`${side.label}: ${problem}`);
}

function start(spec: SideSpec): Promise<ServerChild> {
  return ServerChild.start({
    script: `${spec.checkout}/bench/teams-server.ts`,
    args: [spec.mode],
    label: spec.label.replace(/[^\w-]+/g, '_'),
    cwd: spec.checkout,
    env: { NODE_ENV: 'production', BENCH_STANDIN_URL: connector.url },
    cpuProfDir: values['cpu-prof-dir'],
  });
}

const started = performance.now();
const loadAverageAtStart = loadAverage();
const results = [];
for (const concurrency of LEVELS) {
  process.stderr.write(`c=${concurrency}: ${WARMUP_BLOCKS} + ${BLOCKS} blocks of ${BLOCK_MS} ms each\n`);
  const [a, b] = [
    cpuSide(first.label, await start(first), concurrency),
    cpuSide(second.label, await start(second), concurrency),
  ];
  try {
    const plan = { concurrency, warmupBlocks: WARMUP_BLOCKS, blocks: BLOCKS, blockMs: BLOCK_MS };
    // Every iteration awaits its reply, so none is left over when the other side's block starts.
    await alternateBlocks(a, b, plan, message, (side) => {
      connector.checkReply = checkReply(side === a ? first.mode : second.mode);
    });
  } finally {
    await closeSides(a, b);
  }
  results.push({ concurrency, ...compareSides(a, b) });
}
await connector.close();

printCpuRun({
  benchmark: 'teams-cpu',
  started,
  loadAverageAtStart,
  plan: { blocks: BLOCKS, warmupBlocks: WARMUP_BLOCKS, blockMs: BLOCK_MS, levels: LEVELS },
  settings: {
    sides: [first, second].map((s) => ({ ...s, checkout: s.checkout === ROOT ? 'this checkout' : s.checkout })),
    ratio: `${first.label} over ${second.label}`,
    activities: MIXED.map((m) => `${m.where}: ${m.text}`),
  },
  results,
});
