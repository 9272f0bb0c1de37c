/**
 * Which digest items a rendered message really shows. Renderers drop what does not fit a platform's
 * limits, so "the items we meant to send" is not "the items the channel saw": an item counts as shown
 * only if its link, escaped as that surface escapes links, is in the message that was accepted.
 */
import type { DigestItem } from './compose.ts';

export function shownItemKeys(
  items: readonly DigestItem[],
  renderedMessage: unknown,
  escapeUrl: (url: string) => string,
): string[] {
  const text = JSON.stringify(renderedMessage);
  return items.filter((d) => text.includes(JSON.stringify(escapeUrl(d.item.url)).slice(1, -1))).map((d) => d.key);
}
