/** What the bot says when it has no card to show: help, "no match", and short notices and errors. */
import type { Answer } from '../../answer/answer.ts';
import { type Body, EMPTY } from './common.ts';

export function noneBody(answer: Extract<Answer, { type: 'none' }>): Body {
  return {
    ...EMPTY,
    type: 'none',
    title: 'No match in the knowledge base',
    summary: `Nothing in the knowledge base matches “${answer.query}”.`,
    sections: [
      ...(answer.suggestions.length > 0
        ? [
            {
              heading: 'Did you mean',
              items: answer.suggestions.map((s) => ({ id: s.id, title: s.text, evidence: [] })),
            },
          ]
        : []),
      { heading: 'Try', items: answer.examples.map((q) => ({ title: `/her2 ${q}`, evidence: [] })) },
    ],
    fallback: `No match for “${answer.query}”${answer.suggestions.length > 0 ? `; did you mean ${answer.suggestions.map((s) => s.text).join(', ')}?` : ''}`,
  };
}

export function helpBody(answer: Extract<Answer, { type: 'help' }>): Body {
  return {
    ...EMPTY,
    type: 'help',
    title: 'her2-bot: trastuzumab resistance in HER2-positive breast cancer',
    summary:
      'Ask about a resistance mechanism, a drug or a trial. Answers come only from a curated knowledge base built on Gajria & Chandarlapaty (Expert Rev Anticancer Ther 2011) and the trials that followed, each with its source.',
    sections: [
      {
        heading: 'Commands',
        items: [
          { title: '/her2 <question>', text: 'search mechanisms, agents and trials', evidence: [] },
          { title: '/her2 mechanisms', text: 'all resistance mechanisms', evidence: [] },
          { title: '/her2 agents', text: 'all agents', evidence: [] },
          { title: '/her2 trials', text: 'the clinical trials', evidence: [] },
          {
            title: '/her2 digest subscribe [HH:MM] [Area/City] [topic …]',
            text: 'daily literature digest in this channel',
            evidence: [],
          },
          { title: '/her2 digest status | preview | unsubscribe', text: 'manage the digest', evidence: [] },
        ],
      },
      { heading: 'Examples', items: answer.examples.map((q) => ({ title: `/her2 ${q}`, evidence: [] })) },
    ],
    notes: ['In Teams, and in Slack channels, @-mention the bot with the same words.'],
    fallback: 'her2-bot help: /her2 <question>, /her2 mechanisms, /her2 agents, /her2 trials, /her2 digest',
  };
}

export function errorBody(answer: Extract<Answer, { type: 'error' }>): Body {
  return {
    ...EMPTY,
    type: 'error',
    title: 'Sorry, that did not work',
    summary: answer.message,
    fallback: answer.message,
  };
}

export function noticeBody(answer: Extract<Answer, { type: 'notice' }>): Body {
  return {
    ...EMPTY,
    type: 'notice',
    title: answer.title,
    summary: answer.message,
    sections:
      answer.details.length > 0 ? [{ heading: '', items: answer.details.map((text) => ({ text, evidence: [] })) }] : [],
    fallback: `${answer.title}: ${answer.message}`,
  };
}
