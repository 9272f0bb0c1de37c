/**
 * A click on an Action.Submit button of one of our cards arrives as a message whose `value` holds
 * `{ her2: payload, back }`. It is answered from the ids in the payload. In a personal chat the card
 * is updated in place (Teams allows a bot to update its own message) and offers Back; if that is
 * refused, the answer is sent as a new reply. In a channel or group chat the card everyone sees
 * stays as it was: the answer goes in a reply (in a channel, in the card's thread). A digest item's
 * "new data on CLEOPATRA" is answered to the clicker only (in a shared conversation, in their personal
 * chat) and never replaces the digest.
 */
import type { TurnContext } from 'botbuilder';
import { type ActionPayload, decodeAction, showsBeside } from '../../../src/answer/actions.ts';
import type { Answer } from '../../../src/answer/answer.ts';
import type { Syntax } from '../../../src/cards/card-view.ts';
import { renderTeams } from '../../../src/cards/teams.ts';
import { cardView } from '../../../src/cards/view.ts';
import type { InteractionRecord } from '../../../src/interaction.ts';
import { displayName } from '../../../src/knowledge/knowledge-base.ts';
import { deliver } from '../deliver.ts';
import type { TeamsDeps } from '../deps.ts';
import { isPersonal } from '../identity.ts';
import { placeOf } from '../place.ts';
import { attachmentActivity, cardActivity } from '../render.ts';
import { reply, withConnector } from '../send.ts';

export function isCardAction(ctx: TurnContext): boolean {
  const value = ctx.activity.value as { her2?: unknown } | undefined;
  return typeof value === 'object' && value !== null && 'her2' in value;
}

export async function onCardAction(ctx: TurnContext, deps: TeamsDeps, record?: InteractionRecord): Promise<void> {
  const { core, logger } = deps;
  const value = ctx.activity.value as { her2: unknown; back?: unknown };
  const payload = decodeAction(value.her2);
  const answer = payload ? core.handleAction(payload) : core.error('That button is out of date. Try a new search.');
  record?.answered(answer.type);
  const place = await placeOf(ctx.activity, deps.references);
  if (payload && showsBeside(payload)) {
    await deliver(ctx, { answer, visibility: 'private' }, place, deps);
    return;
  }
  const { syntax } = place;
  const original = ctx.activity.replyToId;
  if (!isPersonal(ctx.activity) || !original) {
    await reply(ctx, logger, cardActivity(core, answer, syntax));
    return;
  }
  const back = decodeAction(value.back);
  const activity = back ? withBack(deps, answer, back, syntax) : cardActivity(core, answer, syntax);
  const updated = await withConnector(logger, 'update card', () => ctx.updateActivity({ ...activity, id: original }));
  if (!updated.ok) await reply(ctx, logger, activity);
}

/** The answer's card with a Back button to the card it replaces (rendered per click, not cached). */
function withBack({ core }: TeamsDeps, answer: Answer, back: ActionPayload, syntax: Syntax) {
  const view = cardView(answer, (id) => displayName(core.kb, id), syntax);
  return attachmentActivity(renderTeams(view, { back }), `${view.fallback} · ${view.footer.disclaimer}`);
}
