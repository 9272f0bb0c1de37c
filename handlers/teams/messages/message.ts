/**
 * A message to the bot: in a channel or group chat only when the bot is mentioned, in personal chat
 * always. The answer is the Adaptive Card, in the same thread; `digest …` goes to the digest.
 */
import { type Activity, TurnContext } from 'botbuilder';
import { parseCommand } from '../../../src/commands/parse.ts';
import type { TeamsDeps } from '../deps.ts';
import { mentionsBot, queryText } from '../mention.ts';
import { cardActivity } from '../render.ts';
import { reply } from '../send.ts';

export function isPersonal(activity: Partial<Activity>): boolean {
  return (
    activity.conversation?.conversationType === 'personal' || activity.conversation?.conversationType === undefined
  );
}

export async function onMessage(ctx: TurnContext, deps: TeamsDeps): Promise<void> {
  const { activity } = ctx;
  if (!isPersonal(activity) && !mentionsBot(activity)) return;
  const text = queryText(activity);
  const command = parseCommand(text);
  const { core, logger, digest } = deps;
  rememberConversation(ctx, deps);

  if (command.type !== 'digest') {
    await reply(ctx, logger, cardActivity(core, core.answer(text)));
    return;
  }
  if (!digest) {
    await reply(
      ctx,
      logger,
      cardActivity(core, core.error('The daily literature digest is not enabled on this server.')),
    );
    return;
  }
  try {
    const answer = await digest.handle({
      platform: 'teams',
      channelId: activity.conversation.id,
      userId: activity.from?.id ?? '',
      args: command.args,
    });
    await reply(ctx, logger, cardActivity(core, answer.answer));
  } catch (err) {
    logger.error({ err }, 'Teams digest command failed');
    await reply(ctx, logger, cardActivity(core, core.error('The digest command failed. Please try again later.')));
  }
}

/** Keeps the reference so the digest can post here later (proactively). */
export function rememberConversation(ctx: TurnContext, { references, logger }: TeamsDeps): void {
  if (!references) return;
  try {
    const reference = TurnContext.getConversationReference(ctx.activity);
    references.save(ctx.activity.conversation.id, reference);
  } catch (err) {
    logger.warn({ err }, 'could not store the Teams conversation reference');
  }
}
