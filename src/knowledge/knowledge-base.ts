/**
 * The loaded knowledge base: immutable records plus the graph that links mechanisms, agents and
 * evidence. Links may be written on either side in the YAML (an agent lists its evidence, or an
 * evidence item lists its agents); the graph answers with the union, so neither side is privileged.
 */
import { deepFreeze } from '../util/deep-freeze.ts';
import type { ConceptLayer } from './concepts.ts';
import type {
  Agent,
  AgentLink,
  Changes,
  Evidence,
  Level,
  LinkKind,
  Mechanism,
  Release,
  Review,
  Scope,
} from './schema.ts';

export type EntityKind = 'mechanism' | 'agent' | 'evidence' | 'review';

export type Entity =
  | { kind: 'mechanism'; id: string; item: Mechanism }
  | { kind: 'agent'; id: string; item: Agent }
  | { kind: 'evidence'; id: string; item: Evidence }
  | { kind: 'review'; id: string; item: Review };

export const REVIEW_ID = 'review';

export interface ResolvedAgentLink extends AgentLink {
  agentItem: Agent;
}

export interface MechanismLink {
  mechanism: Mechanism;
  link: AgentLink;
}

export const LEVEL_RANK: Record<Level, number> = { A: 0, B: 1, C: 2, D: 3, E: 4 };

/** Kinds in the order cards show them: what works first, what does not last. */
export const LINK_KINDS: readonly LinkKind[] = [
  'overcomes',
  'partner',
  'proposed',
  'applies-while-her2-persists',
  'does-not-overcome',
  'not-expected',
];

/** Kinds that say the agent is used or proposed against the mechanism (an agent's `mechanisms` lists these). */
export function isCountermeasure(kind: LinkKind): boolean {
  return kind !== 'does-not-overcome' && kind !== 'not-expected';
}

const byKindThenLevel = (a: AgentLink, b: AgentLink) =>
  LINK_KINDS.indexOf(a.kind) - LINK_KINDS.indexOf(b.kind) || LEVEL_RANK[a.level] - LEVEL_RANK[b.level];

export class KnowledgeBase {
  readonly mechanismsById: ReadonlyMap<string, Mechanism>;
  readonly agentsById: ReadonlyMap<string, Agent>;
  readonly evidenceById: ReadonlyMap<string, Evidence>;
  /** Both directions of the agent–evidence and mechanism–evidence links, computed once. */
  private readonly evidenceOfAgent = new Map<string, string[]>();
  private readonly evidenceOfMechanism = new Map<string, string[]>();
  private readonly agentsOfEvidence = new Map<string, string[]>();
  private readonly mechanismsOfEvidence = new Map<string, string[]>();
  private readonly ranked = new Map<string, Evidence[]>();
  /** Studies outside the HER2-positive scope (HER2-low/ultralow), held only as pointers. */
  readonly evidenceOutsideScope: readonly Evidence[];

  constructor(
    readonly review: Review,
    readonly mechanisms: readonly Mechanism[],
    readonly agents: readonly Agent[],
    readonly evidence: readonly Evidence[],
    /** What the knowledge base covers, what it does not, and the patient-question rule. */
    readonly scope: Scope,
    /** The vocabulary around the entities (knowledge/concepts.yaml), read by the search and the digest. */
    readonly concepts: ConceptLayer,
    /** The release history (knowledge/changes.yaml), newest first. */
    readonly changes: Changes = { releases: [] },
  ) {
    deepFreeze(changes);
    deepFreeze(review);
    deepFreeze(scope);
    deepFreeze(mechanisms);
    deepFreeze(agents);
    deepFreeze(evidence);
    this.mechanismsById = new Map(mechanisms.map((m) => [m.id, m]));
    this.agentsById = new Map(agents.map((a) => [a.id, a]));
    this.evidenceById = new Map(evidence.map((e) => [e.id, e]));
    this.evidenceOutsideScope = evidence.filter(isOutsideScope);
    const link = (map: Map<string, string[]>, key: string, value: string) => {
      const list = map.get(key);
      if (!list) map.set(key, [value]);
      else if (!list.includes(value)) list.push(value);
    };
    for (const a of agents) {
      for (const e of a.evidence) link(this.evidenceOfAgent, a.id, e);
    }
    for (const m of mechanisms) {
      for (const e of m.evidence) link(this.evidenceOfMechanism, m.id, e);
    }
    for (const e of evidence) {
      for (const a of e.agents) link(this.evidenceOfAgent, a, e.id);
      for (const m of e.mechanisms) link(this.evidenceOfMechanism, m, e.id);
    }
    for (const [a, list] of this.evidenceOfAgent) for (const e of list) link(this.agentsOfEvidence, e, a);
    for (const [m, list] of this.evidenceOfMechanism) for (const e of list) link(this.mechanismsOfEvidence, e, m);
    Object.freeze(this);
  }

