/**
 * Typing distance: edit distance with an upper bound, the typo budget a word's length allows, and an
 * index that finds the known words within that budget of a misspelt one.
 */

/** Two rows of the distance table, reused by every call (a query compares hundreds of words). */
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/**
 * Edit distance with an upper bound: returns `max + 1` as soon as the distance must exceed `max`, so
 * comparing a query word against the whole vocabulary stays cheap. Only the band of cells within
 * `max` of the diagonal can stay within `max`, so only that band is computed.
 */
export function boundedLevenshtein(a: string, b: string, max: number): number {
  const n = a.length;
  const m = b.length;
  const over = max + 1;
  if (Math.abs(n - m) > max) return over;
  if (a === b) return 0;
  if (rowA.length < m + 2) {
    rowA = new Int32Array(m + 2);
    rowB = new Int32Array(m + 2);
  }
  let prev = rowA;
  let curr = rowB;
  for (let j = 0; j <= m + 1; j++) prev[j] = j <= max ? j : over;
  for (let i = 1; i <= n; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(m, i + max);
    curr[lo - 1] = lo === 1 && i <= max ? i : over;
    let rowMin = curr[lo - 1]!;
    const ca = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      let value = prev[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const deletion = prev[j]! + 1;
      if (deletion < value) value = deletion;
      const insertion = curr[j - 1]! + 1;
      if (insertion < value) value = insertion;
      if (value > over) value = over;
      curr[j] = value;
      if (value < rowMin) rowMin = value;
    }
    // The cell right of the band is read by the next row; its true distance exceeds max.
    if (hi < m) curr[hi + 1] = over;
    if (rowMin > max) return over;
    const swap = prev;
    prev = curr;
    curr = swap;
  }
  const distance = prev[m]!;
  return distance > max ? over : distance;
}

/** How many edits a word of this length may carry and still count as a typo: 1 from 5 letters, 2 from 9. */
export function typoBudget(length: number): number {
  if (length >= 9) return 2;
  if (length >= 5) return 1;
  return 0;
}

/** The numbers a word holds, in order, without leading zeros ("destinybreast09" → "9"; none → ""). */
export function digitsOf(word: string): string {
  const numbers = word.match(/\d+/g);
  if (!numbers) return '';
  return numbers.map((n) => n.replace(/^0+(?=\d)/, '')).join(' ');
}

export interface NearWord {
  word: string;
  distance: number;
}

/**
 * Known words by length and by the numbers they hold, so a misspelt word is compared only with the
 * words it could be a typo of: digits are never typos (DESTINY-Breast04 is not DESTINY-Breast03,
 * BOLERO-1 is not BOLERO-3), and a word longer or shorter by more than the budget cannot be one.
 * Within a bucket, each word's set of characters rules most candidates out before any distance is
 * computed (see couldBeWithin).
 */
export class TypoIndex {
  private readonly buckets = new Map<string, { words: string[]; characters: number[] }>();

  constructor(words: Iterable<string>) {
    for (const word of words) {
      const key = bucketKey(word.length, digitsOf(word));
      let bucket = this.buckets.get(key);
      if (!bucket) {
        bucket = { words: [], characters: [] };
        this.buckets.set(key, bucket);
      }
      bucket.words.push(word);
      bucket.characters.push(characterSet(word));
    }
  }

  /** Every known word within `budget` edits, shortest first, then in the order they were given. */
  near(word: string, budget: number): NearWord[] {
    const found: NearWord[] = [];
    if (budget <= 0) return found;
    const digits = digitsOf(word);
    const characters = characterSet(word);
    for (let length = word.length - budget; length <= word.length + budget; length++) {
      const bucket = this.buckets.get(bucketKey(length, digits));
      if (!bucket) continue;
      for (let i = 0; i < bucket.words.length; i++) {
        if (!couldBeWithin(characters, bucket.characters[i]!, budget)) continue;
        const candidate = bucket.words[i]!;
        const distance = boundedLevenshtein(word, candidate, budget);
        if (distance <= budget) found.push({ word: candidate, distance });
      }
    }
    return found;
  }
}

function bucketKey(length: number, digits: string): string {
  return `${length}|${digits}`;
}

/** The characters a word holds, as 32 bits (a character's code modulo 32: a few share a bit). */
function characterSet(word: string): number {
  let bits = 0;
  for (let i = 0; i < word.length; i++) bits |= 1 << (word.charCodeAt(i) & 31);
  return bits;
}

/**
 * False when two words cannot be within `budget` edits: each kind of character one holds and the
 * other lacks needs an edit of its own (characters sharing a bit only make this test let more through).
 */
function couldBeWithin(a: number, b: number, budget: number): boolean {
  return bitCount(a & ~b) <= budget && bitCount(b & ~a) <= budget;
}

function bitCount(n: number): number {
  let v = n - ((n >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
