/**
 * The full-text index, and the only module that imports lunr (unmaintained since 2020), so that a
 * replacement touches this file alone. Text is analysed by our own analyzer before it reaches lunr,
 * and queries are built term by term with `index.query()`: user text never meets lunr's query parser.
 */
import lunr from 'lunr';
import { terms } from './analyzer.ts';
import type { SearchDocument } from './documents.ts';

export interface QueryTerm {
  term: string;
  /** The query term this one stands for (itself, or the misspelt term it corrects). */
  origin: string;
  boost: number;
  /** Match every indexed term that starts with `term`. */
  prefix?: boolean;
}

export const FIELD_BOOSTS = { names: 8, heading: 3, body: 1 } as const;

export interface TextMatch {
  score: number;
  /** The query terms (origins) this document matched. */
  origins: Set<string>;
}

export interface TextIndex {
  /** Matches by document id; documents that match no term are absent. */
  search(query: readonly QueryTerm[]): Map<string, TextMatch>;
  /** Every indexed term, for typo correction and suggestions. */
  readonly vocabulary: ReadonlySet<string>;
  /** Share of documents containing the term (0–1). */
  documentShare(term: string): number;
  toJSON(): object;
}

/** lunr passes (value, metadata); the analyzer does all the work, so the pipelines stay empty. */
function analyzerTokenizer(value: unknown): lunr.Token[] {
  if (value === null || value === undefined) return [];
  const text = Array.isArray(value) ? value.join(' ') : String(value);
  return terms(text).map((t, i) => new lunr.Token(t, { position: [i, 1], index: i }));
}

export function buildTextIndex(documents: readonly SearchDocument[]): TextIndex {
  const index = lunr(function () {
    // Assign our tokenizer to this builder only: changing lunr.tokenizer.separator would mutate it globally.
    this.tokenizer = analyzerTokenizer as unknown as typeof lunr.tokenizer;
    this.pipeline.reset();
    this.searchPipeline.reset();
    this.ref('id');
    for (const [field, boost] of Object.entries(FIELD_BOOSTS)) this.field(field, { boost });
    for (const doc of documents) {
      this.add({ id: doc.id, names: doc.names, heading: doc.heading, body: doc.body });
    }
  });
  return wrap(index);
}

export function loadTextIndex(serialized: object): TextIndex {
  return wrap(lunr.Index.load(serialized));
}

type Posting = Record<string, Record<string, unknown>> & { _index?: number };

function wrap(index: lunr.Index): TextIndex {
  const inverted = (index as unknown as { invertedIndex: Record<string, Posting> }).invertedIndex;
  const vocabulary = new Set(Object.keys(inverted));
  const documents =
    Object.keys((index as unknown as { fieldVectors: object }).fieldVectors).length / Object.keys(FIELD_BOOSTS).length;
  const shares = new Map<string, number>();
  return {
    vocabulary,
    documentShare(term) {
      let share = shares.get(term);
      if (share === undefined) {
        const posting = inverted[term];
        const refs = new Set<string>();
        if (posting) {
          for (const [field, docs] of Object.entries(posting))
            if (field !== '_index') for (const ref of Object.keys(docs)) refs.add(ref);
        }
        share = documents > 0 ? refs.size / documents : 0;
        shares.set(term, share);
      }
      return share;
    },
    toJSON: () => index.toJSON(),
    search(query) {
      const scores = new Map<string, TextMatch>();
      if (query.length === 0) return scores;
      const results = index.query((q) => {
        for (const t of query) {
          q.term(t.term, {
            boost: t.boost,
            usePipeline: false,
            wildcard: t.prefix ? lunr.Query.wildcard.TRAILING : lunr.Query.wildcard.NONE,
            presence: lunr.Query.presence.OPTIONAL,
          });
        }
      });
      for (const r of results) {
        const origins = new Set<string>();
        for (const indexed of Object.keys(r.matchData.metadata)) {
          for (const t of query) {
            if (indexed === t.term || (t.prefix && indexed.startsWith(t.term))) origins.add(t.origin);
          }
        }
        scores.set(r.ref, { score: r.score, origins });
      }
      return scores;
    },
  };
}
