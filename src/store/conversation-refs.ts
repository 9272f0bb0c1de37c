/**
 * Where to send a proactive message: the conversation reference Teams gave us when the bot was
 * installed or spoken to. Stored as the SDK's own JSON, untouched, because the SDK that reads it back
 * (botbuilder today, maybe the Agents SDK later) is the only one that understands all of it.
 */
import type Database from 'better-sqlite3';
import { invalid } from './errors.ts';
import { type Clock, checkKey, type JsonValue, toJsonObjectText } from './values.ts';

/**
 * The fields the store checks on save; every other field of the saved object is kept as it was.
 * botbuilder's `ConversationReference` fits this shape as it is.
 */
export interface ConversationReferenceJson {
  readonly serviceUrl: string;
  readonly conversation: { readonly id: string; readonly tenantId?: string | undefined };
  readonly bot?: { readonly id: string; readonly name?: string | undefined } | undefined;
  readonly channelId?: string | undefined;
}

export interface StoredConversationReference {
  readonly key: string;
  readonly reference: ConversationReferenceJson & { readonly [field: string]: JsonValue | undefined };
  /** Which SDK wrote it, e.g. `botbuilder`; a future SDK switch can map fields by this tag. */
  readonly sdk: string;
  readonly updatedAt: string;
}

interface Row {
  key: string;
  reference: string;
  sdk: string;
  updated_at: string;
}

export class ConversationReferenceRepository {
  /** Prepared once: Teams saves the reference on every message. */
  private readonly upsert: Database.Statement<Record<string, string>, Row>;

  constructor(
    private readonly db: Database.Database,
    private readonly now: Clock,
  ) {
    this.upsert = db.prepare<Record<string, string>, Row>(
      `INSERT INTO conversation_refs (key, reference, sdk, updated_at) VALUES (@key, @reference, @sdk, @at)
       ON CONFLICT (key) DO UPDATE SET
         reference = excluded.reference, sdk = excluded.sdk, updated_at = excluded.updated_at
       RETURNING *`,
    );
  }

  /** Saves or replaces the reference for a key (usually the channel key). */
  save(key: string, reference: ConversationReferenceJson, options: { sdk?: string } = {}): StoredConversationReference {
    checkReference(reference);
    const row = this.upsert.get({
      key: checkKey(key, 'conversation key'),
      reference: toJsonObjectText(reference, 'conversation reference'),
      sdk: checkKey(options.sdk ?? 'botbuilder', 'sdk tag', 64),
      at: this.now().toISOString(),
    });
    return toStored(row!);
  }

  get(key: string): StoredConversationReference | undefined {
    const row = this.db.prepare<[string], Row>('SELECT * FROM conversation_refs WHERE key = ?').get(key);
    return row && toStored(row);
  }

  /** Forgets a reference (the bot was uninstalled); false if there was none. */
  delete(key: string): boolean {
    return this.db.prepare('DELETE FROM conversation_refs WHERE key = ?').run(key).changes > 0;
  }
}

function checkReference(reference: ConversationReferenceJson): void {
  const url = typeof reference?.serviceUrl === 'string' ? URL.parse(reference.serviceUrl) : null;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw invalid('a conversation reference needs an http(s) serviceUrl');
  }
  const id = reference.conversation?.id;
  if (typeof id !== 'string' || id === '') throw invalid('a conversation reference needs conversation.id');
}

function toStored(row: Row): StoredConversationReference {
  return {
    key: row.key,
    reference: JSON.parse(row.reference) as StoredConversationReference['reference'],
    sdk: row.sdk,
    updatedAt: row.updated_at,
  };
}
