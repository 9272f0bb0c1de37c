/**
 * Interleaved CPU comparisons (bench/slack-cpu.ts, bench/teams-cpu.ts): two servers up at once, the
 * load alternating between them in short blocks so that this machine's drift hits both alike, and
 * each server's CPU read from schedstat around every block.
 */
import os from 'node:os';
import { Pool } from 'undici';
import { loadAverage, mainThreadCpuMs, quartiles, round, type ServerChild, threadsCpuMs } from './load.ts';

/** One of the two servers, with what its measured blocks added up to. */
export interface CpuSide {
  label: string;
  server: ServerChild;
  pool: Pool;
  requests: number;
  cpuMs: number;
  mainMs: number;
  perBlockUs: number[];
}

export interface BlockPlan {
  concurrency: number;
  warmupBlocks: number;
  blocks: number;
  blockMs: number;
}

/** One request of virtual user `user` to `side`, resolved when its work is done (or thrown on a wrong answer). */
export type CpuIteration = (side: CpuSide, user: number) => Promise<void>;

/** A side on a fresh pool of `concurrency` keep-alive connections to `server`. */
export function cpuSide(label: string, server: ServerChild, concurrency: number): CpuSide {
  const pool = new Pool(server.origin, { connections: concurrency, pipelining: 1 });
  return { label, server, pool, requests: 0, cpuMs: 0, mainMs: 0, perBlockUs: [] };
}

/** Closed loop on one side for blockMs; a measured block adds its requests and CPU to the side. */
async function block(side: CpuSide, plan: BlockPlan, measured: boolean, iteration: CpuIteration) {
  const end = performance.now() + plan.blockMs;
  const cpu0 = threadsCpuMs(side.server.pid);
  const main0 = mainThreadCpuMs(side.server.pid);
  let requests = 0;
  await Promise.all(
    Array.from({ length: plan.concurrency }, async (_, user) => {
      while (performance.now() < end) {
        await iteration(side, user);
        requests++;
      }
    }),
  );
  if (!measured) return;
  const cpu = threadsCpuMs(side.server.pid) - cpu0;
  side.requests += requests;
  side.cpuMs += cpu;
  side.mainMs += mainThreadCpuMs(side.server.pid) - main0;
  side.perBlockUs.push((cpu * 1000) / requests);
}

/** Warm-up blocks, then measured ones, alternating a and b (which goes first alternates too). */
export async function alternateBlocks(
  a: CpuSide,
  b: CpuSide,
  plan: BlockPlan,
  iteration: CpuIteration,
  beforeBlock: (side: CpuSide) => void = () => undefined,
): Promise<void> {
  for (let i = 0; i < plan.warmupBlocks + plan.blocks; i++) {
    for (const side of i % 2 === 0 ? [a, b] : [b, a]) {
      beforeBlock(side);
      await block(side, plan, i >= plan.warmupBlocks, iteration);
    }
  }
}

export async function closeSides(...sides: CpuSide[]): Promise<void> {
  for (const side of sides) {
    await side.pool.close();
    await side.server.stop();
  }
}

/** What a's measured blocks cost against b's: per request, all threads and the main thread, and a/b. */
export function compareSides(a: CpuSide, b: CpuSide) {
  const perRequest = (s: CpuSide) => round((s.cpuMs * 1000) / s.requests, 1);
  const ratios = a.perBlockUs.map((x, i) => x / b.perBlockUs[i]!);
  const ratio = round(perRequest(a) / perRequest(b), 3);
  return {
    requests: { [a.label]: a.requests, [b.label]: b.requests },
    cpuUsPerRequest: { [a.label]: perRequest(a), [b.label]: perRequest(b) },
    mainThreadCpuUsPerRequest: {
      [a.label]: round((a.mainMs * 1000) / a.requests, 1),
      [b.label]: round((b.mainMs * 1000) / b.requests, 1),
    },
    cpuRatio: ratio,
    perBlockRatio: quartiles(ratios),
    throughputRatio: round(a.requests / b.requests, 3),
    within1_3x: ratio <= 1.3 ? 'met' : 'not met',
  };
}

/**
 * A run's JSON, printed on stdout: the machine, the block settings with the bench's own, the results.
 * Call it at the end; `started` and `loadAverageAtStart` were taken at the start.
 */
export function printCpuRun(run: {
  benchmark: string;
  started: number;
  loadAverageAtStart: number[];
  plan: Omit<BlockPlan, 'concurrency'> & { levels: number[] };
  settings: Record<string, unknown>;
  results: unknown[];
}): void {
  const report = {
    benchmark: run.benchmark,
    date: new Date().toISOString(),
    node: process.version,
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model,
      loadAverageAtStart: run.loadAverageAtStart,
      loadAverageAtEnd: loadAverage(),
    },
    settings: {
      ...run.plan,
      method:
        'both servers at once; blocks of closed-loop load alternate between them (which goes first alternates); CPU = sum of /proc/<pid>/task/*/schedstat over the block',
      ...run.settings,
    },
    results: run.results,
    runSeconds: round((performance.now() - run.started) / 1000, 1),
  };
  console.log(JSON.stringify(report, null, 2));
}
