/**
 * Tags a literature item with the knowledge base's mechanisms and agents, using the same analyzer
 * and name phrases as the search (aliases, brand and code names, gene symbols), and decides whether
 * it is about HER2-positive breast cancer at all. Title matches count more than abstract matches.
 */
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import { buildDocuments } from '../search/documents.ts';
// Every word, not matchWords (a query's first 24): an abstract is read to its end.
import { analysedWords, PhraseMatcher } from '../search/phrase-matcher.ts';
import { BREAST_TERMS, HER2_TERMS } from './sources/queries.ts';
import type { LiteratureItem } from './sources/types.ts';

export type Tier =
  | 'randomized phase III'
  | 'phase III'
  | 'phase II'
  | 'phase I'
  | 'meta-analysis'
  | 'review'
  | 'clinical study'
  | 'preclinical'
  | 'trial registration'
  | 'correction or retraction'
  | 'other';

export interface Classification {
  mechanisms: string[];
  agents: string[];
  /** Higher is more relevant: entity matches (title ×2) plus the evidence tier. */
  score: number;
  tier: Tier;
  /** The knowledge-base evidence item this record is (same PMID, DOI or NCT id). */
  kbEvidence?: string;
  relevant: boolean;
}

const TITLE_WEIGHT = 2;
const ABSTRACT_WEIGHT = 1;

const TIER_BONUS: Record<Tier, number> = {
  'randomized phase III': 3,
  'phase III': 2.5,
  'meta-analysis': 2,
  'phase II': 2,
  'trial registration': 1.5,
  'phase I': 1,
  'clinical study': 1,
  review: 0.5,
  preclinical: 0.5,
  'correction or retraction': 1,
  other: 0,
};

/**
 * The same HER2 and breast vocabulary the source queries use, in the analyzer's word form. HER2 terms
 * are kept whole (`her2`, `erbb2`, `her2neu`, `her2positive`, `her2low`), never split into their parts:
 * "positive", "low" or "2" alone say nothing about HER2.
 */
const HER2_COMPACT = new Set(HER2_TERMS.map((t) => analysedWords(t).join('')));
const BREAST_WORDS = new Set([...BREAST_TERMS.flatMap(analysedWords), 'mammary']);

/**
 * A hazard ratio ("HR 0.65", "HR=1.9", "hazard ratio (HR)"), which nearly every clinical abstract
 * reports: the analyzer spells "hazard ratio" as `hr`, and `hr` is also hormone receptor, an alias of
 * ER crosstalk. Removed before matching.
 */
const HAZARD_RATIO = /\bhazard ratios?(?:\s*\(HRs?\))?|\bHRs?(?=\s*[=:,]?\s*[<>≤≥]?\s*\d)/gi;

/**
 * HER2 named only to rule it out ("HER2-negative", "HER2 non-amplified", "HR+/HER2−"): such a mention
 * does not make a record about HER2-positive disease. ClinicalTrials.gov's condition search returns
 * many HR+/HER2− breast cancer trials for the word HER2.
 */
const NEGATED_HER2 =
  /\b(?:HER-?2|ERBB-?2)(?:\/neu)?(?:\s*[-‐–−]\s*|\s+)(?:negative|non-?amplified|non-?overexpressing)\b|\b(?:HER-?2|ERBB-?2)\s*[-‐–−](?=[\s,;:/)\]]|$)/gi;

export class Classifier {
  private readonly matcher: PhraseMatcher;
  private readonly kinds = new Map<string, 'mechanism' | 'agent'>();
  /** Agents that act on HER2 itself: naming one implies HER2 (trastuzumab, T-DM1, tucatinib, …). */
  private readonly her2Agents: Set<string>;

  constructor(private readonly kb: KnowledgeBase) {
    const documents = buildDocuments(kb).filter((d) => d.kind === 'mechanism' || d.kind === 'agent');
    for (const d of documents) this.kinds.set(d.id, d.kind as 'mechanism' | 'agent');
    this.matcher = new PhraseMatcher(documents);
    this.her2Agents = new Set(kb.agents.filter((a) => a.targets.some((t) => /HER2|ErbB2/i.test(t))).map((a) => a.id));
  }

