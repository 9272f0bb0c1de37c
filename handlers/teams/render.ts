/** From the core's answers to Teams activities: an Adaptive Card attachment with a text fallback. */
import { type Activity, CardFactory, MessageFactory } from 'botbuilder';
import type { Answer } from '../../src/answer/answer.ts';
import type { Syntax } from '../../src/cards/card-view.ts';
import { RenderedAnswers } from '../../src/cards/rendered-answers.ts';
import { type AdaptiveCard, renderTeams, teamsSyntax } from '../../src/cards/teams.ts';
import { cardView } from '../../src/cards/view.ts';
import type { Core } from '../../src/core.ts';
import { displayName } from '../../src/knowledge/knowledge-base.ts';

/** Notifications and screen readers show the summary; Teams caps what it shows, so do we. */
export const SUMMARY_MAX = 200;

type Rendered = { card: AdaptiveCard; fallback: string };

const rendered = new RenderedAnswers<Syntax, Rendered>();

const CHANNEL_SYNTAX = teamsSyntax(true);

export function teamsCard(core: Core, answer: Answer, syntax: Syntax = CHANNEL_SYNTAX): Rendered {
  return rendered.get(answer, syntax, () => {
    const view = cardView(answer, (id) => displayName(core.kb, id), syntax);
    return { card: renderTeams(view), fallback: `${view.fallback} · ${view.footer.disclaimer}` };
  });
}

export function cardActivity(core: Core, answer: Answer, syntax?: Syntax): Partial<Activity> {
  const { card, fallback } = teamsCard(core, answer, syntax);
  return attachmentActivity(card, fallback);
}

export function attachmentActivity(card: AdaptiveCard, fallback: string): Partial<Activity> {
  const activity = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  activity.summary = fallback.slice(0, SUMMARY_MAX);
  return activity;
}
