/**
 * Faults the process survived, counted by kind (`unhandledRejection`, `digest:SQLITE_BUSY`, …) so
 * `/healthz` (with HEALTH_DETAILS on) can show that something keeps going wrong even though nothing
 * crashed. Counters live for the process; they are never reset.
 */
import type { Logger } from '../logger.ts';

const counts = new Map<string, number>();

export function countFault(kind: string): void {
  counts.set(kind, (counts.get(kind) ?? 0) + 1);
}

export function faultCounts(): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

/** The error's code as SQLite, Node or a platform client reports it, for logs and counters. */
export function errorCode(err: unknown): string {
  const e = err as { code?: unknown; data?: { error?: unknown }; name?: unknown } | undefined;
  if (typeof e?.code === 'string' && e.code) return e.code;
  if (typeof e?.data?.error === 'string') return e.data.error;
  return typeof e?.name === 'string' && e.name !== 'Error' ? e.name : 'error';
}

/**
 * A promise nobody awaited that rejects is logged and counted instead of ending the process (Node's
 * default) or vanishing. Returns a function that removes the handler.
 */
export function guardProcess(logger: Logger): () => void {
  const onRejection = (reason: unknown) => {
    countFault('unhandledRejection');
    logger.error({ err: reason, code: errorCode(reason) }, 'unhandled promise rejection (the bot keeps running)');
  };
  process.on('unhandledRejection', onRejection);
  return () => process.off('unhandledRejection', onRejection);
}
