/**
 * One channel's digest for one slot: claim, fetch, post, record. Nothing here throws: a failure at
 * any step (a locked or full database, a platform refusing the message) comes back as a `failed`
 * Delivery with its code and what a retry should do, for the scheduler to act on.
 *
 * Exactly once: the claim makes one process the slot's owner, and its lease is renewed while it works,
 * so no other process can take the slot over while this one may still post. Items are recorded as
 * posted only when the platform confirmed a message that shows them. If recording fails after the
 * post, it is retried here and then by the scheduler; the digest is never posted again by this
 * process. Only a crash between post and record lets the next owner post that digest a second time.
 */

import { type Logger, silentLogger } from '../logger.ts';
import { countFault, errorCode } from '../runtime/faults.ts';
import type { RunClaim, RunOutcome, Store } from '../store/store.ts';
import { queueCandidates } from './candidates.ts';
import type { DigestPosters } from './posting.ts';
import { type DigestService, nextWindow } from './service.ts';
import { shownRecords } from './shown-records.ts';

export type Delivery =
  | { status: 'posted'; items: number; runId: number; undelivered: number }
  | { status: 'empty'; runId: number }
  /** `retryAt`: the slot is held by a claim whose lease ends then (its owner may have crashed). */
  | { status: 'skipped'; reason: string; retryAt?: Date }
  | {
      status: 'failed';
      error: string;
      code: string;
      dormant: boolean;
      /** `deliver`: try the slot again; `record`: the digest is out, only `record()` is left to do. */
      retry: 'deliver' | 'record' | 'none';
      record?: () => Promise<boolean>;
    };

export interface DeliveryOptions {
  store: Store;
  service: DigestService;
  posters: DigestPosters;
  logger?: Logger;
  now?: () => Date;
  /** How long a claim holds; renewed every third of it while fetching, posting and recording. */
  leaseMs?: number;
  /** Waits between attempts to record a posted digest before handing it to the scheduler. */
  recordRetryDelaysMs?: readonly number[];
}

export const DEFAULT_LEASE_MS = 30 * 60 * 1000;

export class DigestDelivery {
  private readonly logger: Logger;
  private readonly now: () => Date;
  readonly leaseMs: number;
  private readonly recordDelays: readonly number[];
  /** Claims held by runs in progress, for `releaseAll` at shutdown. */
  private readonly leases = new Set<Lease>();

  constructor(private readonly options: DeliveryOptions) {
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.recordDelays = options.recordRetryDelaysMs ?? [250, 1000, 4000];
  }

  async deliver(channelKey: string, slot: Date, options: { retryFailed?: boolean } = {}): Promise<Delivery> {
    const { store, posters } = this.options;
    let claim: RunClaim | undefined;
    try {
      const sub = await store.subscriptions.get(channelKey);
      if (sub?.status !== 'active') return { status: 'skipped', reason: 'not subscribed' };
      if (!posters.forKey(channelKey)) {
        this.logger.warn(
          { channelKey },
          'digest not posted: the surface of this channel is not configured on this server',
        );
        return { status: 'skipped', reason: 'its surface is not configured' };
      }
      claim = await store.runs.claimRun(channelKey, slot.toISOString(), this.leaseMs, options);
      if (!claim) return await this.notClaimed(channelKey, slot);
    } catch (err) {
      return this.failed(err, channelKey, 'claim', 'deliver');
    }
    const lease = this.holdLease(claim);
    this.leases.add(lease);
    try {
      return await this.run(claim, lease);
    } catch (err) {
      await this.failRun(claim, err);
      return this.failed(err, channelKey, 'run', 'deliver');
    } finally {
      lease.stop();
      this.leases.delete(lease);
    }
  }

