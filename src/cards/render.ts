/** One entry point from an Answer to what a surface sends. */
import type { Answer } from '../answer/answer.ts';
import { displayName, type KnowledgeBase } from '../knowledge/knowledge-base.ts';
import { renderSlack } from './slack.ts';
import { renderTeams } from './teams.ts';
import { renderText } from './text.ts';
import { cardView } from './view.ts';

export const FORMATS = ['text', 'json', 'slack', 'teams'] as const;
export type Format = (typeof FORMATS)[number];

export function renderAnswer(answer: Answer, format: Exclude<Format, 'json'>, kb: KnowledgeBase): string | object {
  const view = cardView(answer, (id) => displayName(kb, id));
  switch (format) {
    case 'text':
      return renderText(view);
    case 'slack':
      return renderSlack(view);
    case 'teams':
      return renderTeams(view);
  }
}
