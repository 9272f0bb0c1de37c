/**
 * Reads a literature item as a clinician would: is it about HER2-positive breast cancer (its
 * population, sentence by sentence: population.ts), which mechanisms and agents is it about, each
 * with the phrase that made it so (salient-tags.ts), how strong is its design (tier), and is it
 * already in the knowledge base. The vocabulary comes from the knowledge base and its concept layer.
 */
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import { readSentences } from './abstract-sentences.ts';
import { KbEntries, type KbEntry } from './kb-entries.ts';
import { PopulationReader } from './population.ts';
import { type Tag, TagReader } from './salient-tags.ts';
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
  /** Most salient first; the first decides the digest group. */
  mechanisms: string[];
  agents: string[];
  /** Tag id → the phrase that triggered it ("constitutively active form of HER2"). */
  reasons: Record<string, string>;
  /** Higher is more relevant: tag salience plus the evidence tier. */
  score: number;
  tier: Tier;
  /** The knowledge-base evidence item this record is (same PMID, DOI or NCT id). */
  kbEvidence?: string;
  /** The entry this record reports new data on (same paper, an entry's NCT id, a trial acronym in the title). */
  kbEntry?: KbEntry;
  /** A trial or drug named in the title that the knowledge base lacks but the concept layer knows. */
  kbGap?: string;
  relevant: boolean;
  /** Why it is (or is not) about HER2-positive breast cancer: the deciding phrase. */
  relevanceReason: string;
}

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

export class Classifier {
  private readonly tags: TagReader;
  private readonly population: PopulationReader;
  /** Agents that act on HER2 itself: naming one implies HER2 (trastuzumab, T-DM1, tucatinib, …). */
  private readonly her2Agents: Set<string>;
  private readonly entries: KbEntries;

  constructor(private readonly kb: KnowledgeBase) {
    this.entries = new KbEntries(kb);
    this.tags = new TagReader(kb);
    this.population = new PopulationReader(kb.concepts.data.digest.population);
    this.her2Agents = new Set(kb.agents.filter((a) => a.targets.some((t) => /HER2|ErbB2/i.test(t))).map((a) => a.id));
  }

  classify(item: LiteratureItem): Classification {
    const sentences = readSentences(item.title, item.abstract);
    const { mechanisms, agents } = this.tags.read(sentences);
    const tier = tierOf(item);
    const kbEvidence = this.kbEvidence(item);
    const her2Agent = agents.find((t) => this.her2Agents.has(t.id));
    const verdict = this.population.judge(sentences, {
      ...(her2Agent ? { her2Agent: her2Agent.reason } : {}),
      // Trials come from a breast-cancer condition search; retraction and erratum notices are a line
      // or two that name the paper, rarely the disease, and must reach the channels that saw the paper.
      breastImplied: item.source === 'clinicaltrials',
      notice: tier === 'correction or retraction',
    });
    const relevant = kbEvidence !== undefined || verdict.relevant;
    const reasons: Record<string, string> = {};
    for (const t of [...mechanisms, ...agents]) reasons[t.id] = t.reason;
    const tagScore = [...mechanisms, ...agents].reduce((sum, t) => sum + t.score, 0);
    const kbEntry = relevant ? this.entries.entryFor(item) : undefined;
    const kbGap = relevant && !kbEntry ? this.entries.gapFor(item) : undefined;
    return {
      ...(kbEntry ? { kbEntry } : {}),
      ...(kbGap ? { kbGap } : {}),
      mechanisms: mechanisms.map((t: Tag) => t.id),
      agents: agents.map((t: Tag) => t.id),
      reasons,
      score: Math.round((tagScore + TIER_BONUS[tier] + (kbEvidence ? 2 : 0)) * 100) / 100,
      tier,
      ...(kbEvidence ? { kbEvidence } : {}),
      relevant,
      relevanceReason: kbEvidence && !verdict.relevant ? `in the knowledge base: ${kbEvidence}` : verdict.reason,
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

const wholeWordPatterns = new Map<string, RegExp>();
function wholeWords(needle: string): RegExp {
  let pattern = wholeWordPatterns.get(needle);
  if (!pattern) {
    pattern = new RegExp(`\\b${needle}\\b`);
    wholeWordPatterns.set(needle, pattern);
  }
  return pattern;
}
