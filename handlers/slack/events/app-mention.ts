/**
 * `@her2bot <question>` in a channel: the answer goes in the thread of the mention; a private reply
 * (a digest preview or status) only to the person who asked.
 */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps.ts';
import { unescapeSlackText } from '../render.ts';
import { answerTyped, deliver, withoutBotMention } from '../reply.ts';

export function register(app: App, deps: SlackDeps): void {
  app.event('app_mention', async ({ event, context, say, client }) => {
    const text = unescapeSlackText(withoutBotMention(event.text, context.botUserId));
    const where = {
      teamId: context.teamId ?? event.team ?? '',
      channelId: event.channel,
      userId: event.user ?? '',
      threadTs: event.thread_ts ?? event.ts,
      direct: false,
    };
    await deliver(await answerTyped(text, where, deps), where, { client, say }, deps);
  });
}
