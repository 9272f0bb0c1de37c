/** One entry point from an Answer to what a surface sends. */
import type { Answer } from '../answer/answer.ts';
import { displayName, type KnowledgeBase } from '../knowledge/knowledge-base.ts';
import type { Syntax } from './card-view.ts';
import { renderSlack, SLACK_SYNTAX } from './slack.ts';
import { renderTeams, teamsSyntax } from './teams.ts';
import { CLI_SYNTAX, renderText } from './text.ts';
import { cardView } from './view.ts';

export const FORMATS = ['text', 'json', 'slack', 'teams'] as const;
export type Format = (typeof FORMATS)[number];

/** How each format teaches commands when no surface is named: the CLI's own words for text. */
const SYNTAX_OF: Record<Exclude<Format, 'json'>, Syntax> = {
  text: CLI_SYNTAX,
  slack: SLACK_SYNTAX,
  teams: teamsSyntax(true),
};

export function renderAnswer(
  answer: Answer,
  format: Exclude<Format, 'json'>,
  kb: KnowledgeBase,
  syntax: Syntax = SYNTAX_OF[format],
): string | object {
  const view = cardView(answer, (id) => displayName(kb, id), syntax);
  switch (format) {
    case 'text':
      return renderText(view);
    case 'slack':
      return renderSlack(view);
    case 'teams':
      return renderTeams(view);
  }
}
