/** A page of a list (mechanisms, agents, trials, a query's hits, an entity's related items). */
import { clipQuery } from '../../answer/actions.ts';
import type { Answer } from '../../answer/answer.ts';
import type { CardAction } from '../card-view.ts';
import { type Body, EMPTY } from './common.ts';

export function resultsBody(answer: Extract<Answer, { type: 'results' }>): Body {
  const pages = Math.ceil(answer.total / answer.pageSize);
  const actions: CardAction[] = [];
  if (answer.page > 1)
    actions.push({ label: 'Previous', payload: { a: 'page', q: clipQuery(answer.query), p: answer.page - 1 } });
  if (answer.page < pages)
    actions.push({ label: 'Next', payload: { a: 'page', q: clipQuery(answer.query), p: answer.page + 1 } });
  return {
    ...EMPTY,
    type: 'results',
    title: answer.title,
    subtitle: pages > 1 ? `Page ${answer.page} of ${pages} (${answer.total} in all)` : `${answer.total} in all`,
    sections: [
      {
        heading: '',
        items: answer.hits.map((h) => ({ id: h.id, title: h.title, text: kindWord(h.kind), evidence: [] })),
      },
    ],
    actions,
    fallback: `${answer.title}: ${answer.hits.map((h) => h.title).join(', ')}`,
  };
}

function kindWord(kind: string): string {
  return kind === 'evidence' ? 'trial or study' : kind;
}
