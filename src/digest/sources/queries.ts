/**
 * The digest's default queries, for all three sources, in one place.
 *
 * They start from the default of shared/reference/literature-sources.md §5: HER2 AND breast AND an
 * anti-HER2 agent AND (resistance wording OR a resistance mechanism). Text words carry the load, since
 * new PubMed records have no MeSH yet. The agent block also takes the verified generic and brand names
 * of the knowledge base's HER2-directed agents, so adding one to knowledge/agents.yaml widens the query.
 * Other agents (PI3K, mTOR, CDK4/6 inhibitors) stay out: most of their literature is in HR+/HER2−
 * disease, which every "HER2" text word also matches, and HER2-positive papers on them name their
 * anti-HER2 partner anyway.
 *
 * Every term must exist in PubMed: a phrase PubMed cannot find makes the whole search a broken query
 * (see esearch-parse.ts). Check a new term with `esearch.fcgi?retmode=json&rettype=count` first.
 */
import { createHash } from 'node:crypto';
import type { KnowledgeBase } from '../../knowledge/knowledge-base.ts';
import type { Agent } from '../../knowledge/schema.ts';

export const HER2_TERMS: readonly string[] = [
  'HER2',
  'HER-2',
  'HER2/neu',
  'ERBB2',
  'ErbB-2',
  'HER2-positive',
  'HER2-low',
];
export const BREAST_TERMS: readonly string[] = ['breast'];
/** §5's agent block; `trastuzumab*` covers trastuzumab emtansine, deruxtecan and biosimilar spellings. */
export const ANTI_HER2_TERMS: readonly string[] = [
  'trastuzumab*',
  'herceptin',
  'pertuzumab',
  'T-DM1',
  'T-DXd',
  'DS-8201',
  'DS-8201a',
  'kadcyla',
  'enhertu',
  'lapatinib',
  'neratinib',
  'tucatinib',
  'pyrotinib',
  'margetuximab',
  'zanidatamab',
  'disitamab vedotin',
  'SYD985',
  'trastuzumab duocarmazine',
  'anti-HER2',
  'HER2-targeted',
  'HER2-directed',
];
/** Resistance wording; "previously treated" and "pretreated" catch later-line trials where resistance is implicit. */
export const RESISTANCE_TERMS: readonly string[] = [
  'resistan*',
  'refractory',
  'treatment failure',
  'insensitiv*',
  'progressed on',
  'progression on',
  'after progression',
  'previously treated',
  'pretreated',
];
/**
 * Resistance mechanisms, after the mechanism ids of the fact sheet; papers on them often never say
 * "resistance". Bare MET, neu and escape are left out: they match the verb "met" and much noise.
 * The classifier should take its mechanism keywords from here, so one list serves both.
 */
export const MECHANISM_TERMS: readonly string[] = [
  'PIK3CA',
  'PTEN',
  'PI3K',
  'p95HER2',
  'p95-HER2',
  'truncated HER2',
  'IGF1R',
  'IGF-1R',
  'c-MET',
  'HER3',
  'ERBB3',
  'cyclin E',
  'CCNE1',
  'FCGR*',
  'Fc gamma',
  'ADCC',
  'MUC4',
  'CD44',
  'HER2 loss',
  'HER2 heterogeneity',
  'intratumoral heterogeneity',
];

/** MeSH headings per block: they only help with older or late-indexed records. */
const MESH = {
  her2: ['Receptor, ErbB-2'],
  breast: ['Breast Neoplasms'],
  agents: ['Trastuzumab', 'Ado-Trastuzumab Emtansine'],
  resistance: ['Drug Resistance, Neoplasm'],
};

/** ClinicalTrials.gov `query.cond` (Essie syntax): trials are few, so agents and resistance are classified later. */
export const CLINICAL_TRIALS_CONDITION =
  '(breast cancer OR breast carcinoma OR breast neoplasm) AND (HER2 OR HER-2 OR ERBB2 OR "HER2-positive")';

