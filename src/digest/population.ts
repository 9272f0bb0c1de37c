/**
 * Is a paper about HER2-positive breast cancer? Decided the way a clinician reads the abstract: who
 * was studied, sentence by sentence. Each HER2 term is read with the qualifier written right after it
 * ("HER2-positive", "HER2 amplified", "HER2+" vs "HER2-low", "HER2–negative", "HER2-mutant",
 * "HER2 non-amplified"; dashes, minus signs and brackets normalised), a negation or an exclusion counts
 * only in its own sentence, and the disease site (breast vs gastric, biliary, lung…) and the subjects
 * (patients vs healthy volunteers) are read beside it. The title, aims and methods outweigh the
 * background, which describes the field rather than the paper.
 */

import { phrasePattern } from '../knowledge/concepts.ts';
import type { DigestConceptsData } from '../knowledge/digest-concepts-schema.ts';
import type { Sentence } from './abstract-sentences.ts';
import { TokenPhrases } from './token-phrases.ts';

export interface PopulationVerdict {
  relevant: boolean;
  /** The phrase that decided it, as written. */
  reason: string;
}

export interface PopulationContext {
  /** A HER2-directed drug is named (trastuzumab, T-DM1…): HER2-positive disease is implied. */
  her2Agent?: string;
  /** ClinicalTrials.gov records come from a breast-cancer condition search. */
  breastImplied?: boolean;
  /** A correction or retraction: a line that names the paper, seldom the population. */
  notice?: boolean;
}

type Status = 'positive' | 'other';

interface SentenceReading {
  weight: number;
  role: Sentence['role'];
  positive?: string;
  other?: string;
  breast?: string;
  otherSite?: string;
  healthy?: string;
}

const DISEASE_AFTER_BARE_TERM =
  /^[\s-]*(?:breast|tumou?rs?|cancers?|disease|carcinomas?|mbc|ebc|abc|cell lines?|cells|patients|subtype)(?![\p{L}\p{N}])/u;
const POSITIVE_BEFORE = /(?:amplified|overexpressing|over-expressing|amplification of|overexpression of)\s*$/u;
const NEGATION_BEFORE = /(?:\bnot|\bnon|\bno|\bwithout)[\s-]*$/u;
/** "HER2-" or "HER2(-)" or "HER2 (−)" followed by a separator: negative. "HER2+" or "HER2(+)": positive. */
const MINUS_AFTER = /^\s*(?:\(\s*-\s*\)|-(?=[\s,;:/)\]]|$))/u;
const PLUS_AFTER = /^\s*(?:\(\s*\+\s*\)|\+)/u;

export class PopulationReader {
  private readonly her2: TokenPhrases;
  private readonly qualifier: RegExp;
  private readonly positiveWords: Set<string>;
  private readonly finding: RegExp;
  private readonly otherDisease: TokenPhrases;
  private readonly breast: TokenPhrases;
  private readonly otherSites: TokenPhrases;
  private readonly healthy: TokenPhrases;
  private readonly exclusion: TokenPhrases;
  private readonly offTopic: TokenPhrases;

  constructor(data: DigestConceptsData['population']) {
    this.her2 = new TokenPhrases(data.her2Terms);
    const qualifiers = [...data.positive, ...data.other].sort((a, b) => b.length - a.length);
    // After the term: separators, at most one short bracketed aside ("(HER2)", "[IHC 0 or 1+]"), the qualifier.
    this.qualifier = new RegExp(
      `^[\\s\\-)\\]]*(?:\\[[^\\]]{0,24}\\]\\s*|\\([^)]{0,24}\\)\\s*)?[\\s\\-]*(${qualifiers.map(phrasePattern).join('|')})`,
      'u',
    );
    this.positiveWords = new Set(data.positive.map((p) => p.toLowerCase()));
    this.finding = new RegExp(
      `^[\\s\\-]*(?:\\S+\\s+){0,2}?(?:${data.otherIsFinding.map(phrasePattern).join('|')})`,
      'u',
    );
    this.otherDisease = new TokenPhrases(data.otherDisease);
    this.breast = new TokenPhrases(data.breast);
    this.otherSites = new TokenPhrases(data.otherSites);
    this.healthy = new TokenPhrases(data.healthySubjects);
    this.exclusion = new TokenPhrases(data.exclusion);
    this.offTopic = new TokenPhrases(data.offTopicSubjects);
  }

