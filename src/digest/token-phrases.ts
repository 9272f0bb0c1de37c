/**
 * Phrase lists looked up word by word instead of by one large regular expression: a sentence is cut
 * into its words once (letters and digits; case, dashes and slashes already folded away), and each
 * list finds its phrases by their first word in a map. The digest reads thousands of abstracts a
 * second, and a regular expression of a hundred alternatives with word-boundary look-arounds costs
 * microseconds per sentence for every list; this costs a hash lookup per word.
 */

export interface Token {
  word: string;
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The words of an already folded text (see foldText), with their character offsets. */
export function tokens(folded: string): Token[] {
  const out: Token[] = [];
  for (const m of folded.matchAll(WORD)) out.push({ word: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

export interface PhraseHit {
  /** The phrase as listed. */
  phrase: string;
  /** Token positions [from, to) and character offsets [start, end). */
  from: number;
  to: number;
  start: number;
  end: number;
}

export class TokenPhrases {
  private readonly byFirst = new Map<string, { words: string[]; phrase: string }[]>();

  constructor(phrases: readonly string[]) {
    for (const phrase of phrases) {
      const words = tokens(phrase.toLowerCase()).map((t) => t.word);
      if (words.length === 0) continue;
      const list = this.byFirst.get(words[0]!) ?? [];
      list.push({ words, phrase });
      // Longest first, so "healthy male subjects" wins over "healthy male".
      list.sort((a, b) => b.words.length - a.words.length);
      this.byFirst.set(words[0]!, list);
    }
  }

  /** Every phrase found, left to right; at one position only the longest. */
  all(ts: readonly Token[]): PhraseHit[] {
    const out: PhraseHit[] = [];
    for (let i = 0; i < ts.length; i++) {
      const hit = this.at(ts, i);
      if (hit) out.push(hit);
    }
    return out;
  }

  first(ts: readonly Token[]): PhraseHit | undefined {
    for (let i = 0; i < ts.length; i++) {
      const hit = this.at(ts, i);
      if (hit) return hit;
    }
    return undefined;
  }

  private at(ts: readonly Token[], i: number): PhraseHit | undefined {
    const candidates = this.byFirst.get(ts[i]!.word);
    if (!candidates) return undefined;
    for (const c of candidates) {
      if (i + c.words.length > ts.length) continue;
      let k = 1;
      while (k < c.words.length && ts[i + k]!.word === c.words[k]) k++;
      if (k === c.words.length) {
        const to = i + k;
        return { phrase: c.phrase, from: i, to, start: ts[i]!.start, end: ts[to - 1]!.end };
      }
    }
    return undefined;
  }
}
