/**
 * `@her2bot <question>` in a channel: the answer goes in the thread of the mention; a private reply
 * (a digest preview or status) only to the person who asked.
 */
import { interaction, somethingWentWrong } from '../../../src/interaction.ts';
import type { SlackDeps } from '../deps.ts';
import type { SlackListeners } from '../listeners.ts';
import { unescapeSlackText } from '../render.ts';
import { answerTyped, deliver, withoutBotMention } from '../reply.ts';

export function register(app: SlackListeners, deps: SlackDeps): void {
  app.event('app_mention', async ({ event, context, say, client }) => {
    const where = {
      teamId: context.teamId ?? event.team ?? '',
      channelId: event.channel,
      userId: event.user ?? '',
      threadTs: event.thread_ts ?? event.ts,
      direct: false,
    };
    await interaction(
      deps.logger,
      'slack',
      'mention',
      async (record) => {
        const text = unescapeSlackText(withoutBotMention(event.text, context.botUserId));
        record.words(text);
        const reply = await answerTyped(text, where, deps);
        record.answered(reply.answer.type);
        await deliver(reply, where, { client, say }, deps);
      },
      async (id) => {
        await client.chat.postEphemeral({
          channel: where.channelId,
          user: where.userId,
          thread_ts: where.threadTs,
          text: somethingWentWrong(id),
        });
      },
    );
  });
}