  judge(sentences: readonly Sentence[], context: PopulationContext = {}): PopulationVerdict {
    const readings = sentences.map((s) => this.read(s));
    let positive = 0;
    let other = 0;
    let breast = 0;
    let otherSite = 0;
    let bestPositive: SentenceReading | undefined;
    let bestOther: SentenceReading | undefined;
    let bestSite: SentenceReading | undefined;
    for (const r of readings) {
      const siteElsewhere = r.otherSite !== undefined && r.breast === undefined;
      if (r.breast) breast += r.weight;
      if (siteElsewhere) {
        otherSite += r.weight;
        if (!bestSite || r.weight > bestSite.weight) bestSite = r;
      }
      if (r.positive && !siteElsewhere) {
        positive += r.weight;
        if (!bestPositive || r.weight > bestPositive.weight) bestPositive = r;
      }
      if (r.other) {
        other += r.weight;
        if (!bestOther || r.weight > bestOther.weight) bestOther = r;
      }
    }
    const healthy = readings.find((r) => r.healthy && r.role !== 'background' && r.role !== 'conclusions');
    if (healthy) return { relevant: false, reason: `subjects: '${healthy.healthy}'` };

    const title = sentences.find((s) => s.role === 'title');
    const offTopic = title ? this.offTopic.first(title.tokens)?.phrase : undefined;
    if (offTopic && !readings[0]?.positive) return { relevant: false, reason: `subject: '${offTopic}'` };

    if (!context.breastImplied && !context.notice && breast === 0)
      return { relevant: false, reason: bestSite ? `site: '${bestSite.otherSite}'` : 'no breast cancer named' };
    if (otherSite > breast && bestSite) return { relevant: false, reason: `site: '${bestSite.otherSite}'` };

    if (positive > 0 && positive >= other) return { relevant: true, reason: `population: '${bestPositive!.positive}'` };
    if (bestOther) return { relevant: false, reason: `population: '${bestOther.other}'` };
    if (context.her2Agent) return { relevant: true, reason: `HER2-directed drug: '${context.her2Agent}'` };
    return { relevant: false, reason: 'no HER2-positive population named' };
  }

  private read(s: Sentence): SentenceReading {
    const r: SentenceReading = { weight: s.weight, role: s.role };
    const excluded = this.exclusion.first(s.tokens) !== undefined;
    for (const m of this.her2.all(s.tokens)) {
      const status = this.statusAt(s.folded, m.start, m.end);
      if (!status) continue;
      const phrase = s.text.slice(m.start, Math.min(s.text.length, m.end + status.length)).trim();
      if (status.status === 'positive' && !excluded) r.positive ??= phrase;
      else r.other ??= phrase;
    }
    const disease = this.otherDisease.first(s.tokens);
    if (disease) r.other ??= s.text.slice(disease.start, disease.end);
    const breast = this.breast.first(s.tokens);
    if (breast) r.breast = breast.phrase;
    const site = this.otherSites.first(s.tokens);
    if (site) r.otherSite = site.phrase;
    const healthy = this.healthy.first(s.tokens);
    if (healthy) r.healthy = healthy.phrase;
    return r;
  }

  /** What the words right around a HER2 term say about HER2, and how many characters after it they take. */
  private statusAt(folded: string, start: number, end: number): { status: Status; length: number } | undefined {
    const before = folded.slice(Math.max(0, start - 20), start);
    const after = folded.slice(end, end + 48);
    const negated = NEGATION_BEFORE.test(before);
    const flip = (status: Status): Status => (negated && status === 'positive' ? 'other' : status);
    const plus = PLUS_AFTER.exec(after);
    if (plus) return { status: flip('positive'), length: plus[0].length };
    const minus = MINUS_AFTER.exec(after);
    if (minus) return this.finding.test(after.slice(minus[0].length)) ? undefined : { status: 'other', length: 1 };
    const q = this.qualifier.exec(after);
    if (q) {
      const word = q[1]!;
      if (this.positiveWords.has(word)) return { status: flip('positive'), length: q[0].length };
      // "HER2-negative residual disease", "HER2 loss at relapse": a finding about HER2-positive disease.
      if (this.finding.test(after.slice(q[0].length))) return undefined;
      return { status: 'other', length: q[0].length };
    }
    if (POSITIVE_BEFORE.test(before)) return { status: flip('positive'), length: 0 };
    const bare = DISEASE_AFTER_BARE_TERM.exec(after);
    if (bare && !negated && !/anti-?\s*$/.test(before)) return { status: 'positive', length: bare[0].length };
    return undefined;
  }
}
