/**
 * The curation queue in Teams: `curation` typed in a curator's personal chat shows it as a card, and
 * its Accept, Dismiss and Note submits (`{ her2cur: { c, d } }`) decide a candidate and update the
 * card in place. Curators are named by their AAD object id; anyone else is told the queue is for
 * curators and sees nothing of it.
 */
import { MessageFactory, type TurnContext } from 'botbuilder';
import { curationCard } from '../../../src/cards/teams-curation.ts';
import type { Decision } from '../../../src/curation/desk.ts';
import type { InteractionRecord } from '../../../src/interaction.ts';
import type { TeamsDeps } from '../deps.ts';
import { isPersonal } from '../identity.ts';
import { attachmentActivity } from '../render.ts';
import { reply, withConnector } from '../send.ts';

export const CURATORS_ONLY = 'The curation queue is for the knowledge base’s curators only.';

export function isCurationCommand(text: string): boolean {
  return text.trim().toLowerCase() === 'curation';
}

export function isCurationSubmit(ctx: TurnContext): boolean {
  const value = ctx.activity.value as { her2cur?: unknown } | undefined;
  return typeof value === 'object' && value !== null && 'her2cur' in value;
}

/** The AAD object id Teams gives the person (what CURATORS lists). */
function aadOf(ctx: TurnContext): string | undefined {
  return ctx.activity.from?.aadObjectId || undefined;
}

export async function onCurationCommand(ctx: TurnContext, deps: TeamsDeps, record?: InteractionRecord): Promise<void> {
  const queue = isPersonal(ctx.activity) ? await deps.curation?.queue(aadOf(ctx)) : undefined;
  record?.answered(queue ? 'curation' : 'refused');
  if (!queue) {
    await reply(
      ctx,
      deps.logger,
      MessageFactory.text(
        isPersonal(ctx.activity)
          ? CURATORS_ONLY
          : `${CURATORS_ONLY} Curators: type “curation” in your personal chat with the bot.`,
      ),
    );
    return;
  }
  await reply(ctx, deps.logger, attachmentActivity(curationCard(queue), `Curation queue (${queue.open} open)`));
}

export async function onCurationSubmit(ctx: TurnContext, deps: TeamsDeps, record?: InteractionRecord): Promise<void> {
  const value = ctx.activity.value as { her2cur?: { c?: unknown; d?: unknown }; note?: unknown };
  const c = value.her2cur?.c;
  const d = value.her2cur?.d;
  const decisions: readonly unknown[] = ['accept', 'dismiss', 'note'];
  const user = aadOf(ctx);
  const valid = typeof c === 'number' && Number.isSafeInteger(c) && c > 0 && decisions.includes(d);
  const decided =
    valid && isPersonal(ctx.activity)
      ? await deps.curation?.decide(user, c, d as Decision, typeof value.note === 'string' ? value.note : undefined)
      : undefined;
  record?.answered(decided ? String(d) : 'refused');
  if (!decided) {
    await reply(ctx, deps.logger, MessageFactory.text(CURATORS_ONLY));
    return;
  }
  const queue = await deps.curation!.queue(user);
  const activity = attachmentActivity(curationCard(queue!), `Curation queue (${queue!.open} open)`);
  const original = ctx.activity.replyToId;
  const updated = original
    ? await withConnector(deps.logger, 'update curation card', () => ctx.updateActivity({ ...activity, id: original }))
    : { ok: false as const };
  if (!updated.ok) await reply(ctx, deps.logger, activity);
}
