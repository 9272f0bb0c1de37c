/**
 * Cards the compose box inserts into a conversation (message-extension results and link unfurls):
 * Adaptive Card 1.3, the newest version Microsoft documents for them. Rendered once per cached answer.
 */
import type { Answer } from '../../../src/answer/answer.ts';
import { type AdaptiveCard, renderTeams, TEAMS_COMPOSE_CARD_VERSION } from '../../../src/cards/teams.ts';
import { cardView } from '../../../src/cards/view.ts';
import type { Core } from '../../../src/core.ts';
import { displayName } from '../../../src/knowledge/knowledge-base.ts';

const rendered = new WeakMap<Answer, AdaptiveCard>();

export function composeCard(core: Core, answer: Answer): AdaptiveCard {
  let card = rendered.get(answer);
  if (!card) {
    card = renderTeams(
      cardView(answer, (id) => displayName(core.kb, id)),
      { version: TEAMS_COMPOSE_CARD_VERSION },
    );
    rendered.set(answer, card);
  }
  return card;
}
