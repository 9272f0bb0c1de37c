/**
 * The reply to words typed in a conversation (an @-mention or a direct message): a card, or the
 * digest's reply for `digest …`. Shared by /her2, the mention and the direct-message listeners.
 */

import type { SlackMessage } from '../../src/cards/slack.ts';
import { parseCommand } from '../../src/commands/parse.ts';
import { answerDigestCommand } from '../../src/conversation/digest-commands.ts';
import type { SlackDeps } from './deps.ts';
import { slackMessage } from './render.ts';

export interface Where {
  teamId: string;
  channelId: string;
  userId: string;
}

export async function replyTo(text: string, where: Where, deps: SlackDeps): Promise<SlackMessage> {
  const command = parseCommand(text);
  if (command.type !== 'digest') return slackMessage(deps.core, deps.core.answer(text));
  return (await digestReply(command.args, where, deps)).message;
}

/** The digest's reply, rendered; `private` replies go only to the asker where Slack allows it. */
export async function digestReply(
  args: string[],
  where: Where,
  { core, logger, digest }: SlackDeps,
): Promise<{ message: SlackMessage; private: boolean }> {
  const reply = await answerDigestCommand(digest, { platform: 'slack', ...where, args }, core, logger);
  return { message: slackMessage(core, reply.answer), private: reply.private };
}

/** Removes the bot's own mention (`<@U123>` or `<@U123|name>`); other people's mentions stay. */
export function withoutBotMention(text: string, botUserId: string | undefined): string {
  if (!botUserId) return text.trim();
  return text
    .replace(new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, 'g'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
