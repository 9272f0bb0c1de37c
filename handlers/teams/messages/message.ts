/**
 * A message to the bot: in a channel or group chat only when the bot is mentioned, in personal chat
 * always. The answer is the Adaptive Card, in the same thread; `digest …` goes to the digest.
 */
import { type Activity, TurnContext } from 'botbuilder';
import { parseCommand } from '../../../src/commands/parse.ts';
import { answerDigestCommand } from '../../../src/conversation/digest-commands.ts';
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
  const request = {
    platform: 'teams' as const,
    channelId: activity.conversation.id,
    userId: activity.from?.id ?? '',
    args: command.args,
  };
  const answer = await answerDigestCommand(digest, request, core, logger);
  await reply(ctx, logger, cardActivity(core, answer.answer));
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