  private async run(first: RunClaim, lease: Lease): Promise<Delivery> {
    const { store, service, posters } = this.options;
    const channelKey = first.channelKey;
    const sub = await store.subscriptions.get(channelKey);
    if (!sub) throw new Error('subscription vanished');
    const last = await store.runs.lastSuccessfulRun(channelKey);
    const window = nextWindow(last?.window?.until.slice(0, 10), this.now(), sub.timeZone);
    const digest = await service.compute(window, {
      topics: [...sub.topics],
      unposted: (keys) => store.postedItems.filterUnposted(channelKey, keys),
      muted: (await store.mutes.list(channelKey)).map((m) => m.tag),
    });
    // Before posting: a feedback button must never be ahead of the item it is about.
    await store.digestItems.save(shownRecords(digest.items, digest.kb.version));
    const previous = last?.window?.until.slice(0, 10) ?? window.since;
    const report = (complete: boolean) => {
      // A window with a failed source, or with items that did not reach the channel, is not covered:
      // the next digest starts from the same place, and the posted-items record keeps what did
      // arrive from being shown twice.
      const covered = complete ? window.until : previous;
      return {
        window: {
          since: `${window.since}T00:00:00.000Z`,
          until: `${[covered, window.since].sort().at(-1)}T00:00:00.000Z`,
        },
        sources: Object.fromEntries(
          digest.sources.map((s) => [
            s.name,
            { status: s.status, count: s.count, ...(s.error ? { error: s.error } : {}) },
          ]),
        ),
      };
    };

    if (digest.items.length === 0 && !sub.postNothingNew && !digest.incomplete) {
      return this.record(lease, { status: 'empty', ...report(true) }, { status: 'empty', runId: first.runId });
    }
    // Checked before renewing too: a claim given back at shutdown must not be renewed and then posted.
    if (lease.lost) return { status: 'skipped', reason: 'claim given back before posting' };
    const claim = await store.runs.renewClaim(lease.claim, this.leaseMs);
    if (!claim || lease.lost) return { status: 'skipped', reason: 'claim lost before posting' };
    lease.claim = claim;
    const posted = await posters.forKey(channelKey)!.post(channelKey, digest);
    if (!posted.ok) {
      if (posted.channelGone) await store.subscriptions.markDormant(channelKey, posted.error);
      await this.failRun(lease.claim, posted.error, report(false));
      this.logger.warn(
        { channelKey, error: posted.error, dormant: posted.channelGone },
        posted.channelGone ? 'digest channel gone; subscription is now dormant' : 'digest post failed',
      );
      countFault('digest:post');
      return {
        status: 'failed',
        error: posted.error,
        code: posted.channelGone ? 'channel_gone' : 'post_failed',
        dormant: posted.channelGone,
        retry: posted.channelGone ? 'none' : 'deliver',
      };
    }
    const shown = new Set(posted.shownItems);
    const delivered = digest.items.filter((d) => shown.has(d.key));
    const undelivered = digest.items.length - delivered.length;
    if (undelivered > 0) {
      this.logger.warn(
        { channelKey, delivered: delivered.length, undelivered },
        'digest: some items did not reach the channel; they come with the next digest',
      );
    }
    const complete = undelivered === 0 && !digest.incomplete;
    const messageId = posted.messageId ? { messageId: posted.messageId } : {};
    const outcome: RunOutcome =
      delivered.length > 0
        ? { status: 'posted', ...report(complete), itemKeys: delivered.flatMap((d) => d.keys), ...messageId }
        : { status: 'empty', ...report(complete), ...messageId };
    this.logger.info({ channelKey, items: delivered.length, incomplete: digest.incomplete }, 'digest posted');
    await this.queueCandidates(delivered, digest.kb.version);
    return this.record(
      lease,
      outcome,
      delivered.length > 0
        ? { status: 'posted', items: delivered.length, runId: first.runId, undelivered }
        : { status: 'empty', runId: first.runId },
    );
  }

  /** What the channel was shown that may update the knowledge base goes to the curators' queue; never fails the run. */
  private async queueCandidates(items: Parameters<typeof queueCandidates>[1], kbVersion: string): Promise<void> {
    try {
      const added = await queueCandidates(this.options.store, items, kbVersion);
      if (added > 0) this.logger.info({ added }, 'digest: curation candidates queued');
    } catch (err) {
      this.logger.warn({ code: errorCode(err) }, 'digest: could not queue curation candidates');
    }
  }

