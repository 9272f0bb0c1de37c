/**
 * The cards of honest scope: "not covered" (what is not covered, what is, and the closest items as links,
 * never as the answer), the fixed careful card for a request about an individual patient, and the one-line
 * reply to a greeting or thanks.
 */
import type { Answer } from '../../answer/answer.ts';
import type { Evidence } from '../../knowledge/schema.ts';
import type { SectionItem } from '../card-view.ts';
import { evidenceLine, sourceLinks } from '../format.ts';
import { type Body, EMPTY } from './common.ts';

export function notCoveredBody(answer: Extract<Answer, { type: 'not-covered' }>): Body {
  const { topics, unheld } = answer;
  const what = topics.length > 0 ? topics.map((t) => t.topic).join('; ') : unheld.join(', ');
  const summary = [
    ...(unheld.length > 0 ? [`The knowledge base holds nothing on ${unheld.join(', ')}.`] : []),
    ...topics.map((t) => t.answer),
    ...(answer.held.length > 0
      ? [
          `It does hold ${answer.held.map((h) => h.title).join(' and ')} (listed below), but not the part of the question named in the title.`,
        ]
      : []),
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
        // The first line says it all; the list of every topic covered is for help, not for each refusal.
        items: answer.covers.slice(0, 1).map((text) => ({ text, evidence: [] })),
      },
    ],
    links,
    actions: links.slice(0, 2).map((l) => ({ label: `Open ${l.label}`, url: l.url })),
    fallback: `Not covered: ${what}`,
  };
}

/**
 * A short card, whatever the question: the guidelines by name (each a link), and each trial as one line
 * (its name linked to its source, its kind, level and timing), opening its own card for the figures.
 */
export function patientBody(answer: Extract<Answer, { type: 'patient-question' }>): Body {
  const guidelines = answer.guidelines.map((g) =>
    g.url
      ? { title: g.label, link: { label: g.label, url: g.url }, evidence: [] }
      : { title: g.label, text: g.citation, evidence: [] },
  );
  return {
    ...EMPTY,
    type: 'patient-question',
    title: 'About an individual patient',
    summary: answer.statement,
    sections: [
      { heading: 'Current guidelines', items: guidelines },
      ...answer.situations.map((s) => ({
        // The statement above says that what follows is the knowledge base's evidence.
        heading: s.label,
        items: s.evidence.map(trialLine),
      })),
    ],
    notes: answer.guidelinesNote ? [answer.guidelinesNote] : [],
    // Each guideline and trial links to its source where it is named: no second list of the same links.
    links: [],
    fallback: 'The bot does not advise on individual patients; see current guidelines and the evidence listed.',
  };
}

function trialLine(e: Evidence): SectionItem {
  const [source] = sourceLinks(e);
  const line = evidenceLine(e);
  return {
    id: e.id,
    title: e.name,
    text: [line.kind, `Level ${line.level}`, line.timing, ...(source ? [] : [line.citation])].join(' · '),
    ...(source ? { link: source } : {}),
    evidence: [],
  };
}

export function greetingBody(answer: Extract<Answer, { type: 'greeting' }>): Body {
  return { ...EMPTY, type: 'greeting', title: answer.text, fallback: answer.text };
}
