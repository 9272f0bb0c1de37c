/**
 * Slack's identities as the rest of the bot sees them: opaque conversation keys. Only this folder
 * builds or reads them; src/ stores and compares them as strings.
 *
 *   slack:T0123ABCD:C0456EFGH       workspace (team) id + channel id
 */
export const SLACK_KEY_PREFIX = 'slack:';

export function slackConversationKey(teamId: string, channelId: string): string {
  return `${SLACK_KEY_PREFIX}${teamId}:${channelId}`;
}

/** The channel id of a key built above, or undefined for anything else. */
export function slackChannelOf(key: string): string | undefined {
  if (!key.startsWith(SLACK_KEY_PREFIX)) return undefined;
  return key.split(':')[2] || undefined;
}
