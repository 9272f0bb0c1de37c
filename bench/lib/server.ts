/**
 * The server end of the benchmark protocol (ServerChild in bench/lib/load.ts is the other end): stdout
 * gets `{"ready":true,"port":N}` once listening and one `{"heap":…}` line for every `heap` line read on
 * stdin (after a forced GC; run node with --expose-gc). Logs must go to stderr. The server exits when
 * stdin closes (the parent went away) or on SIGTERM.
 */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

function send(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** Listens on 127.0.0.1 with a free port; for the bare framework servers. */
export async function listenOnLoopback(listener: RequestListener): Promise<RunningServer> {
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Announces the running server to the parent and serves heap readings until told to stop. */
export function serveBenchProtocol(running: RunningServer, mode: string): void {
  send({ ready: true, port: running.port, mode, uptimeMs: Math.round(performance.now()) });

  let stopping = false;
  async function stop(): Promise<void> {
    if (stopping) return;
    stopping = true;
    await running.close();
    process.exit(0);
  }
  process.once('SIGTERM', () => void stop());

  const input = createInterface({ input: process.stdin });
  input.on('line', (line) => {
    if (line.trim() !== 'heap') return;
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    send({ heap: { heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, rss: m.rss } });
  });
  input.on('close', () => void stop());
}
