/**
 * Start-up benchmark: the compiled CLI and server measured as processes from the outside, each beside
 * its floor measured in the same run. Prints one JSON object. Run: npm run bench:startup [-- --runs 5]
 *
 * - ask: `her2bot ask p95` (wall, peak RSS); floor: plain node loading lunr and a lunr index of the
 *   same search documents serialized by lunr (written by this script: build/ holds our own compact
 *   form, which lunr cannot load), and running one lunr query. Goals: ≤ 2× the floor's wall time, ≤ 90 MiB peak.
 * - batch: `her2bot ask --batch` with 1,000 queries on stdin; floor: the same queries through lunr in
 *   plain node, one JSON line each. Goal: ≤ 2 s.
 * - server: `her2bot serve` with no credentials (what `npm start` does on a fresh clone): time until
 *   /healthz answers, RSS after 3 s idle; floor: plain node:http with lunr and the index loaded.
 *   Goals: ready ≤ 1 s, idle RSS ≤ 110 MiB.
 * Medians of --runs runs, with min and max, and the load average before and after: the machine is
 * shared, so a single run says little.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import lunr from 'lunr';
import { parse } from 'yaml';
import { openKnowledge } from '../src/knowledge/snapshot.ts';
import { buildDocuments } from '../src/search/documents.ts';
import { round, verdict } from './lib/load.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(values.runs);
const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/her2bot.js');
const INDEX = join(ROOT, 'build/search-index.json');
if (!existsSync(join(ROOT, 'dist/src/cli/bin.js')) || !existsSync(INDEX)) {
  process.stderr.write('bench/startup.ts measures the compiled bot: run `npm run build` and `npm run prepare` first\n');
  process.exit(1);
}

// Each child writes its own peak RSS (getrusage, as /usr/bin/time reports it) to fd 3 as it exits.
const RUSAGE = `data:text/javascript,${encodeURIComponent(
  "import{writeSync}from'node:fs';process.on('exit',()=>{try{writeSync(3,String(process.resourceUsage().maxRSS))}catch{}})",
)}`;

/** No credentials, no developer .env (cwd is a temp dir), a throw-away database: a fresh clone's `npm start`. */
const folder = mkdtempSync(join(os.tmpdir(), 'her2bot-startup-'));

/** The floor's index: lunr's own serialization of the same documents, with lunr's default pipeline. */
const FLOOR_INDEX = join(folder, 'lunr-index.json');
{
  const documents = buildDocuments((await openKnowledge()).kb);
  const index = lunr(function () {
    this.ref('id');
    for (const field of ['names', 'heading', 'body']) this.field(field);
    for (const d of documents) this.add({ id: d.id, names: d.names, heading: d.heading, body: d.body });
  });
  writeFileSync(FLOOR_INDEX, JSON.stringify({ index: index.toJSON() }));
}

const LUNR = pathToFileURL(createRequire(import.meta.url).resolve('lunr')).href;
const FLOOR_SEARCH = `
import { readFileSync } from 'node:fs';
import lunr from ${JSON.stringify(LUNR)};
const index = lunr.Index.load(JSON.parse(readFileSync(${JSON.stringify(FLOOR_INDEX)}, 'utf8')).index);
const search = (q) => index.query((b) => { for (const t of lunr.tokenizer(q)) b.term(t, {}); });
`;
const FLOOR_ASK = `${FLOOR_SEARCH} console.log(JSON.stringify(search('p95').slice(0, 10)));`;
const FLOOR_BATCH = `${FLOOR_SEARCH}
import { createInterface } from 'node:readline';
for await (const line of createInterface({ input: process.stdin })) console.log(JSON.stringify(search(line).slice(0, 10)));`;
const FLOOR_SERVER = `${FLOOR_SEARCH}
import { createServer } from 'node:http';
createServer((req, res) => res.end(JSON.stringify({ status: 'ok' }))).listen(Number(process.env.PORT), '127.0.0.1');`;

const cleanEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !/^(SLACK_|Microsoft|TEAMS_|PUBLIC_URL|PORT|HOST|DATABASE_PATH)/i.test(k),
  ),
);

interface Sample {
  wallMs: number;
  peakRssMiB: number;
}

function launch(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; peak: Promise<number> } {
  const child = spawn(process.execPath, ['--import', RUSAGE, ...args], {
    cwd: folder,
    env: { ...cleanEnv, DATABASE_PATH: join(folder, 'bench.db'), LOG_LEVEL: 'warn', ...env },
    stdio: ['pipe', 'pipe', 'inherit', 'pipe'],
  });
  let rusage = '';
  child.stdio[3]?.on('data', (chunk: Buffer) => {
    rusage += chunk.toString();
  });
  child.stdout?.resume();
  const peak = new Promise<number>((resolve) => child.on('close', () => resolve(round(Number(rusage) / 1024, 1))));
  return { child, peak };
}

