/**
 * `/her2 <text>`: acknowledged at once with the answer itself (search takes well under a
 * millisecond), ephemeral, with "Share to channel". `digest …` acknowledges first and answers through
 * `respond`, since a preview fetches from the literature sources.
 */
import type { App } from '@slack/bolt';
import { parseCommand } from '../../../src/commands/parse.ts';
import type { SlackDeps } from '../deps.ts';
import { slackMessage } from '../render.ts';

export function register(app: App, { core, logger, digest }: SlackDeps): void {
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
    if (!digest) {
      await respond({
        response_type: 'ephemeral',
        ...slackMessage(core, core.error('The daily literature digest is not enabled on this server.')),
      });
      return;
    }
    try {
      const reply = await digest.handle({
        platform: 'slack',
        teamId: command.team_id,
        channelId: command.channel_id,
        userId: command.user_id,
        args: parsed.args,
      });
      await respond({ response_type: reply.private ? 'ephemeral' : 'in_channel', ...slackMessage(core, reply.answer) });
    } catch (err) {
      logger.error({ err }, '/her2 digest failed');
      await respond({
        response_type: 'ephemeral',
        ...slackMessage(core, core.error('The digest command failed. Please try again later.')),
      });
    }
  });
}
