/**
 * An accepted candidate as a draft evidence item in the knowledge base's own schema (validated by
 * it): the source's identifiers, title, authors and journal filled in from the record, and nothing
 * else asserted. No figure is written (results stay empty), the citation is marked unverified, and
 * the fields the schema requires but only the source can settle (kind, level, direction,
 * significance, summary) carry the most cautious value with a curator note saying to set them.
 */
import { type Tier, tierOf } from '../digest/classify.ts';
import type { LiteratureItem } from '../digest/sources/types.ts';
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import { Evidence, type EvidenceKind } from '../knowledge/schema.ts';
import type { Candidate } from '../store/store.ts';

type Kind = (typeof EvidenceKind.options)[number];

/** The evidence kind a tier suggests; a guess from publication type, said so in the notes. */
const KIND_OF_TIER: Record<Tier, Kind> = {
  'randomized phase III': 'phase-3',
  'phase III': 'phase-3',
  'phase II': 'phase-2',
  'phase I': 'phase-1',
  'meta-analysis': 'meta-analysis',
  review: 'translational',
  'clinical study': 'prospective-cohort',
  preclinical: 'preclinical',
  'trial registration': 'phase-2',
  'correction or retraction': 'translational',
  other: 'translational',
};

export const UNVERIFIED_SUMMARY =
  'UNVERIFIED DRAFT: write one or two sentences from the source; nothing in this entry has been checked yet.';

/** Drafts for the accepted candidates, ids unique against the knowledge base and each other. */
export function evidenceDrafts(kb: KnowledgeBase, candidates: readonly Candidate[]): Evidence[] {
  const taken = new Set(kb.evidence.map((e) => e.id));
  return candidates.map((c) => {
    const draft = evidenceDraft(kb, c, taken);
    taken.add(draft.id);
    return draft;
  });
}

export function evidenceDraft(kb: KnowledgeBase, candidate: Candidate, taken: ReadonlySet<string>): Evidence {
  const item = candidate.item as unknown as LiteratureItem;
  const tier = tierOf({ ...item, publicationTypes: item.publicationTypes ?? [], authors: item.authors ?? [] });
  const entry = candidate.entryId ? kb.evidenceById.get(candidate.entryId) : undefined;
  const nct = [...new Set([...(item.nct ?? []), ...(item.source === 'clinicaltrials' ? [item.id] : [])])].filter((n) =>
    /^NCT\d{8}$/.test(n),
  );
  const tags = draftTags(kb, candidate);
  const draft = {
    id: uniqueId(candidate, item, taken),
    name: candidate.kind === 'new_data' ? `${candidate.subject} (new data, unverified)` : candidate.subject,
    title: item.title || candidate.subject,
    kind: KIND_OF_TIER[tier],
    setting: 'UNVERIFIED: state the setting from the source',
    summary: UNVERIFIED_SUMMARY,
    results: [],
    findings: [],
    level: 'E',
    levelNote: 'Unverified placeholder: set the level from the source.',
    direction: 'neutral',
    significance: 'not-applicable',
    relativeToReview: 'after',
    citation: {
      text: citationText(item),
      ...(item.journal ? { journal: item.journal } : {}),
      verified: false,
      ...(item.pmid && /^\d{1,9}$/.test(item.pmid) ? { pmid: item.pmid } : {}),
      ...(item.doi && /^10\.\d{4,9}\/\S+$/.test(item.doi) ? { doi: item.doi } : {}),
      ...(nct.length > 0 ? { nct } : {}),
    },
    agents: tags.agents,
    mechanisms: tags.mechanisms,
    curatorNotes: [
      candidate.kind === 'new_data'
        ? `Proposed by the digest as new data on ${candidate.subject} (${candidate.entryId}, matched by ${matchWords(candidate.matchedBy)}); merge into that entry or keep as a new analysis.`
        : `Proposed by the digest: ${candidate.subject} is not in the knowledge base (named in the title; the concept layer lists it).`,
      `Every field is unverified. Kind “${KIND_OF_TIER[tier]}” is read from the record (${tier}); level, direction, significance, setting and summary are placeholders. Add results only as printed in the source, verified: true once checked.`,
      ...(entry ? [`The existing entry's sources: ${entry.sources.join(' ')}`] : []),
      ...(candidate.note ? [`Curator's note: ${candidate.note}`] : []),
    ],
    sources: [item.url],
  };
  // The knowledge base's own schema decides whether this is an evidence item; a failure is a bug here.
  return Evidence.parse(draft);
}

function draftTags(kb: KnowledgeBase, candidate: Candidate): { agents: string[]; mechanisms: string[] } {
  const tags = Array.isArray(candidate.item.tags) ? (candidate.item.tags as string[]) : [];
  return {
    agents: tags.filter((t) => kb.agentsById.has(t)),
    mechanisms: tags.filter((t) => kb.mechanismsById.has(t)),
  };
}

function matchWords(by: Candidate['matchedBy']): string {
  return { nct: 'NCT id', doi: 'DOI', pmid: 'PMID', acronym: 'trial acronym in the title', concept: 'concept layer' }[
    by
  ];
}

/** "Okafor AN, Lee B, et al. J Fixture Oncol": the record's own authors and journal, nothing added. */
function citationText(item: LiteratureItem): string {
  const authors = item.authors ?? [];
  const names = authors.length > 3 ? `${authors.slice(0, 3).join(', ')}, et al.` : authors.join(', ');
  const where = item.journal ?? (item.source === 'clinicaltrials' ? 'ClinicalTrials.gov' : item.source);
  return [names, where].filter(Boolean).join('. ') || item.title || item.url;
}

function uniqueId(candidate: Candidate, item: LiteratureItem, taken: ReadonlySet<string>): string {
  const slug = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .split('-')
      .slice(0, 5)
      .join('-') || 'item';
  const year = /^\d{4}/.exec(item.date ?? '')?.[0];
  const base = `ev-${slug(candidate.subject)}${year ? `-${year}` : ''}-draft`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}
