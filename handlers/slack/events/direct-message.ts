/** A direct message to the bot needs no mention: every message in the DM is a question. */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps.ts';
import { unescapeSlackText } from '../render.ts';
import { answerTyped, deliver, withoutBotMention } from '../reply.ts';

export function register(app: App, deps: SlackDeps): void {
  app.message(async ({ message, context, say, client }) => {
    // Only plain messages from people, in the bot's DM (not edits, joins or the bot's own posts).
    if (message.channel_type !== 'im' || message.subtype !== undefined || 'bot_id' in message) return;
    const text = unescapeSlackText(withoutBotMention(message.text ?? '', context.botUserId));
    const where = { teamId: context.teamId ?? '', channelId: message.channel, userId: message.user, direct: true };
    await deliver(await answerTyped(text, where, deps), where, { client, say }, deps);
  });
}
