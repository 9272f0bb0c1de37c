/** The plain-text rendering: what the CLI prints and the terminal playground shows. */

import type { CardView } from './card-view.ts';
import { templatesFor } from './templates.ts';

export function renderText(view: CardView): string {
  return `${templatesFor('text')('card', view)
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
