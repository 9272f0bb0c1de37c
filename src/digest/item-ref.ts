/**
 * A digest item's short, stable reference: what a feedback button carries (Slack's overflow options
 * allow 75 characters, too few for a DOI key), and what the store looks the item up by. A leaf module.
 */
import { createHash } from 'node:crypto';

export function itemRef(itemKey: string): string {
  return createHash('sha256').update(itemKey).digest('hex').slice(0, 16);
}

/** The tag that leads an item (the one it is grouped under): what a mute is matched against. */
export function leadingTag(tags: { mechanisms: readonly string[]; agents: readonly string[] }): string | undefined {
  return tags.mechanisms[0] ?? tags.agents[0];
}
