/**
 * Slack Web API failures, sorted into what to do about them. The WebClient already waits out rate
 * limits (429 with Retry-After) and retries network errors; what reaches here is final.
 */
import type { Logger } from '../../src/logger.ts';

/** The channel cannot take the bot's message: tell the user how to fix it, do not retry. */
export const CHANNEL_PROBLEMS: Record<string, string> = {
  not_in_channel: 'I am not a member of this channel. Invite me with `/invite @her2bot`, then try again.',
  channel_not_found: 'I cannot see this channel. If it is private, invite me with `/invite @her2bot`.',
  is_archived: 'This channel is archived, so I cannot post in it.',
  restricted_action: 'This workspace does not allow me to post in this channel.',
};

export interface SlackFailure {
  code: string;
  /** A sentence for the user, when the failure is theirs to fix. */
  userMessage: string | undefined;
  channelProblem: boolean;
}

export function describeSlackError(err: unknown): SlackFailure {
  const e = err as { code?: string; data?: { error?: string }; message?: string };
  const code = e.data?.error ?? e.code ?? 'unknown_error';
  const userMessage = CHANNEL_PROBLEMS[code];
  return { code, userMessage, channelProblem: userMessage !== undefined };
}

/** Logs a Web API failure with the method and channel, never the token or the message body. */
export function logSlackFailure(
  logger: Logger,
  method: string,
  err: unknown,
  context: Record<string, unknown> = {},
): SlackFailure {
  const failure = describeSlackError(err);
  logger[failure.channelProblem ? 'warn' : 'error'](
    { method, slackError: failure.code, ...context },
    `Slack ${method} failed: ${failure.code}`,
  );
  return failure;
}
