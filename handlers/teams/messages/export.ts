/**
 * "Export this week" on a posted digest arrives as a message whose `value` holds
 * `{ her2export: 'week', format }`. Teams has no way to hand one person a file in a channel, so the
 * answer is a short-lived signed download link, delivered privately by the reply path's rules: in a
 * personal chat directly, from a channel or group chat in the person's personal chat with the bot
 * (the conversation gets only a line saying so). The channel is the one the card was pressed in.
 */
import type { TurnContext } from 'botbuilder';
import { exportFormatOf } from '../../../src/answer/export-payload.ts';
import { EXPORT_FORMAT_INPUT } from '../../../src/cards/teams.ts';
import type { InteractionRecord } from '../../../src/interaction.ts';
import { deliver } from '../deliver.ts';
import type { TeamsDeps } from '../deps.ts';
import { placeOf } from '../place.ts';

export function isExport(ctx: TurnContext): boolean {
  const value = ctx.activity.value as { her2export?: unknown } | undefined;
  return typeof value === 'object' && value !== null && 'her2export' in value;
}

export async function onExport(ctx: TurnContext, deps: TeamsDeps, record?: InteractionRecord): Promise<void> {
  const { core, exports, references } = deps;
  const value = ctx.activity.value as Record<string, unknown>;
  const format = exportFormatOf(value[EXPORT_FORMAT_INPUT]);
  const place = await placeOf(ctx.activity, references);
  const answer =
    exports && format
      ? await exports.link(place.conversationKey, format)
      : core.error(
          exports ? 'That form is out of date: pick a format and try again.' : 'Export is not available here.',
        );
  record?.answered(answer.type);
  await deliver(ctx, { answer, visibility: 'private' }, place, deps);
}
