/**
 * Teams' identities as the rest of the bot sees them: opaque conversation keys. Only this folder
 * builds or reads them; src/ stores and compares them as strings.
 *
 *   teams:t:<tenant id>:19:abc…@thread.tacv2   a conversation in one tenant (Microsoft Entra tenant id)
 *   teams:19:abc…@thread.tacv2                 no tenant: local tools, and conversations the bot knew
 *                                              before keys carried the tenant (see ConversationReferences)
 *
 * The conversation id is without any `;messageid=…` thread suffix. With the tenant in the key, a
 * multi-tenant bot keeps each tenant's subscriptions, references and posted items apart even if two
 * tenants ever sent the same conversation id: an activity from tenant B can never name tenant A's row.
 */
import type { Activity } from 'botbuilder';

export const TEAMS_KEY_PREFIX = 'teams:';

/**
 * Teams gives a message in a channel thread the conversation id `<channel>;messageid=<root>`. The
 * subscription belongs to the channel, so the suffix is dropped: subscribing from any thread of a
 * channel names the same subscription, and a bare channel id makes proactive posts land at the root.
 */
export function teamsConversationKey(conversationId: string, tenantId?: string): string {
  const channel = conversationId.split(';messageid=')[0] ?? '';
  return tenantId ? `${TEAMS_KEY_PREFIX}${TENANT_MARK}${tenantId}:${channel}` : `${TEAMS_KEY_PREFIX}${channel}`;
}

const TENANT_MARK = 't:';
/** Entra tenant ids are GUIDs; anything with a colon or a space could not be read back from a key. */
const TENANT_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The tenant and conversation of a key built above, or undefined for anything else. */
export function teamsKeyParts(key: string): { tenantId: string | undefined; conversationId: string } | undefined {
  if (!key.startsWith(TEAMS_KEY_PREFIX)) return undefined;
  const rest = key.slice(TEAMS_KEY_PREFIX.length);
  if (!rest.startsWith(TENANT_MARK)) return rest ? { tenantId: undefined, conversationId: rest } : undefined;
  const [tenantId, ...conversation] = rest.slice(TENANT_MARK.length).split(':');
  const conversationId = conversation.join(':');
  return tenantId && conversationId ? { tenantId, conversationId } : undefined;
}

/** The conversation id of a key built above. */
export function teamsConversationOf(key: string): string | undefined {
  return teamsKeyParts(key)?.conversationId;
}

/** The Entra tenant an activity comes from, as Teams sends it (conversation.tenantId, channelData.tenant.id). */
export function tenantOf(activity: Partial<Activity>): string | undefined {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const tenant = activity.conversation?.tenantId ?? channelData?.tenant?.id;
  return typeof tenant === 'string' && TENANT_ID.test(tenant) ? tenant : undefined;
}

/** A personal chat with the bot (the Emulator and Agents Playground send no conversation type). */
export function isPersonal(activity: Partial<Activity>): boolean {
  const type = activity.conversation?.conversationType;
  return type === 'personal' || type === undefined;
}
