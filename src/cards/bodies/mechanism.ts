/** The card of a resistance mechanism: what may overcome it (with its best evidence), what does not. */
import type { Answer } from '../../answer/answer.ts';
import type { CardSection, Fact } from '../card-view.ts';
import { evidenceLine, statementText } from '../format.ts';
import { type Body, moreAction } from './common.ts';

export function mechanismBody(answer: Extract<Answer, { type: 'mechanism' }>): Body {
  const { mechanism: m, agents: links, query } = answer;
  const overcome = links.filter((l) => l.link.stance === 'overcomes');
  const not = links.filter((l) => l.link.stance === 'does-not-overcome');
  const facts: Fact[] = [];
  const biomarker = m.biomarkers.find((b) => b.verified) ?? m.biomarkers[0];
  if (biomarker) facts.push({ label: 'Biomarker', value: statementText(biomarker) });
  const frequency = m.frequency.find((f) => f.verified);
  if (frequency) facts.push({ label: 'Frequency', value: frequency.text });
  const sections: CardSection[] = [
    {
      heading: 'What may overcome it',
      items: overcome.map((l) => ({
        id: l.link.agent,
        title: `${l.link.agentItem.name} (level ${l.link.level})`,
        text: l.link.rationale,
        evidence: l.evidence.slice(0, 1).map(evidenceLine),
      })),
    },
  ];
  if (not.length > 0) {
    sections.push({
      heading: 'Does not overcome it',
      items: not.map((l) => ({ id: l.link.agent, title: l.link.agentItem.name, text: l.link.rationale, evidence: [] })),
    });
  }
  return {
    type: 'mechanism',
    title: m.shortName,
    subtitle: m.namedInReview
      ? 'Resistance mechanism · one of the models named in the 2011 review'
      : m.era === 'later'
        ? 'Resistance mechanism · described after the 2011 review (later data)'
        : 'Resistance mechanism',
    summary: m.summary,
    facts,
    sections,
    notes: m.caveats.slice(0, 2),
    links: [],
    actions: [
      { label: 'Agents', payload: { a: 'agents', id: m.id }, style: 'primary' },
      { label: 'Evidence', payload: { a: 'evidence', id: m.id } },
      ...moreAction(query, answer.alternatives.length),
    ],
    fallback: `${m.shortName}: ${m.summary}`,
  };
}
