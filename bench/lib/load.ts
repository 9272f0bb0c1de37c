/**
 * What the load benchmarks (bench/slack-load.ts, bench/teams-load.ts, bench/*-cpu.ts) share: /proc readings of the
 * server child and of the machine, nearest-rank statistics, the server child and its line-based
 * protocol (see bench/lib/server.ts for the other end), a registry of awaited deliveries for the
 * loopback stand-ins, and the closed-loop load of one concurrency level. Method as in
 * shared/reference/framework-floor.md.
 */
import { type ChildProcessByStdio, execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { Pool } from 'undici';

// --- numbers --------------------------------------------------------------------------------------

export function round(n: number, digits = 2): number {
  return Number.isFinite(n) ? Number(n.toFixed(digits)) : n;
}

/** Nearest-rank percentile of a sorted array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** p25, p50 and p75 (nearest rank) of some values: how much a per-block ratio moves. */
export function quartiles(values: readonly number[]): { p25: number; p50: number; p75: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p25: round(percentile(sorted, 25), 3),
    p50: round(percentile(sorted, 50), 3),
    p75: round(percentile(sorted, 75), 3),
  };
}

export interface Distribution {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function distribution(samples: number[]): Distribution | null {
  if (samples.length === 0) return null;
  const sorted = Float64Array.from(samples).sort();
  const s = Array.from(sorted);
  return {
    p50: round(percentile(s, 50), 3),
    p90: round(percentile(s, 90), 3),
    p99: round(percentile(s, 99), 3),
    max: round(s[s.length - 1]!, 3),
    mean: round(s.reduce((a, b) => a + b, 0) / s.length, 3),
  };
}

export const verdict = (ok: boolean): 'met' | 'not met' => (ok ? 'met' : 'not met');

// --- /proc readings -------------------------------------------------------------------------------

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

export const CLK_TCK = clockTicks();

export interface Memory {
  rssMiB: number;
  hwmMiB: number;
}

/** VmRSS and VmHWM of a process, in MiB. */
export function memory(pid: number | 'self'): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMiB: round(kb('VmRSS') / 1024, 1), hwmMiB: round(kb('VmHWM') / 1024, 1) };
}

/** utime + stime of a process, in clock ticks. */
export function cpuTicks(pid: number | 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // fields 14 and 15 of stat(5), counted after comm
}

/** A thread's CPU time so far, in ns: the first field of its schedstat. */
const threadCpuNs = (pid: number, tid: number | string): number =>
  Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);

/**
 * CPU time of all of a process's threads (V8's GC and compiler threads, libuv's pool), in ms, from
 * /proc/<pid>/task/<tid>/schedstat: nanoseconds, finer than stat's clock ticks, for short blocks (the
 * *-cpu.ts benches). A thread that ended in between is not counted.
 */
export function threadsCpuMs(pid: number): number {
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += threadCpuNs(pid, tid);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return ns / 1e6;
}

/** CPU time of the process's main thread (the event loop) alone, in ms. */
export const mainThreadCpuMs = (pid: number): number => threadCpuNs(pid, pid) / 1e6;

