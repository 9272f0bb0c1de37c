/** Digest items as the store keeps them, so a feedback press or an export can find them later. */
import type { JsonObject, ShownItemInput } from '../store/store.ts';
import type { DigestItem } from './compose.ts';
import { itemRef } from './item-ref.ts';

export function shownRecords(items: readonly DigestItem[], kbVersion: string): ShownItemInput[] {
  return items.map((d) => {
    // The abstract stays out: it is long, and nothing shown or exported needs it.
    const { abstract: _long, ...record } = d.item;
    return {
      ref: itemRef(d.key),
      itemKey: d.key,
      item: JSON.parse(JSON.stringify(record)) as JsonObject,
      tags: [...d.mechanisms, ...d.agents],
      reasons: d.reasons,
      kbVersion,
    };
  });
}
