/**
 * The search: name matching and full-text scores combined, tilted by intent words, with comparisons
 * resolved to the trial that compared the two agents. Never throws on any input.
 */
import { type EntityKind, isCountermeasure, type KnowledgeBase } from '../knowledge/knowledge-base.ts';
import { hasSearchableText, stem, terms, words } from './analyzer.ts';
import type { SearchDocument } from './documents.ts';
import {
  type EvidenceFacets,
  evidenceFacets,
  facetCount,
  facetMatch,
  type QueryFacets,
  queryFacets,
} from './facets.ts';
import { type Intent, readIntent } from './intent.ts';
import { TypoIndex, typoBudget } from './levenshtein.ts';
import { type EntityMatch, matchWords, PhraseMatcher } from './phrase-matcher.ts';
import type { QueryTerm, TextIndex, TextMatch } from './text-index.ts';

export interface Hit {
  id: string;
  kind: EntityKind;
  title: string;
  score: number;
}

export interface Suggestion {
  id: string;
  text: string;
}

export interface SearchResult {
  query: string;
  hits: Hit[];
  /** "Did you mean …" when nothing matched. */
  suggestions: Suggestion[];
  intent: Intent;
  /** For "A vs B": the two agents and the evidence that compared them (best first). */
  comparison?: { agents: [string, string]; evidence: string[] } | undefined;
  /** What the question names besides entity names: settings, endpoints, prior therapy, comparators. */
  facets?: QueryFacets | undefined;
  /** Entities the question names by a whole name (exact or with a typo), best first. */
  named: string[];
  /** Trials or drugs the question names that the knowledge base does not hold ("NeoSphere", "BOLERO-2"). */
  unheld: string[];
}

/** Longer input is cut here: no question needs more, and the cost of a query stays bounded. */
export const MAX_QUERY_CHARS = 500;
const MAX_TERMS = 32;
const TEXT_WEIGHT = 1.2;
const INTENT_BONUS = 0.35;
const COMPARISON_BONUS = 3;
/**
 * What matching every facet of a question (agents, prior therapy, setting, endpoint, comparator,
 * partner drugs) is worth to a trial: enough to rank it above the card of a drug the question names.
 */
const FACET_WEIGHT = 2.2;
const FULL_MATCH = 0.999;
/** What naming a drug's class ("TKI", "ADC") is worth to each agent of the class. */
const CLASS_SCORE = 0.8;
/** What is left of a drug card's score when the drug is named only as prior therapy. */
const PRIOR_DISCOUNT = 0.5;
/** With a single facet, it only breaks ties between analyses of a named trial ("katherine 7-year OS"). */
const SINGLE_FACET_WEIGHT = 0.3;
const MIN_RELATIVE_SCORE = 0.04;
/** A term in more than this share of documents is too common to rank by. */
const COMMON_TERM_SHARE = 0.4;
/** How much matching all of a multi-word query (rather than part of it) counts. */
const COVERAGE_WEIGHT = 0.4;
/** Share of a named entity's score lent to its linked entities, falling with their rank. */
const PROPAGATION = 0.35;
const PROPAGATION_DECAY = 0.03;
const PROPAGATION_FLOOR = 0.1;

const BOOST = { exact: 10, joined: 10, prefix: 1.5, typo: 1 } as const;

export class Searcher {
  private readonly titles = new Map<string, { kind: EntityKind; title: string }>();
  /** The indexed terms, for typo correction; built on the first correction looked for. */
  private typosOnce: TypoIndex | undefined;
  /** Each trial's facets, read once on the first question that needs them (kept out of start-up). */
  private facetsOnce: Map<string, EvidenceFacets> | undefined;
  readonly matcher: PhraseMatcher;

  constructor(
    private readonly kb: KnowledgeBase,
    documents: readonly SearchDocument[],
    private readonly index: TextIndex,
  ) {
    this.matcher = new PhraseMatcher(documents);
    for (const d of documents) this.titles.set(d.id, { kind: d.kind, title: d.title });
  }

