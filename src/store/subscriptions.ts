/**
 * Who asked for the daily digest, when, and about what. One row per channel: subscribing again
 * updates the settings in place, and unsubscribing keeps the row (with its posted items) so a later
 * re-subscribe does not repost what the channel has already seen.
 */
import { AgentId, MechanismId } from '../knowledge/schema.ts';
import { type Executor, inList } from './engine.ts';
import { invalid } from './errors.ts';
import { type ChannelKey, type Clock, checkKey } from './values.ts';

export type SubscriptionStatus = 'active' | 'dormant' | 'unsubscribed';

export interface Subscription {
  readonly channelKey: ChannelKey;
  /** Local delivery time, `HH:MM` (24-hour) in `timeZone`. */
  readonly time: string;
  /** Canonical IANA zone name, e.g. `Europe/Berlin`. */
  readonly timeZone: string;
  /** Mechanism and agent ids to watch; empty means the whole topic. */
  readonly topics: readonly string[];
  /** Post a short "nothing new today" line instead of staying silent on empty days. */
  readonly postNothingNew: boolean;
  readonly status: SubscriptionStatus;
  /** Set only while dormant: why posting stopped (a platform error code) and since when. */
  readonly dormant: { readonly reason: string; readonly since: string } | undefined;
  readonly createdAt: string;
  /** The platform user id of whoever started this subscription. */
  readonly createdBy: string;
  readonly updatedAt: string;
}

export interface SubscribeInput {
  readonly channelKey: ChannelKey;
  readonly time: string;
  readonly timeZone: string;
  readonly topics?: readonly string[];
  readonly postNothingNew?: boolean;
  /** The platform user id of whoever subscribed. */
  readonly userId: string;
}

