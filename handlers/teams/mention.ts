/**
 * What the user asked, from a Teams message: the bot's own mention removed (only the first, as
 * Teams puts it at the front), other people's mentions kept as their names, HTML entities and
 * leftover tags decoded. Teams sends `<at>HER2 Bot</at>&nbsp;her2+` for "@HER2 Bot her2+".
 */
import { type Activity, TurnContext } from 'botbuilder';
import { decodeEntities } from '../../src/util/html-entities.ts';

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
