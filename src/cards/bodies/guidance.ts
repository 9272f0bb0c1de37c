/** What the bot says when it has no card to show: help, "no match", and short notices and errors. */
import type { Answer } from '../../answer/answer.ts';
import type { Syntax } from '../card-view.ts';
import { type Body, EMPTY } from './common.ts';

export function noneBody(answer: Extract<Answer, { type: 'none' }>, syntax: Syntax): Body {
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
      { heading: 'Try', items: answer.examples.map((q) => ({ title: `${syntax.prefix}${q}`, evidence: [] })) },
    ],
    fallback: `No match for “${answer.query}”${answer.suggestions.length > 0 ? `; did you mean ${answer.suggestions.map((s) => s.text).join(', ')}?` : ''}`,
  };
}

export function helpBody(answer: Extract<Answer, { type: 'help' }>, syntax: Syntax): Body {
  const say = (words: string) => `${syntax.prefix}${words}`;
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
          { title: say(syntax.question), text: 'search mechanisms, agents and trials', evidence: [] },
          { title: say('mechanisms'), text: 'all resistance mechanisms', evidence: [] },
          { title: say('agents'), text: 'all agents', evidence: [] },
          { title: say('trials'), text: 'the clinical trials', evidence: [] },
          {
            title: say("what's new"),
            text: 'what the latest knowledge-base release added and corrected',
            evidence: [],
          },
          ...digestLines(syntax).map(({ usage, text }) => ({ title: usage, text, evidence: [] })),
        ],
      },
      { heading: 'Examples', items: answer.examples.map((q) => ({ title: say(q), evidence: [] })) },
    ],
    notes: syntax.elsewhere ? [syntax.elsewhere] : [],
    fallback: `her2-bot help: ${[...[syntax.question, 'mechanisms', 'agents', 'trials', "what's new"].map(say), syntax.digestHelp?.[0]?.usage ?? say('digest')].join(', ')}`,
  };
}

/** In a chat the digest is managed with `digest …` commands; elsewhere the syntax names its own way. */
function digestLines(syntax: Syntax): readonly { usage: string; text: string }[] {
  if (syntax.digestHelp) return syntax.digestHelp;
  return [
    {
      usage: `${syntax.prefix}digest subscribe [HH:MM] [Area/City] [topic …]`,
      text: 'daily literature digest in this channel',
    },
    { usage: `${syntax.prefix}digest status | preview | unsubscribe`, text: 'manage the digest' },
  ];
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
    actions: [
      ...(answer.download ? [{ label: answer.download.label, url: answer.download.url }] : []),
      ...(answer.offers ?? []).map((o) => ({ label: o.label, feedback: o.feedback })),
    ],
    fallback: `${answer.title}: ${answer.message}`,
  };
}