interface Row {
  channel_key: string;
  time: string;
  time_zone: string;
  topics: string;
  post_nothing_new: number;
  status: SubscriptionStatus;
  dormant_reason: string | null;
  dormant_since: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
}

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class SubscriptionRepository {
  constructor(
    private readonly db: Executor,
    private readonly now: Clock,
  ) {}

  /**
   * Creates or updates the channel's subscription and makes it active. Settings are replaced; the
   * creator and creation time are kept while the subscription lives, and start afresh after an
   * unsubscribe (it is a new subscription then).
   */
  async subscribe(input: SubscribeInput): Promise<Subscription> {
    const at = this.now().toISOString();
    const [row] = await this.db.all<Row>(
      `INSERT INTO subscriptions (channel_key, time, time_zone, topics, post_nothing_new, status,
                                    created_at, created_by, updated_at)
         VALUES (@channelKey, @time, @timeZone, @topics, @postNothingNew, 'active', @at, @userId, @at)
         ON CONFLICT (channel_key) DO UPDATE SET
           time = excluded.time,
           time_zone = excluded.time_zone,
           topics = excluded.topics,
           post_nothing_new = excluded.post_nothing_new,
           created_at = CASE WHEN subscriptions.status = 'unsubscribed' THEN excluded.created_at
                             ELSE subscriptions.created_at END,
           created_by = CASE WHEN subscriptions.status = 'unsubscribed' THEN excluded.created_by
                             ELSE subscriptions.created_by END,
           status = 'active',
           dormant_reason = NULL,
           dormant_since = NULL,
           updated_at = excluded.updated_at
         RETURNING *`,
      {
        channelKey: checkKey(input.channelKey, 'channel key'),
        time: checkTime(input.time),
        timeZone: canonicalZone(input.timeZone),
        topics: JSON.stringify(checkTopics(input.topics ?? [])),
        postNothingNew: input.postNothingNew ? 1 : 0,
        userId: checkKey(input.userId, 'user id'),
        at,
      },
    );
    return toSubscription(row!);
  }

  /** Stops the digest for a channel; false if it was not subscribed. */
  unsubscribe(channelKey: ChannelKey): Promise<boolean> {
    return this.setStatus(channelKey, 'unsubscribed', null, ['active', 'dormant']);
  }

  /**
   * Pauses a channel the bot can no longer post to (removed from the channel, conversation gone).
   * The first reason and time are kept if it is already dormant. False if it is not subscribed.
   */
  async markDormant(channelKey: ChannelKey, reason: string): Promise<boolean> {
    if (typeof reason !== 'string' || reason.trim() === '') throw invalid('a dormant reason is required');
    return this.setStatus(channelKey, 'dormant', reason.trim(), ['active', 'dormant']);
  }

  /** Resumes a dormant channel (the bot was added back); false if it was not dormant. */
  reactivate(channelKey: ChannelKey): Promise<boolean> {
    return this.setStatus(channelKey, 'active', null, ['dormant']);
  }

  async get(channelKey: ChannelKey): Promise<Subscription | undefined> {
    const [row] = await this.db.all<Row>('SELECT * FROM subscriptions WHERE channel_key = @channelKey', { channelKey });
    return row && toSubscription(row);
  }

  /**
   * Every subscription, in any status, whose channel key starts with `prefix` (e.g. all of one Slack
   * workspace's channels), in a stable order.
   */
  async listUnder(prefix: string): Promise<Subscription[]> {
    // substr, not LIKE: a prefix's own _ and % must match only themselves.
    const rows = await this.db.all<Row>(
      `SELECT * FROM subscriptions
       WHERE substr(channel_key, 1, length(CAST(@prefix AS TEXT))) = CAST(@prefix AS TEXT) ORDER BY channel_key`,
      { prefix: checkKey(prefix, 'channel key prefix') },
    );
    return rows.map(toSubscription);
  }

  /** The channels the scheduler should serve, in a stable order. */
  async listActive(): Promise<Subscription[]> {
    const rows = await this.db.all<Row>("SELECT * FROM subscriptions WHERE status = 'active' ORDER BY channel_key");
    return rows.map(toSubscription);
  }

  private async setStatus(
    channelKey: ChannelKey,
    status: SubscriptionStatus,
    reason: string | null,
    from: readonly SubscriptionStatus[],
  ): Promise<boolean> {
    const states = inList('from', from);
    const changes = await this.db.run(
      `UPDATE subscriptions SET
         status = CAST(@status AS TEXT),
         dormant_reason = CASE WHEN @status = 'dormant' THEN coalesce(dormant_reason, CAST(@reason AS TEXT)) END,
         dormant_since = CASE WHEN @status = 'dormant' THEN coalesce(dormant_since, CAST(@at AS TEXT)) END,
         updated_at = @at
       WHERE channel_key = @channelKey AND status IN (${states.sql})`,
      { status, reason, at: this.now().toISOString(), channelKey, ...states.params },
    );
    return changes > 0;
  }
}

function toSubscription(row: Row): Subscription {
  return {
    channelKey: row.channel_key,
    time: row.time,
    timeZone: row.time_zone,
    topics: JSON.parse(row.topics) as string[],
    postNothingNew: row.post_nothing_new === 1,
    status: row.status,
    dormant:
      row.dormant_reason !== null && row.dormant_since !== null
        ? { reason: row.dormant_reason, since: row.dormant_since }
        : undefined,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
  };
}

function checkTime(time: string): string {
  if (!HH_MM.test(time))
    throw invalid(`delivery time must be HH:MM between 00:00 and 23:59, got ${JSON.stringify(time)}`);
  return time;
}

/** Validates an IANA zone with the runtime's own tz data and returns its canonical spelling. */
function canonicalZone(zone: string): string {
  // Newer runtimes accept offsets ("+01:00") as zones; they have no DST rules, so they are not allowed.
  try {
    if (/^[+-]/.test(zone)) throw new RangeError('offset');
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw invalid(`unknown time zone ${JSON.stringify(zone)}; use an IANA name such as Europe/Berlin`);
  }
}

/** Topic ids are checked for shape only; whether they exist is the knowledge base's call, not the store's. */
function checkTopics(topics: readonly string[]): string[] {
  for (const topic of topics) {
    if (!MechanismId.safeParse(topic).success && !AgentId.safeParse(topic).success) {
      throw invalid(`topic ${JSON.stringify(topic)} is neither a mechanism id (mech-…) nor an agent id (agent-…)`);
    }
  }
  return [...new Set(topics)];
}
