/**
 * The full-text index, and the only module that imports lunr (unmaintained since 2020), so that a
 * replacement touches this file alone. Text is analysed by our own analyzer before it reaches lunr.
 *
 * lunr builds the index (BM25 weights per field); `build/` holds its weights in a compact form of our
 * own (see StoredIndex). Queries are answered here, over that form, with lunr's own scoring (per
 * field, the query vector's cosine with the field vector, summed over fields): lunr's `Index.load`
 * compiles the whole vocabulary into a token automaton and its `query` copies every match's
 * positions, which cost more than the rest of the search together and bought nothing our
 * term-by-term queries use. User text never meets
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
  return loadTextIndex(storedForm(index.toJSON() as unknown as LunrIndexJson));
}

/** lunr's own serialization: terms sorted, each with its term index and its documents per field (with metadata). */
interface LunrIndexJson {
  fields: string[];
  /** [field/ref, [term index, weight, term index, weight, …] sorted by term index]. */
  fieldVectors: [string, number[]][];
  invertedIndex: [string, { _index: number } & Record<string, Record<string, unknown>>][];
}

/**
 * The index as `build/` stores it: lunr's term indexes and BM25 weights, with documents as numbers and
 * without the per-match metadata lunr keeps, which we never read (a quarter of the size, parsed in a
 * fraction of the time).
 */
interface StoredIndex {
  fields: string[];
  refs: string[];
  /** Every term, sorted, and its index in the vectors (lunr's term index). */
  terms: string[];
  termIndexes: number[];
  /** Per term, per field: the documents (indexes into refs) that hold it. */
  postings: number[][][];
  /** Per document, per field: lunr's field vector, [term index, weight, …] sorted by term index. */
  vectors: number[][][];
}

function storedForm(lunrJson: LunrIndexJson): StoredIndex {
  const { fields, fieldVectors, invertedIndex } = lunrJson;
  const refs: string[] = [];
  const refIndex = new Map<string, number>();
  const vectors: number[][][] = [];
  for (const [fieldRef, elements] of fieldVectors) {
    const slash = fieldRef.indexOf('/');
    const ref = fieldRef.slice(slash + 1);
    let doc = refIndex.get(ref);
    if (doc === undefined) {
      doc = refs.length;
      refs.push(ref);
      refIndex.set(ref, doc);
      vectors.push(fields.map(() => []));
    }
    vectors[doc]![fields.indexOf(fieldRef.slice(0, slash))] = elements;
  }
  return {
    fields,
    refs,
    terms: invertedIndex.map(([term]) => term),
    termIndexes: invertedIndex.map(([, posting]) => posting._index),
    postings: invertedIndex.map(([, posting]) =>
      fields.map((field) => Object.keys(posting[field] ?? {}).map((ref) => refIndex.get(ref)!)),
    ),
    vectors,
  };
}

export function loadTextIndex(stored: object): TextIndex {
  const { fields, refs, terms, termIndexes, postings, vectors } = stored as StoredIndex;
  // An object, as lunr keeps its terms, so the vocabulary comes in the same order as it always did
  // (integer-like terms first): typo ties keep their winner.
  const position: Record<string, number> = Object.create(null);
  for (let i = 0; i < terms.length; i++) position[terms[i]!] = i;
  const vocabulary = new Set(Object.keys(position));
  const shares = new Map<string, number>();

  /** The terms (positions) a query term stands for: itself, or with `prefix` every term it begins. */
  const expand = (t: QueryTerm): number[] => {
    if (!t.prefix) {
      const p = position[t.term];
      return p === undefined ? [] : [p];
    }
    const out: number[] = [];
    for (let i = firstAtOrAfter(terms, t.term); i < terms.length && terms[i]!.startsWith(t.term); i++) out.push(i);
    return out;
  };

  return {
    vocabulary,
    documentShare(term) {
      let share = shares.get(term);
      if (share === undefined) {
        const p = position[term];
        const docs = new Set(p === undefined ? [] : postings[p]!.flat());
        share = refs.length > 0 ? docs.size / refs.length : 0;
        shares.set(term, share);
      }
      return share;
    },
    toJSON: () => stored,
    search(query) {
      const scores = new Map<string, TextMatch>();
      if (query.length === 0) return scores;
      // The query vector of each field: term index → summed boost (a term reached twice counts twice).
      const queryWeights = fields.map(() => new Map<number, number>());
      /** Per matching document (by number): its fields in the order they matched, and the terms it matched. */
      const fieldsOf: (number[] | undefined)[] = new Array(refs.length);
      const termsOf: number[][] = new Array(refs.length);
      const matchOrder: number[] = [];
      const seen = new Set<number>();
      for (const t of query) {
        for (const p of expand(t)) {
          const termIndex = termIndexes[p]!;
          const firstTime = !seen.has(p);
          seen.add(p);
          for (let f = 0; f < fields.length; f++) {
            const weights = queryWeights[f]!;
            const previous = weights.get(termIndex);
            weights.set(termIndex, previous === undefined ? t.boost : previous + t.boost);
            if (!firstTime) continue;
            for (const doc of postings[p]![f]!) {
              const docFields = fieldsOf[doc];
              if (!docFields) {
                fieldsOf[doc] = [f];
                termsOf[doc] = [p];
                matchOrder.push(doc);
                continue;
              }
              if (!docFields.includes(f)) docFields.push(f);
              const docTerms = termsOf[doc]!;
              if (docTerms[docTerms.length - 1] !== p && !docTerms.includes(p)) docTerms.push(p);
            }
          }
        }
      }
      const queryVectors = queryWeights.map(sortedVector);
      for (const doc of matchOrder) {
        let score = 0;
        for (const f of fieldsOf[doc]!) score += cosine(queryVectors[f]!, vectors[doc]![f]!);
        const origins = new Set<string>();
        for (const p of termsOf[doc]!) {
          const indexed = terms[p]!;
          for (const t of query) {
            if (indexed === t.term || (t.prefix && indexed.startsWith(t.term))) origins.add(t.origin);
          }
        }
        scores.set(refs[doc]!, { score, origins });
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
function cosine(query: QueryVector, field: readonly number[]): number {
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
