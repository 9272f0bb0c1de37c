/**
 * "Export this week" on a posted digest (a button for RIS, an overflow menu for the other formats):
 * the file goes to the presser's direct messages with the bot (conversations.open, then
 * files.uploadV2), and the channel gets only an ephemeral line to the presser saying where it went,
 * or why it could not be sent. The channel is the one the digest was pressed in, as Slack reports it.
 */
import type { BlockAction, ButtonAction, OverflowAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { decodeExport } from '../../../src/answer/export-payload.ts';
import type { ExportFile } from '../../../src/digest/export-file.ts';
import { interaction, somethingWentWrong } from '../../../src/interaction.ts';
import type { Logger } from '../../../src/logger.ts';
import type { SlackDeps } from '../deps.ts';
import { logSlackFailure } from '../errors.ts';
import { slackConversationKey } from '../identity.ts';
import type { SlackListeners } from '../listeners.ts';
import { slackMessage } from '../render.ts';

export const EXPORT_ACTION_ID = /^her2_export_\d+$/;

/** What the presser can do about a failed upload, by Slack's error code. */
const UPLOAD_PROBLEMS: Record<string, string> = {
  missing_scope:
    'The app lacks the permission to send files (files:write, im:write): a workspace admin needs to reinstall it.',
  cannot_dm_bot: 'Slack does not let me open a direct message with you.',
  user_disabled: 'Slack does not let me open a direct message with you.',
};

export function register(app: SlackListeners, deps: SlackDeps): void {
  const { core, logger, exports } = deps;
  app.action<BlockAction<ButtonAction | OverflowAction>>(
    { action_id: EXPORT_ACTION_ID },
    async ({ ack, action, body, client, respond }) => {
      await ack();
      const ephemeral = (message: { text: string; blocks?: unknown[] }) =>
        respond({ response_type: 'ephemeral', replace_original: false, ...message } as Parameters<typeof respond>[0]);
      await interaction(
        logger,
        'slack',
        'click',
        async (record) => {
          const payload = decodeExport(action.type === 'overflow' ? action.selected_option.value : action.value);
          const channel = body.channel?.id;
          const team = body.team?.id ?? body.user.team_id;
          if (!exports || !payload || !channel || !team) {
            record.answered('error');
            await ephemeral(slackMessage(core, core.error('Export is not available here.')));
            return;
          }
          const week = await exports.week(slackConversationKey(team, channel), payload.x);
          if (!week.ok) {
            record.answered(week.answer.type);
            await ephemeral(slackMessage(core, week.answer));
            return;
          }
          const sent = await sendToDirectMessage(
            client,
            body.user.id,
            week.file,
            exports.fileNote(week.file, `<#${channel}>`),
            logger,
          );
          const answer = sent.ok ? exports.sentPrivately(week.file) : exports.notSent(sent.why);
          record.answered(sent.ok ? 'export' : 'error');
          await ephemeral(slackMessage(core, answer));
        },
        async (id) => {
          await ephemeral({ text: somethingWentWrong(id) });
        },
      );
    },
  );
}

/**
 * Opens (or finds: Slack keeps one) the direct message between the bot and the user, and uploads the
 * file there. Failures are logged with Slack's code, never the file.
 */
export async function sendToDirectMessage(
  client: WebClient,
  userId: string,
  file: ExportFile,
  note: string,
  logger: Logger,
): Promise<{ ok: true } | { ok: false; why: string | undefined }> {
  let dm: string | undefined;
  try {
    dm = (await client.conversations.open({ users: userId })).channel?.id;
  } catch (err) {
    return { ok: false, why: UPLOAD_PROBLEMS[logSlackFailure(logger, 'conversations.open', err).code] };
  }
  if (!dm) {
    logger.error({ method: 'conversations.open' }, 'Slack conversations.open returned no channel');
    return { ok: false, why: undefined };
  }
  try {
    await client.files.uploadV2({
      channel_id: dm,
      file: Buffer.from(file.content, 'utf8'),
      filename: file.filename,
      title: file.filename,
      initial_comment: note,
    });
    return { ok: true };
  } catch (err) {
    return { ok: false, why: UPLOAD_PROBLEMS[logSlackFailure(logger, 'files.uploadV2', err, { channel: dm }).code] };
  }
}