  get version(): string {
    return this.review.knowledgeBase.version;
  }

  get versionDate(): string {
    return this.review.knowledgeBase.date;
  }

  /** Releases after `version` (all of them without it), newest first. */
  releasesSince(version?: string): Release[] {
    return this.changes.releases.filter((r) => version === undefined || compareVersions(r.version, version) > 0);
  }

  entity(id: string): Entity | undefined {
    if (id === REVIEW_ID) return { kind: 'review', id, item: this.review };
    const m = this.mechanismsById.get(id);
    if (m) return { kind: 'mechanism', id, item: m };
    const a = this.agentsById.get(id);
    if (a) return { kind: 'agent', id, item: a };
    const e = this.evidenceById.get(id);
    if (e) return { kind: 'evidence', id, item: e };
    return undefined;
  }

  /** Every agent linked to a mechanism, by kind (what works first), then best evidence level. */
  agentLinks(mechanismId: string): ResolvedAgentLink[] {
    const mechanism = this.mechanismsById.get(mechanismId);
    if (!mechanism) return [];
    return mechanism.agents
      .map((link) => ({ ...link, agentItem: this.agentsById.get(link.agent) }))
      .filter((l): l is ResolvedAgentLink => l.agentItem !== undefined)
      .sort(byKindThenLevel);
  }

  /** Every mechanism linked to an agent, with the link, by kind then level. */
  mechanismLinks(agentId: string): MechanismLink[] {
    return this.mechanisms
      .flatMap((mechanism) => mechanism.agents.filter((l) => l.agent === agentId).map((link) => ({ mechanism, link })))
      .sort((a, b) => byKindThenLevel(a.link, b.link));
  }

  /** Mechanisms an agent is used or proposed against (any countermeasure kind). */
  mechanismsForAgent(agentId: string): Mechanism[] {
    return this.mechanismLinks(agentId)
      .filter((l) => isCountermeasure(l.link.kind))
      .map((l) => l.mechanism);
  }

  /** Studies of the agent first, then those where it was only the comparator, backbone or prior therapy. */
  evidenceForAgent(agentId: string): Evidence[] {
    const key = `agent:${agentId}`;
    if (!this.ranked.has(key)) {
      const ranked = this.rank(this.evidenceOfAgent.get(agentId) ?? []);
      const tested = ranked.filter((e) => !e.comparators.includes(agentId));
      this.ranked.set(key, [...tested, ...ranked.filter((e) => e.comparators.includes(agentId))]);
    }
    return [...(this.ranked.get(key) ?? [])];
  }

  evidenceForMechanism(mechanismId: string): Evidence[] {
    return this.rankedOnce(`mechanism:${mechanismId}`, this.evidenceOfMechanism.get(mechanismId) ?? []);
  }

