/**
 * Where to send a proactive message: the conversation reference Teams gave us when the bot was
 * installed or spoken to. Stored as the SDK's own JSON, untouched, because the SDK that reads it back
 * (botbuilder today, maybe the Agents SDK later) is the only one that understands all of it.
 */
import type { Executor } from './engine.ts';
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

const UPSERT = `
  INSERT INTO conversation_refs (key, reference, sdk, updated_at) VALUES (@key, @reference, @sdk, @at)
  ON CONFLICT (key) DO UPDATE SET reference = excluded.reference, sdk = excluded.sdk, updated_at = excluded.updated_at
  RETURNING *`;

export class ConversationReferenceRepository {
  constructor(
    private readonly db: Executor,
    private readonly now: Clock,
  ) {}

  /** Saves or replaces the reference for a key (usually the channel key). */
  async save(
    key: string,
    reference: ConversationReferenceJson,
    options: { sdk?: string } = {},
  ): Promise<StoredConversationReference> {
    checkReference(reference);
    const [row] = await this.db.all<Row>(UPSERT, {
      key: checkKey(key, 'conversation key'),
      reference: toJsonObjectText(reference, 'conversation reference'),
      sdk: checkKey(options.sdk ?? 'botbuilder', 'sdk tag', 64),
      at: this.now().toISOString(),
    });
    return toStored(row!);
  }

  async get(key: string): Promise<StoredConversationReference | undefined> {
    const [row] = await this.db.all<Row>('SELECT * FROM conversation_refs WHERE key = @key', { key });
    return row && toStored(row);
  }

  /** Forgets a reference (the bot was uninstalled); false if there was none. */
  async delete(key: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM conversation_refs WHERE key = @key', { key })) > 0;
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
