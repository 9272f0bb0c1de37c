/**
 * A click on an Action.Submit button of one of our cards arrives as a message whose `value` holds
 * `{ her2: payload }`. It is answered from the ids in the payload, updating the card in place (Teams
 * allows a bot to update its own message); if that is refused, the answer is sent as a new reply.
 */
import type { TurnContext } from 'botbuilder';
import { decodeAction } from '../../../src/answer/actions.ts';
import type { TeamsDeps } from '../deps.ts';
import { cardActivity } from '../render.ts';
import { reply, withConnector } from '../send.ts';

export function isCardAction(ctx: TurnContext): boolean {
  const value = ctx.activity.value as { her2?: unknown } | undefined;
  return typeof value === 'object' && value !== null && 'her2' in value;
}

export async function onCardAction(ctx: TurnContext, { core, logger }: TeamsDeps): Promise<void> {
  const payload = decodeAction((ctx.activity.value as { her2: unknown }).her2);
  const answer = payload ? core.handleAction(payload) : core.error('That button is out of date. Try a new search.');
  const activity = cardActivity(core, answer);
  const original = ctx.activity.replyToId;
  if (original) {
    const updated = await withConnector(logger, 'update card', () => ctx.updateActivity({ ...activity, id: original }));
    if (updated.ok) return;
  }
  await reply(ctx, logger, activity);
}
