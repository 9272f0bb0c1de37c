/**
 * The digest's chat commands (`digest subscribe|unsubscribe|status|preview`) as a port: Slack and
 * Teams pass what the user typed and where, and render the reply they get back.
 */
import type { Answer } from '../answer/answer.ts';

export interface DigestRequest {
  platform: 'slack' | 'teams';
  /** Slack workspace id (Slack only). */
  teamId?: string;
  /** Where the digest would be posted: the Slack channel id or the Teams conversation id. */
  channelId: string;
  userId: string;
  /** The words after `digest`. */
  args: string[];
}

export interface DigestReply {
  /** A card (the preview) or a short confirmation. */
  answer: Answer;
  /** True when the reply is only for the asker (Slack ephemeral). */
  private: boolean;
}

export interface DigestCommands {
  handle(request: DigestRequest): Promise<DigestReply>;
}
