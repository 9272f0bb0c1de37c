/**
 * The curation queue in Slack's App Home (curators only): each candidate with Accept, Dismiss and
 * Note…, and the newest reports. Buttons carry `{ c: id, d: decision }`; one listener takes them.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import type { CurationQueue, Decision } from '../curation/desk.ts';
import { candidateHeadline, candidateStatus, reportLine } from '../curation/wording.ts';
import { slackText, slackUrl } from './escape.ts';
import { truncate } from './format.ts';

export const CURATION_ACTION_PREFIX = 'her2_cur_';
export const CURATION_NOTE_VIEW = 'her2cur_note';

export function curationHomeBlocks(q: CurationQueue): KnownBlock[] {
  const blocks: KnownBlock[] = [
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: `Curation queue (${q.open} open)`, emoji: false } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'Only curators see this. Newest first; `her2bot curation export` writes the accepted ones as draft entries.',
        },
      ],
    },
  ];
  if (q.candidates.length === 0) blocks.push(section('_No candidates yet._'));
  for (const c of q.candidates) {
    const title = truncate(String(c.item.title ?? c.itemKey), 300);
    blocks.push(
      section(
        `*#${c.id} ${slackText(candidateHeadline(c))}*\n<${slackUrl(String(c.item.url ?? ''))}|${slackText(title)}>\n_${slackText(candidateStatus(c))}_`,
      ),
      {
        type: 'actions',
        elements: [
          button('Accept', c.id, 'accept', 'primary'),
          button('Dismiss', c.id, 'dismiss'),
          button('Note…', c.id, 'note'),
        ],
      },
    );
  }
  if (q.reports.length > 0) {
    blocks.push(
      section(`*Reports on answer cards*\n${q.reports.map((r) => `• ${slackText(reportLine(r))}`).join('\n')}`),
    );
  }
  return blocks;
}

export function curationNoteModal(id: number): ModalView {
  const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: false });
  return {
    type: 'modal',
    callback_id: CURATION_NOTE_VIEW,
    private_metadata: String(id),
    title: plain(`Note on #${id}`.slice(0, 24)),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: 'note',
        label: plain('Note for the curators'),
        element: { type: 'plain_text_input', action_id: 'text', multiline: true, max_length: 2000 },
      },
    ],
  };
}

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, 3000), verbatim: true } };
}

function button(label: string, id: number, decision: Decision, style?: 'primary') {
  return {
    type: 'button' as const,
    text: { type: 'plain_text' as const, text: label, emoji: false },
    action_id: `${CURATION_ACTION_PREFIX}${decision}_${id}`,
    value: JSON.stringify({ c: id, d: decision }),
    ...(style ? { style } : {}),
  };
}
