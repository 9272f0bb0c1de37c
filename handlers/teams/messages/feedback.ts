/**
 * A feedback submit (Useful, Not relevant, the Wrong tags form, Report a problem, Fewer like this)
 * arrives as a message whose `value` holds `{ her2fb: payload }` and the form's inputs beside it. It
 * is stored by the core and acknowledged privately, by the shared-conversation rules of the reply
 * path: in a channel or group chat the acknowledgement goes to the person's personal chat.
 */
import type { TurnContext } from 'botbuilder';
import { decodeFeedback } from '../../../src/answer/feedback-payload.ts';
import type { InteractionRecord } from '../../../src/interaction.ts';
import { deliver } from '../deliver.ts';
import type { TeamsDeps } from '../deps.ts';
import { placeOf } from '../place.ts';

interface FeedbackValue {
  her2fb: unknown;
  /** The Wrong tags form: which item, and the tags (a multi-select sends "id1,id2"). */
  item?: unknown;
  remove?: unknown;
  add?: unknown;
  /** The Report form's text. */
  text?: unknown;
}

export function isFeedback(ctx: TurnContext): boolean {
  const value = ctx.activity.value as { her2fb?: unknown } | undefined;
  return typeof value === 'object' && value !== null && 'her2fb' in value;
}

export async function onFeedback(ctx: TurnContext, deps: TeamsDeps, record?: InteractionRecord): Promise<void> {
  const { core, feedback, references } = deps;
  const value = ctx.activity.value as FeedbackValue;
  const fields = typeof value.her2fb === 'object' && value.her2fb !== null ? value.her2fb : {};
  const payload = decodeFeedback({ ...fields, ...(typeof value.item === 'string' ? { r: value.item } : {}) });
  const place = await placeOf(ctx.activity, references);
  const answer =
    payload && feedback
      ? await feedback.press({
          surface: 'teams',
          conversationKey: place.conversationKey,
          userId: place.userId,
          payload,
          tagsRemoved: choices(value.remove),
          tagsAdded: choices(value.add),
          ...(typeof value.text === 'string' ? { text: value.text } : {}),
        })
      : core.error(feedback ? 'That button is out of date.' : 'Feedback is not available here.');
  record?.answered(answer.type);
  await deliver(ctx, { answer, visibility: 'private' }, place, deps);
}

function choices(raw: unknown): string[] {
  return typeof raw === 'string' && raw.length < 5000 ? raw.split(',').filter(Boolean) : [];
}
