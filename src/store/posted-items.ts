/**
 * What each channel has already been shown, so a paper or a trial update is posted once per channel
 * however often the sources return it. Items are recorded only after the platform accepted the post:
 * a crash in between means a possible repeat, never a silently lost item.
 */
import { type Engine, type Executor, inList } from './engine.ts';
import { StoreError } from './errors.ts';
import { type ChannelKey, type Clock, checkKey, checkPositiveInteger } from './values.ts';

/** An item's identity in the digest, e.g. `pubmed:41234567` or `NCT01234567@2026-11-28`. */
export type ItemKey = string;

export interface PostedItem {
  readonly channelKey: ChannelKey;
  readonly itemKey: ItemKey;
  readonly postedAt: string;
  readonly runId: number;
}

interface Row {
  channel_key: string;
  item_key: string;
  posted_at: string;
  run_id: number;
}

/** Keys per statement: well under both engines' parameter limits. */
const CHUNK = 500;

export class PostedItemRepository {
  constructor(
    private readonly db: Engine,
    private readonly now: Clock,
  ) {}

  /** The keys not yet posted to this channel, in the order given, without duplicates. */
  async filterUnposted(channelKey: ChannelKey, itemKeys: readonly ItemKey[]): Promise<ItemKey[]> {
    const keys = checkItemKeys(itemKeys);
    const posted = new Set<string>();
    for (let i = 0; i < keys.length; i += CHUNK) {
      const list = inList('k', keys.slice(i, i + CHUNK));
      const rows = await this.db.all<{ item_key: string }>(
        `SELECT item_key FROM posted_items WHERE channel_key = @channelKey AND item_key IN (${list.sql})`,
        { channelKey, ...list.params },
      );
      for (const r of rows) posted.add(r.item_key);
    }
    return keys.filter((k) => !posted.has(k));
  }

  /**
   * Records items as posted to the channel by a run, all or none. Keys already recorded keep their first
   * run and time. Returns how many were new. Call it only once the platform has accepted the message.
   * `DigestRunRepository.completeRun` passes its own transaction as `tx`, so the items and the run's
   * outcome are committed together.
   */
  markPosted(channelKey: ChannelKey, itemKeys: readonly ItemKey[], runId: number, tx?: Executor): Promise<number> {
    if (tx) return this.insert(tx, channelKey, itemKeys, runId);
    return this.db.transaction((own) => this.insert(own, channelKey, itemKeys, runId));
  }

  private async insert(tx: Executor, channelKey: ChannelKey, itemKeys: readonly ItemKey[], runId: number) {
    const keys = checkItemKeys(itemKeys);
    checkPositiveInteger(runId, 'run id');
    const [run] = await tx.all<{ channel_key: string }>('SELECT channel_key FROM digest_runs WHERE id = @runId', {
      runId,
    });
    if (run?.channel_key !== channelKey) {
      throw new StoreError('not_found', `digest run ${runId} does not exist for channel ${channelKey}`);
    }
    const at = this.now().toISOString();
    let added = 0;
    for (const key of keys) {
      added += await tx.run(
        `INSERT INTO posted_items (channel_key, item_key, posted_at, run_id) VALUES (@channelKey, @key, @at, @runId)
         ON CONFLICT DO NOTHING`,
        { channelKey, key, at, runId },
      );
    }
    return added;
  }

  /** The items a run posted, in key order (to rebuild or edit its message). */
  async listForRun(runId: number): Promise<PostedItem[]> {
    const rows = await this.db.all<Row>('SELECT * FROM posted_items WHERE run_id = @runId ORDER BY item_key', {
      runId,
    });
    return rows.map((r) => ({
      channelKey: r.channel_key,
      itemKey: r.item_key,
      postedAt: r.posted_at,
      runId: r.run_id,
    }));
  }
}

function checkItemKeys(itemKeys: readonly ItemKey[]): ItemKey[] {
  return [...new Set(itemKeys.map((k) => checkKey(k, 'item key', 256)))];
}
