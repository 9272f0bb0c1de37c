/**
 * The curation queue's buttons in the App Home (Accept, Dismiss, Note…) and the note modal. Only
 * curators see the buttons, and every press is checked again in the core: a non-curator's press
 * changes nothing. After a decision the Home tab is published again, so it shows the new state.
 */
import type { BlockAction, ButtonAction, SlackViewAction } from '@slack/bolt';
import { CURATION_NOTE_VIEW, curationNoteModal } from '../../../src/cards/slack-curation.ts';
import type { Decision } from '../../../src/curation/desk.ts';
import { interaction } from '../../../src/interaction.ts';
import type { SlackDeps } from '../deps.ts';
import { logSlackFailure } from '../errors.ts';
import { publishHome } from '../events/app-home-opened.ts';
import type { SlackListeners } from '../listeners.ts';

export const CURATION_ACTION_ID = /^her2_cur_(accept|dismiss|note)_\d+$/;

export function register(app: SlackListeners, deps: SlackDeps): void {
  const { logger, curation } = deps;
  app.action<BlockAction<ButtonAction>>({ action_id: CURATION_ACTION_ID }, async ({ ack, action, body, client }) => {
    await ack();
    await interaction(
      logger,
      'slack',
      'click',
      async (record) => {
        const press = readPress(action.value);
        const user = body.user.id;
        if (!curation || !press || !curation.isCurator(user)) {
          record.answered('refused');
          return;
        }
        if (press.d === 'note') {
          record.answered('modal');
          try {
            await client.views.open({ trigger_id: body.trigger_id, view: curationNoteModal(press.c) });
          } catch (err) {
            logSlackFailure(logger, 'views.open', err, { user });
          }
          return;
        }
        await curation.decide(user, press.c, press.d);
        record.answered(press.d);
        await publishHome(client, deps, user);
      },
      async () => {},
    );
  });

  app.view<SlackViewAction>(CURATION_NOTE_VIEW, async ({ ack, body, view, client }) => {
    await ack();
    const id = Number(view.private_metadata);
    const text = view.state.values.note?.text?.value ?? '';
    if (!curation || !Number.isSafeInteger(id) || id <= 0) return;
    await interaction(
      logger,
      'slack',
      'click',
      async (record) => {
        const saved = await curation.decide(body.user.id, id, 'note', text);
        record.answered(saved ? 'note' : 'refused');
        if (saved) await publishHome(client, deps, body.user.id);
      },
      async () => {},
    );
  });
}

function readPress(raw: string | undefined): { c: number; d: Decision } | undefined {
  try {
    const v = JSON.parse(raw ?? '') as { c?: unknown; d?: unknown };
    const decisions: readonly unknown[] = ['accept', 'dismiss', 'note'];
    return typeof v.c === 'number' && Number.isSafeInteger(v.c) && v.c > 0 && decisions.includes(v.d)
      ? { c: v.c, d: v.d as Decision }
      : undefined;
  } catch {
    return undefined;
  }
}
