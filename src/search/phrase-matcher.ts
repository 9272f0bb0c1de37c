/**
 * Links the words of a query to the entities whose names they spell, the way a clinician types them.
 *
 * Every name phrase (name, alias, brand, code, trial acronym, registry id) is reduced to its words
 * and to a compact form with all separators removed. A run of query words whose compact form equals
 * a phrase's is an exact match, so `T-DM1`, `T DM1` and `TDM1` meet at `tdm1`, and `bkm 120` meets
 * `BKM120`. Runs may also match with a typo (edit distance 1 from 5 letters, 2 from 9), as the start of
 * a longer name (`p95` → `p95HER2`), or word by word inside a longer name (`cleopatra os` → "CLEOPATRA
 * final OS"), each worth less than the one before.
 */
import { STOP_WORDS, stem, words } from './analyzer.ts';
import type { SearchDocument } from './documents.ts';
import { boundedLevenshtein, TypoIndex, typoBudget } from './levenshtein.ts';

interface Phrase {
  entity: string;
  weight: number;
  words: string[];
  compact: string;
  text: string;
}

export type MatchType = 'exact' | 'fuzzy' | 'prefix' | 'partial';

/** A name found in a text: word positions [from, to) and the knowledge base's spelling of the name. */
export interface NameSpan {
  entity: string;
  from: number;
  to: number;
  text: string;
}

export interface EntityMatch {
  entity: string;
  score: number;
  /** The best kind of match this entity got. */
  type: MatchType;
  /** Query word positions this entity accounts for. */
  positions: Set<number>;
}

const MATCH_VALUE: Record<MatchType, number> = { exact: 1, fuzzy: 0.7, prefix: 0.55, partial: 0.8 };
const MATCH_ORDER: MatchType[] = ['exact', 'fuzzy', 'prefix', 'partial'];
/** A whole name typed in full (not just words inside it) earns this bonus once. */
const WHOLE_PHRASE_BONUS = 0.3;
const MAX_SPAN = 4;
const MAX_QUERY_WORDS = 24;

/** Every word of a text as the matcher compares them: normalised, stemmed, without stop words. */
export function analysedWords(text: string): string[] {
  return words(text)
    .filter((w) => !STOP_WORDS.has(w))
    .map(stem);
}

/** A query's words for the matcher: as analysedWords, capped so a query's cost stays bounded. */
export function matchWords(text: string): string[] {
  return analysedWords(text).slice(0, MAX_QUERY_WORDS);
}

export class PhraseMatcher {
  private readonly phrases: Phrase[] = [];
  private readonly byCompact = new Map<string, number[]>();
  private readonly byWord = new Map<string, number[]>();
  /** Multi-word phrases by their sorted words, so word order does not matter ("lapatinib letrozole"). */
  private readonly byBag = new Map<string, number[]>();
  private readonly sortedCompacts: string[];
  /** Every start of every name's compact form, so "can this run still become a name?" is one lookup. */
  private readonly prefixes = new Set<string>();
  /** Every name's compact form, for typos (see TypoIndex); built on the first typo looked for. */
  private typosOnce: TypoIndex | undefined;
  private readonly entityFrequency = new Map<string, number>();
  /** Stems of trial names that end in a number (bolero of bolero1, destinybreast of destinybreast03). */
  private readonly numberedStems = new Set<string>();

  constructor(documents: readonly SearchDocument[]) {
    // Drug names belong to agents: a trial named "Ganetespib phase II" or aliased "BYL719" must not
    // compete with the agent when a user types the drug.
    const wordsOf = new Map<string, string[]>();
    const analysed = (text: string) => {
      let ws = wordsOf.get(text);
      if (!ws) {
        ws = matchWords(text);
        wordsOf.set(text, ws);
      }
      return ws;
    };
    const drugNames = new Set(
      documents.filter((d) => d.kind === 'agent').flatMap((d) => d.phrases.map((p) => analysed(p.text).join(''))),
    );
    for (const doc of documents) {
      for (const p of doc.phrases) {
        const ws = analysed(p.text);
        const compact = ws.join('');
        if (ws.length === 0 || (doc.kind !== 'agent' && drugNames.has(compact))) continue;
        const index = this.phrases.length;
        this.phrases.push({ entity: doc.id, weight: p.weight, words: ws, compact, text: p.text });
        pushTo(this.byCompact, compact, index);
        if (ws.length > 1) pushTo(this.byBag, bagOf(ws), index);
        for (const w of new Set(ws)) {
          if (doc.kind === 'agent' || !drugNames.has(w)) pushTo(this.byWord, w, index);
        }
      }
    }
    for (const [word, indexes] of this.byWord) {
      this.entityFrequency.set(word, new Set(indexes.map((i) => this.phrases[i]!.entity)).size);
    }
    this.sortedCompacts = [...this.byCompact.keys()].sort();
    // Trial names only: HER3 and HER4 are not HER2 with another number.
    for (const p of this.phrases) {
      const m = /^(.*\p{L})\d{1,2}$/u.exec(p.compact);
      if (p.entity.startsWith('ev-') && m?.[1] && m[1].length >= 2) this.numberedStems.add(m[1]);
    }
    // In sorted order a name shares its first letters with the one before, whose prefixes are in already.
    let previous = '';
    for (const c of this.sortedCompacts) {
      let shared = 0;
      while (shared < c.length && shared < previous.length && c.charCodeAt(shared) === previous.charCodeAt(shared))
        shared++;
      for (let n = shared + 1; n <= c.length; n++) this.prefixes.add(c.slice(0, n));
      previous = c;
    }
  }

