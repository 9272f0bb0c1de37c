/**
 * Whether the store answers, for /healthz: a trivial query with a deadline, so a hung database makes
 * the health check say so instead of hanging with it. Only an error code is reported, never a message
 * (a driver's message may quote the connection string).
 */
import type { Store } from './store.ts';

export interface DatabaseHealth {
  engine: string;
  reachable: boolean;
  latencyMs?: number;
  error?: string;
}

export async function databaseHealth(store: Store, timeoutMs = 2000): Promise<DatabaseHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      store.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'timeout' })), timeoutMs);
      }),
    ]);
    return { engine: store.dialect, reachable: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return { engine: store.dialect, reachable: false, error: typeof code === 'string' ? code : 'error' };
  } finally {
    clearTimeout(timer);
  }
}
