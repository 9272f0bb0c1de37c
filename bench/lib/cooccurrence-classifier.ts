/**
 * The digest classifier as it stood before issue 12, kept as a baseline for bench/digest-eval.ts:
 * a record is relevant when a HER2 word (not written as "HER2-negative") and "breast" occur anywhere,
 * and it is tagged with every mechanism and agent whose exact name occurs anywhere (hazard ratios
 * removed first). Co-occurrence only: no sentences, no qualifiers, no salience.
 */
import type { Prediction } from '../../src/eval/digest-score.ts';
import type { KnowledgeBase } from '../../src/knowledge/knowledge-base.ts';
import { buildDocuments } from '../../src/search/documents.ts';
import { analysedWords, PhraseMatcher } from '../../src/search/phrase-matcher.ts';

const HER2_TERMS = ['HER2', 'HER-2', 'HER2/neu', 'ERBB2', 'ErbB-2', 'HER2-positive', 'HER2-low'];
const HER2_COMPACT = new Set(HER2_TERMS.map((t) => analysedWords(t).join('')));
const BREAST_WORDS = new Set(['breast', 'mammary'].flatMap(analysedWords));
const HAZARD_RATIO = /\bhazard ratios?(?:\s*\(HRs?\))?|\bHRs?(?=\s*[=:,]?\s*[<>≤≥]?\s*\d)/gi;
const NEGATED_HER2 =
  /\b(?:HER-?2|ERBB-?2)(?:\/neu)?(?:\s*[-‐–−]\s*|\s+)(?:negative|non-?amplified|non-?overexpressing)\b|\b(?:HER-?2|ERBB-?2)\s*[-‐–−](?=[\s,;:/)\]]|$)/gi;

export class CooccurrenceClassifier {
  private readonly matcher: PhraseMatcher;
  private readonly kinds = new Map<string, string>();
  private readonly her2Agents: Set<string>;

  constructor(kb: KnowledgeBase) {
    const documents = buildDocuments(kb).filter((d) => d.kind === 'mechanism' || d.kind === 'agent');
    for (const d of documents) this.kinds.set(d.id, d.kind);
    this.matcher = new PhraseMatcher(documents);
    this.her2Agents = new Set(kb.agents.filter((a) => a.targets.some((t) => /HER2|ErbB2/i.test(t))).map((a) => a.id));
  }

  classify(title: string, abstract = ''): Prediction {
    const found = new Set<string>();
    for (const text of [title, abstract]) {
      for (const id of this.matcher.matchExact(analysedWords(text.replace(HAZARD_RATIO, ' '))).keys()) found.add(id);
    }
    const mechanisms = [...found].filter((id) => this.kinds.get(id) === 'mechanism');
    const agents = [...found].filter((id) => this.kinds.get(id) === 'agent');
    const text = `${title} ${abstract}`;
    const words = analysedWords(text.replace(NEGATED_HER2, ' '));
    const her2 =
      words.some((w, i) => HER2_COMPACT.has(w) || (i + 1 < words.length && HER2_COMPACT.has(w + words[i + 1]))) ||
      agents.some((a) => this.her2Agents.has(a));
    const breast = analysedWords(text).some((w) => BREAST_WORDS.has(w));
    return { relevant: her2 && breast, mechanisms, agents };
  }
}
