/**
 * What the playground shows for an answer: the message each surface would be sent, rendered by the
 * same code as the real surfaces, and what the validators say about it.
 */
import type { Answer } from '../answer/answer.ts';
import { PLAIN_SYNTAX } from '../cards/card-view.ts';
import { renderSlack, SLACK_SYNTAX, type SlackMessage } from '../cards/slack.ts';
import { type AdaptiveCard, renderTeams, teamsSyntax } from '../cards/teams.ts';
import { renderText } from '../cards/text.ts';
import { slackProblems, teamsProblems } from '../cards/validate.ts';
import { cardView } from '../cards/view.ts';
import type { Core } from '../core.ts';
import { displayName } from '../knowledge/knowledge-base.ts';

export interface Surfaces {
  slack: SlackMessage;
  teams: AdaptiveCard;
  text: string;
}

export interface Validation {
  slack: string[];
  teams: string[];
}

export interface Rendered {
  surfaces: Surfaces;
  validation: Validation;
}

/** How a user reached the bot: `/her2 …`, an @-mention, or the bare words (as after `/her2`). */
export type Via = 'slash' | 'mention' | 'plain';

/** Each surface's card in its own words: `/her2 …` in Slack, an @-mention (or plain words) in Teams. */
export function renderAnswer(core: Core, answer: Answer, options: { shareable: boolean; via?: Via }): Rendered {
  const nameOf = (id: string) => displayName(core.kb, id);
  const surfaces: Surfaces = {
    slack: renderSlack(cardView(answer, nameOf, SLACK_SYNTAX), { shareable: options.shareable }),
    teams: renderTeams(cardView(answer, nameOf, teamsSyntax(options.via === 'mention'))),
    text: renderText(cardView(answer, nameOf, PLAIN_SYNTAX)),
  };
  return { surfaces, validation: validate(surfaces) };
}

/** Validation never throws: a card the validators choke on is reported as a problem, not a 500. */
export function validate(surfaces: Surfaces): Validation {
  return {
    slack: problemsOf(() => slackProblems(surfaces.slack)),
    teams: problemsOf(() => teamsProblems(surfaces.teams)),
  };
}

function problemsOf(check: () => string[]): string[] {
  try {
    return check();
  } catch (err) {
    return [`could not validate: ${(err as Error).message}`];
  }
}

const SLASH = /^\/her2(?=\s|$)/i;
/** `@her2bot`, `@her2-bot`, `@HER2 Bot`, Slack's `<@U123>` and Teams' `<at>HER2 Bot</at>`. */
const MENTION = /^(?:@her2[\s_-]?bot\b|<@[A-Z0-9]+(?:\|[^>]*)?>|<at>[^<]{0,80}<\/at>)[:,]?/i;

/** The words the bot answers, from what the user typed, and how they would have reached it. */
export function userText(typed: string): { text: string; via: Via } {
  const trimmed = typed.trim();
  if (SLASH.test(trimmed)) return { text: trimmed.replace(SLASH, '').trim(), via: 'slash' };
  if (MENTION.test(trimmed)) return { text: trimmed.replace(MENTION, '').trim(), via: 'mention' };
  return { text: trimmed, via: 'plain' };
}
