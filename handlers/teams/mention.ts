/**
 * What the user asked, from a Teams message: the bot's own mention removed (only the first, as
 * Teams puts it at the front), other people's mentions kept as their names, HTML entities and
 * leftover tags decoded. Teams sends `<at>HER2 Bot</at>&nbsp;her2+` for "@HER2 Bot her2+".
 */
import { type Activity, TurnContext } from 'botbuilder';

const NAMED_ENTITIES: Record<string, string> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  '#39': "'",
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith('#x')) return safeCodePoint(Number.parseInt(lower.slice(2), 16)) ?? whole;
    if (lower.startsWith('#')) return safeCodePoint(Number.parseInt(lower.slice(1), 10)) ?? whole;
    return NAMED_ENTITIES[lower] ?? whole;
  });
}

function safeCodePoint(code: number): string | undefined {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

export function mentionsBot(activity: Partial<Activity>): boolean {
  const botId = activity.recipient?.id;
  return (activity.entities ?? []).some(
    (e) => e.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id === botId,
  );
}

export function queryText(activity: Activity): string {
  const withoutBot = mentionsBot(activity) ? TurnContext.removeRecipientMention(activity) : (activity.text ?? '');
  return decodeEntities(
    (withoutBot ?? '')
      .replace(/<at>(.*?)<\/at>/gi, '$1') // other people's mentions stay, as their names
      .replace(/<[^>]+>/g, ' '), // any other markup Teams added (e.g. <p>)
  )
    .replace(/\s+/g, ' ')
    .trim();
}
