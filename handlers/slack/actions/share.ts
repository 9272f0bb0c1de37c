/**
 * "Share to channel": posts the card the user was looking at for everyone in the channel, saying
 * who shared it. If the bot cannot post there, the user is told why (and how to fix it).
 */
import type { BlockAction, ButtonAction } from '@slack/bolt';
import { decodeAction } from '../../../src/answer/actions.ts';
import { interaction, somethingWentWrong } from '../../../src/interaction.ts';
import type { SlackDeps } from '../deps.ts';
import { logSlackFailure } from '../errors.ts';
import type { SlackListeners } from '../listeners.ts';
import { slackMessage } from '../render.ts';

export const SHARE_ACTION_ID = /^her2_share_\d+$/;

export function register(app: SlackListeners, { core, logger }: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>(
    { action_id: SHARE_ACTION_ID },
    async ({ ack, action, body, client, respond }) => {
      await ack();
      const notice = (text: string) =>
        respond({ response_type: 'ephemeral', replace_original: false, ...slackMessage(core, core.error(text)) });
      await interaction(
        logger,
        'slack',
        'share',
        async (record) => {
          const payload = decodeAction(action.value);
          const channel = body.channel?.id;
          if (!payload || !channel) {
            record.answered('notice');
            await notice('That card can no longer be shared. Try a new search.');
            return;
          }
          const answer = core.handleAction(payload);
          const message = slackMessage(core, answer);
          const sharedBy = {
            type: 'context' as const,
            elements: [{ type: 'mrkdwn' as const, text: `Shared by <@${body.user.id}>` }],
          };
          try {
            await client.chat.postMessage({
              channel,
              text: message.text,
              blocks: [sharedBy, ...message.blocks],
              unfurl_links: false,
            });
          } catch (err) {
            const failure = logSlackFailure(logger, 'chat.postMessage', err, { channel });
            record.answered('notice');
            await notice(failure.userMessage ?? 'Sharing failed. Please try again in a moment.');
            return;
          }
          record.answered(answer.type);
          // The card is out: failing to remove the private copy is not worth a "try again".
          await respond({ delete_original: true }).catch((err: unknown) =>
            logger.warn({ err }, 'could not remove the shared card from the private view'),
          );
        },
        async (id) => {
          await respond({ response_type: 'ephemeral', replace_original: false, text: somethingWentWrong(id) });
        },
      );
    },
  );
}
