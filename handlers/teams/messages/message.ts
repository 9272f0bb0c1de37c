/**
 * A message to the bot: in a channel or group chat only when the bot is mentioned, in personal chat
 * always. The words go through the one reply path; the reply is delivered by its visibility.
 */
import { type Activity, TurnContext } from 'botbuilder';
import type { Place } from '../../../src/conversation/reply.ts';
import { replyTo } from '../../../src/conversation/reply.ts';
import type { InteractionRecord } from '../../../src/interaction.ts';
import { deliver } from '../deliver.ts';
import type { TeamsDeps } from '../deps.ts';
import { isPersonal } from '../identity.ts';
import { mentionsBot, queryText } from '../mention.ts';
import { placeOf } from '../place.ts';
import { isCurationCommand, onCurationCommand } from './curation.ts';

export { isPersonal } from '../identity.ts';

export function isForTheBot(activity: Partial<Activity>): boolean {
  return isPersonal(activity) || mentionsBot(activity);
}

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/**
 * A card dropped into the chat from the compose box (one of our message-extension results) arrives
 * as a message with the card and no words: there is nothing to answer, and the help card would be noise.
 */
function isOnlyACard(activity: Activity, text: string): boolean {
  return text === '' && (activity.attachments ?? []).some((a) => a.contentType === ADAPTIVE_CARD);
}

export async function onMessage(ctx: TurnContext, deps: TeamsDeps, record?: InteractionRecord): Promise<void> {
  const { activity } = ctx;
  if (!isForTheBot(activity)) return;
  const text = queryText(activity);
  if (isOnlyACard(activity, text)) return;
  const place = await rememberConversation(ctx, deps);
  record?.words(text);
  if (isCurationCommand(text)) return onCurationCommand(ctx, deps, record);
  const reply = await replyTo(text, place, deps);
  record?.answered(reply.answer.type);
  await deliver(ctx, reply, place, deps);
}

/**
 * Keeps the reference so the digest can post here later (proactively) and returns where the activity
 * was sent. A store that cannot be reached is logged, not fatal: a question needs no store, so it is
 * answered, under the tenant's key (anything that does need the store fails on its own).
 */
export async function rememberConversation(ctx: TurnContext, { references, logger }: TeamsDeps): Promise<Place> {
  let place: Place;
  try {
    place = await placeOf(ctx.activity, references);
  } catch (err) {
    logger.warn({ err }, 'could not look up the Teams conversation key');
    return placeOf(ctx.activity, undefined);
  }
  try {
    await references?.remember(place.conversationKey, TurnContext.getConversationReference(ctx.activity));
  } catch (err) {
    logger.warn({ err }, 'could not store the Teams conversation reference');
  }
  return place;
}
