/**
 * List items in Teams cards are named controls: each item that has a card of its own gets a button
 * titled with the item's name (what a screen reader announces and a keyboard reaches), and no
 * container is itself clickable (its text holds links of its own).
 */
import { describe, expect, it } from 'vitest';
import { type CardElement, renderTeams } from '../src/cards/teams.ts';
import { cardView } from '../src/cards/view.ts';
import { Core } from '../src/core.ts';
import { displayName } from '../src/knowledge/knowledge-base.ts';

const core = await Core.open();
const teamsCard = (text: string) => renderTeams(cardView(core.answer(text), (id) => displayName(core.kb, id)));

function elements(node: unknown): CardElement[] {
  if (Array.isArray(node)) return node.flatMap(elements);
  if (!node || typeof node !== 'object') return [];
  const own = 'type' in node ? [node as CardElement] : [];
  return [...own, ...Object.values(node).flatMap(elements)];
}

describe.each(['mechanisms', 'agents', 'trials', 'resistance pi3k', 'neratinib', 'T-DM1 vs lapatinib'])(
  'the Teams card for “%s”',
  (text) => {
    const card = teamsCard(text);
    const all = elements(card.body);
    const openers = all.filter(
      (e) => e.type === 'Action.Submit' && (e.data as { her2?: { a?: string } }).her2?.a === 'open',
    );

    it('has no clickable container', () => {
      expect(all.filter((e) => 'selectAction' in e)).toEqual([]);
    });

    it('names every item button after the item it opens', () => {
      for (const button of openers) {
        const id = (button.data as { her2: { id: string } }).her2.id;
        expect(button.title).not.toBe('Open');
        // The item's title as the card shows it: the name, sometimes with its level or phase.
        expect(String(button.title).startsWith(displayName(core.kb, id) ?? id)).toBe(true);
      }
    });
  },
);

it('gives the mechanisms of the list page their own named buttons', () => {
  const titles = elements(teamsCard('mechanisms').body)
    .filter((e) => e.type === 'Action.Submit')
    .map((e) => e.title);
  for (const m of core.kb.mechanisms.slice(0, 5)) {
    expect(titles.some((t) => String(t).startsWith(displayName(core.kb, m.id) ?? m.id))).toBe(true);
  }
});
