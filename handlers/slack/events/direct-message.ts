/** A direct message to the bot needs no mention: every message in the DM is a question. */
import { interaction, somethingWentWrong } from '../../../src/interaction.ts';
import type { SlackDeps } from '../deps.ts';
import type { SlackListeners } from '../listeners.ts';
import { unescapeSlackText } from '../render.ts';
import { answerTyped, deliver, withoutBotMention } from '../reply.ts';

export function register(app: SlackListeners, deps: SlackDeps): void {
  app.message(async ({ message, context, say, client }) => {
    // Only plain messages from people, in the bot's DM (not edits, joins or the bot's own posts).
    if (message.channel_type !== 'im' || message.subtype !== undefined || 'bot_id' in message) return;
    const where = { teamId: context.teamId ?? '', channelId: message.channel, userId: message.user, direct: true };
    await interaction(
      deps.logger,
      'slack',
      'dm',
      async (record) => {
        const text = unescapeSlackText(withoutBotMention(message.text ?? '', context.botUserId));
        record.words(text);
        const reply = await answerTyped(text, where, deps);
        record.answered(reply.answer.type);
        await deliver(reply, where, { client, say }, deps);
      },
      async (id) => {
        await say({ text: somethingWentWrong(id) });
      },
    );
  });
}
