/** The card of the 2011 review itself: its thesis, the resistance models it names, its agents, its limits. */
import type { Answer } from '../../answer/answer.ts';
import { type Body, EMPTY, moreAction } from './common.ts';

export function reviewBody(answer: Extract<Answer, { type: 'review' }>): Body {
  const c = answer.review.citation;
  return {
    ...EMPTY,
    type: 'review',
    title: 'The review: trastuzumab resistance and novel targeted therapies',
    subtitle: `${c.authors.join(', ')}. ${c.journalAbbrev} ${c.year};${c.volume}(${c.issue}):${c.pages}`,
    summary: answer.review.summary,
    facts: [{ label: 'Thesis', value: answer.review.thesis }],
    sections: [
      {
        heading: 'Resistance models it names',
        items: answer.mechanisms.map((m) => ({ id: m.id, title: m.shortName, text: m.summary, evidence: [] })),
      },
      {
        heading: 'Agents it discusses',
        items: [{ text: answer.agents.map((a) => a.name).join(', '), evidence: [] }],
      },
    ],
    notes: answer.review.limits.slice(0, 2),
    links: [
      { label: 'DOI', url: `https://doi.org/${c.doi}` },
      { label: 'PMC', url: `https://pmc.ncbi.nlm.nih.gov/articles/${c.pmcid}/` },
    ],
    actions: moreAction(answer.query, answer.alternatives.length),
    fallback: `The review: ${c.text}`,
  };
}
