/**
 * `/her2 <text>`: acknowledged at once with the answer itself (search takes well under a
 * millisecond), ephemeral, with "Share to channel". What may take seconds (a digest preview fetches
 * from the literature sources) acknowledges first and answers through `respond`: privately, or in the
 * channel for what everyone there should see (a subscription starting or stopping).
 */
import type { App } from '@slack/bolt';
import { answersAtOnce } from '../../../src/conversation/reply.ts';
import { ackEphemeral } from '../acks.ts';
import type { SlackDeps } from '../deps.ts';
import { slackMessage } from '../render.ts';
import { answerTyped } from '../reply.ts';

export function register(app: App, deps: SlackDeps): void {
  const { core, logger } = deps;
  app.command('/her2', async ({ command, ack, respond, context }) => {
    const text = command.text ?? '';
    const where = { teamId: command.team_id, channelId: command.channel_id, userId: command.user_id };
    if (answersAtOnce(text)) {
      let message: ReturnType<typeof slackMessage>;
      try {
        message = slackMessage(core, (await answerTyped(text, where, deps)).answer, { shareable: true });
      } catch (err) {
        logger.error({ err, command: '/her2' }, 'answering /her2 failed');
        message = slackMessage(core, core.error('Something went wrong answering that. Please try again.'));
      }
      await ackEphemeral(ack, message, context);
      return;
    }

    // Without a response_url (a malformed request) nothing can be sent later: answer in the ack.
    if (!command.response_url) {
      await ackEphemeral(ack, slackMessage(core, (await answerTyped(text, where, deps)).answer), context);
      return;
    }
    await ack();
    const reply = await answerTyped(text, where, deps);
    await respond({
      response_type: reply.visibility === 'private' ? 'ephemeral' : 'in_channel',
      ...slackMessage(core, reply.answer),
    });
  });
}
