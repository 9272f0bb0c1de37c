/** From the core's answers to Teams activities: an Adaptive Card attachment with a text fallback. */
import { type Activity, CardFactory, MessageFactory } from 'botbuilder';
import type { Answer } from '../../src/answer/answer.ts';
import { type AdaptiveCard, renderTeams } from '../../src/cards/teams.ts';
import { cardView } from '../../src/cards/view.ts';
import type { Core } from '../../src/core.ts';
import { displayName } from '../../src/knowledge/knowledge-base.ts';

/** Rendered cards of cached answers (the core caches answers by query). */
const rendered = new WeakMap<Answer, { card: AdaptiveCard; fallback: string }>();

export function teamsCard(core: Core, answer: Answer): { card: AdaptiveCard; fallback: string } {
  let result = rendered.get(answer);
  if (!result) {
    const view = cardView(answer, (id) => displayName(core.kb, id));
    result = { card: renderTeams(view), fallback: `${view.fallback} · ${view.footer.disclaimer}` };
    rendered.set(answer, result);
  }
  return result;
}

export function cardActivity(core: Core, answer: Answer): Partial<Activity> {
  const { card, fallback } = teamsCard(core, answer);
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  // Notifications and screen readers show the summary; Teams renders the card.
  activity.summary = fallback.slice(0, 200);
  return activity;
}
