/**
 * Which digest items become candidate knowledge-base updates: new data on an entry the knowledge
 * base holds (the label "new data on CLEOPATRA"), or a trial or drug it lacks that the concept layer
 * knows. Queued once per item, whichever channel saw it first.
 */

import type { CandidateInput, Store } from '../store/store.ts';
import type { DigestItem } from './compose.ts';
import { shownRecords } from './shown-records.ts';

/** The candidate an item makes, if any. */
export function candidateOf(d: DigestItem, kbVersion: string): CandidateInput | undefined {
  // The record with the tags the digest gave it: the draft entry starts from those.
  const record = { ...shownRecords([d], kbVersion)[0]!.item, tags: [...d.mechanisms, ...d.agents] };
  if (d.kbEntry) {
    return {
      itemKey: d.key,
      kind: 'new_data',
      entryId: d.kbEntry.id,
      subject: d.kbEntry.name,
      matchedBy: d.kbEntry.by,
      item: record,
      kbVersion,
    };
  }
  if (d.kbGap) {
    return { itemKey: d.key, kind: 'not_in_kb', subject: d.kbGap, matchedBy: 'concept', item: record, kbVersion };
  }
  return undefined;
}

/** Queues the candidates among items a channel was shown; returns how many were new to the queue. */
export async function queueCandidates(store: Store, items: readonly DigestItem[], kbVersion: string): Promise<number> {
  let added = 0;
  for (const d of items) {
    const candidate = candidateOf(d, kbVersion);
    if (candidate && (await store.curation.propose(candidate))) added += 1;
  }
  return added;
}
