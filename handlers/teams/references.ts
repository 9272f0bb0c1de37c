/**
 * Teams' conversation references, kept so the digest can post into a conversation later (a proactive
 * message). Teams hands one over with every message; it is written only when what the digest posts
 * with changes (service URL, bot, tenant), not for every message's own activity id.
 */
import { LruCache } from '../../src/util/lru.ts';
import { teamsConversationKey } from './identity.ts';

/** Where references are kept, by conversation key: the store's conversation repository, sync or async. */
export interface ReferenceStore {
  save(key: string, reference: object): unknown;
  get(key: string): ReferenceRow | undefined | PromiseLike<ReferenceRow | undefined>;
}

interface ReferenceRow {
  readonly reference: object;
}

export class ConversationReferences {
  /** Conversation key → the last saved reference without its per-message fields. */
  private readonly saved = new LruCache<string, string>(10_000);

  constructor(private readonly store: ReferenceStore) {}

  /** Saves the reference of a conversation the bot was spoken to (or added) in, unless unchanged. */
  async remember(conversationId: string, reference: object): Promise<void> {
    const key = teamsConversationKey(conversationId);
    const { activityId: _perMessage, conversation: _thread, ...stable } = reference as Record<string, unknown>;
    const fingerprint = JSON.stringify(stable);
    if (this.saved.get(key) === fingerprint) return;
    await this.store.save(key, reference);
    this.saved.set(key, fingerprint);
  }

  /** The stored reference for a conversation key, for a proactive post. */
  async reference(key: string): Promise<object | undefined> {
    return (await this.store.get(key))?.reference;
  }
}