  classify(item: LiteratureItem): Classification {
    const scores = new Map<string, number>();
    const addMatches = (text: string | undefined, weight: number) => {
      if (!text) return;
      // Exact names only, and no typo search: an abstract is not a query, and most of its words are
      // ordinary English the knowledge base does not know.
      for (const [entity, score] of this.matcher.matchExact(analysedWords(text.replace(HAZARD_RATIO, ' ')))) {
        scores.set(entity, (scores.get(entity) ?? 0) + weight * score);
      }
    };
    addMatches(item.title, TITLE_WEIGHT);
    addMatches(item.abstract, ABSTRACT_WEIGHT);

    const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
    const mechanisms = ranked.filter(([id]) => this.kinds.get(id) === 'mechanism').map(([id]) => id);
    const agents = ranked.filter(([id]) => this.kinds.get(id) === 'agent').map(([id]) => id);
    const tier = tierOf(item);
    const kbEvidence = this.kbEvidence(item);

    const text = `${item.title} ${item.abstract ?? ''}`;
    const her2 = mentionsHer2(text) || agents.some((a) => this.her2Agents.has(a));
    const breast = analysedWords(text).some((w) => BREAST_WORDS.has(w));
    // Trials come from a breast-cancer condition search; retraction and erratum notices are a line or
    // two that name the paper, rarely the disease, and must reach the channels that saw the paper.
    const relevant =
      kbEvidence !== undefined ||
      (her2 && (breast || item.source === 'clinicaltrials' || tier === 'correction or retraction'));

    const entityScore = ranked.reduce((sum, [, s]) => sum + s, 0);
    return {
      mechanisms,
      agents,
      score: Math.round((entityScore + TIER_BONUS[tier] + (kbEvidence ? 2 : 0)) * 100) / 100,
      tier,
      ...(kbEvidence ? { kbEvidence } : {}),
      relevant,
    };
  }

  private kbEvidence(item: LiteratureItem): string | undefined {
    const byId =
      this.kb.evidenceByIdentifier({ pmid: item.pmid, doi: item.doi }) ??
      (item.source === 'clinicaltrials' ? this.kb.evidenceByIdentifier({ nct: item.id }) : undefined);
    return byId?.id;
  }
}

/** A provisional evidence tier from publication types (PubMed) or phases (ClinicalTrials.gov). */
export function tierOf(item: LiteratureItem): Tier {
  if ((item.retractionOf?.length ?? 0) > 0 || (item.correctionOf?.length ?? 0) > 0) return 'correction or retraction';
  if (item.source === 'clinicaltrials') {
    const phases = item.phases ?? [];
    if (phases.includes('PHASE3')) return 'phase III';
    if (phases.includes('PHASE2')) return 'phase II';
    if (phases.includes('PHASE1') || phases.includes('EARLY_PHASE1')) return 'phase I';
    return 'trial registration';
  }
  const types = item.publicationTypes.map((t) => t.toLowerCase());
  // Whole words: "phase i" must not match "Clinical Trial, Phase IV".
  const has = (needle: string) => types.some((t) => wholeWords(needle).test(t));
  if (has('retraction') || has('erratum') || has('published erratum')) return 'correction or retraction';
  if (has('phase iii')) return has('randomized') ? 'randomized phase III' : 'phase III';
  if (has('meta-analysis') || has('systematic review')) return 'meta-analysis';
  if (has('phase ii')) return 'phase II';
  if (has('phase i')) return 'phase I';
  if (has('randomized controlled trial') || has('clinical trial') || has('observational study'))
    return 'clinical study';
  if (has('review')) return 'review';
  const text = `${item.title} ${item.abstract ?? ''}`.toLowerCase();
  if (/\b(xenograft|cell lines?|in vitro|in vivo|mice|murine|organoids?)\b/.test(text)) return 'preclinical';
  return 'other';
}

/** HER2 named as present: one of its terms, whole or split in two (`HER-2` gives `her`, `2`), not ruled out. */
function mentionsHer2(text: string): boolean {
  const words = analysedWords(text.replace(NEGATED_HER2, ' '));
  return words.some((w, i) => HER2_COMPACT.has(w) || (i + 1 < words.length && HER2_COMPACT.has(w + words[i + 1])));
}

const wholeWordPatterns = new Map<string, RegExp>();
function wholeWords(needle: string): RegExp {
  let pattern = wholeWordPatterns.get(needle);
  if (!pattern) {
    pattern = new RegExp(`\\b${needle}\\b`);
    wholeWordPatterns.set(needle, pattern);
  }
  return pattern;
}
