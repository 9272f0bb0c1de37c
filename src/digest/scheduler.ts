/**
 * Daily delivery. One croner job per active subscription, at its time in its IANA zone (croner
 * handles daylight-saving changes). Delivering a slot (claim, fetch, post, record) is
 * `DigestDelivery`'s job; this module decides when: at the slot, at start-up for a slot missed by
 * less than a day, and again with backoff after a failure. The slot is the claim key whoever runs it
 * (the schedule, the catch-up, `her2bot digest`): one digest per channel and local day.
 *
 * Nothing scheduled here can end the process: a subscription that cannot be scheduled (a stored
 * time zone this Node does not know) is logged and skipped, and every timer callback is guarded.
 */
import { Cron } from 'croner';
import { type Logger, silentLogger } from '../logger.ts';
import { countFault, errorCode } from '../runtime/faults.ts';
import type { Subscription } from '../store/store.ts';
import { type Delivery, type DeliveryOptions, DigestDelivery } from './delivery.ts';
import { localDate } from './service.ts';

export type { Delivery } from './delivery.ts';

/** What the delivery needs, plus how the scheduler retries a failed slot. */
export interface SchedulerOptions extends DeliveryOptions {
  /** Waits before retrying a failed slot (or recording a posted one); one entry per retry. */
  retryDelaysMs?: readonly number[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 15 * 60_000, 30 * 60_000, 60 * 60_000];

export class DigestScheduler {
  private readonly jobs = new Map<string, Cron>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Deliveries running now, for `drain` at shutdown. */
  private readonly inFlight = new Set<Promise<Delivery>>();
  private draining = false;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly retryDelays: readonly number[];
  readonly delivery: DigestDelivery;

  constructor(private readonly options: SchedulerOptions) {
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
    this.retryDelays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
    this.delivery = new DigestDelivery({
      ...options,
      ...(options.recordRetryDelaysMs ? { recordRetryDelaysMs: options.recordRetryDelaysMs } : {}),
    });
  }

  /** Schedules every active subscription and catches up slots missed by less than a day. */
  async start(): Promise<Delivery[]> {
    const caught: Delivery[] = [];
    for (const sub of await this.options.store.subscriptions.listActive()) {
      if (!(await this.refresh(sub.channelKey))) continue;
      const missed = this.jobs.get(sub.channelKey)?.previousRuns(1, this.now())[0];
      // A slot from before the channel subscribed was never due.
      const due = missed && missed.getTime() >= Date.parse(sub.createdAt);
      if (missed && due && this.now().getTime() - missed.getTime() < DAY_MS) {
        caught.push(await this.deliver(sub.channelKey, missed));
      }
    }
    return caught;
  }

  /**
   * (Re)schedules one channel after subscribe, unsubscribe or a change of time. False when the channel
   * is not scheduled: not active, or its stored schedule is unusable (logged; the others are unaffected).
   */
  async refresh(channelKey: string): Promise<boolean> {
    let sub: Subscription | undefined;
    try {
      sub = await this.options.store.subscriptions.get(channelKey);
      // Stopped after the read, not before: two refreshes of one channel racing must not leave two jobs.
      this.jobs.get(channelKey)?.stop();
      this.jobs.delete(channelKey);
      if (sub?.status !== 'active') return false;
      // No croner `name`: names are unique per process, and two schedulers may share one.
      const job = new Cron(
        cronPattern(sub),
        { timezone: sub.timeZone, protect: true, catch: (err: unknown) => this.jobFailed(channelKey, err) },
        async (self: Cron) => {
          // The slot is the scheduled time, never the moment the timer fired (croner's currentRun(), to
          // the second): a process whose timer fires late must claim the same slot as the others.
          const fired = self.currentRun() ?? this.now();
          const slot = self.previousRuns(1, new Date(fired.getTime() + 1000))[0] ?? fired;
          await this.deliver(channelKey, slot);
        },
      );
      this.jobs.set(channelKey, job);
      return true;
    } catch (err) {
      countFault('digest:unschedulable');
      this.logger.error(
        { channelKey, code: errorCode(err), time: sub?.time, timeZone: sub?.timeZone, error: (err as Error)?.message },
        'digest subscription cannot be scheduled (bad stored time or time zone); skipping it, the others keep their schedule',
      );
      return false;
    }
  }

  nextRun(channelKey: string): Date | undefined {
    return this.jobs.get(channelKey)?.nextRun(this.now()) ?? undefined;
  }

