/** From the core's answers to what Slack is sent: one place, so every listener renders alike. */
import type { Answer } from '../../src/answer/answer.ts';
import { renderSlack, type SlackMessage } from '../../src/cards/slack.ts';
import { cardView } from '../../src/cards/view.ts';
import type { Core } from '../../src/core.ts';
import { displayName } from '../../src/knowledge/knowledge-base.ts';

export function slackMessage(core: Core, answer: Answer, options: { shareable?: boolean } = {}): SlackMessage {
  return renderSlack(
    cardView(answer, (id) => displayName(core.kb, id)),
    options,
  );
}

/** Slack escapes &, < and > in message text; a query is searched as the user typed it. */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