  search(rawQuery: string, limit = 10): SearchResult {
    const query = cleanQuery(rawQuery);
    // "HR 0.65", "met its endpoint": ambiguous short aliases in ordinary use are not names.
    const intent = readIntent(this.kb.concepts.withoutFalseAliases(query));
    const empty: SearchResult = { query, hits: [], suggestions: [], intent, named: [], unheld: [] };
    if (!hasSearchableText(intent.text)) return empty;

    const queryWords = matchWords(intent.text);
    const names = this.matcher.match(queryWords, (w) => this.matcher.knows(w) || this.index.vocabulary.has(w));
    const queryTerms = [...new Set(terms(intent.text))].slice(0, MAX_TERMS);
    const rankingTerms = this.rankingTerms(queryTerms);
    const text = this.index.search(this.textQuery(rankingTerms, queryWords));
    const scores = this.combine(names, text, intent, queryWords, rankingTerms);
    this.propagate(scores, names);
    const comparison = intent.comparison ? this.compare(intent.comparison) : undefined;
    if (comparison) {
      comparison.evidence.forEach((id, rank) => {
        scores.set(id, (scores.get(id) ?? 0) + COMPARISON_BONUS / (rank + 1));
      });
    }
    // After the comparison: a trial matching everything named outranks one that only compared the two.
    const facets = queryFacets(this.kb, this.matcher, intent.text, names);
    this.scoreFacets(scores, facets, names, intent.text, intent.kinds[0]);

    const hits = this.rank(scores).slice(0, limit);
    const suggestions = hits.length === 0 ? this.suggest(queryWords) : [];
    const named = [...names.values()]
      .filter((m) => m.type === 'exact' || m.type === 'fuzzy')
      .sort((a, b) => b.score - a.score)
      .map((m) => m.entity);
    return { query, hits, suggestions, intent, comparison, facets, named, unheld: this.unheld(query) };
  }

  /**
   * Names in a question that the knowledge base does not hold: those the concept layer lists, names typed
   * with a number no trial of theirs has, and drug-like words (-mab, -nib, …) known nowhere, not even
   * as a typo.
   */
  private unheld(query: string): string[] {
    const suffixes = this.kb.concepts.drugSuffixes;
    const drugLike = words(query).filter(
      (w) =>
        w.length >= 6 &&
        /^\p{L}+$/u.test(w) &&
        suffixes.some((s) => w.endsWith(s)) &&
        !this.matcher.knows(stem(w)) &&
        !this.index.vocabulary.has(stem(w)) &&
        this.corrections(stem(w)).length === 0,
    );
    return [...new Set([...this.kb.concepts.unheldIn(query), ...this.matcher.otherNumbered(query), ...drugLike])];
  }

  /**
   * Trials matching what the question names besides names: with two facets or more ("herceptin plus
   * perjeta first line survival"), the trial matching all of them outranks the drug's own card.
   */
  private get facets(): Map<string, EvidenceFacets> {
    if (!this.facetsOnce) {
      this.facetsOnce = new Map(this.kb.evidence.map((e) => [e.id, evidenceFacets(this.kb, this.matcher, e)]));
    }
    return this.facetsOnce;
  }

