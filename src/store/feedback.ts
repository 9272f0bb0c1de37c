/**
 * What readers said about digest items and answer cards: one row per press, with the item as the
 * reader saw it (its tags, the phrase behind each, the knowledge-base version). Rows are never edited.
 * Report texts are readers' words: they leave the server only through the curator's export.
 */
import type { Executor } from './engine.ts';
import { invalid } from './errors.ts';
import { type ChannelKey, type Clock, checkKey, checkReasons, checkTag, type Instant, toIso } from './values.ts';

export const FEEDBACK_ACTIONS = ['useful', 'not_relevant', 'wrong_tags', 'report'] as const;
export type FeedbackAction = (typeof FEEDBACK_ACTIONS)[number];

/** The longest report text kept (a short note, not an essay; Slack's modal caps input at the same). */
export const MAX_REPORT_LENGTH = 2000;

export interface FeedbackInput {
  readonly userId: string;
  /** The surface it came from (`slack`, `teams`). */
  readonly surface: string;
  readonly conversationKey: ChannelKey;
  /** The digest item's key (`pubmed:…`) or the answer's (`answer:ev-cleopatra`). */
  readonly itemKey: string;
  readonly itemTitle?: string | undefined;
  readonly action: FeedbackAction;
  /** The tags as shown, and the phrase that triggered each. */
  readonly tags?: readonly string[];
  readonly reasons?: Readonly<Record<string, string>>;
  /** For `wrong_tags`: what the reader would remove and add. */
  readonly tagsRemoved?: readonly string[];
  readonly tagsAdded?: readonly string[];
  readonly kbVersion: string;
  /** For `report`: what the reader wrote. */
  readonly text?: string | undefined;
}

export interface Feedback extends Required<Omit<FeedbackInput, 'itemTitle' | 'text'>> {
  readonly id: number;
  readonly itemTitle: string | undefined;
  readonly text: string | undefined;
  readonly createdAt: string;
}

interface Row {
  id: number;
  user_id: string;
  surface: string;
  conversation_key: string;
  item_key: string;
  item_title: string | null;
  action: FeedbackAction;
  tags: string;
  reasons: string;
  tags_removed: string;
  tags_added: string;
  kb_version: string;
  text: string | null;
  created_at: string;
}

export class FeedbackRepository {
  constructor(
    private readonly db: Executor,
    private readonly now: Clock,
  ) {}

  async record(input: FeedbackInput): Promise<Feedback> {
    if (!FEEDBACK_ACTIONS.includes(input.action)) throw invalid(`unknown feedback action ${String(input.action)}`);
    const text = input.text?.trim();
    if (input.action === 'report' && !text) throw invalid('a report needs a text');
    if (text && text.length > MAX_REPORT_LENGTH) {
      throw invalid(`a report is at most ${MAX_REPORT_LENGTH} characters`);
    }
    const [row] = await this.db.all<Row>(
      `INSERT INTO feedback (user_id, surface, conversation_key, item_key, item_title, action, tags, reasons,
                               tags_removed, tags_added, kb_version, text, created_at)
         VALUES (@userId, @surface, @conversationKey, @itemKey, @itemTitle, @action, @tags, @reasons,
                 @tagsRemoved, @tagsAdded, @kbVersion, @text, @at)
         RETURNING *`,
      {
        userId: checkKey(input.userId, 'user id'),
        surface: checkKey(input.surface, 'surface', 32),
        conversationKey: checkKey(input.conversationKey, 'conversation key'),
        itemKey: checkKey(input.itemKey, 'item key', 256),
        itemTitle: input.itemTitle?.slice(0, 500) ?? null,
        action: input.action,
        tags: JSON.stringify(checkTags(input.tags ?? [])),
        reasons: JSON.stringify(checkReasons(input.reasons ?? {})),
        tagsRemoved: JSON.stringify(checkTags(input.tagsRemoved ?? [])),
        tagsAdded: JSON.stringify(checkTags(input.tagsAdded ?? [])),
        kbVersion: checkKey(input.kbVersion, 'knowledge-base version', 32),
        text: input.action === 'report' ? (text ?? null) : null,
        at: this.now().toISOString(),
      },
    );
    return toFeedback(row!);
  }

  /** One press by its id, or undefined. */
  async get(id: number): Promise<Feedback | undefined> {
    if (!Number.isSafeInteger(id) || id < 1) return undefined;
    const [row] = await this.db.all<Row>('SELECT * FROM feedback WHERE id = @id', { id });
    return row ? toFeedback(row) : undefined;
  }

  /** How many "Not relevant" presses in this conversation were on items carrying `tag`. */
  async countNotRelevant(conversationKey: ChannelKey, tag: string): Promise<number> {
    // The tags are a JSON array of checked ids (no quotes inside), so its text holds `"<tag>"` exactly
    // when the tag is one of them: the same test on both engines, without json_each or jsonb.
    const [row] = await this.db.all<{ n: number }>(
      `SELECT CAST(count(*) AS INTEGER) AS n FROM feedback
       WHERE conversation_key = @conversationKey AND action = 'not_relevant' AND tags LIKE '%' || @quoted || '%'`,
      { conversationKey, quoted: JSON.stringify(checkTag(tag)) },
    );
    return row?.n ?? 0;
  }

  /** Everything recorded since an instant (all of it without one), oldest first, for the curator's report. */
  async list(options: { since?: Instant } = {}): Promise<Feedback[]> {
    const since = options.since === undefined ? '' : toIso(options.since, 'since');
    const rows = await this.db.all<Row>('SELECT * FROM feedback WHERE created_at >= @since ORDER BY created_at, id', {
      since,
    });
    return rows.map(toFeedback);
  }

  /** The reports (texts from answer cards), newest first, for the curation queue. */
  async listReports(limit = 50): Promise<Feedback[]> {
    const rows = await this.db.all<Row>(
      `SELECT * FROM feedback WHERE action = 'report' ORDER BY created_at DESC, id DESC LIMIT @limit`,
      { limit: Math.max(1, Math.trunc(limit)) },
    );
    return rows.map(toFeedback);
  }
}

function checkTags(tags: readonly string[]): string[] {
  tags.forEach(checkTag);
  return [...new Set(tags)];
}

function toFeedback(row: Row): Feedback {
  return {
    id: row.id,
    userId: row.user_id,
    surface: row.surface,
    conversationKey: row.conversation_key,
    itemKey: row.item_key,
    itemTitle: row.item_title ?? undefined,
    action: row.action,
    tags: JSON.parse(row.tags) as string[],
    reasons: JSON.parse(row.reasons) as Record<string, string>,
    tagsRemoved: JSON.parse(row.tags_removed) as string[],
    tagsAdded: JSON.parse(row.tags_added) as string[],
    kbVersion: row.kb_version,
    text: row.text ?? undefined,
    createdAt: row.created_at,
  };
}
