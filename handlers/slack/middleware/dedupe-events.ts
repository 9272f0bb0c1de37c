/**
 * Slack resends an event it believes failed (`x-slack-retry-num`) with the same `event_id`. Each
 * event is answered once: later deliveries are acknowledged (Bolt acks events itself) and dropped.
 * This process remembers what it saw; with `shared` (replicas on one database) the first replica to
 * record the id answers, wherever the retry lands.
 */
import type { Logger } from '../../../src/logger.ts';
import { firstOnEveryReplica, type SharedDeliveries } from './shared-deliveries.ts';

/**
 * False for a repeat of an event already answered. Synchronous for what is not an event (a command, a
 * click) and for what this process has seen: only the shared record is asked asynchronously.
 */
export type FirstDelivery = (body: Record<string, unknown>) => boolean | Promise<boolean>;

export function eventDeduplicator(
  options: { ttlMs?: number; max?: number; now?: () => number; shared?: SharedDeliveries; logger?: Logger } = {},
): FirstDelivery {
  const ttl = options.ttlMs ?? 60 * 60 * 1000;
  const max = options.max ?? 10_000;
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();
  return (body) => {
    const eventId = body.event_id;
    if (typeof eventId !== 'string') return true;
    const t = now();
    const first = seen.get(eventId);
    if (first !== undefined && t - first < ttl) return false;
    seen.set(eventId, t);
    // Map keeps insertion order: the oldest entries go first when the cache is full.
    while (seen.size > max) seen.delete(seen.keys().next().value as string);
    return options.shared ? firstOnEveryReplica(options.shared, `slack-event:${eventId}`, ttl, options.logger) : true;
  };
}