  private scoreFacets(
    scores: Map<string, number>,
    q: QueryFacets,
    names: Map<string, EntityMatch>,
    text: string,
    asksFor: EntityKind | undefined,
  ): void {
    // Drug classes ("irreversible pan-HER TKI") point at their agents as a name would.
    for (const agent of this.kb.concepts.classAgentsIn(text)) scores.set(agent, (scores.get(agent) ?? 0) + CLASS_SCORE);
    // A drug named only as prior therapy ("after T-DM1") is context, not the answer.
    for (const agent of q.prior) {
      if (!q.agents.has(agent) && scores.has(agent)) scores.set(agent, scores.get(agent)! * PRIOR_DISCOUNT);
    }
    const count = facetCount(q);
    // "why does PTEN loss cause trastuzumab resistance" asks for the mechanism, whatever trials name both.
    const trialFacets = q.settings.size + q.endpoints.size + q.designs.size + q.comparators.size + q.companions.size;
    if (asksFor === 'mechanism' && trialFacets === 0) return;
    // A lone agent is the drug's own question ("HKI-272"), not a trial's.
    if (count === 0 || (count === 1 && q.agents.size === 1)) return;
    if (count === 1) {
      for (const [id, facets] of this.facets) {
        if (names.has(id)) scores.set(id, (scores.get(id) ?? 0) + SINGLE_FACET_WEIGHT * facetMatch(q, facets));
      }
      return;
    }
    const shares = new Map<string, number>();
    for (const [id, facets] of this.facets) shares.set(id, facetMatch(q, facets));
    for (const [id, share] of shares) {
      if (share > 0) scores.set(id, (scores.get(id) ?? 0) + FACET_WEIGHT * share * share);
    }
    // The trial matching everything the question names ranks above any drug or mechanism card and any
    // trial matching only part of it; among full matches, the one about just those things first.
    let topOther = 0;
    for (const [id, score] of scores) if ((shares.get(id) ?? 0) < FULL_MATCH) topOther = Math.max(topOther, score);
    for (const [id, share] of shares) {
      if (share < FULL_MATCH) continue;
      const score = scores.get(id) ?? 0;
      const precision = specificity(q, this.facets.get(id)!);
      scores.set(id, topOther + 0.01 * score * (0.5 + 0.5 * precision));
    }
  }

  /** `rankingTerms`: the query's terms without those too common to rank by (see rankingTerms). */
  private textQuery(rankingTerms: readonly string[], queryWords: readonly string[]): QueryTerm[] {
    const out = new Map<string, QueryTerm>();
    const add = (t: QueryTerm) => {
      const key = `${t.term}|${t.prefix ? 'p' : ''}`;
      const existing = out.get(key);
      if (!existing || existing.boost < t.boost) out.set(key, t);
    };
    for (const term of rankingTerms) {
      if (this.index.vocabulary.has(term)) add({ term, origin: term, boost: BOOST.exact });
      else {
        for (const fix of this.corrections(term)) {
          if (this.index.documentShare(fix) <= COMMON_TERM_SHARE) add({ term: fix, origin: term, boost: BOOST.typo });
        }
        // A fragment ("trastuz", "p95") finds the words it begins.
        if (term.length >= 3) add({ term, origin: term, boost: BOOST.prefix, prefix: true });
      }
    }
    // "bkm 120" and "t dm1" typed apart still meet the indexed compounds bkm120 and tdm1.
    for (let i = 0; i + 1 < queryWords.length; i++) {
      for (const span of [2, 3]) {
        if (i + span > queryWords.length) continue;
        const joined = queryWords.slice(i, i + span).join('');
        if (this.index.vocabulary.has(joined)) add({ term: joined, origin: joined, boost: BOOST.joined });
      }
    }
    return [...out.values()];
  }

  /**
   * The query terms that can tell documents apart. Terms found in most documents ("her2", "breast")
   * rank nothing and cost the most: they are left to the name matcher unless nothing else is left.
   */
  private rankingTerms(queryTerms: readonly string[]): readonly string[] {
    const informative = queryTerms.filter((t) => this.index.documentShare(t) <= COMMON_TERM_SHARE);
    return informative.length > 0 ? informative : queryTerms;
  }

  /** Indexed terms within typing distance of an unknown term (edit distance 1 from 5 letters, 2 from 9). */
  private corrections(term: string): string[] {
    const budget = typoBudget(term.length);
    if (budget === 0 || /^\d+$/.test(term)) return [];
    this.typosOnce ??= new TypoIndex(this.index.vocabulary);
    return this.typosOnce
      .near(term, budget)
      .sort((a, b) => a.distance - b.distance)
      .slice(0, 3)
      .map((f) => f.word);
  }

