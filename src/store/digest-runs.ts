/**
 * One row per (channel, scheduled slot): the record of a digest and the lock that keeps two bot
 * processes sharing a database from posting it twice.
 *
 * A process claims a slot with a lease. The claim is one INSERT … ON CONFLICT statement, so the
 * database decides the race: the first process inserts the row, every later one finds it and gets
 * nothing, unless the row is still 'claimed' with its lease run out (its owner crashed), in which case
 * the attempt counter moves on and the new owner holds it. Completion and failure are accepted only
 * from the attempt that holds the claim, so a process that lost its lease cannot overwrite the outcome.
 *
 * Why leases and not `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL: a row lock lives as long as its
 * transaction, so it would hold one pooled connection open per digest for the whole fetch and post
 * (minutes, over the network; 500 digests due at once would need 500 connections), and SQLite has no
 * row locks at all. The lease is one atomic statement on both engines (SQLite's write lock; on
 * PostgreSQL a concurrent INSERT waits on the unique key, then re-evaluates the DO UPDATE's WHERE
 * against the committed row), needs no open transaction between claim and completion, and a replica
 * that dies is taken over once its lease ends. Leases compare the replicas' clocks: keep them in NTP.
 */

import type { Logger } from '../logger.ts';
import { scrubSecrets } from '../logger.ts';
import type { Engine, Executor } from './engine.ts';
import { invalid } from './errors.ts';
import type { ItemKey, PostedItemRepository } from './posted-items.ts';
import {
  type ChannelKey,
  type Clock,
  checkKey,
  checkPositiveInteger,
  type Instant,
  type JsonObject,
  toIso,
  toJsonObjectText,
} from './values.ts';

export type RunStatus = 'claimed' | 'posted' | 'failed' | 'empty';

export interface RunWindow {
  readonly since: string;
  readonly until: string;
}

export interface DigestRun {
  readonly id: number;
  readonly channelKey: ChannelKey;
  /** The slot: the subscriber's local delivery time on that day, as a UTC instant. */
  readonly scheduledFor: string;
  readonly status: RunStatus;
  /** 1 for the first claim; each takeover of an expired or failed attempt adds one. */
  readonly attempt: number;
  readonly claimedBy: string;
  readonly claimedAt: string;
  readonly leaseUntil: string;
  /** The literature window the digest covered, once known. */
  readonly window: RunWindow | undefined;
  /** Per-source summary as the caller reported it (counts, errors). */
  readonly sources: JsonObject | undefined;
  /** The platform's id for the posted message (Slack `ts`, Teams activity id), for later edits. */
  readonly messageId: string | undefined;
  readonly error: string | undefined;
  readonly finishedAt: string | undefined;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Proof of holding a slot; pass it back to renew, complete or fail the run. */
export interface RunClaim {
  readonly runId: number;
  readonly channelKey: ChannelKey;
  readonly scheduledFor: string;
  /**
   * Above 1, an earlier attempt crashed or failed, and it may have posted before it died: check the
   * channel for a message carrying this run's id before posting again.
   */
  readonly attempt: number;
  readonly leaseUntil: string;
}

export interface ClaimOptions {
  /** Also take over a slot whose last attempt failed (a retry). Off by default: failures stay failed. */
  readonly retryFailed?: boolean;
}

/** What a run learnt, recorded with its outcome: the window it covered and a per-source summary. */
export interface RunReport {
  readonly window?: { readonly since: Instant; readonly until: Instant };
  readonly sources?: Readonly<Record<string, unknown>>;
}

export type RunOutcome =
  | (RunReport & {
      readonly status: 'posted';
      /** The items the accepted message carried; recorded as posted in the same transaction. */
      readonly itemKeys: readonly ItemKey[];
      readonly messageId?: string;
    })
  | (RunReport & {
      /** Nothing new; `messageId` is set if a "nothing new" line went out. */
      readonly status: 'empty';
      readonly messageId?: string;
    });

interface Row {
  id: number;
  channel_key: string;
  scheduled_for: string;
  status: RunStatus;
  attempt: number;
  claimed_by: string;
  claimed_at: string;
  lease_until: string;
  window_since: string | null;
  window_until: string | null;
  sources: string | null;
  message_id: string | null;
  error: string | null;
  finished_at: string | null;
  created_at: string;
  updated_at: string;
}

const MAX_ERROR_LENGTH = 2000;

export class DigestRunRepository {
  constructor(
    private readonly db: Engine,
    private readonly now: Clock,
    private readonly postedItems: PostedItemRepository,
    private readonly logger: Logger,
    private readonly instanceId: string,
  ) {}

