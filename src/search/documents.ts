/**
 * What the search sees of each entity: three weighted text fields for the full-text index, and the
 * name phrases (names, aliases, brand and code names, trial acronyms, registry ids) that the phrase
 * matcher links queries to. Both come from the knowledge base; there is no second synonym list.
 */
import type { EntityKind, KnowledgeBase } from '../knowledge/knowledge-base.ts';
import { isOutsideScope, REVIEW_ID } from '../knowledge/knowledge-base.ts';
import { evidenceKindLabel, her2PopulationLabel } from '../knowledge/labels.ts';
import type { Agent, Evidence, Mechanism, Review } from '../knowledge/schema.ts';

export interface NamePhrase {
  text: string;
  /** 1 for the entity's own name; a little less for aliases and member drugs. */
  weight: number;
}

export interface SearchDocument {
  id: string;
  kind: EntityKind;
  title: string;
  /** Names and aliases: what a user types to mean exactly this entity. */
  names: string;
  /** A line of context: class and targets, trial title and design. */
  heading: string;
  /** Everything else worth finding: summaries, descriptions, settings, findings. */
  body: string;
  phrases: NamePhrase[];
}

export function buildDocuments(kb: KnowledgeBase): SearchDocument[] {
  const documents = [
    ...kb.mechanisms.map(mechanismDocument),
    ...kb.agents.map(agentDocument),
    ...kb.evidence.map(evidenceDocument),
    reviewDocument(kb.review),
  ];
  return documents.map((d) => withDescriptions(d, kb.concepts.describe(d.id)));
}

/**
 * The concept layer's phrases that describe an entity without naming it ("constitutively active form of
 * HER2" for p95HER2) are matched like names, a little below them, and indexed with the heading.
 */
function withDescriptions(d: SearchDocument, describe: readonly string[]): SearchDocument {
  if (describe.length === 0) return d;
  return {
    ...d,
    heading: join([d.heading, ...describe]),
    phrases: [...d.phrases, ...describe.map((text) => ({ text, weight: DESCRIPTION_WEIGHT }))],
  };
}

const DESCRIPTION_WEIGHT = 0.85;

function mechanismDocument(m: Mechanism): SearchDocument {
  const phrases = [
    { text: m.shortName, weight: 1 },
    ...m.aliases.map((text) => ({ text, weight: 0.95 })),
    { text: m.name, weight: 0.9 },
  ];
  return {
    id: m.id,
    kind: 'mechanism',
    title: m.shortName,
    names: [m.shortName, ...m.aliases].join(' ; '),
    heading: `${m.name} resistance mechanism`,
    body: join([
      m.summary,
      m.description,
      ...m.biomarkers.map((b) => b.text),
      ...m.frequency.map((f) => f.text),
      ...m.agents.map((l) => l.rationale),
      ...m.caveats,
    ]),
    phrases,
  };
}

function agentDocument(a: Agent): SearchDocument {
  const memberNames = a.members.flatMap((m) => m.names.map((n) => n.name));
  const phrases = [
    { text: a.name, weight: 1 },
    ...a.names.map((n) => ({ text: n.name, weight: 0.95 })),
    ...memberNames.map((text) => ({ text, weight: 0.9 })),
  ];
  return {
    id: a.id,
    kind: 'agent',
    title: a.name,
    names: [a.name, ...a.names.map((n) => n.name), ...memberNames].join(' ; '),
    heading: join([a.class, ...a.targets, 'drug agent therapy']),
    body: join([
      a.mechanismOfAction,
      a.status,
      ...a.approvals.map((x) => x.text),
      ...a.safety.map((s) => s.text),
      ...a.members.flatMap((m) => (m.note ? [m.note] : [])),
      ...a.caveats,
    ]),
    phrases,
  };
}

function evidenceDocument(e: Evidence): SearchDocument {
  const identifiers = [e.citation.pmid, e.citation.doi, e.citation.pmcid, ...(e.citation.nct ?? [])].filter(
    (x): x is string => x !== undefined,
  );
  const phrases = [
    { text: e.name, weight: 1 },
    ...e.aliases.map((text) => ({ text, weight: 0.95 })),
    ...identifiers.map((text) => ({ text, weight: 1 })),
    // "letrozole lapatinib" names the EGF30008 arm; single-drug arms are the agent's name and are skipped.
    ...e.arms.map((arm) => ({ text: arm.label, weight: 0.8 })),
  ];
  return {
    id: e.id,
    kind: 'evidence',
    title: e.name,
    names: [e.name, ...e.aliases, ...identifiers].join(' ; '),
    heading: join([
      e.title,
      evidenceKindLabel(e.kind),
      isOutsideScope(e) ? `${her2PopulationLabel(e.her2Population)}, outside the HER2-positive scope` : undefined,
      e.design,
      ...e.arms.map((arm) => arm.label),
      'trial study evidence',
    ]),
    body: join([
      e.summary,
      e.setting,
      e.primaryEndpoint,
      ...e.arms.flatMap((arm) => (arm.regimen ? [arm.regimen] : [])),
      ...e.results.map((r) => join([r.endpoint, r.population, ...r.values.map((v) => v.arm)])),
      ...e.findings.map((f) => f.text),
      e.citation.text,
      String(e.year),
      ...e.caveats,
    ]),
    phrases,
  };
}

function reviewDocument(r: Review): SearchDocument {
  const authors = r.citation.authors;
  const phrases = [
    { text: 'the review', weight: 1 },
    { text: 'review', weight: 0.8 },
    { text: `${authors.join(' ')} review`, weight: 1 },
    { text: r.citation.title, weight: 1 },
    ...authors.map((text) => ({ text, weight: 0.9 })),
  ];
  return {
    id: REVIEW_ID,
    kind: 'review',
    title: r.citation.title,
    names: join(['review', ...authors, r.citation.journal, r.citation.doi]),
    heading: r.citation.title,
    body: join([r.summary, r.thesis, ...r.scope, ...r.keywords]),
    phrases,
  };
}

function join(parts: (string | undefined)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.length > 0).join(' . ');
}