  private combine(
    names: Map<string, EntityMatch>,
    text: Map<string, TextMatch>,
    intent: Intent,
    queryWords: readonly string[],
    rankingTerms: readonly string[],
  ): Map<string, number> {
    const maxText = Math.max(0, ...[...text.values()].map((m) => m.score));
    const scores = new Map<string, number>();
    for (const id of new Set([...names.keys(), ...text.keys()])) {
      const kind = this.titles.get(id)?.kind;
      if (!kind) continue;
      const name = names.get(id);
      const match = text.get(id);
      const textScore = maxText > 0 && match ? (match.score / maxText) * TEXT_WEIGHT : 0;
      const bias = intent.kinds.includes(kind) ? INTENT_BONUS : 0;
      const covered = coverage(rankingTerms, queryWords, name?.positions, match?.origins);
      scores.set(id, ((name?.score ?? 0) + textScore + bias) * (1 - COVERAGE_WEIGHT + COVERAGE_WEIGHT * covered));
    }
    return scores;
  }

  /**
   * An entity the query names lends a little of its score to what the knowledge graph links to it:
   * "hsp90" also surfaces the HSP90 trials, "margetuximab" the SOPHIA trial, ranked below the entity.
   */
  private propagate(scores: Map<string, number>, names: Map<string, EntityMatch>): void {
    const named = (id: string) => {
      const type = names.get(id)?.type;
      return type === 'exact' || type === 'fuzzy';
    };
    const lent = new Map<string, { share: number; ceiling: number }>();
    for (const m of names.values()) {
      if (!named(m.entity)) continue;
      const source = scores.get(m.entity) ?? 0;
      this.linked(m.entity).forEach((id, rank) => {
        const share = source * Math.max(PROPAGATION_FLOOR, PROPAGATION - rank * PROPAGATION_DECAY);
        const previous = lent.get(id);
        lent.set(id, {
          share: Math.max(previous?.share ?? 0, share),
          ceiling: Math.max(previous?.ceiling ?? 0, source * 0.99),
        });
      });
    }
    for (const [id, { share, ceiling }] of lent) {
      const own = scores.get(id) ?? 0;
      // What only borrows its rank stays below the entity it borrowed from.
      scores.set(id, named(id) ? own + share : Math.min(own + share, Math.max(own, ceiling)));
    }
  }

  /** What the knowledge graph links to each entity, read once per entity (the graph never changes). */
  private readonly links = new Map<string, readonly string[]>();

  private linked(id: string): readonly string[] {
    let ids = this.links.get(id);
    if (!ids) {
      ids = this.linksOf(id);
      this.links.set(id, ids);
    }
    return ids;
  }

  private linksOf(id: string): string[] {
    const entity = this.kb.entity(id);
    switch (entity?.kind) {
      case 'agent':
        return [...this.kb.evidenceForAgent(id).map((e) => e.id), ...this.kb.mechanismsForAgent(id).map((m) => m.id)];
      case 'mechanism':
        return [
          ...this.kb
            .agentLinks(id)
            .filter((l) => isCountermeasure(l.kind))
            .map((l) => l.agent),
          ...this.kb.evidenceForMechanism(id).map((e) => e.id),
        ];
      case 'evidence':
        return [
          ...this.kb.agentsForEvidence(id).map((a) => a.id),
          ...this.kb.mechanismsForEvidence(id).map((m) => m.id),
        ];
      default:
        return [];
    }
  }