  /**
   * Claims a channel's slot for `ttlMs`. Returns undefined when the slot is not this caller's to run:
   * another process holds a live claim, the slot already finished, or the channel is not an active
   * subscription. The lease must outlast fetching and posting, or renew it with `renewClaim`.
   */
  async claimRun(
    channelKey: ChannelKey,
    slot: Instant,
    ttlMs: number,
    options: ClaimOptions = {},
  ): Promise<RunClaim | undefined> {
    const at = this.now();
    const [row] = await this.db.all<Pick<Row, 'id' | 'attempt' | 'scheduled_for' | 'lease_until'>>(
      `INSERT INTO digest_runs (channel_key, scheduled_for, status, attempt, claimed_by, claimed_at, lease_until,
                                  created_at, updated_at)
         SELECT @channelKey, @slot, 'claimed', 1, @by, @at, @leaseUntil, @at, @at
         WHERE EXISTS (SELECT 1 FROM subscriptions WHERE channel_key = @channelKey AND status = 'active')
         ON CONFLICT (channel_key, scheduled_for) DO UPDATE SET
           status = 'claimed', attempt = digest_runs.attempt + 1, claimed_by = excluded.claimed_by,
           claimed_at = excluded.claimed_at, lease_until = excluded.lease_until,
           window_since = NULL, window_until = NULL, sources = NULL, message_id = NULL, error = NULL,
           finished_at = NULL, updated_at = excluded.updated_at
         WHERE (digest_runs.status = 'claimed' AND digest_runs.lease_until <= excluded.claimed_at)
            OR (digest_runs.status = 'failed' AND @retryFailed = 1)
         RETURNING id, attempt, scheduled_for, lease_until`,
      {
        channelKey: checkKey(channelKey, 'channel key'),
        slot: toIso(slot, 'slot'),
        by: this.instanceId,
        at: at.toISOString(),
        leaseUntil: leaseEnd(at, ttlMs),
        retryFailed: options.retryFailed ? 1 : 0,
      },
    );
    if (!row) return undefined;
    if (row.attempt > 1) {
      this.logger.warn(
        { runId: row.id, channelKey, attempt: row.attempt },
        'store: took over an unfinished digest run',
      );
    }
    return {
      runId: row.id,
      channelKey,
      scheduledFor: row.scheduled_for,
      attempt: row.attempt,
      leaseUntil: row.lease_until,
    };
  }

  /**
   * Extends a held lease to `ttlMs` from now and returns the renewed claim; undefined if the claim was
   * lost. Call it just before posting: it is the last cheap check that nobody else took the slot.
   */
  async renewClaim(claim: RunClaim, ttlMs: number): Promise<RunClaim | undefined> {
    const at = this.now();
    const leaseUntil = leaseEnd(at, ttlMs);
    const changes = await this.db.run(
      `UPDATE digest_runs SET lease_until = @leaseUntil, updated_at = @at
       WHERE id = @runId AND attempt = @attempt AND status = 'claimed'`,
      { leaseUntil, at: at.toISOString(), runId: claim.runId, attempt: claim.attempt },
    );
    return changes > 0 ? { ...claim, leaseUntil } : undefined;
  }

  /**
   * Gives a held claim back (this replica is shutting down before the run finished): the lease ends
   * now, so another replica may take the slot over at once. False if the claim was not held.
   */
  async releaseClaim(claim: RunClaim): Promise<boolean> {
    const at = this.now().toISOString();
    const changes = await this.db.run(
      `UPDATE digest_runs SET lease_until = @at, updated_at = @at
       WHERE id = @runId AND attempt = @attempt AND status = 'claimed'`,
      { at, runId: claim.runId, attempt: claim.attempt },
    );
    return changes > 0;
  }

