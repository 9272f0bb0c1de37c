/** From the core's answers to what Slack is sent: one place, so every listener renders alike. */
import type { Answer } from '../../src/answer/answer.ts';
import { RenderedAnswers } from '../../src/cards/rendered-answers.ts';
import { renderSlack, SLACK_SYNTAX, type SlackMessage } from '../../src/cards/slack.ts';
import { cardView } from '../../src/cards/view.ts';
import type { Core } from '../../src/core.ts';
import { displayName } from '../../src/knowledge/knowledge-base.ts';

const rendered = new RenderedAnswers<'shareable' | 'plain', SlackMessage>();

export function slackMessage(core: Core, answer: Answer, options: { shareable?: boolean } = {}): SlackMessage {
  const shareable = options.shareable === true;
  return rendered.get(answer, shareable ? 'shareable' : 'plain', () =>
    renderSlack(
      cardView(answer, (id) => displayName(core.kb, id), SLACK_SYNTAX),
      { shareable },
    ),
  );
}

/** Slack escapes &, < and > in message text; a query is searched as the user typed it. */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
