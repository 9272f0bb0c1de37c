/**
 * What a reader sees of a rendered message, as plain text: the words on the screen, not the JSON.
 *
 * Slack: the `text` of every text object in the blocks (header, section text and fields, context
 * elements, button labels); a mrkdwn link `<url|label>` shows only its label, and Slack's escapes
 * (&amp; &lt; &gt;) show as the character.
 * Teams: the text of every TextBlock, every TextRun of a RichTextBlock, every fact's title and value,
 * and every action's title, in the card's body and its actions, up to the first Action.ShowCard (what
 * a ShowCard holds is behind a click, like Slack's buttons). A markdown link `[label](url)` shows only
 * its label.
 * Texts are joined by a newline, which stands for the line break between blocks.
 */

type Json = Record<string, unknown>;

export function slackVisibleText(blocks: readonly unknown[]): string {
  const out: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(walk);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const o = value as Json;
    if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') {
      out.push(o.type === 'mrkdwn' ? slackMrkdwnShown(o.text) : o.text);
      return;
    }
    for (const v of Object.values(o)) walk(v);
  };
  walk(blocks);
  return out.join('\n');
}

function slackMrkdwnShown(text: string): string {
  return text
    .replace(/<([^|>]+)\|([^>]*)>/g, '$2')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export function teamsVisibleText(card: { body: unknown[]; actions?: unknown[] }): string {
  const out: string[] = [];
  let hidden = false;
  const walk = (value: unknown): void => {
    if (hidden) return;
    if (Array.isArray(value)) {
      value.forEach(walk);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const o = value as Json;
    if (o.type === 'Action.ShowCard') {
      if (typeof o.title === 'string') out.push(o.title);
      hidden = true;
      return;
    }
    if ((o.type === 'TextBlock' || o.type === 'TextRun') && typeof o.text === 'string')
      out.push(teamsMarkdownShown(o.text));
    else if (o.type === 'FactSet' && Array.isArray(o.facts))
      for (const f of o.facts as Json[]) out.push(`${String(f.title)} ${String(f.value)}`);
    else if (typeof o.type === 'string' && o.type.startsWith('Action.') && typeof o.title === 'string')
      out.push(o.title);
    for (const [k, v] of Object.entries(o)) if (k !== 'data' && k !== 'facts') walk(v);
  };
  walk(card.body);
  walk(card.actions ?? []);
  return out.join('\n');
}

function teamsMarkdownShown(text: string): string {
  return text.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
}
