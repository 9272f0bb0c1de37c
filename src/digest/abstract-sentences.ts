/**
 * An abstract as a reader meets it: the title, then sentences, each knowing the section it sits in.
 * A structured abstract's labels ("BACKGROUND:", "Methods", "PURPOSE") decide how much a sentence says
 * about what the paper itself did: the title, aims and methods weigh most, results and conclusions
 * less, background least (it describes other people's work and the field).
 */
import { foldText } from '../knowledge/concepts.ts';
import { type Token, tokens } from './token-phrases.ts';

export type SectionRole = 'title' | 'aims' | 'methods' | 'results' | 'conclusions' | 'background' | 'body';

export interface Sentence {
  /** As written. */
  text: string;
  /** Lower case, every dash and minus sign as "-" (foldText): what the patterns read. Same length as text. */
  folded: string;
  /** The words of `folded`, with their offsets. */
  tokens: Token[];
  role: SectionRole;
  /** How much this sentence says about the paper's own population and subject. */
  weight: number;
}

export const ROLE_WEIGHT: Record<SectionRole, number> = {
  title: 3,
  aims: 2,
  methods: 2,
  results: 1,
  conclusions: 1,
  body: 1,
  background: 0.5,
};

const LABELS: [RegExp, SectionRole][] = [
  [/^(?:background|introduction|context|rationale|importance)/i, 'background'],
  [/^(?:aims?|objectives?|purpose|goals?|hypothesis)/i, 'aims'],
  [
    /^(?:methods?|materials|patients|design|experimental design|setting|participants|interventions?|study design)/i,
    'methods',
  ],
  [/^(?:results?|findings|outcomes?)/i, 'results'],
  [
    /^(?:conclusions?|interpretation|discussion|implications|summary|significance|relevance|trial registration)/i,
    'conclusions',
  ],
];

/**
 * A section label at the start of a line: "Methods:", "Purpose:" with a colon in any case, or without
 * one in capitals only ("BACKGROUND Dual…", "EXPERIMENTAL DESIGN Archived…"), so that a line opening
 * "Patients with HER2…" is not read as a label.
 */
const LABEL_AT_START = /^\s*(?:([A-Za-z][A-Za-z ]{2,40}?):\s*|([A-Z][A-Z ]{2,40}?)\s+(?=[A-Z(][a-z]))/;

/** Sentence ends: a stop, then space, then a capital, digit or bracket; not after "vs", "et al", "e.g", "Fig". */
const SENTENCE_END = /(?<!\b(?:vs|al|e\.g|i\.e|Fig|approx|ca|no|No))[.!?](?=\s+[A-Z0-9([])/g;

export function readSentences(title: string, abstract: string | undefined): Sentence[] {
  const out: Sentence[] = [];
  if (title.trim()) out.push(sentence(title.trim(), 'title'));
  if (!abstract) return out;
  let role: SectionRole = 'body';
  for (const rawLine of abstract.split(/\n+/)) {
    let line = rawLine.trim();
    if (!line) continue;
    const label = LABEL_AT_START.exec(line);
    const labelled = label ? roleOfLabel(label[1] ?? label[2]!) : undefined;
    if (label && labelled) {
      role = labelled;
      line = line.slice(label[0].length);
    }
    let start = 0;
    for (const m of line.matchAll(SENTENCE_END)) {
      const end = m.index + 1;
      const text = line.slice(start, end).trim();
      if (text) out.push(sentence(text, role));
      start = end;
    }
    const rest = line.slice(start).trim();
    if (rest) out.push(sentence(rest, role));
  }
  return unlabelledRoles(out);
}

/** "We…", "our study", "this study", "here": the paper speaking of its own work. */
const OWN_WORK = /\b(?:we|our|this (?:study|trial|analysis|review|report)|the present (?:study|analysis)|here)\b/i;

/**
 * An abstract without labels still has a background and an account of the paper's own work: the
 * sentences before the first one in which the authors speak of what they did ("In our study, we
 * generated…") are background; that one and those after it are the paper's own.
 */
function unlabelledRoles(sentences: Sentence[]): Sentence[] {
  const body = sentences.filter((s) => s.role === 'body');
  if (body.length === 0 || body.length !== sentences.filter((s) => s.role !== 'title').length) return sentences;
  const first = body.findIndex((s) => OWN_WORK.test(s.text));
  if (first <= 0) return sentences;
  for (let i = 0; i < first; i++) Object.assign(body[i]!, { role: 'background', weight: ROLE_WEIGHT.background });
  Object.assign(body[first]!, { role: 'aims', weight: ROLE_WEIGHT.aims });
  return sentences;
}

function roleOfLabel(label: string): SectionRole | undefined {
  const words = label.trim();
  // A label is short and is the whole run before the colon or the next sentence ("METHODS In this…").
  if (words.split(/\s+/).length > 3) return undefined;
  return LABELS.find(([pattern]) => pattern.test(words))?.[1];
}

function sentence(text: string, role: SectionRole): Sentence {
  const folded = foldText(text);
  // foldText maps one character to one almost always; where it does not (rare Unicode case folds),
  // fall back to a per-character fold so offsets in `folded` stay offsets in `text`.
  const same = folded.length === text.length ? folded : [...text].map((c) => foldText(c)[0] ?? c).join('');
  return { text, folded: same, tokens: tokens(same), role, weight: ROLE_WEIGHT[role] };
}
