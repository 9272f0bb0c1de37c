/** The plain-text rendering: what the CLI prints and the terminal playground shows. */

import type { CardView, Syntax } from './card-view.ts';
import { templatesFor } from './templates.ts';

export function renderText(view: CardView): string {
  return `${templatesFor('text')('card', view)
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

/** The command line's way to ask. */
export const CLI_SYNTAX: Syntax = {
  prefix: 'her2bot ask ',
  question: 'your question',
  elsewhere: 'In Slack, /her2 with the same words; in Teams, @-mention the bot.',
  digestHelp: [
    { usage: 'her2bot digest --dry-run [--topic NAME]…', text: 'print the literature digest now; nothing is posted' },
  ],
};
