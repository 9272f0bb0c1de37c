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

/** The team id of a key built above, or undefined for anything else. */
export function slackTeamOf(key: string): string | undefined {
  if (!key.startsWith(SLACK_KEY_PREFIX)) return undefined;
  return key.split(':')[1] || undefined;
}

/** Every conversation key of one workspace starts with this. */
export function slackWorkspacePrefix(teamId: string): string {
  return `${SLACK_KEY_PREFIX}${teamId}:`;
}

/**
 * An install of the app, keyed by the workspace (team) id, or by the organisation (enterprise) id for
 * an org-wide Enterprise Grid install. `slack:T0123ABCD` never collides with a conversation key,
 * which has a channel after a second colon.
 */
export function slackInstallationKey(teamOrEnterpriseId: string): string {
  return `${SLACK_KEY_PREFIX}${teamOrEnterpriseId}`;
}
