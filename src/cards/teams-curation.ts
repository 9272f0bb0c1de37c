/**
 * The curation queue as an Adaptive Card, for the `curation` command in a curator's personal chat:
 * each candidate with Accept, Dismiss and a Note form. Submits carry `{ her2cur: { c, d } }`.
 */
import type { CurationQueue, Decision } from '../curation/desk.ts';
import { candidateHeadline, candidateStatus, reportLine } from '../curation/wording.ts';
import { teamsText, teamsUrl } from './escape.ts';
import { truncate } from './format.ts';
import { type AdaptiveCard, type CardElement, TEAMS_CARD_VERSION } from './teams.ts';

export interface TeamsCurationData {
  her2cur: { c: number; d: Decision };
}

export function curationCard(q: CurationQueue): AdaptiveCard {
  const text = (value: string, options: Record<string, unknown> = {}): CardElement => ({
    type: 'TextBlock',
    text: value,
    wrap: true,
    ...options,
  });
  const submit = (title: string, c: number, d: Decision): CardElement => {
    const data: TeamsCurationData = { her2cur: { c, d } };
    return { type: 'Action.Submit', title, data };
  };
  const body: CardElement[] = [
    text(`Curation queue (${q.open} open)`, { size: 'Large', weight: 'Bolder' }),
    text('Only curators see this. Newest first.', { isSubtle: true, spacing: 'None' }),
  ];
  if (q.candidates.length === 0) body.push(text('No candidates yet.'));
  for (const c of q.candidates) {
    const title = truncate(String(c.item.title ?? c.itemKey), 300);
    body.push({
      type: 'Container',
      separator: true,
      items: [
        text(`**#${c.id} ${teamsText(candidateHeadline(c))}**`),
        text(`[${teamsText(title)}](${teamsUrl(String(c.item.url ?? ''))})`, { spacing: 'Small' }),
        text(teamsText(candidateStatus(c)), { isSubtle: true, spacing: 'Small' }),
        {
          type: 'ActionSet',
          actions: [
            submit('Accept', c.id, 'accept'),
            submit('Dismiss', c.id, 'dismiss'),
            {
              type: 'Action.ShowCard',
              title: 'Note',
              card: {
                type: 'AdaptiveCard',
                body: [{ type: 'Input.Text', id: 'note', label: 'Note', isMultiline: true, maxLength: 2000 }],
                actions: [submit('Save note', c.id, 'note')],
              },
            },
          ],
        },
      ],
    });
  }
  if (q.reports.length > 0) {
    body.push(text('**Reports on answer cards**', { separator: true }));
    for (const r of q.reports) body.push(text(teamsText(reportLine(r)), { size: 'Small' }));
  }
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: TEAMS_CARD_VERSION,
    body,
    msteams: { width: 'Full' },
  };
}
