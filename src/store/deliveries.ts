/**
 * Inbound deliveries already seen, shared by every replica on the database: a platform that resends
 * a request (Slack's retries with the same `event_id`, a replayed signed request) to whichever replica
 * the load balancer picks is still handled once. The first replica to insert the key wins; the others
 * find it and drop the delivery. Keys are opaque to the store (the surface prefixes its own).
 *
 * At most once, by design: a replica that wins the key and crashes before answering leaves the retry
 * dropped too, which is what the in-process cache did before; a second answer is the worse failure.
 */
import type { Executor } from './engine.ts';
import { type Clock, checkKey, checkPositiveInteger } from './values.ts';

/** Expired keys are deleted once every this many new ones. */
const PRUNE_EVERY = 500;

export class DeliveryRepository {
  private inserts = 0;

  constructor(
    private readonly db: Executor,
    private readonly now: Clock,
  ) {}

  /**
   * True for the first delivery of `key` within `windowMs` (across every replica), false for a repeat.
   * A key whose window has passed counts as new again.
   */
  async firstDelivery(key: string, windowMs: number): Promise<boolean> {
    const at = this.now();
    const changes = await this.db.run(
      `INSERT INTO inbound_deliveries (key, seen_at, expires_at) VALUES (@key, @at, @expiresAt)
       ON CONFLICT (key) DO UPDATE SET seen_at = excluded.seen_at, expires_at = excluded.expires_at
       WHERE inbound_deliveries.expires_at <= excluded.seen_at`,
      {
        key: checkKey(key, 'delivery key', 600),
        at: at.toISOString(),
        expiresAt: new Date(at.getTime() + checkPositiveInteger(windowMs, 'window ms')).toISOString(),
      },
    );
    if (++this.inserts % PRUNE_EVERY === 0) {
      await this.db.run('DELETE FROM inbound_deliveries WHERE expires_at <= @at', { at: at.toISOString() });
    }
    return changes > 0;
  }
}
