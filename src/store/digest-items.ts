/**
 * The digest items as shown, by their short ref (see src/digest/item-ref.ts): what a feedback press
 * is about, and the records an export lists. Saved before posting, so a button is never ahead of its
 * item; a later digest showing the same item updates its tags.
 */
import type { Engine } from './engine.ts';
import {
  type ChannelKey,
  type Clock,
  checkKey,
  type Instant,
  type JsonObject,
  toIso,
  toJsonObjectText,
} from './values.ts';

export interface ShownItemInput {
  readonly ref: string;
  readonly itemKey: string;
  /** The literature record as the digest had it. */
  readonly item: JsonObject;
  readonly tags: readonly string[];
  readonly reasons: Readonly<Record<string, string>>;
  readonly kbVersion: string;
}

export interface ShownItem extends ShownItemInput {
  readonly firstSeen: string;
  readonly updatedAt: string;
}

interface Row {
  ref: string;
  item_key: string;
  item: string;
  tags: string;
  reasons: string;
  kb_version: string;
  first_seen: string;
  updated_at: string;
}

export class DigestItemRepository {
  constructor(
    private readonly db: Engine,
    private readonly now: Clock,
  ) {}

  async save(items: readonly ShownItemInput[]): Promise<void> {
    if (items.length === 0) return;
    const at = this.now().toISOString();
    await this.db.transaction(async (tx) => {
      for (const i of items) {
        await tx.run(
          `INSERT INTO digest_items (ref, item_key, item, tags, reasons, kb_version, first_seen, updated_at)
           VALUES (@ref, @itemKey, @item, @tags, @reasons, @kbVersion, @at, @at)
           ON CONFLICT (ref) DO UPDATE SET item = excluded.item, tags = excluded.tags, reasons = excluded.reasons,
             kb_version = excluded.kb_version, updated_at = excluded.updated_at`,
          {
            ref: checkKey(i.ref, 'item ref', 16),
            itemKey: checkKey(i.itemKey, 'item key', 256),
            item: toJsonObjectText(i.item, 'digest item'),
            tags: JSON.stringify(i.tags),
            reasons: JSON.stringify(i.reasons),
            kbVersion: checkKey(i.kbVersion, 'knowledge-base version', 32),
            at,
          },
        );
      }
    });
  }

  async get(ref: string): Promise<ShownItem | undefined> {
    const [row] = await this.db.all<Row>('SELECT * FROM digest_items WHERE ref = @ref', { ref });
    return row && toShownItem(row);
  }

  /** What a channel was shown since an instant, newest first (posted_items says what it was shown). */
  async postedIn(channelKey: ChannelKey, since: Instant): Promise<(ShownItem & { postedAt: string })[]> {
    const rows = await this.db.all<Row & { posted_at: string }>(
      `SELECT d.*, p.posted_at FROM posted_items p JOIN digest_items d ON d.item_key = p.item_key
       WHERE p.channel_key = @channelKey AND p.posted_at >= @since ORDER BY p.posted_at DESC, d.item_key`,
      { channelKey, since: toIso(since, 'since') },
    );
    return rows.map((r) => ({ ...toShownItem(r), postedAt: r.posted_at }));
  }
}

function toShownItem(row: Row): ShownItem {
  return {
    ref: row.ref,
    itemKey: row.item_key,
    item: JSON.parse(row.item) as JsonObject,
    tags: JSON.parse(row.tags) as string[],
    reasons: JSON.parse(row.reasons) as Record<string, string>,
    kbVersion: row.kb_version,
    firstSeen: row.first_seen,
    updatedAt: row.updated_at,
  };
}
