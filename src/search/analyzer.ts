/**
 * How text becomes terms, for the index, for queries and for the digest's classifier alike.
 *
 * The vocabulary is full of hyphenated codes and gene symbols (T-DM1, HER2-low, 17-AAG, PI3K/AKT,
 * DS-8201a) that general-purpose tokenizers break apart or stem away. Here:
 * - a compound is split into its parts AND kept whole without separators, so `T-DM1`, `T DM1` (as a
 *   joined query n-gram) and `TDM1` all meet at `tdm1`; single-letter fragments are dropped (the `t` of
 *   T-DM1 would otherwise match every T-something);
 * - tokens with digits are never stemmed (`her2`, `p95her2`, `bkm120`); short words are never stemmed
 *   (`met`, `src`, `er`); longer words lose only plural endings, so stems stay recognisable;
 * - stop words are a short list of English function words with no domain meaning.
 */

const GREEK: Record<string, string> = {
  α: 'alpha',
  β: 'beta',
  γ: 'gamma',
  δ: 'delta',
  κ: 'kappa',
  µ: 'u',
  μ: 'u',
};

export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the of in on for to and or with without by is are was were be been being what which who whom how why ' +
    'when where does do did done about from at as that this these those it its there their they them me my i we ' +
    'us our you your please tell show give any some can could would should will may might must into than then ' +
    'also such via per i.e e.g etc here has have had not no yes if so but just like get got know want need'
  ).split(' '),
);

/**
 * Abbreviations of general clinical English, mapped to the word the knowledge base uses. This is
 * morphology, not entity synonyms (those come from the knowledge base's aliases).
 */
const CLINICAL_ABBREVIATIONS: Record<string, string> = {
  mets: 'metastasis',
  metastases: 'metastasis',
  metastatic: 'metastasis',
  oestrogen: 'estrogen',
  tumour: 'tumor',
  tumours: 'tumor',
  tumors: 'tumor',
  diarrhoea: 'diarrhea',
};

/**
 * Endpoint names written out, mapped to the abbreviations trial reports use (the knowledge base says
 * "OS", a user may type "overall survival"). Standard clinical vocabulary, not entity synonyms.
 */
const ENDPOINT_ABBREVIATIONS: [RegExp, string][] = [
  [/\boverall survival\b/g, 'os'],
  [/\bprogression[- ]free survival\b/g, 'pfs'],
  [/\binvasive disease[- ]free survival\b/g, 'idfs'],
  [/\bdisease[- ]free survival\b/g, 'dfs'],
  [/\b(?:objective |overall )?response rate\b/g, 'orr'],
  [/\bpathologic(?:al)? complete response\b/g, 'pcr'],
  [/\btime to progression\b/g, 'ttp'],
  [/\bhazard ratio\b/g, 'hr'],
];

const ENDPOINT_HINT = /surviv|respons|progress|hazard/;

/** Lower-case, compatibility-normalised text with Greek letters spelled out and accents removed. */
export function normalize(text: string): string {
  // Plain ASCII (most queries and names) needs no Unicode normalisation.
  let out = /^[\x20-\x7e]*$/.test(text)
    ? text.toLowerCase()
    : text
        .normalize('NFKC')
        .toLowerCase()
        .replace(/[αβγδκµμ]/g, (c) => GREEK[c] ?? c)
        .normalize('NFD')
        .replace(/\p{M}+/gu, '')
        .normalize('NFC');
  if (ENDPOINT_HINT.test(out)) {
    for (const [pattern, abbreviation] of ENDPOINT_ABBREVIATIONS) out = out.replace(pattern, abbreviation);
  }
  return out;
}

/**
 * The words of a text as typed, without stemming or compound handling: `T-DM1 vs lapatinib` gives
 * `t`, `dm1`, `vs`, `lapatinib`. Used to match alias phrases word by word.
 */
export function words(text: string): string[] {
  return normalize(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** Light stemming: plurals only, never on codes with digits or on short words. */
export function stem(word: string): string {
  const mapped = CLINICAL_ABBREVIATIONS[word];
  if (mapped) return mapped;
  if (word.length < 5 || /\d/.test(word)) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (/(ss|us|is|os|as)$/.test(word)) return word;
  if (word.endsWith('es') && /(ch|sh|x|z)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

/**
 * Index and query terms of a text. A compound (parts joined by `-` or `/`) yields its joined form plus
 * its parts of two or more characters; every term is stemmed and stop words are removed.
 */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const raw of normalize(text).split(/[^\p{L}\p{N}\-/]+/u)) {
    const parts = raw.split(/[-/]+/).filter((p) => p.length > 0);
    if (parts.length === 0) continue;
    if (parts.length === 1) {
      push(out, parts[0]!);
      continue;
    }
    push(out, parts.join(''));
    for (const part of parts) if (part.length > 1) push(out, part);
  }
  return out;
}

function push(out: string[], word: string): void {
  if (STOP_WORDS.has(word)) return;
  out.push(stem(word));
}

/** A word with no letters or digits at all (punctuation, emoji) never reaches the index. */
export function hasSearchableText(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}
