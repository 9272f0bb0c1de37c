/**
 * Daily delivery. One croner job per active subscription, at its time in its IANA zone (croner
 * handles daylight-saving changes). Each delivery claims its slot in the database first, so two bot
 * processes on one database never post the same digest; items are marked posted only after the
 * platform accepted the message, so a crash in between re-posts at most that one digest.
 */
import { Cron } from 'croner';
import { type Logger, silentLogger } from '../logger.ts';
import { platformOf, type RunClaim, type Store } from '../store/store.ts';
import type { DigestPosters } from './posting.ts';
import { type DigestService, nextWindow } from './service.ts';

export type Delivery =
  | { status: 'posted'; items: number; runId: number }
  | { status: 'empty'; runId: number }
  | { status: 'skipped'; reason: string }
  | { status: 'failed'; error: string; dormant: boolean };

export interface SchedulerOptions {
  store: Store;
  service: DigestService;
  /** Filled in by the composition root once the surfaces exist. */
  posters: DigestPosters;
  logger?: Logger;
  now?: () => Date;
  /** How long a claim holds while fetching and posting. */
  leaseMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export class DigestScheduler {
  private readonly jobs = new Map<string, Cron>();
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly leaseMs: number;

  constructor(private readonly options: SchedulerOptions) {
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
    this.leaseMs = options.leaseMs ?? 10 * 60 * 1000;
  }

  /** Schedules every active subscription and catches up slots missed by less than a day. */
  async start(): Promise<Delivery[]> {
    const caught: Delivery[] = [];
    for (const sub of this.options.store.subscriptions.listActive()) {
      this.refresh(sub.channelKey);
      const missed = this.jobs.get(sub.channelKey)?.previousRuns(1, this.now())[0];
      // A slot from before the channel subscribed was never due.
      const due = missed && missed.getTime() >= Date.parse(sub.createdAt);
      if (missed && due && this.now().getTime() - missed.getTime() < DAY_MS) {
        caught.push(await this.deliver(sub.channelKey, missed));
      }
    }
    return caught;
  }

  /** (Re)schedules one channel after subscribe, unsubscribe or a change of time. */
  refresh(channelKey: string): void {
    this.jobs.get(channelKey)?.stop();
    this.jobs.delete(channelKey);
    const sub = this.options.store.subscriptions.get(channelKey);
    if (sub?.status !== 'active') return;
    const [hours, minutes] = sub.time.split(':').map(Number);
    // No croner `name`: names are unique per process, and two schedulers may share one.
    const job = new Cron(`${minutes} ${hours} * * *`, { timezone: sub.timeZone, protect: true }, async (self: Cron) => {
      // The slot is the scheduled time, never the moment the timer fired (croner's currentRun(), to the
      // second): a process whose timer fires late must claim the same slot as the others.
      const fired = self.currentRun() ?? this.now();
      const slot = self.previousRuns(1, new Date(fired.getTime() + 1000))[0] ?? fired;
      await this.deliver(channelKey, slot);
    });
    this.jobs.set(channelKey, job);
  }

  nextRun(channelKey: string): Date | undefined {
    return this.jobs.get(channelKey)?.nextRun(this.now()) ?? undefined;
  }

  stop(): void {
    for (const job of this.jobs.values()) job.stop();
    this.jobs.clear();
  }

  /** Runs one channel's digest for a slot, if this process wins the slot's claim. */
  async deliver(channelKey: string, slot: Date): Promise<Delivery> {
    const { store, service, posters } = this.options;
    const sub = store.subscriptions.get(channelKey);
    if (sub?.status !== 'active') return { status: 'skipped', reason: 'not subscribed' };
    const platform = platformOf(channelKey);
    const poster = posters.get(platform);
    if (!poster) {
      this.logger.warn({ channelKey, platform }, `digest not posted: ${platform} is not configured on this server`);
      return { status: 'skipped', reason: `${platform} is not configured` };
    }
    const first = store.runs.claimRun(channelKey, slot.toISOString(), this.leaseMs);
    if (!first) return { status: 'skipped', reason: 'slot already claimed or done' };
    let claim: RunClaim = first;

    const last = store.runs.lastSuccessfulRun(channelKey);
    const window = nextWindow(last?.window?.until.slice(0, 10), this.now(), sub.timeZone);
    try {
      const digest = await service.compute(window, {
        topics: [...sub.topics],
        unposted: (keys) => store.postedItems.filterUnposted(channelKey, keys),
      });
      // A window with a failed source is not "covered": the next digest starts from the same place,
      // and the posted-items record keeps what did arrive from being shown twice.
      const covered = digest.incomplete ? (last?.window?.until.slice(0, 10) ?? window.since) : window.until;
      const report = {
        window: { since: `${window.since}T00:00:00.000Z`, until: `${covered}T00:00:00.000Z` },
        sources: Object.fromEntries(
          digest.sources.map((s) => [
            s.name,
            { status: s.status, count: s.count, ...(s.error ? { error: s.error } : {}) },
          ]),
        ),
      };

      if (digest.items.length === 0 && !sub.postNothingNew && !digest.incomplete) {
        store.runs.completeRun(claim, { status: 'empty', ...report });
        return { status: 'empty', runId: claim.runId };
      }
      const renewed = store.runs.renewClaim(claim, this.leaseMs);
      if (!renewed) return { status: 'skipped', reason: 'claim lost before posting' };
      claim = renewed;
      const posted = await poster.post(channelKey, digest);
      if (!posted.ok) {
        if (posted.channelGone) store.subscriptions.markDormant(channelKey, posted.error);
        store.runs.failRun(claim, posted.error, report);
        if (posted.channelGone) this.refresh(channelKey);
        this.logger.warn(
          { channelKey, error: posted.error, dormant: posted.channelGone },
          posted.channelGone ? 'digest channel gone; subscription is now dormant' : 'digest post failed',
        );
        return { status: 'failed', error: posted.error, dormant: posted.channelGone };
      }
      const items = digest.items.length;
      store.runs.completeRun(claim, {
        status: items > 0 ? 'posted' : 'empty',
        ...report,
        ...(items > 0 ? { itemKeys: digest.items.flatMap((d) => d.keys) } : {}),
        ...(posted.messageId ? { messageId: posted.messageId } : {}),
      } as Parameters<Store['runs']['completeRun']>[1]);
      this.logger.info({ channelKey, items, incomplete: digest.incomplete }, 'digest posted');
      return items > 0 ? { status: 'posted', items, runId: claim.runId } : { status: 'empty', runId: claim.runId };
    } catch (err) {
      store.runs.failRun(claim, err);
      this.logger.error({ err, channelKey }, 'digest run failed');
      return { status: 'failed', error: (err as Error).message, dormant: false };
    }
  }
}