  /** True if the word occurs in some name phrase (used to decide where typos are worth looking for). */
  knows(word: string): boolean {
    return this.byWord.has(word) || this.byCompact.has(word);
  }

  /**
   * `isWord` tells whether a word is known anywhere (names or full text): typos are looked for only
   * in runs that contain a word known nowhere, so well-typed queries pay nothing for them.
   */
  match(
    queryWords: readonly string[],
    isWord: (w: string) => boolean = (w) => this.knows(w),
  ): Map<string, EntityMatch> {
    const best = new Map<string, { values: number[]; types: MatchType[]; whole: boolean }>();
    const credit = (phraseIndex: number, from: number, to: number, type: MatchType, factor = 1) => {
      const phrase = this.phrases[phraseIndex]!;
      let entry = best.get(phrase.entity);
      if (!entry) {
        entry = { values: new Array(queryWords.length).fill(0), types: [], whole: false };
        best.set(phrase.entity, entry);
      }
      const value = MATCH_VALUE[type] * phrase.weight * factor;
      for (let i = from; i < to; i++) if (value > entry.values[i]!) entry.values[i] = value;
      entry.types.push(type);
      if (type === 'exact' || type === 'fuzzy') entry.whole = true;
    };

    for (let from = 0; from < queryWords.length; from++) {
      for (let to = from + 1; to <= Math.min(queryWords.length, from + MAX_SPAN); to++) {
        const span = queryWords.slice(from, to);
        const compact = span.join('');
        const exact = this.byCompact.get(compact) ?? (span.length > 1 ? this.byBag.get(bagOf(span)) : undefined);
        if (exact) {
          for (const i of exact) credit(i, from, to, 'exact');
          continue;
        }
        if (span.some((w) => !isWord(w))) this.fuzzy(compact, (i, factor) => credit(i, from, to, 'fuzzy', factor));
        if (to === from + 1 && compact.length >= 3) this.prefix(compact, (i) => credit(i, from, to, 'prefix'));
      }
    }
    this.partial(queryWords, credit);

    const out = new Map<string, EntityMatch>();
    for (const [entity, entry] of best) {
      const positions = new Set<number>();
      entry.values.forEach((v, i) => {
        if (v > 0) positions.add(i);
      });
      const score = entry.values.reduce((a, b) => a + b, 0) + (entry.whole ? WHOLE_PHRASE_BONUS : 0);
      const type = MATCH_ORDER.find((t) => entry.types.includes(t)) ?? 'partial';
      out.set(entity, { entity, score, type, positions });
    }
    return out;
  }

  /**
   * Only whole names written out (exact, or the same words in another order), for long texts such as
   * abstracts: no typo search, no prefixes, no words inside longer names. Scores like `match` does for
   * exact matches. Runs are extended only while they can still become a name, so this is linear in
   * practice.
   */
  matchExact(textWords: readonly string[]): Map<string, number> {
    const best = new Map<string, number>();
    for (let from = 0; from < textWords.length; from++) {
      let compact = '';
      for (let to = from + 1; to <= Math.min(textWords.length, from + MAX_SPAN); to++) {
        compact += textWords[to - 1]!;
        const span = textWords.slice(from, to);
        const hits =
          this.byCompact.get(compact) ??
          (span.length > 1 && span.every((w) => this.byWord.has(w)) ? this.byBag.get(bagOf(span)) : undefined);
        for (const i of hits ?? []) {
          const phrase = this.phrases[i]!;
          const value = MATCH_VALUE.exact * phrase.weight * span.length + WHOLE_PHRASE_BONUS;
          if (value > (best.get(phrase.entity) ?? 0)) best.set(phrase.entity, value);
        }
        if (!this.startsAName(compact) && !span.every((w) => this.byWord.has(w))) break;
      }
    }
    return best;
  }

  /**
   * Names typed with a number the knowledge base does not hold: "DESTINY-Breast04" when only
   * DESTINY-Breast01 and 03 exist, "BOLERO-2" beside BOLERO-1 and 3, "HER2CLIMB-02" beside HER2CLIMB.
   * `text` is the raw question; a number is read only when written onto the name or right after it.
   */
  otherNumbered(text: string): string[] {
    const out: string[] = [];
    const tokens = text.split(/\s+/).filter(Boolean);
    for (let i = 0; i < tokens.length; i++) {
      for (let span = 1; span <= 3 && i + span <= tokens.length; span++) {
        // The number ends the span: only spans whose last word holds a digit can name a numbered trial.
        if (!/\d/.test(tokens[i + span - 1]!)) continue;
        const written = tokens
          .slice(i, i + span)
          .join(' ')
          .replace(/[^\p{L}\p{N}\s-]+$/u, '');
        const compact = analysedWords(written).join('');
        const number = /(\d{1,2})$/.exec(compact)?.[1];
        // "destiny breast 9" is DESTINY-Breast09: a leading zero is not another number.
        if (!number || this.byCompact.has(compact) || this.byCompact.has(withLeadingZero(compact))) continue;
        const stem = compact.slice(0, -number.length);
        if (!/\p{L}{2,}$/u.test(stem)) continue;
        // Only a name of its own with another number, or a numbered name's stem ("bolero" of bolero1).
        const numberedSibling = this.numberedStems.has(stem);
        const attached = span === 1 && /[\p{L}][-]?\d{1,2}$/u.test(written) && this.byCompact.has(stem);
        if (numberedSibling || attached) out.push(written);
      }
    }
    return [...new Set(out)];
  }

