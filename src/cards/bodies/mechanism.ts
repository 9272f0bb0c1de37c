/** The card of a resistance mechanism: what each linked agent does to it (with its best evidence). */
import type { Answer } from '../../answer/answer.ts';
import type { Fact } from '../card-view.ts';
import { statementText } from '../format.ts';
import { mechanismLinkSections } from '../link-sections.ts';
import { type Body, moreAction } from './common.ts';

export function mechanismBody(answer: Extract<Answer, { type: 'mechanism' }>): Body {
  const { mechanism: m, agents: links, query } = answer;
  const facts: Fact[] = [];
  const biomarker = m.biomarkers.find((b) => b.verified) ?? m.biomarkers[0];
  if (biomarker) facts.push({ label: 'Biomarker', value: statementText(biomarker) });
  const frequency = m.frequency.find((f) => f.verified);
  if (frequency) facts.push({ label: 'Frequency', value: frequency.text });
  const sections = mechanismLinkSections(links);
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
