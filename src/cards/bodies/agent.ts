/** The card of an agent: names, class and status, what it does to each mechanism, key evidence, safety. */
import type { Answer } from '../../answer/answer.ts';
import type { Agent } from '../../knowledge/schema.ts';
import type { CardSection, Fact } from '../card-view.ts';
import { evidenceLine } from '../format.ts';
import { agentLinkSections } from '../link-sections.ts';
import { type Body, moreAction } from './common.ts';

/** The agent's brand names and code names, as clinicians and papers call it. */
export function nameFacts(a: Agent): Fact[] {
  const names = a.names.filter((n) => n.verified && n.kind !== 'alias');
  const byKind = (kind: string) => names.filter((n) => n.kind === kind).map((n) => n.name);
  const facts: Fact[] = [];
  if (byKind('brand').length > 0) facts.push({ label: 'Brand', value: byKind('brand').join(', ') });
  if (byKind('code').length > 0) facts.push({ label: 'Code', value: byKind('code').join(', ') });
  return facts;
}

/** The first three verified approvals, with region and date. */
export function approvalsFact(approvals: readonly Agent['approvals'][number][]): Fact {
  return {
    label: 'Approvals',
    value: approvals
      .slice(0, 3)
      .map((x) => `${x.region}${x.date ? ` ${x.date}` : ''}: ${x.text}`)
      .join(' · '),
  };
}

export function agentBody(answer: Extract<Answer, { type: 'agent' }>): Body {
  const { agent: a, links, evidence, query } = answer;
  const facts = nameFacts(a);
  const members = a.members
    .map((m) =>
      m.names
        .filter((n) => n.verified)
        .map((n) => n.name)
        .join(' / '),
    )
    .filter(Boolean);
  if (members.length > 0) facts.push({ label: 'Includes', value: members.join('; ') });
  facts.push(
    { label: 'Class', value: a.class },
    { label: 'Target', value: a.targets.join(', ') },
    { label: 'Status', value: a.status },
  );
  const approvals = a.approvals.filter((x) => x.verified);
  if (approvals.length > 0) facts.push(approvalsFact(approvals));

  const sections: CardSection[] = agentLinkSections(links);
  if (evidence.length > 0)
    sections.push({ heading: 'Key evidence', items: [{ evidence: evidence.slice(0, 4).map(evidenceLine) }] });
  const safety = a.safety.filter((s) => s.verified).slice(0, 3);
  if (safety.length > 0)
    sections.push({ heading: 'Safety', items: safety.map((s) => ({ text: s.text, evidence: [] })) });
  if (evidence.length === 0 && a.evidenceGap)
    sections.push({ heading: 'Evidence', items: [{ text: a.evidenceGap, evidence: [] }] });

  return {
    type: 'agent',
    title: a.name,
    subtitle: `${a.class}${a.era === 'later' ? ' · later agent, after the 2011 review (later data)' : ''}`,
    summary: a.mechanismOfAction,
    facts,
    sections,
    notes: a.caveats.slice(0, 2),
    links: [],
    actions: [
      { label: 'Evidence', payload: { a: 'evidence', id: a.id }, style: 'primary' },
      ...(links.length > 0 ? [{ label: 'Mechanisms', payload: { a: 'agents' as const, id: a.id } }] : []),
      ...moreAction(query, answer.alternatives.length),
    ],
    fallback: `${a.name}: ${a.class}. ${a.status}`,
  };
}
