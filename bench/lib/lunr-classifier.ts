/**
 * Plain lunr as a digest classifier, the floor bench/digest-eval.ts reports beside ours: lunr's own
 * tokenizer and English pipeline over title (boost 2) and abstract; a record is relevant when it
 * contains both "her2" and "breast", and is tagged with an entity when every term of one of the
 * entity's knowledge-base names occurs in it. No phrase order, no context: what a keyword index gives.
 */
import lunr from 'lunr';
import type { Prediction } from '../../src/eval/digest-score.ts';
import type { KnowledgeBase } from '../../src/knowledge/knowledge-base.ts';
import { buildDocuments } from '../../src/search/documents.ts';

export interface LunrRecord {
  key: string;
  title: string;
  abstract?: string | null;
}

export function lunrPredictions(kb: KnowledgeBase, records: readonly LunrRecord[]): Map<string, Prediction> {
  const index = lunr(function () {
    this.ref('key');
    this.field('title', { boost: 2 });
    this.field('abstract');
    for (const r of records) this.add({ key: r.key, title: r.title, abstract: r.abstract ?? '' });
  });
  /** Records holding every term of the phrase (lunr's required-term query). */
  const allTerms = (phrase: string): Set<string> => {
    const tokens = lunr.tokenizer(phrase).map((t) => t.toString());
    if (tokens.length === 0) return new Set();
    try {
      return new Set(
        index
          .query((q) => {
            for (const t of tokens) q.term(t, { presence: lunr.Query.presence.REQUIRED });
          })
          .map((r) => r.ref),
      );
    } catch {
      return new Set();
    }
  };

  const out = new Map<string, Prediction>(
    records.map((r) => [r.key, { relevant: false, mechanisms: [], agents: [] } as Prediction]),
  );
  for (const key of allTerms('her2 breast')) out.get(key)!.relevant = true;
  for (const doc of buildDocuments(kb)) {
    if (doc.kind !== 'mechanism' && doc.kind !== 'agent') continue;
    const hits = new Set(doc.phrases.flatMap((p) => [...allTerms(p.text)]));
    for (const key of hits) (doc.kind === 'mechanism' ? out.get(key)!.mechanisms : out.get(key)!.agents).push(doc.id);
  }
  return out;
}
