/**
 * When the bot is added (installed in a personal scope, or added to a team or group chat), it says
 * what it does in a short welcome card and keeps the conversation reference for the digest.
 */
import type { TurnContext } from 'botbuilder';
import type { TeamsDeps } from '../deps.ts';
import { rememberConversation } from '../messages/message.ts';
import { cardActivity } from '../render.ts';
import { reply } from '../send.ts';

export async function welcome(ctx: TurnContext, deps: TeamsDeps): Promise<void> {
  const { syntax } = await rememberConversation(ctx, deps);
  const help = deps.core.answerCommand({ type: 'help' });
  await reply(ctx, deps.logger, cardActivity(deps.core, help, syntax));
}

/** True when the members added include the bot itself (not a person joining a team). */
export function botWasAdded(ctx: TurnContext): boolean {
  return (ctx.activity.membersAdded ?? []).some((m) => m.id === ctx.activity.recipient.id);
}