  /**
   * Evidence for an agent against a mechanism: the link's own ids first (they are what the link
   * rests on), then other items that name both the agent and the mechanism.
   */
  evidenceForLink(mechanismId: string, agentId: string): Evidence[] {
    const own = this.mechanismsById.get(mechanismId)?.agents.find((l) => l.agent === agentId)?.evidence ?? [];
    const both = this.evidence
      .filter((e) => !own.includes(e.id) && e.agents.includes(agentId) && e.mechanisms.includes(mechanismId))
      .map((e) => e.id);
    // Evidence at the link's own level first: it is what the level was graded on.
    const level = this.mechanismsById.get(mechanismId)?.agents.find((l) => l.agent === agentId)?.level;
    const ranked = this.rank(own);
    return [...ranked.filter((e) => e.level === level), ...ranked.filter((e) => e.level !== level), ...this.rank(both)];
  }

  agentsForEvidence(evidenceId: string): Agent[] {
    return (this.agentsOfEvidence.get(evidenceId) ?? []).flatMap((id) => this.agentsById.get(id) ?? []);
  }

  mechanismsForEvidence(evidenceId: string): Mechanism[] {
    return (this.mechanismsOfEvidence.get(evidenceId) ?? []).flatMap((id) => this.mechanismsById.get(id) ?? []);
  }

  /** Other analyses of the same trial (a shared registry id), in knowledge-base order. */
  otherAnalyses(evidenceId: string): Evidence[] {
    const registry = new Set(this.evidenceById.get(evidenceId)?.citation.nct ?? []);
    if (registry.size === 0) return [];
    return this.evidence.filter((e) => e.id !== evidenceId && (e.citation.nct ?? []).some((n) => registry.has(n)));
  }

  /** The evidence item a PubMed id, DOI or NCT id belongs to (for link unfurls). */
  evidenceByIdentifier(identifier: { pmid?: string; doi?: string; nct?: string }): Evidence | undefined {
    const doi = identifier.doi?.toLowerCase();
    return this.evidence.find(
      (e) =>
        (identifier.pmid !== undefined && e.citation.pmid === identifier.pmid) ||
        (doi !== undefined && e.citation.doi?.toLowerCase() === doi) ||
        (identifier.nct !== undefined && (e.citation.nct ?? []).includes(identifier.nct)),
    );
  }

  /** Rankings that never change are computed once; callers get a copy they may slice. */
  private rankedOnce(key: string, ids: readonly string[]): Evidence[] {
    let list = this.ranked.get(key);
    if (!list) {
      list = this.rank(ids);
      this.ranked.set(key, list);
    }
    return [...list];
  }

  /**
   * Strongest first: HER2-positive studies before out-of-scope pointers, then evidence level, then
   * clinical over preclinical data with a verified figure, then the more recent publication.
   */
  rank(ids: readonly string[]): Evidence[] {
    return ids
      .flatMap((id) => this.evidenceById.get(id) ?? [])
      .sort(
        (a, b) =>
          Number(isOutsideScope(a)) - Number(isOutsideScope(b)) ||
          LEVEL_RANK[a.level] - LEVEL_RANK[b.level] ||
          Number(!hasVerifiedResult(a)) - Number(!hasVerifiedResult(b)) ||
          (b.year ?? 0) - (a.year ?? 0),
      );
  }
}

/** True for a study outside the knowledge base's HER2-positive scope (HER2-low or HER2-ultralow disease). */
export function isOutsideScope(e: Evidence): boolean {
  return e.her2Population !== 'her2-positive';
}

/** Semver order: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function hasVerifiedResult(e: Evidence): boolean {
  return e.results.some((r) => r.verified);
}

/** An id written inside prose ("… (ev-finher-p95)"): checked by kb lint, shown on cards as a name. */
export const PROSE_REFERENCE = /\b(?:mech|agent|ev)-[a-z0-9]+(?:-[a-z0-9]+)*\b/g;

/** The name a card shows for an id: a mechanism's short name, an agent's or a study's name. */
export function displayName(kb: KnowledgeBase, id: string): string | undefined {
  const entity = kb.entity(id);
  if (!entity) return undefined;
  switch (entity.kind) {
    case 'mechanism':
      return entity.item.shortName;
    case 'agent':
      return entity.item.name;
    case 'evidence':
      return entity.item.name;
    case 'review':
      return 'the 2011 review';
  }
}