  /** Resolves each side of "A vs B" to an agent and finds the evidence naming both. */
  private compare([left, right]: [string, string]): SearchResult['comparison'] {
    const a = this.bestAgent(left);
    const b = this.bestAgent(right);
    if (!a || !b || a === b) return undefined;
    const withB = new Set(this.kb.evidenceForAgent(b).map((e) => e.id));
    // The trial about just these two comes first (DESTINY-Breast02 names lapatinib and T-DM1 among four
    // agents; EMILIA compared them), then the first trial that compared them (follow-ups and later
    // settings after it); the knowledge base's ranking breaks ties.
    const agentCount = (id: string) => this.kb.agentsForEvidence(id).length;
    const evidence = this.kb
      .evidenceForAgent(a)
      .filter((e) => withB.has(e.id))
      .sort((x, y) => agentCount(x.id) - agentCount(y.id) || (x.year ?? 9999) - (y.year ?? 9999));
    return { agents: [a, b], evidence: evidence.map((e) => e.id) };
  }

  private bestAgent(text: string): string | undefined {
    let best: EntityMatch | undefined;
    for (const m of this.matcher.match(matchWords(text)).values()) {
      if (this.titles.get(m.entity)?.kind !== 'agent') continue;
      if (!best || m.score > best.score) best = m;
    }
    return best?.entity;
  }

  private rank(scores: Map<string, number>): Hit[] {
    const top = Math.max(0, ...scores.values());
    return [...scores.entries()]
      .filter(([, s]) => s > 0 && s >= top * MIN_RELATIVE_SCORE)
      .map(([id, score]) => {
        const t = this.titles.get(id)!;
        return { id, kind: t.kind, title: t.title, score: round(score) };
      })
      .sort((x, y) => y.score - x.score || KIND_ORDER[x.kind] - KIND_ORDER[y.kind] || x.id.localeCompare(y.id));
  }

  private suggest(queryWords: readonly string[]): Suggestion[] {
    const candidates = [queryWords.join(''), ...queryWords].filter((w) => w.length >= 3);
    const seen = new Set<string>();
    const out: Suggestion[] = [];
    for (const word of candidates) {
      for (const s of this.matcher.suggest(word)) {
        if (seen.has(s.entity)) continue;
        seen.add(s.entity);
        out.push({ id: s.entity, text: this.titles.get(s.entity)?.title ?? s.text });
      }
    }
    return out.slice(0, 3);
  }
}

/** How much of a trial's own agents and mechanisms the question named (1: it is about just those). */
function specificity(q: QueryFacets, e: EvidenceFacets): number {
  const own = [...e.agents].filter((a) => !e.prior.has(a)).length + e.mechanisms.size;
  const named =
    [...q.agents, ...q.prior].filter((a) => e.agents.has(a)).length +
    [...q.mechanisms].filter((m) => e.mechanisms.has(m)).length;
  return own === 0 ? 1 : Math.min(1, named / own);
}

/**
 * The share of the query's terms an entity accounts for, by name or by text. A term counts as covered
 * by a name match when the matched words spell it (alone or joined: `t dm1` spells `tdm1`).
 */
function coverage(
  queryTerms: readonly string[],
  queryWords: readonly string[],
  namePositions: ReadonlySet<number> | undefined,
  textOrigins: ReadonlySet<string> | undefined,
): number {
  if (queryTerms.length <= 1) return 1;
  const spelled = new Set<string>();
  if (namePositions) {
    for (let from = 0; from < queryWords.length; from++) {
      let joined = '';
      for (let to = from; to < queryWords.length && namePositions.has(to); to++) {
        joined += queryWords[to];
        spelled.add(joined);
      }
    }
  }
  const covered = queryTerms.filter((t) => spelled.has(t) || textOrigins?.has(t)).length;
  return covered / queryTerms.length;
}

const KIND_ORDER: Record<EntityKind, number> = { mechanism: 0, agent: 1, evidence: 2, review: 3 };

/** Control characters out, whitespace folded, length capped. */
export function cleanQuery(raw: string): string {
  return (typeof raw === 'string' ? raw : '')
    .slice(0, MAX_QUERY_CHARS * 2)
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_QUERY_CHARS);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
