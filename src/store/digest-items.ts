/**
 * The digest items as shown, by their short ref (see src/digest/item-ref.ts): what a feedback press
 * is about, and the records an export lists. Saved before posting, so a button is never ahead of its
 * item; a later digest showing the same item updates its tags.
 */
import type { Engine } from './engine.ts';
import { invalid } from './errors.ts';
import {
  type ChannelKey,
  type Clock,
  checkKey,
  checkReasons,
  checkTag,
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

/** A ref as src/digest/item-ref.ts makes it: the first 16 hex digits of the key's SHA-256. */
const REF = /^[0-9a-f]{16}$/;

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

  /**
   * Saves items as shown, all or none. Saving a ref again replaces its record, tags, reasons and
   * version (the digest showed it anew) and keeps when it was first seen; a ref already saved for
   * another item key is refused rather than mixing two items' records.
   */
  async save(items: readonly ShownItemInput[]): Promise<void> {
    if (items.length === 0) return;
    const rows = items.map(toParams);
    const at = this.now().toISOString();
    await this.db.transaction(async (tx) => {
      for (const row of rows) {
        const changed = await tx.run(
          `INSERT INTO digest_items (ref, item_key, item, tags, reasons, kb_version, first_seen, updated_at)
           VALUES (@ref, @itemKey, @item, @tags, @reasons, @kbVersion, @at, @at)
           ON CONFLICT (ref) DO UPDATE SET item = excluded.item, tags = excluded.tags, reasons = excluded.reasons,
             kb_version = excluded.kb_version, updated_at = excluded.updated_at
           WHERE digest_items.item_key = excluded.item_key`,
          { ...row, at },
        );
        if (changed === 0) throw invalid(`item ref ${row.ref} is already saved for another item key`);
      }
    });
  }

  /** The item shown under a ref; undefined for a ref never saved (or not a ref at all). */
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

function toParams(i: ShownItemInput) {
  if (typeof i.ref !== 'string' || !REF.test(i.ref)) {
    throw invalid(`item ref must be 16 lowercase hex digits, got ${JSON.stringify(i.ref)}`);
  }
  return {
    ref: i.ref,
    itemKey: checkKey(i.itemKey, 'item key', 256),
    item: toJsonObjectText(i.item, 'digest item'),
    tags: JSON.stringify(i.tags.map(checkTag)),
    reasons: JSON.stringify(checkReasons(i.reasons)),
    kbVersion: checkKey(i.kbVersion, 'knowledge-base version', 32),
  };
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
