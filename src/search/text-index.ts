/**
 * The full-text index, and the only module that imports lunr (unmaintained since 2020), so that a
 * replacement touches this file alone. Text is analysed by our own analyzer before it reaches lunr.
 *
 * lunr builds the index (BM25 weights per field) and its serialized form is what `build/` holds. Queries
 * are answered here, over that serialized form, with lunr's own scoring (per field, the query vector's
 * cosine with the field vector, summed over fields): lunr's `Index.load` compiles the whole vocabulary
 * into a token automaton and its `query` copies every match's positions, which cost more than the rest
 * of the search together and bought nothing our term-by-term queries use. User text never meets
 * lunr's query parser, and answering never loads lunr at all.
 */
import { createRequire } from 'node:module';
import type lunr from 'lunr';
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

export function buildTextIndex(documents: readonly SearchDocument[]): TextIndex {
  // Loaded here only: a loaded index is read without lunr (see above). lunr is CommonJS.
  const lunr = createRequire(import.meta.url)('lunr') as typeof import('lunr');
  /** lunr passes (value, metadata); the analyzer does all the work, so the pipelines stay empty. */
  const analyzerTokenizer = (value: unknown): lunr.Token[] => {
    if (value === null || value === undefined) return [];
    const text = Array.isArray(value) ? value.join(' ') : String(value);
    return terms(text).map((t, i) => new lunr.Token(t, { position: [i, 1], index: i }));
  };
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
  return loadTextIndex(index.toJSON());
}

/** lunr's serialized index: terms sorted, each with its index in the vectors and its documents per field. */
interface SerializedIndex {
  fields: string[];
  /** [field/ref, [term index, weight, term index, weight, …] sorted by term index]. */
  fieldVectors: [string, number[]][];
  invertedIndex: [string, Posting][];
}

/** A term's posting: its index in the vectors, and per field the documents holding it (with positions we do not read). */
type Posting = { _index: number } & Record<string, Record<string, unknown> | number>;

export function loadTextIndex(serialized: object): TextIndex {
  const { fields, fieldVectors, invertedIndex } = serialized as SerializedIndex;
  // Built as lunr.Index.load builds it, so the vocabulary comes in the same order (typo ties keep their winner).
  const inverted: Record<string, Posting> = Object.create(null);
  for (const [term, posting] of invertedIndex) inverted[term] = posting;
  const vocabulary = new Set(Object.keys(inverted));
  const sortedTerms = [...vocabulary].sort();
  const fieldIndex = new Map(fields.map((f, i) => [f, i]));
  /** Per document, its vector in each field (by field index). */
  const vectors = new Map<string, (number[] | undefined)[]>();
  for (const [fieldRef, elements] of fieldVectors) {
    const slash = fieldRef.indexOf('/');
    const field = fieldIndex.get(fieldRef.slice(0, slash));
    if (field === undefined) continue;
    const ref = fieldRef.slice(slash + 1);
    let perField = vectors.get(ref);
    if (!perField) {
      perField = new Array(fields.length);
      vectors.set(ref, perField);
    }
    perField[field] = elements;
  }
  const documents = fieldVectors.length / fields.length;
  const shares = new Map<string, number>();

  /** The indexed terms a query term stands for: itself, or with `prefix` every term it begins. */
  const expand = (t: QueryTerm): string[] => {
    if (!t.prefix) return t.term in inverted ? [t.term] : [];
    const out: string[] = [];
    for (let i = firstAtOrAfter(sortedTerms, t.term); i < sortedTerms.length; i++) {
      if (!sortedTerms[i]!.startsWith(t.term)) break;
      out.push(sortedTerms[i]!);
    }
    return out;
  };

  return {
    vocabulary,
    documentShare(term) {
      let share = shares.get(term);
      if (share === undefined) {
        const posting = inverted[term];
        const refs = new Set<string>();
        if (posting) for (const field of fields) for (const ref of Object.keys(posting[field] as object)) refs.add(ref);
        share = documents > 0 ? refs.size / documents : 0;
        shares.set(term, share);
      }
      return share;
    },
    toJSON: () => serialized,
    search(query) {
      const scores = new Map<string, TextMatch>();
      if (query.length === 0) return scores;
      // The query vector of each field: term index → summed boost (a term reached twice counts twice).
      const queryWeights = fields.map(() => new Map<number, number>());
      /** Per matching document: its fields in the order they matched, and the indexed terms it matched. */
      const matched = new Map<string, { fields: number[]; terms: Set<string> }>();
      const seen = new Set<string>();
      for (const t of query) {
        for (const term of expand(t)) {
          const posting = inverted[term]!;
          const firstTime = !seen.has(term);
          seen.add(term);
          for (let f = 0; f < fields.length; f++) {
            const weights = queryWeights[f]!;
            const previous = weights.get(posting._index);
            weights.set(posting._index, previous === undefined ? t.boost : previous + t.boost);
            if (!firstTime) continue;
            for (const ref of Object.keys(posting[fields[f]!] as object)) {
              let m = matched.get(ref);
              if (!m) {
                m = { fields: [], terms: new Set() };
                matched.set(ref, m);
              }
              if (!m.fields.includes(f)) m.fields.push(f);
              m.terms.add(term);
            }
          }
        }
      }
      const queryVectors = queryWeights.map(sortedVector);
      for (const [ref, m] of matched) {
        let score = 0;
        for (const f of m.fields) score += cosine(queryVectors[f]!, vectors.get(ref)?.[f]);
        const origins = new Set<string>();
        for (const indexed of m.terms) {
          for (const t of query) {
            if (indexed === t.term || (t.prefix && indexed.startsWith(t.term))) origins.add(t.origin);
          }
        }
        scores.set(ref, { score, origins });
      }
      return scores;
    },
  };
}

interface QueryVector {
  indexes: number[];
  weights: number[];
  magnitude: number;
}

function sortedVector(weights: Map<number, number>): QueryVector {
  const indexes = [...weights.keys()].sort((a, b) => a - b);
  const values = indexes.map((i) => weights.get(i)!);
  let sumOfSquares = 0;
  for (const v of values) sumOfSquares += v * v;
  return { indexes, weights: values, magnitude: Math.sqrt(sumOfSquares) };
}

/**
 * lunr's similarity: the dot product over shared term indexes, in ascending order as lunr sums it,
 * divided by the query vector's magnitude (0 when undefined).
 */
function cosine(query: QueryVector, field: readonly number[] | undefined): number {
  if (!field) return 0;
  let dot = 0;
  let lo = 0;
  for (let k = 0; k < query.indexes.length; k++) {
    const index = query.indexes[k]!;
    // Binary search over the even positions (term indexes) from where the last one was found.
    let hi = field.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (field[mid * 2]! < index) lo = mid + 1;
      else hi = mid;
    }
    if (lo < field.length / 2 && field[lo * 2] === index) dot += query.weights[k]! * field[lo * 2 + 1]!;
  }
  return dot / query.magnitude || 0;
}

/** Index of the first term not sorting before `start` (binary search). */
function firstAtOrAfter(sorted: readonly string[], start: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