async function runOnce(args: string[], input?: string): Promise<Sample> {
  const started = performance.now();
  const { child, peak } = launch(args);
  child.stdin?.end(input ?? '');
  const [code] = await new Promise<[number | null]>((resolve) => child.on('exit', (c) => resolve([c])));
  const wallMs = round(performance.now() - started, 1);
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}`);
  return { wallMs, peakRssMiB: await peak };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function serveOnce(args: string[]): Promise<{ readyMs: number; idleRssMiB: number; health: unknown }> {
  const port = await freePort();
  const started = performance.now();
  const { child } = launch(args, { PORT: String(port), HOST: '127.0.0.1' });
  let health: unknown;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
    const reply = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
    if (reply?.ok) {
      health = await reply.json();
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const readyMs = round(performance.now() - started, 1);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const idleRssMiB = round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024, 1);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.on('close', resolve));
  return { readyMs, idleRssMiB, health };
}

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]! };
}

async function repeat<T>(fn: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < RUNS; i++) out.push(await fn()); // one at a time: the children never share the CPU
  return out;
}

function batchQueries(): string[] {
  const files = [join(ROOT, 'test/fixtures/eval/extended.yaml'), join(ROOT, '../shared/eval/queries.yaml')];
  const queries = files
    .filter((f) => existsSync(f))
    .flatMap((f) => (parse(readFileSync(f, 'utf8')) as { query: string }[]).map((c) => c.query));
  return Array.from({ length: 1000 }, (_, i) => queries[i % queries.length]!);
}

const loadBefore = os.loadavg().map((l) => round(l));
const batchInput = `${batchQueries().join('\n')}\n`;

const askFloor = await repeat(() => runOnce(['--input-type=module', '-e', FLOOR_ASK]));
const ask = await repeat(() => runOnce([BIN, 'ask', 'p95']));
const batchFloor = await repeat(() => runOnce(['--input-type=module', '-e', FLOOR_BATCH], batchInput));
const batch = await repeat(() => runOnce([BIN, 'ask', '--batch'], batchInput));
const serverFloor = await repeat(() => serveOnce(['--input-type=module', '-e', FLOOR_SERVER]));
const server = await repeat(() => serveOnce([BIN, 'serve']));
rmSync(folder, { recursive: true, force: true });

const askWall = stats(ask.map((s) => s.wallMs));
const askFloorWall = stats(askFloor.map((s) => s.wallMs));
const askPeak = stats(ask.map((s) => s.peakRssMiB));
const batchWall = stats(batch.map((s) => s.wallMs));
const ready = stats(server.map((s) => s.readyMs));
const idle = stats(server.map((s) => s.idleRssMiB));

console.log(
  JSON.stringify(
    {
      machine: {
        cpus: os.cpus().length,
        node: process.version,
        loadBefore,
        loadAfter: os.loadavg().map((l) => round(l)),
      },
      runs: RUNS,
      ask: {
        command: 'her2bot ask p95',
        wallMs: askWall,
        peakRssMiB: askPeak,
        floor: { wallMs: askFloorWall, peakRssMiB: stats(askFloor.map((s) => s.peakRssMiB)) },
        wallVsFloor: round(askWall.median / askFloorWall.median),
        goal: 'wall ≤ 2× floor, peak ≤ 90 MiB',
        verdict: verdict(askWall.median <= 2 * askFloorWall.median && askPeak.median <= 90),
      },
      batch: {
        command: 'her2bot ask --batch, 1000 queries',
        wallMs: batchWall,
        peakRssMiB: stats(batch.map((s) => s.peakRssMiB)),
        floor: {
          wallMs: stats(batchFloor.map((s) => s.wallMs)),
          peakRssMiB: stats(batchFloor.map((s) => s.peakRssMiB)),
        },
        goal: 'wall ≤ 2000 ms',
        verdict: verdict(batchWall.median <= 2000),
      },
      server: {
        command: 'her2bot serve (no credentials)',
        surfaces: (server[0]?.health as { surfaces?: unknown } | undefined)?.surfaces,
        readyMs: ready,
        idleRssMiB: idle,
        floor: {
          readyMs: stats(serverFloor.map((s) => s.readyMs)),
          idleRssMiB: stats(serverFloor.map((s) => s.idleRssMiB)),
        },
        goal: 'ready ≤ 1000 ms, idle RSS ≤ 110 MiB',
        verdict: verdict(ready.median <= 1000 && idle.median <= 110),
      },
    },
    null,
    2,
  ),
);
