/**
 * Teams' side of the reply path: a reply is sent where it was asked, unless it is private and was
 * asked in a channel or group chat. Then it goes to the asker's personal chat with the bot (a
 * proactive message), and the shared conversation gets only a short line saying so, or, when the
 * bot cannot reach the person there, a line asking them to open a personal chat. Nothing that is
 * meant for one person is ever posted where everyone sees it.
 */
import {
  type Activity,
  type CloudAdapter,
  type ConversationParameters,
  MessageFactory,
  type TurnContext,
} from 'botbuilder';
import { teamsSyntax } from '../../src/cards/teams.ts';
import type { Place, Reply } from '../../src/conversation/reply.ts';
import type { TeamsDeps } from './deps.ts';
import { isPersonal } from './identity.ts';
import { cardActivity } from './render.ts';
import { reply as send, withConnector } from './send.ts';

export const SENT_PRIVATELY = 'I sent you that in our personal chat, where only you can see it.';
export const ASK_PRIVATELY = (botName: string) =>
  `That is only for you, and I could not reach you in a personal chat: open a chat with ${botName} and ask me there.`;

export async function deliver(ctx: TurnContext, reply: Reply, place: Place, deps: TeamsDeps): Promise<void> {
  const { activity } = ctx;
  if (reply.visibility === 'public' || isPersonal(activity)) {
    await send(ctx, deps.logger, cardActivity(deps.core, reply.answer, place.syntax));
    return;
  }
  const personal = teamsSyntax(false, activity.recipient?.name || undefined);
  const sent = await sendToPersonalChat(ctx, cardActivity(deps.core, reply.answer, personal), deps);
  const botName = activity.recipient?.name || 'the bot';
  await send(ctx, deps.logger, MessageFactory.text(sent ? SENT_PRIVATELY : ASK_PRIVATELY(botName)));
}

/**
 * Opens (or finds: Teams keeps one per person and bot) the personal chat with the person who wrote,
 * and sends the activity there. False when Teams refuses, e.g. the app is not installed for them.
 */
export async function sendToPersonalChat(
  ctx: TurnContext,
  message: Partial<Activity>,
  { appId, logger }: Pick<TeamsDeps, 'appId' | 'logger'>,
): Promise<boolean> {
  const { activity } = ctx;
  if (!activity.from?.id || !activity.serviceUrl) return false;
  const tenantId =
    activity.conversation?.tenantId ?? (activity.channelData as { tenant?: { id?: string } })?.tenant?.id;
  const parameters = {
    isGroup: false,
    bot: activity.recipient,
    members: [{ id: activity.from.id }],
    ...(tenantId ? { tenantId, channelData: { tenant: { id: tenantId } } } : {}),
  } as ConversationParameters;
  const adapter = ctx.adapter as CloudAdapter;
  const audience = ctx.turnState.get(adapter.OAuthScopeKey) as string | undefined;
  let delivered = false;
  // Errors are caught inside the new turn, so the adapter's onTurnError never answers there.
  const ran = await withConnector(logger, 'open personal chat', () =>
    adapter.createConversationAsync(
      appId ?? '',
      activity.channelId,
      activity.serviceUrl,
      audience as string,
      parameters,
      async (personal) => {
        const sent = await withConnector(logger, 'personal message', () => personal.sendActivity(message));
        delivered = sent.ok;
      },
    ),
  );
  return ran.ok && delivered;
}
