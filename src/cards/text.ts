/** The plain-text rendering: what the CLI prints and the terminal playground shows. */
import { templatesFor } from './templates.ts';
import type { CardView } from './view.ts';

export function renderText(view: CardView): string {
  return `${templatesFor('text')('card', view)
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
