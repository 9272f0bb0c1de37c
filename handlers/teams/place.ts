/**
 * Where a Teams activity was sent, with the key of its conversation: the one way a Teams handler gets
 * that key. With a store it is the key ConversationReferences.keyFor resolves, the one the digest
 * subscribes, posts and reads mutes under (a conversation the bot knew before keys carried the tenant
 * keeps its tenant-less key); feedback, mutes and exports must use the same or the digest never sees
 * them. Without a store (local mode, nothing is kept) it is the tenant's key.
 */
import type { Activity } from 'botbuilder';
import { teamsSyntax } from '../../src/cards/teams.ts';
import type { Place } from '../../src/conversation/reply.ts';
import { isPersonal, teamsConversationKey, tenantOf } from './identity.ts';
import type { ConversationReferences } from './references.ts';

export async function placeOf(activity: Activity, references: ConversationReferences | undefined): Promise<Place> {
  const conversationKey = references
    ? await references.keyFor(activity)
    : teamsConversationKey(activity.conversation.id, tenantOf(activity));
  return {
    conversationKey,
    userId: activity.from?.id ?? '',
    // An @-mention in a shared conversation, plain words in a personal chat.
    syntax: teamsSyntax(!isPersonal(activity), activity.recipient?.name || undefined),
    kind: activity.conversation?.conversationType === 'channel' ? 'channel' : 'chat',
  };
}