/** Busy ticks of the whole machine (all CPUs), from the aggregate line of /proc/stat. */
function machineBusyTicks(): number {
  const [user, nice, system, _idle, _iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return user! + nice! + system! + irq! + softirq! + steal!;
}

export interface CpuSnapshot {
  at: number;
  server: number;
  client: number;
  machine: number;
}

export function snapshot(pid: number): CpuSnapshot {
  return { at: performance.now(), server: cpuTicks(pid), client: cpuTicks('self'), machine: machineBusyTicks() };
}

/** The `machine` block of a result: CPUs, load average, and a warning when other processes were busy. */
export function machineReport(maxOtherCpuPercent: number, loadAverageAtStart: number[]) {
  return {
    noise:
      maxOtherCpuPercent > 25
        ? `WARNING: other processes used up to ${maxOtherCpuPercent} % of a core during a measured window; those levels are not comparable (see otherProcessesCpuPercentOfOneCore) — rerun on a quiet machine`
        : `quiet: other processes used at most ${maxOtherCpuPercent} % of a core during any measured window`,
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    loadAverageAtStart,
    loadAverageAtEnd: os.loadavg().map((n) => round(n, 2)),
  };
}

export const loadAverage = (): number[] => os.loadavg().map((n) => round(n, 2));

// --- server child ---------------------------------------------------------------------------------

export interface HeapReading {
  heapUsed: number;
  heapTotal: number;
  external: number;
  rss: number;
}

export interface ServerChildOptions {
  /** The server script, run as `node --expose-gc [--cpu-prof …] --import tsx <script> <args…>`. */
  script: string;
  args: string[];
  /** The name in error messages and in the server log's file name. */
  label: string;
  cwd: string;
  /** Added to the inherited environment. */
  env: Record<string, string>;
  cpuProfDir?: string | undefined;
}

type Child = ChildProcessByStdio<Writable, Readable, null>;
const live = new Set<Child>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});
process.on('SIGINT', () => process.exit(130));

/**
 * A server in its own process, so that server and load generator never share an event loop. It prints
 * `{"ready":true,"port":N}` once listening and answers each `heap` line on stdin with `{"heap":…}`.
 */
export class ServerChild {
  private readonly heapWaiters: ((h: HeapReading) => void)[] = [];
  port = 0;
  startupMs = 0;

  private constructor(
    private readonly child: Child,
    /** The server's stderr (its log), written by the kernel straight to a file: relaying a busy bot's log
     * line by line through this process would put the log's cost on the load generator's CPU. */
    readonly logPath: string,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static start(options: ServerChildOptions): Promise<ServerChild> {
    const { label } = options;
    const started = performance.now();
    // Sampled every 100 µs, not V8's default 1 ms: a request here costs about a millisecond, and at 1 ms
    // a few samples per request misplace the cost of small functions.
    const profile = options.cpuProfDir
      ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`, '--cpu-prof-interval=100']
      : [];
    const logPath = join(os.tmpdir(), `her2-bench-${label}-${process.pid}-${Math.round(started)}.log`);
    const logFd = openSync(logPath, 'w');
    const child = spawn(
      process.execPath,
      ['--expose-gc', ...profile, '--import', 'tsx', options.script, ...options.args],
      { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', logFd] },
    ) as Child;
    closeSync(logFd);
    live.add(child);
    child.on('exit', () => live.delete(child));
    const server = new ServerChild(child, logPath);
    process.stderr.write(`  [${label}] server log: ${logPath}\n`);
    const logTail = () => readFileSync(logPath, 'utf8').split('\n').slice(-20).join('\n');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${label} server did not start within 60 s:\n${logTail()}`)),
        60_000,
      );
      child.once('exit', (code) =>
        reject(new Error(`${label} server exited with ${code} before it was ready:\n${logTail()}`)),
      );
      createInterface({ input: child.stdout }).on('line', (line) => {
        let message: { ready?: boolean; port?: number; heap?: HeapReading };
        try {
          message = JSON.parse(line);
        } catch {
          process.stderr.write(`  [${label} stdout] ${line}\n`);
          return;
        }
        if (message.ready && message.port) {
          clearTimeout(timer);
          server.port = message.port;
          server.startupMs = round(performance.now() - started, 0);
          resolve(server);
        } else if (message.heap) server.heapWaiters.shift()?.(message.heap);
      });
    });
  }

  /** Heap after a forced GC in the server. */
  heap(): Promise<HeapReading> {
    return new Promise((resolve) => {
      this.heapWaiters.push(resolve);
      this.child.stdin.write('heap\n');
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end();
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

// --- deliveries at a stand-in ---------------------------------------------------------------------

export interface Delivery {
  /** performance.now() when the stand-in had read the whole request. */
  arrivedAt: number;
  bytes: number;
  /** Set when what arrived is not what the target must deliver; the iteration then counts as an error. */
  problem?: string | undefined;
}

/** Iterations waiting for their outbound request (response_url, connector reply) to reach a stand-in. */
export class DeliveryWaiters {
  private readonly waiters = new Map<string, (delivery: Delivery) => void>();
  unexpected = 0;

  constructor(private readonly timeoutMs: number) {}

  /** Resolves when `arrive(key)` is called; rejects with "delivery timeout" after timeoutMs. */
  expect(key: string): Promise<Delivery> {
    const delivered = new Promise<Delivery>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(key);
        reject(new Error('delivery timeout'));
      }, this.timeoutMs);
      this.waiters.set(key, (delivery) => {
        clearTimeout(timer);
        resolve(delivery);
      });
    });
    delivered.catch(() => undefined); // awaited later; the HTTP request may fail first
    return delivered;
  }

  /** Hands a delivery to its waiter; counts it as unexpected if nobody waits for that key. */
  arrive(key: string, delivery: Delivery): void {
    const waiter = this.waiters.get(key);
    if (waiter) {
      this.waiters.delete(key);
      waiter(delivery);
    } else this.unexpected++;
  }
}

