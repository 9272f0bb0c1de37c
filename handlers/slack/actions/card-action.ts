/**
 * Card buttons ("Open", "Agents", "Evidence", "More results", "Previous/Next", a digest item's "new
 * data on CLEOPATRA"): answered from the ids in the button's value. On the asker's own ephemeral card
 * the answer replaces it in place; on a message everyone sees, the answer goes only to the person who
 * clicked, leaving the shared message as it was. A digest's entry button never replaces the digest,
 * not even the asker's own preview.
 */
import type { BlockAction, ButtonAction } from '@slack/bolt';
import { decodeAction, showsBeside } from '../../../src/answer/actions.ts';
import { interaction, somethingWentWrong } from '../../../src/interaction.ts';
import type { SlackDeps } from '../deps.ts';
import type { SlackListeners } from '../listeners.ts';
import { slackMessage } from '../render.ts';

export const CARD_ACTION_ID = /^her2_(open|show|agents|evidence|more|page|help)_\d+$/;
export const LINK_ACTION_ID = /^her2_link_\d+$/;

export function register(app: SlackListeners, { core, logger }: SlackDeps): void {
  app.action<BlockAction<ButtonAction>>({ action_id: CARD_ACTION_ID }, async ({ ack, action, body, respond }) => {
    await ack();
    await interaction(
      logger,
      'slack',
      'click',
      async (record) => {
        const payload = decodeAction(action.value);
        const answer = payload
          ? core.handleAction(payload)
          : core.error('That button is out of date. Try a new search.');
        record.answered(answer.type);
        await respond({
          ...slackMessage(core, answer, { shareable: true }),
          response_type: 'ephemeral',
          replace_original: body.container?.is_ephemeral === true && !(payload && showsBeside(payload)),
        });
      },
      async (id) => {
        await respond({ response_type: 'ephemeral', replace_original: false, text: somethingWentWrong(id) });
      },
    );
  });

  // Link buttons open in the browser; Slack still sends the click, which only needs acknowledging.
  app.action({ action_id: LINK_ACTION_ID }, async ({ ack }) => {
    await ack();
  });
}