  /**
   * Every whole name written out in a text, with where it is (word positions) and which name it was,
   * for the digest classifier, which reads each mention in its context. Like matchExact, but only in
   * the name's own word order.
   */
  matchExactSpans(textWords: readonly string[]): NameSpan[] {
    // Names in their own word order only: an abstract writes names out, and without the any-order
    // lookup a run stops as soon as it can no longer become a name, which keeps long texts cheap.
    const out: NameSpan[] = [];
    for (let from = 0; from < textWords.length; from++) {
      let compact = '';
      for (let to = from + 1; to <= Math.min(textWords.length, from + MAX_SPAN); to++) {
        compact += textWords[to - 1]!;
        for (const i of this.byCompact.get(compact) ?? []) {
          const phrase = this.phrases[i]!;
          out.push({ entity: phrase.entity, from, to, text: phrase.text });
        }
        if (!this.startsAName(compact)) break;
      }
    }
    return out;
  }

  /** True if some name's compact form starts with this text. */
  private startsAName(start: string): boolean {
    return this.prefixes.has(start);
  }

  /** Index of the first compact form not sorting before `start` (binary search). */
  private firstAtOrAfter(start: string): number {
    let lo = 0;
    let hi = this.sortedCompacts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sortedCompacts[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Entity names close to a misspelt word, for "did you mean" (distance up to a third of its length). */
  suggest(word: string, limit = 3): { entity: string; text: string }[] {
    const budget = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
    const found: { entity: string; text: string; distance: number }[] = [];
    for (const phrase of this.phrases) {
      const d = boundedLevenshtein(word, phrase.compact, budget);
      if (d <= budget) found.push({ entity: phrase.entity, text: phrase.text, distance: d });
    }
    found.sort((a, b) => a.distance - b.distance);
    const seen = new Set<string>();
    return found.filter((f) => !seen.has(f.entity) && seen.add(f.entity)).slice(0, limit);
  }

  private fuzzy(compact: string, onMatch: (phraseIndex: number, factor: number) => void): void {
    const budget = typoBudget(compact.length);
    if (budget === 0) return;
    this.typosOnce ??= new TypoIndex(this.sortedCompacts);
    for (const { word, distance } of this.typosOnce.near(compact, budget)) {
      const factor = distance === 1 ? 1 : 0.85;
      for (const i of this.byCompact.get(word)!) onMatch(i, factor);
    }
  }

  private prefix(start: string, onMatch: (phraseIndex: number) => void): void {
    for (let i = this.firstAtOrAfter(start); i < this.sortedCompacts.length; i++) {
      const candidate = this.sortedCompacts[i]!;
      if (!candidate.startsWith(start)) break;
      if (candidate === start) continue;
      for (const p of this.byCompact.get(candidate)!) onMatch(p);
    }
  }

  /** Query words found inside longer names; a name must share an informative word, not just a number. */
  private partial(
    queryWords: readonly string[],
    credit: (phraseIndex: number, from: number, to: number, type: MatchType, factor?: number) => void,
  ): void {
    const hitsByPhrase = new Map<number, number[]>();
    queryWords.forEach((w, position) => {
      for (const i of this.byWord.get(w) ?? []) pushTo(hitsByPhrase, i, position);
    });
    for (const [phraseIndex, positions] of hitsByPhrase) {
      const phrase = this.phrases[phraseIndex]!;
      if (phrase.words.length === 1) continue; // a one-word phrase matched exactly already
      const informative = positions.some((p) => /\p{L}{3,}/u.test(queryWords[p]!));
      if (!informative) continue;
      for (const p of positions) credit(phraseIndex, p, p + 1, 'partial', this.rarity(queryWords[p]!));
    }
  }

  /** Words shared by many entities' names ("her2", "inhibitor") say little about which one is meant. */
  private rarity(word: string): number {
    const df = this.entityFrequency.get(word) ?? 1;
    if (df <= 2) return 1;
    if (df <= 5) return 0.7;
    if (df <= 10) return 0.4;
    return 0.15;
  }
}

/** "destinybreast9" → "destinybreast09": trial numbers are often written with a leading zero. */
function withLeadingZero(compact: string): string {
  return compact.replace(/(\D)(\d)$/, '$10$2');
}

function bagOf(words: readonly string[]): string {
  return [...words].sort().join(' ');
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