export interface DigestQueries {
  /** PubMed ESearch term, without the `[crdt]` window. */
  pubmed: string;
  /** ClinicalTrials.gov `query.cond`. */
  clinicalTrials: string;
  /** Europe PMC search query, without the `FIRST_IDATE` window. */
  europePmc: string;
  /** Changes whenever any query changes: part of the digest key, so a new query means a new digest. */
  version: string;
}

export function buildDigestQueries(kb: KnowledgeBase): DigestQueries {
  const agents = agentTerms(kb);
  const pubmed = [
    pubmedBlock(MESH.her2, HER2_TERMS),
    pubmedBlock(MESH.breast, BREAST_TERMS),
    pubmedBlock(MESH.agents, agents),
    pubmedBlock(MESH.resistance, [...RESISTANCE_TERMS, ...MECHANISM_TERMS]),
  ].join(' AND ');
  const europePmc = [
    '(SRC:PPR OR SRC:MED)',
    europePmcBlock(HER2_TERMS),
    europePmcBlock(BREAST_TERMS),
    europePmcBlock(agents),
    europePmcBlock([...RESISTANCE_TERMS, ...MECHANISM_TERMS]),
  ].join(' AND ');
  const clinicalTrials = CLINICAL_TRIALS_CONDITION;
  const version = createHash('sha256')
    .update(JSON.stringify([pubmed, clinicalTrials, europePmc]))
    .digest('hex')
    .slice(0, 12);
  return { pubmed, clinicalTrials, europePmc, version };
}

/** Agents aimed at HER2 itself or at the whole ErbB family (pan-HER TKIs). */
const HER2_DIRECTED = /\bHER2\b|\bERBB2\b|\bErbB family\b|\bpan-HER\b/i;

export function isHer2Directed(agent: Agent): boolean {
  return agent.targets.some((target) => HER2_DIRECTED.test(target));
}

/** Verified generic and brand names of the HER2-directed agents and their members. */
export function her2AgentNames(kb: KnowledgeBase): string[] {
  return kb.agents
    .filter(isHer2Directed)
    .flatMap((agent) => [...agent.names, ...agent.members.flatMap((member) => member.names)])
    .filter((n) => n.verified && (n.kind === 'generic' || n.kind === 'brand'))
    .map((n) => n.name.trim());
}

/**
 * §5's agent terms plus the knowledge base's names that they do not already cover. A name is covered when
 * it equals a term or one of its words matches a one-word term (`ado-trastuzumab emtansine` by
 * `trastuzumab*`, `margetuximab-cmkb` by `margetuximab`): the longer form adds no hits, only length and
 * one more phrase that could come back "not found".
 */
function agentTerms(kb: KnowledgeBase): string[] {
  const terms = [...ANTI_HER2_TERMS];
  for (const name of her2AgentNames(kb)) if (!isCovered(name, terms)) terms.push(name);
  return terms;
}

function isCovered(name: string, terms: readonly string[]): boolean {
  const lower = name.toLowerCase();
  const words = lower.split(/[\s-]+/).filter(Boolean);
  return terms.some((term) => {
    const t = term.toLowerCase();
    if (t === lower) return true;
    if (!/^[a-z0-9]+\*?$/.test(t)) return false;
    return t.endsWith('*') ? words.some((w) => w.startsWith(t.slice(0, -1))) : words.includes(t);
  });
}

/** One word (with an optional truncation `*`) goes bare; anything else is quoted as a phrase. */
function isBareWord(term: string): boolean {
  return /^[A-Za-z0-9]+\*?$/.test(term);
}

function pubmedBlock(mesh: readonly string[], terms: readonly string[]): string {
  const parts = [
    ...mesh.map((heading) => `"${heading}"[mh]`),
    ...terms.map((t) => (isBareWord(t) ? `${t}[tiab]` : `"${t}"[tiab]`)),
  ];
  return `(${parts.join(' OR ')})`;
}

function europePmcBlock(terms: readonly string[]): string {
  return `TITLE_ABS:(${terms.map((t) => (isBareWord(t) ? t : `"${t}"`)).join(' OR ')})`;
}