// --- one level of closed-loop load ----------------------------------------------------------------

/** One request of a virtual user, built before its clock starts. */
export interface Iteration {
  /** Groups samples for per-query statistics. */
  label: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Awaited after the HTTP response: the iteration ends when both have happened. */
  delivery: Promise<Delivery> | undefined;
  /** An error reason if the HTTP response is not what the target must answer. */
  check(status: number, body: string): string | undefined;
}

export interface LevelOptions {
  server: ServerChild;
  concurrency: number;
  warmupSeconds: number;
  seconds: number;
  /** Builds the next request of virtual user `user` (0 … concurrency-1). */
  next(user: number): Iteration;
  /** Keep samples per label. */
  perLabel: boolean;
  /** Read the heap after a forced GC when the level ends (default true); a block of an interleaved level
   * that is not its last skips it, so that a forced GC does not tidy the heap between blocks. */
  readHeap?: boolean;
}

export interface LevelRun {
  concurrency: number;
  seconds: number;
  /** Measured iterations: HTTP response latency (ms) and, where there is a delivery, its latency. */
  response: number[];
  delivered: number[];
  byLabel: Map<string, { response: number[]; delivered: number[] }>;
  errors: Record<string, number>;
  warmupRequests: number;
  warmupErrors: number;
  responseBytes: number;
  deliveredBytes: number;
  before: Memory;
  after: Memory;
  heap: HeapReading | undefined;
  windowStart: CpuSnapshot;
  windowEnd: CpuSnapshot;
}

/**
 * Closed loop: C virtual users on one undici Pool with C keep-alive connections and pipelining 1; each
 * sends its next request when the previous iteration completed (HTTP response read and, if awaited,
 * the delivery arrived). Iterations started during the warm-up are not measured. CPU is read at the
 * start and end of the measured window; memory before and after the level, the heap after a GC.
 */
