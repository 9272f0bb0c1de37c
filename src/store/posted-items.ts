/**
 * What each channel has already been shown, so a paper or a trial update is posted once per channel
 * however often the sources return it. Items are recorded only after the platform accepted the post:
 * a crash in between means a possible repeat, never a silently lost item.
 */
import type Database from 'better-sqlite3';
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

export class PostedItemRepository {
  constructor(
    private readonly db: Database.Database,
    private readonly now: Clock,
  ) {}

  /** The keys not yet posted to this channel, in the order given, without duplicates. */
  filterUnposted(channelKey: ChannelKey, itemKeys: readonly ItemKey[]): ItemKey[] {
    const keys = checkItemKeys(itemKeys);
    if (keys.length === 0) return [];
    return this.db
      .prepare<[string, string], { value: string }>(
        `SELECT j.value FROM json_each(?) AS j
         WHERE NOT EXISTS (SELECT 1 FROM posted_items p WHERE p.channel_key = ? AND p.item_key = j.value)
         ORDER BY j.key`,
      )
      .all(JSON.stringify(keys), channelKey)
      .map((r) => r.value);
  }

  /**
   * Records items as posted to the channel by a run, all or none. Keys already recorded keep their first
   * run and time. Returns how many were new. Call it only once the platform has accepted the message.
   * Inside another transaction (as `DigestRunRepository.completeRun` calls it) it becomes a savepoint.
   */
  markPosted(channelKey: ChannelKey, itemKeys: readonly ItemKey[], runId: number): number {
    return this.db.transaction(() => this.insert(channelKey, itemKeys, runId)).immediate();
  }

  private insert(channelKey: ChannelKey, itemKeys: readonly ItemKey[], runId: number): number {
    const keys = checkItemKeys(itemKeys);
    checkPositiveInteger(runId, 'run id');
    const run = this.db
      .prepare<[number], { channel_key: string }>('SELECT channel_key FROM digest_runs WHERE id = ?')
      .get(runId);
    if (run?.channel_key !== channelKey) {
      throw new StoreError('not_found', `digest run ${runId} does not exist for channel ${channelKey}`);
    }
    const insert = this.db.prepare(
      'INSERT INTO posted_items (channel_key, item_key, posted_at, run_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    const at = this.now().toISOString();
    let added = 0;
    for (const key of keys) added += insert.run(channelKey, key, at, runId).changes;
    return added;
  }

  /** The items a run posted, in key order (to rebuild or edit its message). */
  listForRun(runId: number): PostedItem[] {
    return this.db
      .prepare<[number], Row>('SELECT * FROM posted_items WHERE run_id = ? ORDER BY item_key')
      .all(runId)
      .map((r) => ({ channelKey: r.channel_key, itemKey: r.item_key, postedAt: r.posted_at, runId: r.run_id }));
  }
}

function checkItemKeys(itemKeys: readonly ItemKey[]): ItemKey[] {
  return [...new Set(itemKeys.map((k) => checkKey(k, 'item key', 256)))];
}
