/** What every card body shares: the empty parts a body fills in, and the "More results" button. */
import { clipQuery } from '../../answer/actions.ts';
import type { CardAction, CardView } from '../card-view.ts';

/** A card's content without its footer (the footer is the same for every card and added once). */
export type Body = Omit<CardView, 'footer'>;

export const EMPTY = { facts: [], sections: [], notes: [], links: [], actions: [] } satisfies Partial<Body>;

export function moreAction(query: string, alternatives: number): CardAction[] {
  return query && alternatives > 0
    ? [{ label: 'More results', payload: { a: 'more', q: clipQuery(query), p: 1 } }]
    : [];
}
