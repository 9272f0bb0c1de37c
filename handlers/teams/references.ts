/**
 * Teams' conversation references, kept so the digest can post into a conversation later (a proactive
 * message). Teams hands one over with every message; it is written only when what the digest posts
 * with changes (service URL, bot, tenant), not for every message's own activity id.
 */

import type { Activity } from 'botbuilder';
import { LruCache } from '../../src/util/lru.ts';
import { teamsConversationKey, tenantOf } from './identity.ts';

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

  /**
   * The key of the conversation an activity belongs to: tenant and conversation. A conversation the bot
   * already knew under its tenant-less key (stored before keys carried the tenant) keeps that key, so its
   * subscription, runs and posted items stay one; new conversations get the tenant's key.
   */
  async keyFor(activity: Partial<Activity>): Promise<string> {
    const conversationId = activity.conversation?.id ?? '';
    const tenantId = tenantOf(activity);
    const legacy = teamsConversationKey(conversationId);
    if (!tenantId) return legacy;
    return (await this.store.get(legacy)) ? legacy : teamsConversationKey(conversationId, tenantId);
  }

  /** Saves the reference of a conversation the bot was spoken to (or added) in, unless unchanged. */
  async remember(key: string, reference: object): Promise<void> {
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
