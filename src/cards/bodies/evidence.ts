/** The card of a trial or study: design, results (hedged unless verified), what it supports, its sources. */
import type { Answer } from '../../answer/answer.ts';
import { isOutsideScope } from '../../knowledge/knowledge-base.ts';
import { evidenceKindLabel, her2PopulationLabel, levelLabel } from '../../knowledge/labels.ts';
import type { Evidence } from '../../knowledge/schema.ts';
import type { CardSection, Fact } from '../card-view.ts';
import { evidenceLine, resultStatement, sourceLinks, statementText, timingText } from '../format.ts';
import { type Body, moreAction } from './common.ts';

export function evidenceBody(answer: Extract<Answer, { type: 'evidence' }>): Body {
  const { evidence: e, agents, mechanisms, related } = answer;
  const facts: Fact[] = [{ label: 'Setting', value: e.setting }];
  if (e.design) facts.push({ label: 'Design', value: e.design });
  facts.push(...armsFact(e));
  if (e.n) facts.push({ label: 'Patients', value: `n=${e.n}` });
  if (e.primaryEndpoint) facts.push({ label: 'Primary endpoint', value: e.primaryEndpoint });
  facts.push(levelFact(e));

  const sections: CardSection[] = [];
  const results = e.results.map((r) => ({ text: resultStatement(r, { arms: true }), evidence: [] }));
  if (results.length > 0) sections.push({ heading: 'Results', role: 'results', items: results });
  const findings = e.findings.map((f) => ({ text: statementText(f), evidence: [] }));
  if (findings.length > 0) sections.push({ heading: 'Findings', items: findings.slice(0, 4) });
  const supports = [
    ...mechanisms.map((m) => ({ id: m.id, title: m.shortName, text: 'mechanism', evidence: [] })),
    ...agents.map((a) => ({ id: a.id, title: a.name, text: 'agent', evidence: [] })),
  ];
  if (supports.length > 0) sections.push({ heading: 'Links to', role: 'supports', items: supports });
  if (related.length > 0)
    sections.push({
      heading: 'Other analyses of this trial',
      items: [{ evidence: related.slice(0, 3).map(evidenceLine) }],
    });

  return {
    ...evidenceHead(answer),
    facts,
    sections,
    notes: [
      ...scopeNotes(e),
      `Citation: ${e.citation.verified ? e.citation.text : `${e.citation.text} (details not fully verified)`}`,
      ...e.caveats.slice(0, 2),
    ],
  };
}

/** What the short and the whole card of a trial share: its name and timing, summary, sources and buttons. */
export function evidenceHead(answer: Extract<Answer, { type: 'evidence' }>): Body {
  const { evidence: e, agents, query } = answer;
  const links = sourceLinks(e);
  return {
    type: 'evidence',
    title: e.name,
    subtitle: [evidenceKindLabel(e.kind), e.year, timingText(e), isOutsideScope(e) ? 'HER2-low: outside scope' : '']
      .filter(Boolean)
      .join(' · '),
    summary: `${e.title}. ${e.summary}`,
    facts: [],
    sections: [],
    notes: scopeNotes(e),
    links,
    actions: [
      ...(agents.length > 0
        ? [{ label: 'Agents', payload: { a: 'agents' as const, id: e.id }, style: 'primary' as const }]
        : []),
      ...links.slice(0, 2).map((l) => ({ label: `Open ${l.label}`, url: l.url })),
      ...moreAction(query, answer.alternatives.length),
    ],
    fallback: `${e.name} (${evidenceKindLabel(e.kind)}): ${e.summary}`,
  };
}

export function armsFact(e: Evidence): Fact[] {
  if (e.arms.length === 0) return [];
  return [
    { label: 'Arms', value: e.arms.map((arm) => (arm.n ? `${arm.label} (n=${arm.n})` : arm.label)).join(' vs ') },
  ];
}

export function levelFact(e: Evidence): Fact {
  return {
    label: 'Evidence level',
    value: levelLabel(e.level) + (e.levelNote ? ` (${e.levelNote})` : ''),
    role: 'level',
  };
}

/** What every card of the trial says about its scope and its sources, whatever else it leaves out. */
function scopeNotes(e: Evidence): string[] {
  return [
    ...(isOutsideScope(e) ? [outsideScopeNote(e)] : []),
    ...(sourceLinks(e).length === 0
      ? ['No PubMed, DOI or ClinicalTrials.gov identifier verified yet: no source link.']
      : []),
  ];
}

/** The reader's line on a HER2-low/ultralow trial: what it enrolled, and that it is a pointer only. */
function outsideScopeNote(e: Evidence): string {
  return `Outside this knowledge base's HER2-positive scope: ${e.name} enrolled ${her2PopulationLabel(e.her2Population)} breast cancer, not HER2-positive disease. It is listed as a pointer; for HER2-low treatment decisions see current NCCN or ESMO guidelines.`;
}
