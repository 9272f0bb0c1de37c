/**
 * Teams' identities as the rest of the bot sees them: opaque conversation keys. Only this folder
 * builds or reads them; src/ stores and compares them as strings.
 *
 *   teams:19:abc…@thread.tacv2      conversation id, without any `;messageid=…` thread suffix
 */
import type { Activity } from 'botbuilder';
import { teamsSyntax } from '../../src/cards/teams.ts';
import type { Place } from '../../src/conversation/reply.ts';

export const TEAMS_KEY_PREFIX = 'teams:';

/**
 * Teams gives a message in a channel thread the conversation id `<channel>;messageid=<root>`. The
 * subscription belongs to the channel, so the suffix is dropped: subscribing from any thread of a
 * channel names the same subscription, and a bare channel id makes proactive posts land at the root.
 */
export function teamsConversationKey(conversationId: string): string {
  return `${TEAMS_KEY_PREFIX}${conversationId.split(';messageid=')[0] ?? ''}`;
}

/** The conversation id of a key built above. */
export function teamsConversationOf(key: string): string | undefined {
  return key.startsWith(TEAMS_KEY_PREFIX) ? key.slice(TEAMS_KEY_PREFIX.length) || undefined : undefined;
}

/** A personal chat with the bot (the Emulator and Agents Playground send no conversation type). */
export function isPersonal(activity: Partial<Activity>): boolean {
  const type = activity.conversation?.conversationType;
  return type === 'personal' || type === undefined;
}

export function placeOf(activity: Activity): Place {
  return {
    conversationKey: teamsConversationKey(activity.conversation.id),
    userId: activity.from?.id ?? '',
    syntax: teamsSyntax(!isPersonal(activity), activity.recipient?.name || undefined),
    kind: activity.conversation?.conversationType === 'channel' ? 'channel' : 'chat',
  };
}
