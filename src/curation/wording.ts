/** How a candidate and a report read in the queue, the same words on every surface. */
import type { Candidate, Feedback } from '../store/store.ts';

export function candidateHeadline(c: Candidate): string {
  return c.kind === 'new_data' ? `new data on ${c.subject}` : `not in the knowledge base: ${c.subject}`;
}

export function candidateStatus(c: Candidate): string {
  const decided = c.decidedAt ? ` ${c.decidedAt.slice(0, 10)}` : '';
  return `${c.status}${decided}${c.note ? ` · note: ${c.note}` : ''}`;
}

export function reportLine(f: Feedback): string {
  return `${f.createdAt.slice(0, 10)} on ${f.itemTitle ?? f.itemKey}: “${(f.text ?? '').replace(/\s+/g, ' ').slice(0, 300)}”`;
}
