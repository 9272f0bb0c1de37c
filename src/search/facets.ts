/**
 * Query understanding by facets: what a question names besides entity names (the agents given in an
 * arm, the prior therapy after "after", the setting, the endpoint, the comparator, partner drugs, a
 * biomarker), read with the concept layer, and how well each trial matches all of them. A question
 * about a trial, an endpoint, a setting or a number is answered by the trial that matches everything it
 * names, not by the card of the one drug it names.
 */
import type { ConceptLayer } from '../knowledge/concepts.ts';
import { foldText } from '../knowledge/concepts.ts';
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import type { Evidence } from '../knowledge/schema.ts';
import type { EntityMatch, PhraseMatcher } from './phrase-matcher.ts';
import { matchWords } from './phrase-matcher.ts';

/** What one trial or study is about, facet by facet. */
export interface EvidenceFacets {
  agents: Set<string>;
  /** Agents its population had received before (named in its setting: "previously treated with T-DM1"). */
  prior: Set<string>;
  settings: Set<string>;
  endpoints: Set<string>;
  comparators: Set<string>;
  companions: Set<string>;
  mechanisms: Set<string>;
  designs: Set<string>;
}

export interface QueryFacets {
  /** Agents the question gives as (part of) the treatment. */
  agents: Set<string>;
  /** Agents the question gives as prior therapy ("after T-DM1", "trastuzumab-resistant"). */
  prior: Set<string>;
  settings: Set<string>;
  endpoints: Set<string>;
  comparators: Set<string>;
  companions: Set<string>;
  /** Partner drugs the question excludes ("no chemo", "chemotherapy-free"). */
  without: Set<string>;
  /** Mechanisms (biomarkers) named together with an agent. */
  mechanisms: Set<string>;
  designs: Set<string>;
}

/** Words that make the drug named right after them prior therapy, not an arm. */
const PRIOR_BEFORE =
  /\b(?:after|post|following|beyond|progress(?:ed|ing|ion)? (?:on|after|during|with)|previously treated with|pretreated with|pre-treated with|refractory to|resistant to|failure (?:of|on)|failing|relapse(?:d)? (?:on|after))\s+/g;
/** Words that make the drug named right before them prior therapy ("trastuzumab-resistant disease"). */
const PRIOR_AFTER = /[\s-](?:resistant|resistance|refractory|pretreated|pre-treated|experienced|failure|failed)\b/;
/** "no chemo", "without chemotherapy", "chemo-free": a partner drug the question rules out. */
const EXCLUDED = /\b(?:no|without|free of|sans|non)[\s-]+([\p{L}]+)|\b([\p{L}]+)[\s-]free\b/gu;
/** Where a prior-therapy phrase ends. */
const PRIOR_END = /\s(?:vs|versus|compared|with|plus|and then|then|in|for|,)\s|[,;?]|$/;

export function evidenceFacets(kb: KnowledgeBase, matcher: PhraseMatcher, e: Evidence): EvidenceFacets {
  const c = kb.concepts;
  // What the arms held: their labels and regimens (the title stands in when a study lists no arms).
  const armsText = (e.arms.length > 0 ? e.arms.flatMap((a) => [a.label, a.regimen]) : [e.title])
    .filter(Boolean)
    .join(' . ');
  const settingText = [e.setting, e.title, e.design].filter(Boolean).join(' . ');
  const endpoints = new Set<string>();
  for (const r of e.results) for (const id of c.endpointsOfResult(r.endpoint)) endpoints.add(id);
  for (const id of c.endpointsIn(e.primaryEndpoint ?? '')) endpoints.add(id);
  // A study without structured results reports in its findings ("response to trastuzumab by genotype").
  if (e.results.length === 0)
    for (const id of c.endpointsIn(e.findings.map((f) => f.text).join(' . '))) endpoints.add(id);
  const settings = c.trialSettingsIn(settingText);
  for (const s of c.data.trials[e.id]?.settings ?? []) settings.add(s);
  const prior = agentsNamedIn(kb, matcher, e.setting);
  for (const a of prior) {
    const s = c.priorSettingOf(a);
    if (s) settings.add(s);
  }
  // The trial's agents, and any other agent its arms name (CLEOPATRA's arms hold trastuzumab too).
  const agents = new Set(kb.agentsForEvidence(e.id).map((a) => a.id));
  for (const a of agentsNamedIn(kb, matcher, armsText)) agents.add(a);
  return {
    agents,
    prior,
    settings,
    endpoints,
    comparators: c.comparatorsIn(armsText),
    companions: c.companionsIn(armsText),
    mechanisms: new Set(kb.mechanismsForEvidence(e.id).map((m) => m.id)),
    designs: c.designsOfKind(e.kind),
  };
}

function agentsNamedIn(kb: KnowledgeBase, matcher: PhraseMatcher, text: string): Set<string> {
  const out = new Set<string>();
  for (const id of matcher.matchExact(matchWords(text)).keys()) if (kb.agentsById.has(id)) out.add(id);
  return out;
}

