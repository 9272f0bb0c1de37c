/**
 * Slack's side of the one reply path (src/conversation/reply.ts): where the words were typed, as a
 * Place, and the reply delivered by its visibility in one place. A private reply in a channel goes by
 * chat.postEphemeral (only the asker sees it, in the thread of their mention); in the bot's DM every
 * reply is already private.
 */
import type { SayFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { SLACK_SYNTAX } from '../../src/cards/slack.ts';
import { type Place, type Reply, replyTo } from '../../src/conversation/reply.ts';
import type { SlackDeps } from './deps.ts';
import { logSlackFailure } from './errors.ts';
import { slackConversationKey } from './identity.ts';
import { slackMessage } from './render.ts';

export interface Where {
  teamId: string;
  channelId: string;
  userId: string;
}

export function placeOf(where: Where): Place {
  return {
    conversationKey: slackConversationKey(where.teamId, where.channelId),
    userId: where.userId,
    syntax: SLACK_SYNTAX,
    // Direct-message conversation ids start with D.
    kind: where.channelId.startsWith('D') ? 'chat' : 'channel',
  };
}

export function answerTyped(text: string, where: Where, deps: SlackDeps): Promise<Reply> {
  return replyTo(text, placeOf(where), deps);
}

export interface Conversation extends Where {
  /** The thread to answer in (a mention's own ts, or the thread it was typed in); none in a DM. */
  threadTs?: string | undefined;
  /** True in the bot's DM, where every reply is private already. */
  direct: boolean;
}

/** Sends a reply where it was asked, honouring its visibility; failures are logged, never thrown. */
export async function deliver(
  reply: Reply,
  where: Conversation,
  { client, say }: { client: WebClient; say: SayFn },
  deps: SlackDeps,
): Promise<void> {
  const message = slackMessage(deps.core, reply.answer);
  const thread = where.threadTs ? { thread_ts: where.threadTs } : {};
  try {
    if (reply.visibility === 'private' && !where.direct) {
      await client.chat.postEphemeral({ channel: where.channelId, user: where.userId, ...message, ...thread });
    } else {
      await say({ ...message, ...thread, unfurl_links: false });
    }
  } catch (err) {
    const method = reply.visibility === 'private' && !where.direct ? 'chat.postEphemeral' : 'chat.postMessage';
    logSlackFailure(deps.logger, method, err, { channel: where.channelId });
  }
}

/** Removes the bot's own mention (`<@U123>` or `<@U123|name>`); other people's mentions stay. */
export function withoutBotMention(text: string, botUserId: string | undefined): string {
  if (!botUserId) return text.trim();
  return text
    .replace(new RegExp(`<@${botUserId}(?:\\|[^>]*)?>`, 'g'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
