/**
 * The digest's chat commands (`digest subscribe|unsubscribe|status|preview`) as a port: the reply
 * path (./reply.ts) passes what the user typed and where, and gets the reply with its visibility.
 */
import type { Answer } from '../answer/answer.ts';
import type { Core } from '../core.ts';
import type { ErrorLog } from '../logger.ts';

export type ConversationKind = 'channel' | 'chat';

export interface DigestRequest {
  /** Where the digest would be posted: an opaque key, built by the surface (see Place). */
  conversationKey: string;
  userId: string;
  /** The words after `digest`. */
  args: string[];
  /** A channel, or a chat (a direct message, a Teams personal or group chat): the replies name it so. */
  kind?: ConversationKind;
}

export interface DigestReply {
  /** A card (the preview) or a short confirmation. */
  answer: Answer;
  /** True when the reply is only for the asker (a preview, the status), false for what the channel should see. */
  private: boolean;
}

export interface DigestCommands {
  handle(request: DigestRequest): Promise<DigestReply>;
}

/**
 * The digest's reply for any surface: a friendly card when the digest is off or the command
 * fails (details only in the log), never a thrown error.
 */
export async function answerDigestCommand(
  digest: DigestCommands | undefined,
  request: DigestRequest,
  core: Core,
  logger: ErrorLog,
): Promise<DigestReply> {
  if (!digest)
    return { answer: core.error('The daily literature digest is not enabled on this server.'), private: true };
  try {
    return await digest.handle(request);
  } catch (err) {
    logger.error({ err, command: request.args[0] ?? 'status' }, 'digest command failed');
    return { answer: core.error('The digest command failed. Please try again later.'), private: true };
  }
}
