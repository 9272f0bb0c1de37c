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
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { BOT_TOKEN, BOT_USER, SIGNING_SECRET, slackHeaders, slashCommandBody } from '../test/helpers/slack.ts';
import { loadAverage, mainThreadCpuMs, round, ServerChild, threadsCpuMs } from './lib/load.ts';
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

interface Side {
  server: ServerChild;
  pool: Pool;
  requests: number;
  cpuMs: number;
  mainMs: number;
  perBlockUs: number[];
}

let nextId = 0;
async function block(side: Side, texts: readonly string[], concurrency: number, record: boolean) {
  const end = performance.now() + BLOCK_MS;
  const cpu0 = threadsCpuMs(side.server.pid);
  const main0 = mainThreadCpuMs(side.server.pid);
  let requests = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const id = nextId++;
        const body = slashCommandBody(texts[id % texts.length]!, `${slackUrl}/r/${id}`);
        const headers = slackHeaders(body, { contentType: 'application/x-www-form-urlencoded' });
        const res = await side.pool.request({ method: 'POST', path: '/slack/events', headers, body });
        await res.body.text();
        if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode} from the ${side.server.origin} server`);
        requests++;
      }
    }),
  );
  if (!record) return;
  const cpu = threadsCpuMs(side.server.pid) - cpu0;
  side.requests += requests;
  side.cpuMs += cpu;
  side.mainMs += mainThreadCpuMs(side.server.pid) - main0;
  side.perBlockUs.push((cpu * 1000) / requests);
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * q)]!;

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
    const sides: Record<'ours' | 'bare', Side> = { ours: undefined!, bare: undefined! };
    for (const who of ['ours', 'bare'] as const) {
      const server = await start(pair[who]);
      const pool = new Pool(server.origin, { connections: concurrency, pipelining: 1 });
      sides[who] = { server, pool, requests: 0, cpuMs: 0, mainMs: 0, perBlockUs: [] };
    }
    try {
      for (let i = 0; i < WARMUP_BLOCKS + BLOCKS; i++) {
        const order = i % 2 === 0 ? (['ours', 'bare'] as const) : (['bare', 'ours'] as const);
        for (const who of order) await block(sides[who], pair.texts, concurrency, i >= WARMUP_BLOCKS);
      }
    } finally {
      for (const side of Object.values(sides)) {
        await side.pool.close();
        await side.server.stop();
      }
    }
    const perRequest = (s: Side) => round((s.cpuMs * 1000) / s.requests, 1);
    const ratios = sides.ours.perBlockUs.map((o, i) => o / sides.bare.perBlockUs[i]!);
    const ratio = round(perRequest(sides.ours) / perRequest(sides.bare), 3);
    results.push({
      pair: name,
      concurrency,
      requests: { ours: sides.ours.requests, bare: sides.bare.requests },
      cpuUsPerRequest: { ours: perRequest(sides.ours), bare: perRequest(sides.bare) },
      mainThreadCpuUsPerRequest: {
        ours: round((sides.ours.mainMs * 1000) / sides.ours.requests, 1),
        bare: round((sides.bare.mainMs * 1000) / sides.bare.requests, 1),
      },
      cpuRatioOursOverBare: ratio,
      perBlockRatio: {
        p25: round(quantile(ratios, 0.25), 3),
        p50: round(quantile(ratios, 0.5), 3),
        p75: round(quantile(ratios, 0.75), 3),
      },
      throughputRatioOursOverBare: round(sides.ours.requests / sides.bare.requests, 3),
      within1_3xOfBare: ratio <= 1.3 ? 'met' : 'not met',
    });
  }
}
slack.close();

console.log(
  JSON.stringify(
    {
      benchmark: 'slack-cpu',
      date: new Date().toISOString(),
      node: process.version,
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        loadAverageAtStart,
        loadAverageAtEnd: loadAverage(),
      },
      settings: {
        blocks: BLOCKS,
        warmupBlocks: WARMUP_BLOCKS,
        blockMs: BLOCK_MS,
        levels: LEVELS,
        method:
          'both servers at once; blocks of closed-loop load alternate between them (which goes first alternates); CPU = sum of /proc/<pid>/task/*/schedstat over the block',
        pairs: Object.fromEntries(pairNames.map((n) => [n, PAIRS[n]])),
      },
      results,
      runSeconds: round((performance.now() - started) / 1000, 1),
    },
    null,
    2,
  ),
);