  /**
   * The slot of a channel's digest for the local day of `at`: what the schedule claims that day, so
   * `her2bot digest` and the server share one claim key and never both post.
   */
  slotOfDay(sub: Subscription, at: Date = this.now()): Date {
    const pattern = new Cron(cronPattern(sub), { timezone: sub.timeZone });
    const day = localDate(at, sub.timeZone);
    // previousRuns and nextRun both exclude `at` itself; a second later includes a slot at exactly `at`.
    const candidates = [pattern.previousRuns(1, new Date(at.getTime() + 1000))[0], pattern.nextRun(at)].filter(
      (d): d is Date => !!d,
    );
    return candidates.find((d) => localDate(d, sub.timeZone) === day) ?? candidates[0] ?? at;
  }

  stop(): void {
    for (const job of this.jobs.values()) job.stop();
    this.jobs.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Delivers one slot now; a failure that a retry may fix is retried later with backoff. */
  async deliver(channelKey: string, slot: Date, attempt = 0): Promise<Delivery> {
    if (this.draining) return { status: 'skipped', reason: 'shutting down' };
    const running = this.delivery.deliver(channelKey, slot, { retryFailed: attempt > 0 });
    this.inFlight.add(running);
    try {
      const result = await running;
      this.followUp(channelKey, slot, result, attempt);
      return result;
    } finally {
      this.inFlight.delete(running);
    }
  }

  /**
   * Graceful shutdown: takes no more work (no schedule, no retries) and waits up to `timeoutMs` for
   * the digests in progress to finish; those still running then give their claims back so another
   * replica takes them over at once. Resolves with how many finished and how many were given back.
   */
  async drain(timeoutMs: number): Promise<{ finished: number; released: number }> {
    this.draining = true;
    this.stop();
    const running = [...this.inFlight];
    if (running.length === 0) return { finished: 0, released: 0 };
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      Promise.allSettled(running).then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (!timedOut) return { finished: running.length, released: 0 };
    const released = await this.delivery.releaseAll();
    return { finished: running.length - this.inFlight.size, released };
  }

  private followUp(channelKey: string, slot: Date, result: Delivery, attempt: number): void {
    if (result.status === 'skipped' && result.retryAt) {
      const wait = Math.max(0, result.retryAt.getTime() - this.now().getTime()) + 1000;
      if (attempt < this.retryDelays.length) this.later(wait, () => this.deliver(channelKey, slot, attempt + 1));
      return;
    }
    if (result.status === 'failed' && result.dormant) void this.refresh(channelKey); // unschedules it
    if (result.status !== 'failed' || result.retry === 'none') return;
    const delay = this.retryDelays[attempt];
    if (delay === undefined) {
      this.logger.error(
        { channelKey, slot: slot.toISOString(), code: result.code, attempts: attempt + 1 },
        result.retry === 'record'
          ? 'digest was posted but could not be recorded; giving up (its items may be shown again)'
          : 'digest failed after every retry; the next scheduled digest covers its window',
      );
      return;
    }
    this.logger.warn(
      { channelKey, slot: slot.toISOString(), code: result.code, retryInMs: delay, attempt: attempt + 1 },
      result.retry === 'record' ? 'digest posted; recording it again later' : 'digest failed; retrying later',
    );
    const { record } = result;
    if (result.retry === 'record' && record) {
      this.later(delay, async () => {
        try {
          await record();
          this.logger.info({ channelKey, slot: slot.toISOString() }, 'digest recorded on retry');
        } catch (err) {
          this.followUp(channelKey, slot, { ...result, code: errorCode(err) }, attempt + 1);
        }
      });
    } else {
      this.later(delay, () => this.deliver(channelKey, slot, attempt + 1));
    }
  }

  /** A guarded timer: whatever the callback does, it cannot end the process. */
  private later(ms: number, run: () => Promise<unknown>): void {
    if (this.draining) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run().catch((err) => this.jobFailed('retry', err));
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private jobFailed(channelKey: string, err: unknown): void {
    countFault(`digest:${errorCode(err)}`);
    this.logger.error({ err, code: errorCode(err), channelKey }, 'digest job failed (the bot keeps running)');
  }
}

function cronPattern(sub: Subscription): string {
  const [hours, minutes] = sub.time.split(':').map(Number);
  return `${minutes} ${hours} * * *`;
}
