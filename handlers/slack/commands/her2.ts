/**
 * `/her2 <text>`: acknowledged at once with the answer itself (search takes well under a
 * millisecond), ephemeral, with "Share to channel". What may take seconds (a digest preview fetches
 * from the literature sources) acknowledges first and answers through `respond`: privately, or in the
 * channel for what everyone there should see (a subscription starting or stopping).
 */
import { answersAtOnce } from '../../../src/conversation/reply.ts';
import { interaction, somethingWentWrong } from '../../../src/interaction.ts';
import { ackEphemeral } from '../acks.ts';
import type { SlackDeps } from '../deps.ts';
import type { SlackListeners } from '../listeners.ts';
import { slackMessage } from '../render.ts';
import { answerTyped } from '../reply.ts';

export function register(app: SlackListeners, deps: SlackDeps): void {
  const { core, logger } = deps;
  app.command('/her2', async ({ command, ack, respond, context }) => {
    const text = command.text ?? '';
    const where = { teamId: command.team_id, channelId: command.channel_id, userId: command.user_id };
    let acked = false;
    await interaction(
      logger,
      'slack',
      'command',
      async (record) => {
        record.words(text);
        if (answersAtOnce(text)) {
          const { answer } = await answerTyped(text, where, deps);
          record.answered(answer.type);
          acked = true;
          await ackEphemeral(ack, slackMessage(core, answer, { shareable: true }), context);
          return;
        }
        // Without a response_url (a malformed request) nothing can be sent later: answer in the ack.
        if (!command.response_url) {
          const { answer } = await answerTyped(text, where, deps);
          record.answered(answer.type);
          acked = true;
          await ackEphemeral(ack, slackMessage(core, answer), context);
          return;
        }
        acked = true;
        await ack();
        const reply = await answerTyped(text, where, deps);
        record.answered(reply.answer.type);
        await respond({
          response_type: reply.visibility === 'private' ? 'ephemeral' : 'in_channel',
          ...slackMessage(core, reply.answer),
        });
      },
      async (id) => {
        const message = { response_type: 'ephemeral' as const, text: somethingWentWrong(id) };
        if (acked) await respond(message);
        else await ack(message);
      },
    );
  });
}
