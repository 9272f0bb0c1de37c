/**
 * Feedback controls: a digest item's overflow menu (Useful, Not relevant, Wrong tags…), "Report a
 * problem" on answer cards, and "Fewer like this" in an acknowledgement. Useful and Not relevant are
 * answered at once through response_url, only to the person who pressed; Wrong tags and Report open
 * a modal (views.open), whose submission is acknowledged with an ephemeral message in the channel.
 */
import type { BlockAction, ButtonAction, OverflowAction, SlackViewAction } from '@slack/bolt';
import { decodeFeedback, type FeedbackPayload } from '../../../src/answer/feedback-payload.ts';
import { REPORT_VIEW, reportModal, WRONG_TAGS_VIEW, wrongTagsModal } from '../../../src/cards/slack-feedback.ts';
import type { FeedbackPress } from '../../../src/feedback/desk.ts';
import { interaction, somethingWentWrong } from '../../../src/interaction.ts';
import { displayName } from '../../../src/knowledge/knowledge-base.ts';
import type { SlackDeps } from '../deps.ts';
import { logSlackFailure } from '../errors.ts';
import { slackConversationKey } from '../identity.ts';
import type { SlackListeners } from '../listeners.ts';
import { slackMessage } from '../render.ts';

export const FEEDBACK_ACTION_ID = /^her2_fb_\d+$/;

/** Where a modal was opened from, carried through Slack in `private_metadata`. */
interface Origin {
  key: string;
  channel: string;
  payload: FeedbackPayload;
}

export function register(app: SlackListeners, deps: SlackDeps): void {
  const { core, logger, feedback } = deps;
  app.action<BlockAction<ButtonAction | OverflowAction>>(
    { action_id: FEEDBACK_ACTION_ID },
    async ({ ack, action, body, client, respond }) => {
      await ack();
      await interaction(
        logger,
        'slack',
        'click',
        async (record) => {
          const raw = action.type === 'overflow' ? action.selected_option.value : action.value;
          const payload = decodeFeedback(raw);
          const channel = body.channel?.id;
          const team = body.team?.id ?? body.user.team_id;
          if (!feedback || !payload || !channel || !team) {
            record.answered('error');
            await respond({
              response_type: 'ephemeral',
              replace_original: false,
              ...slackMessage(core, core.error('Feedback is not available here.')),
            });
            return;
          }
          const origin: Origin = { key: slackConversationKey(team, channel), channel, payload };
          if (payload.f === 'wt' || payload.f === 'rp') {
            const view =
              payload.f === 'rp'
                ? reportModal(displayName(core.kb, payload.k!) ?? 'this card', JSON.stringify(origin))
                : await wrongTagsView(deps, payload.r!, origin);
            record.answered(view ? 'modal' : 'error');
            if (!view) {
              await respond({
                response_type: 'ephemeral',
                replace_original: false,
                ...slackMessage(core, core.error('That digest item is no longer known here.')),
              });
              return;
            }
            try {
              await client.views.open({ trigger_id: body.trigger_id, view });
            } catch (err) {
              logSlackFailure(logger, 'views.open', err, { channel });
            }
            return;
          }
          const answer = await feedback.press({
            surface: 'slack',
            conversationKey: origin.key,
            userId: body.user.id,
            payload,
          });
          record.answered(answer.type);
          await respond({ response_type: 'ephemeral', replace_original: false, ...slackMessage(core, answer) });
        },
        async (id) => {
          await respond({ response_type: 'ephemeral', replace_original: false, text: somethingWentWrong(id) });
        },
      );
    },
  );

  for (const callbackId of [WRONG_TAGS_VIEW, REPORT_VIEW]) {
    app.view<SlackViewAction>(callbackId, async ({ ack, body, view, client }) => {
      await ack();
      const origin = readOrigin(view.private_metadata);
      if (!feedback || !origin) return;
      const values = view.state.values;
      const picked = (block: string) => (values[block]?.tags?.selected_options ?? []).map((o) => o.value);
      const press: FeedbackPress = {
        surface: 'slack',
        conversationKey: origin.key,
        userId: body.user.id,
        payload: origin.payload,
        ...(callbackId === REPORT_VIEW
          ? { text: values.report?.text?.value ?? '' }
          : { tagsRemoved: picked('remove'), tagsAdded: picked('add') }),
      };
      await interaction(
        logger,
        'slack',
        'click',
        async (record) => {
          const answer = await feedback.press(press);
          record.answered(answer.type);
          await client.chat.postEphemeral({
            channel: origin.channel,
            user: body.user.id,
            ...slackMessage(core, answer),
          });
        },
        async (id) => {
          await client.chat.postEphemeral({
            channel: origin.channel,
            user: body.user.id,
            text: somethingWentWrong(id),
          });
        },
      );
    });
  }
}

async function wrongTagsView({ feedback }: SlackDeps, ref: string, origin: Origin) {
  const picker = await feedback?.tagPicker(ref);
  return picker && wrongTagsModal(picker, JSON.stringify(origin));
}

function readOrigin(raw: string | undefined): Origin | undefined {
  try {
    const o = JSON.parse(raw ?? '') as Partial<Origin>;
    const payload = decodeFeedback(o.payload);
    return typeof o.key === 'string' && typeof o.channel === 'string' && payload
      ? { key: o.key, channel: o.channel, payload }
      : undefined;
  } catch {
    return undefined;
  }
}
