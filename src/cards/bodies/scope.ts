/**
 * The cards of honest scope: "not covered" (what is not covered, what is, and the closest items as links,
 * never as the answer), the fixed careful card for a request about an individual patient, and the one-line
 * reply to a greeting or thanks.
 */
import type { Answer } from '../../answer/answer.ts';
import { evidenceLine } from '../format.ts';
import { type Body, EMPTY } from './common.ts';

export function notCoveredBody(answer: Extract<Answer, { type: 'not-covered' }>): Body {
  const { topics, unheld } = answer;
  const what = topics.length > 0 ? topics.map((t) => t.topic).join('; ') : unheld.join(', ');
  const summary = [
    ...(unheld.length > 0 ? [`The knowledge base holds nothing on ${unheld.join(', ')}.`] : []),
    ...topics.map((t) => t.answer),
  ].join(' ');
  const lookInstead = topics.flatMap((t) => t.lookInstead);
  const links = [...new Map(lookInstead.map((l) => [l.url, { label: l.label, url: l.url }])).values()];
  return {
    ...EMPTY,
    type: 'not-covered',
    title: `Not covered: ${what}`,
    summary,
    sections: [
      ...(answer.related.length > 0
        ? [
            {
              heading: 'Related in the knowledge base (not an answer to this question)',
              items: answer.related.map((h) => ({ id: h.id, title: h.title, evidence: [] })),
            },
          ]
        : []),
      {
        heading: 'What the knowledge base covers',
        items: answer.covers.slice(0, 2).map((text) => ({ text, evidence: [] })),
      },
    ],
    links,
    actions: links.slice(0, 2).map((l) => ({ label: `Open ${l.label}`, url: l.url })),
    fallback: `Not covered: ${what}`,
  };
}

export function patientBody(answer: Extract<Answer, { type: 'patient-question' }>): Body {
  const guidelines = answer.guidelines.map((g) => ({
    title: g.label,
    text: g.citation,
    ...(g.url ? { link: { label: g.label, url: g.url } } : {}),
    evidence: [],
  }));
  return {
    ...EMPTY,
    type: 'patient-question',
    title: 'About an individual patient',
    summary: answer.statement,
    sections: [
      { heading: 'Current guidelines', items: guidelines },
      ...answer.situations.map((s) => ({
        heading: `Evidence in the knowledge base: ${s.label}`,
        items: [{ evidence: s.evidence.map(evidenceLine) }],
      })),
    ],
    notes: answer.guidelinesNote ? [answer.guidelinesNote] : [],
    links: answer.guidelines.flatMap((g) => (g.url ? [{ label: g.label, url: g.url }] : [])),
    fallback: 'The bot does not advise on individual patients; see current guidelines and the evidence listed.',
  };
}

export function greetingBody(answer: Extract<Answer, { type: 'greeting' }>): Body {
  return { ...EMPTY, type: 'greeting', title: answer.text, fallback: answer.text };
}
