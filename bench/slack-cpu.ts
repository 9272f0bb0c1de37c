/**
 * Slack server CPU per request, ours against bare Bolt, interleaved so that this machine's drift cancels
 * out. slack-load.ts measures throughput and latency, which swing ±25 % from one run to the next here;
 * this measures what those follow from, the server's CPU time per request, with both servers running at
 * once and the load alternating between them in short blocks:
 *
 *   npx tsx bench/slack-cpu.ts [--blocks 16] [--block-ms 1000] [--levels 1,10] [--pairs search,digest]
 *
 * Both servers are fresh children of bench/slack-server.ts (the real bot, and bare Bolt on the same kind
 * of receiver). For each block the client sends signed `/her2` commands to one server for block-ms at
 * concurrency C (closed loop, keep-alive), then to the other; which goes first alternates. A server's CPU
 * time is the sum over all its threads (V8's GC and compiler threads, libuv's pool) of
 * /proc/<pid>/task/<tid>/schedstat, in nanoseconds, read before and after each block. The result is
 * the CPU per request over all blocks, and the spread of the per-block ratios. Prints one JSON object.
 *
 * Pairs: `search` (ours_search: mixed texts, the card is the ack; against bare_ack) and `digest`
 * (`digest status`: ours acks, answers and calls respond(); against bare_ack_respond). A block ends
 * when its last ack came back, so respond()'s work for the last requests may fall in the next block of
 * the same server; over many blocks that evens out.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BOT_TOKEN, BOT_USER, SIGNING_SECRET, slackHeaders, slashCommandBody } from '../test/helpers/slack.ts';
import { alternateBlocks, type CpuSide, closeSides, compareSides, cpuSide, printCpuRun } from './lib/cpu-blocks.ts';
import { loadAverage, ServerChild } from './lib/load.ts';
import { MIXED_QUERIES } from './lib/slack-texts.ts';

const { values } = parseArgs({
  options: {
    blocks: { type: 'string', default: '16' },
    'block-ms': { type: 'string', default: '1000' },
    levels: { type: 'string', default: '1,10' },
    pairs: { type: 'string', default: 'search,digest' },
  },
});
const BLOCKS = Number(values.blocks);
const BLOCK_MS = Number(values['block-ms']);
const LEVELS = values.levels.split(',').map(Number);
const WARMUP_BLOCKS = 3;
if (!(BLOCKS >= 2) || !(BLOCK_MS >= 100) || LEVELS.some((c) => !Number.isInteger(c) || c < 1)) {
  process.stderr.write('usage: npx tsx bench/slack-cpu.ts [--blocks N>=2] [--block-ms N>=100] [--levels 1,10]\n');
  process.exit(2);
}

const PAIRS = {
  search: { ours: 'ours', bare: 'bare-ack', texts: MIXED_QUERIES },
  digest: { ours: 'ours', bare: 'bare-respond', texts: ['digest status'] },
} as const;
type PairName = keyof typeof PAIRS;
const pairNames = values.pairs.split(',').filter((p): p is PairName => p in PAIRS);

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER_SCRIPT = fileURLToPath(new URL('./slack-server.ts', import.meta.url));

/** Slack's Web API (auth.test at start) and every response_url, answering ok. */
const slack = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, user_id: BOT_USER, bot_id: 'BBOT', team_id: 'T1' }));
  });
});
await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', () => resolve()));
const slackUrl = `http://127.0.0.1:${(slack.address() as AddressInfo).port}`;

let nextId = 0;
/** One signed `/her2` with one of `texts` to a side, done when its ack came back. */
const command =
  (texts: readonly string[]) =>
  async (side: CpuSide): Promise<void> => {
    const id = nextId++;
    const body = slashCommandBody(texts[id % texts.length]!, `${slackUrl}/r/${id}`);
    const headers = slackHeaders(body, { contentType: 'application/x-www-form-urlencoded' });
    const res = await side.pool.request({ method: 'POST', path: '/slack/events', headers, body });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode} from the ${side.label} server`);
  };

async function start(mode: string): Promise<ServerChild> {
  return ServerChild.start({
    script: SERVER_SCRIPT,
    args: [mode],
    label: mode,
    cwd: ROOT,
    env: {
      NODE_ENV: 'production',
      BENCH_SIGNING_SECRET: SIGNING_SECRET,
      BENCH_BOT_TOKEN: BOT_TOKEN,
      BENCH_API_URL: `${slackUrl}/api/`,
    },
  });
}

const started = performance.now();
const loadAverageAtStart = loadAverage();
const results = [];
for (const name of pairNames) {
  const pair = PAIRS[name];
  for (const concurrency of LEVELS) {
    process.stderr.write(`${name} c=${concurrency}: ${WARMUP_BLOCKS} + ${BLOCKS} blocks of ${BLOCK_MS} ms each\n`);
    const ours = cpuSide('ours', await start(pair.ours), concurrency);
    const bare = cpuSide('bare', await start(pair.bare), concurrency);
    try {
      const plan = { concurrency, warmupBlocks: WARMUP_BLOCKS, blocks: BLOCKS, blockMs: BLOCK_MS };
      await alternateBlocks(ours, bare, plan, command(pair.texts));
    } finally {
      await closeSides(ours, bare);
    }
    results.push({ pair: name, concurrency, ...compareSides(ours, bare) });
  }
}
slack.close();

printCpuRun({
  benchmark: 'slack-cpu',
  started,
  loadAverageAtStart,
  plan: { blocks: BLOCKS, warmupBlocks: WARMUP_BLOCKS, blockMs: BLOCK_MS, levels: LEVELS },
  settings: {
    pairs: Object.fromEntries(pairNames.map((n) => [n, PAIRS[n]])),
    ratio: 'ours over bare',
  },
  results,
});
