/** `@her2bot <question>` in a channel: the answer goes in the thread of the mention. */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps.ts';
import { logSlackFailure } from '../errors.ts';
import { unescapeSlackText } from '../render.ts';
import { replyTo, withoutBotMention } from '../reply.ts';

export function register(app: App, deps: SlackDeps): void {
  app.event('app_mention', async ({ event, context, say }) => {
    const text = unescapeSlackText(withoutBotMention(event.text, context.botUserId));
    const message = await replyTo(
      text,
      { teamId: context.teamId ?? event.team ?? '', channelId: event.channel, userId: event.user ?? '' },
      deps,
    );
    try {
      await say({ ...message, thread_ts: event.thread_ts ?? event.ts, unfurl_links: false });
    } catch (err) {
      logSlackFailure(deps.logger, 'chat.postMessage', err, { channel: event.channel });
    }
  });
}