export async function runClosedLoopLevel(options: LevelOptions): Promise<LevelRun> {
  const { server, concurrency } = options;
  const before = memory(server.pid);
  const pool = new Pool(server.origin, {
    connections: concurrency,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 60_000,
  });
  const startedAt = performance.now();
  const measureFrom = startedAt + options.warmupSeconds * 1000;
  const stopAt = measureFrom + options.seconds * 1000;

  let windowStart: CpuSnapshot | undefined;
  let windowEnd: CpuSnapshot | undefined;
  const startTimer = setTimeout(() => {
    windowStart = snapshot(server.pid);
  }, measureFrom - startedAt);
  const endTimer = setTimeout(() => {
    windowEnd = snapshot(server.pid);
  }, stopAt - startedAt);

  const response: number[] = [];
  const delivered: number[] = [];
  const byLabel = new Map<string, { response: number[]; delivered: number[] }>();
  const errors: Record<string, number> = {};
  let warmupRequests = 0;
  let warmupErrors = 0;
  let responseBytes = 0;
  let deliveredBytes = 0;

  const fail = (measured: boolean, reason: string) => {
    if (!measured) {
      warmupErrors++;
      return;
    }
    errors[reason] = (errors[reason] ?? 0) + 1;
  };

  async function user(index: number): Promise<void> {
    while (performance.now() < stopAt) {
      const iteration = options.next(index);
      const t0 = performance.now();
      const measured = t0 >= measureFrom;
      let responseMs: number;
      let bytes: number;
      try {
        const res = await pool.request({
          path: iteration.path,
          method: 'POST',
          headers: iteration.headers,
          body: iteration.body,
        });
        const responseText = await res.body.text();
        responseMs = performance.now() - t0;
        bytes = Buffer.byteLength(responseText);
        const problem = iteration.check(res.statusCode, responseText);
        if (problem) {
          fail(measured, problem);
          continue;
        }
      } catch (err) {
        fail(measured, `request: ${(err as { code?: string }).code ?? (err as Error).message}`);
        continue;
      }
      let deliveredMs: number | undefined;
      if (iteration.delivery) {
        try {
          const delivery = await iteration.delivery;
          if (delivery.problem) {
            fail(measured, delivery.problem);
            continue;
          }
          deliveredMs = delivery.arrivedAt - t0;
          if (measured) deliveredBytes += delivery.bytes;
        } catch (err) {
          fail(measured, (err as Error).message);
          continue;
        }
      }
      if (!measured) {
        warmupRequests++;
        continue;
      }
      response.push(responseMs);
      responseBytes += bytes;
      if (deliveredMs !== undefined) delivered.push(deliveredMs);
      if (options.perLabel) {
        const samples = byLabel.get(iteration.label) ?? { response: [], delivered: [] };
        samples.response.push(responseMs);
        if (deliveredMs !== undefined) samples.delivered.push(deliveredMs);
        byLabel.set(iteration.label, samples);
      }
    }
  }

  await Promise.all(Array.from({ length: concurrency }, (_, index) => user(index)));
  clearTimeout(startTimer);
  clearTimeout(endTimer);
  windowStart ??= snapshot(server.pid);
  windowEnd ??= snapshot(server.pid);
  await pool.close();
  const after = memory(server.pid);
  const heap = options.readHeap === false ? undefined : await server.heap();

  return {
    concurrency,
    seconds: options.seconds,
    response,
    delivered,
    byLabel,
    errors,
    warmupRequests,
    warmupErrors,
    responseBytes,
    deliveredBytes,
    before,
    after,
    heap,
    windowStart,
    windowEnd,
  };
}

export const errorCount = (run: LevelRun): number => Object.values(run.errors).reduce((a, b) => a + b, 0);

/**
 * The server's memory and CPU over one level (or over the blocks of one level, pooled: CPU over all
 * their windows, memory before the first and after the last), and the CPU of the load generator and
 * of everything else.
 */
export function serverMetrics(runOrBlocks: LevelRun | readonly LevelRun[]) {
  const runs = Array.isArray(runOrBlocks) ? runOrBlocks : [runOrBlocks as LevelRun];
  const first = runs[0]!;
  const last = runs[runs.length - 1]!;
  const sum = (f: (r: LevelRun) => number) => runs.reduce((t, r) => t + f(r), 0);
  const requests = sum((r) => r.response.length);
  const windowSeconds = sum((r) => r.windowEnd.at - r.windowStart.at) / 1000;
  const percentOfCore = (ticks: number) => round((ticks / CLK_TCK / windowSeconds) * 100, 0);
  const serverTicks = sum((r) => r.windowEnd.server - r.windowStart.server);
  const clientTicks = sum((r) => r.windowEnd.client - r.windowStart.client);
  const otherTicks = sum((r) => r.windowEnd.machine - r.windowStart.machine) - serverTicks - clientTicks;
  const heap = [...runs].reverse().find((r) => r.heap)?.heap;
  return {
    server: {
      rssBeforeMiB: first.before.rssMiB,
      rssAfterMiB: last.after.rssMiB,
      hwmAfterMiB: last.after.hwmMiB,
      heapUsedAfterGcMiB: heap ? mib(heap.heapUsed) : null,
      cpuPercentOfOneCore: percentOfCore(serverTicks),
      cpuMsPerRequest: requests ? round(((serverTicks / CLK_TCK) * 1000) / requests, 3) : null,
    },
    loadGeneratorCpuPercentOfOneCore: percentOfCore(clientTicks),
    otherProcessesCpuPercentOfOneCore: percentOfCore(Math.max(0, otherTicks)),
  };
}

