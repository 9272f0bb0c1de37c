/**
 * `app_uninstalled` and `tokens_revoked` (the bot token): the workspace's tokens are deleted and its
 * digest subscriptions paused (src/installs/workspace-lifecycle.ts). A revoked user token alone changes
 * nothing: the bot never asks for user tokens.
 */
import type { RemovalReason } from '../../../src/installs/workspace-lifecycle.ts';
import type { SlackDeps } from '../deps.ts';
import { slackInstallationKey, slackWorkspacePrefix } from '../identity.ts';
import type { SlackListeners } from '../listeners.ts';

export function register(app: SlackListeners, deps: SlackDeps): void {
  const removed = async (
    where: { teamId?: string | undefined; enterpriseId?: string | undefined },
    reason: RemovalReason,
  ): Promise<void> => {
    if (!where.teamId) return;
    const result = await deps.workspaces?.removed({
      installationKeys: [where.teamId, where.enterpriseId]
        .filter((id): id is string => Boolean(id))
        .map(slackInstallationKey),
      conversationPrefix: slackWorkspacePrefix(where.teamId),
      reason,
    });
    deps.logger.info({ teamId: where.teamId, reason, ...result }, 'Slack: workspace removed the app');
  };

  app.event('app_uninstalled', async ({ context }) => {
    await removed(context, 'app_uninstalled');
  });

  app.event('tokens_revoked', async ({ event, context }) => {
    if ((event.tokens.bot ?? []).length > 0) await removed(context, 'tokens_revoked');
  });
}