  /**
   * Records a finished run and, for a posted digest, its items, in one transaction. Call it only after
   * the platform accepted the message. The items are recorded even if the claim was lost meanwhile
   * (they did reach the channel); the run itself is then left to its new owner and false is returned.
   */
  async completeRun(claim: RunClaim, outcome: RunOutcome): Promise<boolean> {
    const report = reportColumns(outcome);
    const messageId = outcome.messageId === undefined ? null : checkKey(outcome.messageId, 'message id', 256);
    return this.db.transaction(async (tx) => {
      if (outcome.status === 'posted') {
        await this.postedItems.markPosted(claim.channelKey, outcome.itemKeys, claim.runId, tx);
      }
      return this.finish(tx, claim, { status: outcome.status, ...report, messageId, error: null });
    });
  }

  /** Records a failed run; the error text is scrubbed of secrets. False if the claim was lost. */
  async failRun(claim: RunClaim, error: unknown, report: RunReport = {}): Promise<boolean> {
    const text = scrubSecrets(error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_LENGTH);
    return this.finish(this.db, claim, {
      status: 'failed',
      ...reportColumns(report),
      messageId: null,
      error: text || 'failed',
    });
  }

  /** The latest slot that ended posted or empty: where the next digest's window starts. */
  async lastSuccessfulRun(channelKey: ChannelKey): Promise<DigestRun | undefined> {
    const [row] = await this.db.all<Row>(
      `SELECT * FROM digest_runs WHERE channel_key = @channelKey AND status IN ('posted', 'empty')
       ORDER BY scheduled_for DESC, id DESC LIMIT 1`,
      { channelKey },
    );
    return row && toRun(row);
  }

  /** The run of a channel's slot, whoever holds it (to tell "held until …" from "done"). */
  async find(channelKey: ChannelKey, slot: Instant): Promise<DigestRun | undefined> {
    const [row] = await this.db.all<Row>(
      'SELECT * FROM digest_runs WHERE channel_key = @channelKey AND scheduled_for = @slot',
      { channelKey, slot: toIso(slot, 'slot') },
    );
    return row && toRun(row);
  }

  async get(runId: number): Promise<DigestRun | undefined> {
    const [row] = await this.db.all<Row>('SELECT * FROM digest_runs WHERE id = @runId', { runId });
    return row && toRun(row);
  }

  private async finish(
    db: Executor,
    claim: RunClaim,
    values: {
      status: Exclude<RunStatus, 'claimed'>;
      windowSince: string | null;
      windowUntil: string | null;
      sources: string | null;
      messageId: string | null;
      error: string | null;
    },
  ): Promise<boolean> {
    const at = this.now().toISOString();
    const changes = await db.run(
      `UPDATE digest_runs SET status = @status, window_since = @windowSince, window_until = @windowUntil,
         sources = @sources, message_id = @messageId, error = @error, finished_at = @at, updated_at = @at
       WHERE id = @runId AND attempt = @attempt AND status = 'claimed'`,
      { ...values, at, runId: claim.runId, attempt: claim.attempt },
    );
    if (changes === 0) {
      this.logger.warn(
        { runId: claim.runId, attempt: claim.attempt, status: values.status },
        'store: digest run outcome ignored, the claim was lost',
      );
    }
    return changes > 0;
  }
}

function leaseEnd(at: Date, ttlMs: number): string {
  return new Date(at.getTime() + checkPositiveInteger(ttlMs, 'lease ttlMs')).toISOString();
}

function reportColumns(report: RunReport): {
  windowSince: string | null;
  windowUntil: string | null;
  sources: string | null;
} {
  const since = report.window && toIso(report.window.since, 'window since');
  const until = report.window && toIso(report.window.until, 'window until');
  if (since && until && since > until) throw invalid(`window since ${since} is after until ${until}`);
  return {
    windowSince: since ?? null,
    windowUntil: until ?? null,
    sources: report.sources === undefined ? null : toJsonObjectText(report.sources, 'sources summary'),
  };
}

function toRun(row: Row): DigestRun {
  return {
    id: row.id,
    channelKey: row.channel_key,
    scheduledFor: row.scheduled_for,
    status: row.status,
    attempt: row.attempt,
    claimedBy: row.claimed_by,
    claimedAt: row.claimed_at,
    leaseUntil: row.lease_until,
    window:
      row.window_since !== null && row.window_until !== null
        ? { since: row.window_since, until: row.window_until }
        : undefined,
    sources: row.sources === null ? undefined : (JSON.parse(row.sources) as JsonObject),
    messageId: row.message_id ?? undefined,
    error: row.error ?? undefined,
    finishedAt: row.finished_at ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