export const mib = (bytes: number): number => round(bytes / 2 ** 20, 1);

/** A query label short enough for a JSON key. */
export const shortLabel = (text: string): string => (text.length > 40 ? `${text.slice(0, 37)}...` : text);

/**
 * One target's runs at one level over all rounds, pooled: requests over every measured window
 * (`seconds` each), latency samples together, server CPU over all windows.
 */
export function pooledRuns(runs: LevelRun[], seconds: number) {
  const requests = runs.reduce((n, r) => n + r.response.length, 0);
  const serverSeconds = runs.reduce((t, r) => t + (r.windowEnd.server - r.windowStart.server) / CLK_TCK, 0);
  return {
    rounds: runs.length,
    requests,
    throughputRps: round(requests / (seconds * runs.length), 1),
    responseMs: distribution(runs.flatMap((r) => r.response)),
    deliveredMs: distribution(runs.flatMap((r) => r.delivered)),
    serverCpuMsPerRequest: requests ? round((serverSeconds * 1000) / requests, 3) : null,
  };
}

// --- one round's memory record --------------------------------------------------------------------

/** A server's memory when it has started and before any load: the start of a round's record. */
export async function idleReading(server: ServerChild): Promise<{ memory: Memory; heap: HeapReading }> {
  return { memory: memory(server.pid), heap: await server.heap() };
}

/**
 * The memory part of one round's record, after its levels: start-up time, idle, end (after 1 s
 * idle) and the trend over the levels, the same for every load benchmark.
 */
export async function roundMemory(
  server: ServerChild,
  idle: { memory: Memory; heap: HeapReading },
  levels: readonly { server: { heapUsedAfterGcMiB: number | null; rssAfterMiB: number } }[],
) {
  await new Promise((r) => setTimeout(r, 1000)); // idle, then read the end state
  const end = memory(server.pid);
  const endHeap = await server.heap();
  const heapSeries = [
    mib(idle.heap.heapUsed),
    ...levels.map((l) => l.server.heapUsedAfterGcMiB),
    mib(endHeap.heapUsed),
  ];
  return {
    serverStartupMs: server.startupMs,
    serverIdle: { rssMiB: idle.memory.rssMiB, heapUsedAfterGcMiB: mib(idle.heap.heapUsed) },
    serverEnd: {
      note: 'after the last level and 1 s idle',
      rssMiB: end.rssMiB,
      hwmMiB: end.hwmMiB,
      heapUsedAfterGcMiB: mib(endHeap.heapUsed),
    },
    memoryTrend: {
      note: 'idle → after each level → end; a leak shows as heap after GC that keeps growing level over level (RSS settles at V8’s high-water mark and is not given back)',
      heapUsedAfterGcMiB: heapSeries,
      heapGrowthAfterFirstLevelMiB:
        heapSeries[1] === null || heapSeries[1] === undefined
          ? null
          : round(heapSeries[heapSeries.length - 1]! - heapSeries[1], 1),
      rssMiB: [idle.memory.rssMiB, ...levels.map((l) => l.server.rssAfterMiB), end.rssMiB],
    },
  };
}
