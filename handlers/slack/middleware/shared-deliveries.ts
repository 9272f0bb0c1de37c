/**
 * The store's record of deliveries already handled, as the Slack middleware sees it: present when
 * several replicas share a database, so a retry or a replay that lands on another replica is still
 * recognised. A database error falls back to this process's own memory (logged), never to dropping
 * the request.
 */
import type { Logger } from '../../../src/logger.ts';

export interface SharedDeliveries {
  /** True for the first delivery of `key` within `windowMs` on any replica. */
  firstDelivery(key: string, windowMs: number): Promise<boolean>;
}

export async function firstOnEveryReplica(
  shared: SharedDeliveries | undefined,
  key: string,
  windowMs: number,
  logger: Logger | undefined,
): Promise<boolean> {
  if (!shared) return true;
  try {
    return await shared.firstDelivery(key, windowMs);
  } catch (err) {
    logger?.warn(
      { code: (err as { code?: string }).code },
      'slack: the shared delivery record is unreachable; deduplicating in this process only',
    );
    return true;
  }
}