/**
 * The facets of a question. `names` are the entities its words name (from the phrase matcher); only
 * whole names count (a typo'd name counts, a fragment does not).
 */
export function queryFacets(
  kb: KnowledgeBase,
  matcher: PhraseMatcher,
  query: string,
  names: ReadonlyMap<string, EntityMatch>,
): QueryFacets {
  const c: ConceptLayer = kb.concepts;
  const folded = foldText(query);
  const prior = new Set<string>();
  for (const segment of priorSegments(folded)) for (const a of agentsNamedIn(kb, matcher, segment)) prior.add(a);
  const whole = [...names.values()].filter((m) => m.type === 'exact' || m.type === 'fuzzy');
  // "trastuzumab deruxtecan" names T-DXd, not trastuzumab as well: a name inside a longer one is dropped.
  const inside = (m: EntityMatch) =>
    whole.some(
      (o) => o !== m && o.positions.size > m.positions.size && [...m.positions].every((p) => o.positions.has(p)),
    );
  const agents = new Set<string>();
  for (const m of whole) {
    if (kb.agentsById.has(m.entity) && !prior.has(m.entity) && !inside(m)) agents.add(m.entity);
  }
  const mechanisms = new Set<string>();
  if (agents.size + prior.size > 0) {
    // "PI3K inhibitor" names the agent class, not the PI3K mechanism as well.
    for (const m of whole) if (kb.mechanismsById.has(m.entity) && !inside(m)) mechanisms.add(m.entity);
  }
  const without = new Set<string>();
  for (const m of folded.matchAll(EXCLUDED)) for (const id of c.companionsIn(m[1] ?? m[2] ?? '')) without.add(id);
  const companions = c.companionsIn(folded.replace(EXCLUDED, ' '));
  return {
    agents,
    prior,
    // A prior-therapy setting whose drug is already a prior facet would count the same thing twice.
    settings: new Set(
      [...c.settingsIn(folded)].filter((s) => !prior.has(c.settings.find((x) => x.id === s)?.agent ?? '')),
    ),
    endpoints: tradeEndpoints(c.endpointsIn(folded), agents.size + prior.size, c.settingsIn(folded).size),
    comparators: c.comparatorsIn(folded),
    companions,
    without,
    mechanisms,
    designs: c.designsIn(folded),
  };
}

/**
 * Safety belongs to a drug more than to a trial: "neratinib diarrhoea" is answered by the drug's card
 * (its safety across trials and its label), so a safety endpoint asked with drugs alone is no facet.
 */
function tradeEndpoints(endpoints: Set<string>, agents: number, settings: number): Set<string> {
  if (endpoints.has('endpoint-safety') && agents > 0 && settings === 0 && endpoints.size === 1) return new Set();
  return endpoints;
}

/** The stretches of a question that name prior therapy. */
function priorSegments(folded: string): string[] {
  const out: string[] = [];
  for (const m of folded.matchAll(PRIOR_BEFORE)) {
    const rest = folded.slice(m.index + m[0].length);
    const end = rest.search(PRIOR_END);
    out.push(end >= 0 ? rest.slice(0, end) : rest);
  }
  // "trastuzumab-resistant", "T-DM1 pretreated": the word or two before the marker.
  const words = folded.split(/\s+/);
  words.forEach((w, i) => {
    const joined = ` ${w} ${words[i + 1] ?? ''}`;
    const at = joined.search(PRIOR_AFTER);
    if (at < 0) return;
    const before = joined.slice(0, at).trim();
    if (before) out.push(before);
  });
  return out;
}

export function facetCount(q: QueryFacets): number {
  return (
    q.agents.size +
    q.prior.size +
    q.settings.size +
    q.endpoints.size +
    q.comparators.size +
    q.companions.size +
    q.without.size +
    q.mechanisms.size +
    q.designs.size
  );
}

/** The share of the question's facets a trial matches (0–1), and how many facets there were. */
export function facetMatch(q: QueryFacets, e: EvidenceFacets): number {
  const total = facetCount(q);
  if (total === 0) return 0;
  let matched = 0;
  for (const a of q.agents) matched += e.agents.has(a) ? 1 : 0;
  // Prior therapy matches the trial's population; a trial that gave the drug as an arm matches less.
  for (const a of q.prior) matched += e.prior.has(a) ? 1 : e.agents.has(a) ? 0.25 : 0;
  for (const s of q.settings) matched += e.settings.has(s) ? 1 : 0;
  for (const x of q.endpoints) matched += e.endpoints.has(x) ? 1 : 0;
  for (const x of q.comparators) matched += e.comparators.has(x) ? 1 : 0;
  for (const x of q.companions) matched += e.companions.has(x) ? 1 : 0;
  for (const x of q.without) matched += e.companions.has(x) ? -0.5 : 1;
  for (const m of q.mechanisms) matched += e.mechanisms.has(m) ? 1 : 0;
  for (const d of q.designs) matched += e.designs.has(d) ? 1 : 0;
  return Math.max(0, matched) / total;
}
