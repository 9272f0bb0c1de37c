/**
 * The one reply path for typed text. Every surface (Slack's /her2, mentions and DMs, Teams messages,
 * the playground, the CLI) hands over the words and where they were typed, and gets back the answer
 * with its visibility. Whether a reply is for the asker only is decided here and nowhere else; each
 * surface honours it in one place (Slack: an ephemeral message; Teams: the asker's personal chat).
 */
import type { Answer } from '../answer/answer.ts';
import type { Syntax } from '../cards/card-view.ts';
import { parseCommand } from '../commands/parse.ts';
import type { Core } from '../core.ts';
import type { ErrorLog } from '../logger.ts';
import { answerDigestCommand, type ConversationKind, type DigestCommands } from './digest-commands.ts';

/** `private`: only the asker may see it (a digest preview, the status); `public`: anyone where it was asked. */
export type Visibility = 'private' | 'public';

/** Where the words were typed. The keys are opaque here: each surface builds and reads its own. */
export interface Place {
  /** The conversation (channel, group chat, DM); the digest subscribes it. */
  conversationKey: string;
  /** The person who typed. */
  userId: string;
  /** How commands are written here, for the cards that teach them. */
  syntax: Syntax;
  /** A channel, or a chat (a direct message, a Teams personal or group chat); a channel if not said. */
  kind?: ConversationKind;
}

export interface Reply {
  answer: Answer;
  visibility: Visibility;
}

export interface ReplyDeps {
  core: Core;
  logger: ErrorLog;
  /** The digest's commands; without them `digest …` says the digest is not enabled. */
  digest?: DigestCommands | undefined;
}

/** The answer to typed words, and who may see it. Never throws: a failure is a short error card. */
export async function replyTo(text: string, place: Place, deps: ReplyDeps): Promise<Reply> {
  const command = parseCommand(text);
  if (command.type === 'digest') {
    const reply = await answerDigestCommand(
      deps.digest,
      {
        conversationKey: place.conversationKey,
        userId: place.userId,
        args: command.args,
        ...(place.kind ? { kind: place.kind } : {}),
      },
      deps.core,
      deps.logger,
    );
    return { answer: reply.answer, visibility: reply.private ? 'private' : 'public' };
  }
  return { answer: deps.core.answerParsed(command), visibility: 'public' };
}

/**
 * False when answering may take seconds (a digest preview fetches from the literature sources), so
 * a surface with a deadline (Slack's 3-second ack) acknowledges first and answers after.
 */
export function answersAtOnce(text: string): boolean {
  return parseCommand(text).type !== 'digest';
}
