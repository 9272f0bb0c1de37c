/**
 * `/her2 <text>`: acknowledged at once with the answer itself (search takes well under a
 * millisecond), ephemeral, with "Share to channel". `digest …` acknowledges first and answers through
 * `respond`, since a preview fetches from the literature sources.
 */
import type { App } from '@slack/bolt';
import { parseCommand } from '../../../src/commands/parse.ts';
import type { SlackDeps } from '../deps.ts';
import { slackMessage } from '../render.ts';
import { digestReply } from '../reply.ts';

export function register(app: App, deps: SlackDeps): void {
  const { core, logger } = deps;
  app.command('/her2', async ({ command, ack, respond }) => {
    const parsed = parseCommand(command.text ?? '');
    if (parsed.type !== 'digest') {
      let message: ReturnType<typeof slackMessage>;
      try {
        message = slackMessage(core, core.answer(command.text ?? ''), { shareable: true });
      } catch (err) {
        logger.error({ err, command: '/her2' }, 'answering /her2 failed');
        message = slackMessage(core, core.error('Something went wrong answering that. Please try again.'));
      }
      await ack({ response_type: 'ephemeral', ...message });
      return;
    }

    await ack();
    const reply = await digestReply(
      parsed.args,
      { teamId: command.team_id, channelId: command.channel_id, userId: command.user_id },
      deps,
    );
    await respond({ response_type: reply.private ? 'ephemeral' : 'in_channel', ...reply.message });
  });
}