  /** Records an outcome, retrying a few times; after that the scheduler keeps trying `record()`. */
  private async record(lease: Lease, outcome: RunOutcome, done: Delivery): Promise<Delivery> {
    const record = async () => {
      await this.options.store.runs.completeRun(lease.claim, outcome);
      return true;
    };
    let lastError: unknown;
    for (const delay of [0, ...this.recordDelays]) {
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      try {
        await record();
        return done;
      } catch (err) {
        lastError = err;
        this.logger.warn(
          { code: errorCode(err), channelKey: lease.claim.channelKey },
          'digest: recording failed; retrying',
        );
      }
    }
    const failure = this.failed(lastError, lease.claim.channelKey, 'record', 'record');
    return failure.status === 'failed' ? { ...failure, record } : failure;
  }

  /**
   * Shutdown: every run still in progress gives its claim back (lease ended now) and stops before
   * posting, so another replica takes the slot over at once. A run already posting finishes its post;
   * that is the one case the next owner may repeat. Returns how many claims were given back.
   */
  async releaseAll(): Promise<number> {
    const leases = [...this.leases];
    let released = 0;
    for (const lease of leases) {
      lease.lost = true;
      lease.stop();
      try {
        if (await this.options.store.runs.releaseClaim(lease.claim)) released++;
      } catch (err) {
        this.logger.warn(
          { code: errorCode(err), channelKey: lease.claim.channelKey },
          'digest: could not give the claim back; another replica takes over after its lease',
        );
      }
    }
    return released;
  }

  private async notClaimed(channelKey: string, slot: Date): Promise<Delivery> {
    const run = await this.options.store.runs.find(channelKey, slot.toISOString());
    if (run?.status === 'claimed' && Date.parse(run.leaseUntil) > this.now().getTime()) {
      this.logger.warn(
        { channelKey, slot: slot.toISOString(), claimedBy: run.claimedBy, leaseUntil: run.leaseUntil },
        'digest slot is held by another claim (running, or its process crashed); retrying after its lease',
      );
      return {
        status: 'skipped',
        reason: `held by ${run.claimedBy} until ${run.leaseUntil}`,
        retryAt: new Date(run.leaseUntil),
      };
    }
    return { status: 'skipped', reason: run ? `slot already ${run.status}` : 'slot already claimed or done' };
  }

  /** Marks the run failed; if even that fails (the database is the problem), the lease will expire. */
  private async failRun(claim: RunClaim, error: unknown, report?: Parameters<Store['runs']['failRun']>[2]) {
    try {
      await this.options.store.runs.failRun(claim, error, report);
    } catch (err) {
      countFault(`digest:${errorCode(err)}`);
      this.logger.error(
        { code: errorCode(err), channelKey: claim.channelKey },
        'digest: could not record the failure; the slot is retried after its lease',
      );
    }
  }

  private failed(err: unknown, channelKey: string, step: string, retry: 'deliver' | 'record'): Delivery {
    const code = errorCode(err);
    countFault(`digest:${code}`);
    this.logger.error({ err, code, channelKey, step }, `digest ${step} failed (${code})`);
    return { status: 'failed', error: (err as Error)?.message ?? String(err), code, dormant: false, retry };
  }

  /** Renews the claim every third of the lease until stopped; a renewal that finds it gone marks it lost. */
  private holdLease(claim: RunClaim): Lease {
    const lease: Lease = { claim, lost: false, stop: () => clearInterval(timer) };
    const timer = setInterval(
      () => {
        this.options.store.runs.renewClaim(lease.claim, this.leaseMs).then(
          (renewed) => {
            if (renewed) lease.claim = renewed;
            else lease.lost = true;
          },
          (err: unknown) =>
            this.logger.warn(
              { code: errorCode(err), channelKey: claim.channelKey },
              'digest: could not renew the lease',
            ),
        );
      },
      Math.max(1, Math.floor(this.leaseMs / 3)),
    );
    timer.unref();
    return lease;
  }
}

interface Lease {
  claim: RunClaim;
  lost: boolean;
  stop(): void;
}
