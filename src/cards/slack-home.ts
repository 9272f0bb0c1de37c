/** Slack's App Home tab from the knowledge-base overview (Home tabs allow up to 100 blocks). */
import type { KnownBlock } from '@slack/types';
import type { Overview } from '../answer/overview.ts';
import { linkWording } from '../knowledge/link-labels.ts';
import { DISCLAIMER } from './disclaimer.ts';
import { slackText } from './escape.ts';

export function renderSlackHome(o: Overview): KnownBlock[] {
  const mrkdwn = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'HER2 resistance: mechanisms, agents, evidence' } },
    mrkdwn(
      `Why does HER2-positive breast cancer stop responding to trastuzumab, what can be done about it, and on what evidence? Answers come from a curated knowledge base of ${o.counts.mechanisms} mechanisms, ${o.counts.agents} agents and ${o.counts.evidence} studies, each with its source.`,
    ),
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Knowledge base ${slackText(o.kb.version)} (${slackText(o.kb.date)}) · *${DISCLAIMER}*`,
        },
      ],
    },
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: 'How to ask' } },
    mrkdwn(
      [
        '`/her2 <question>` answers only you; *Share to channel* posts it for everyone.',
        '`@her2bot <question>` in a channel answers in the thread. In this app’s Messages tab, just type.',
        `Try: ${o.examples.map((q) => `\`/her2 ${slackText(q)}\``).join(' · ')}`,
        '`/her2 mechanisms` · `/her2 agents` · `/her2 trials` · `/her2 digest subscribe` for a daily literature digest.',
      ].join('\n'),
    ),
    { type: 'divider' },
    { type: 'header', text: { type: 'plain_text', text: 'Mechanism map' } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'Mechanism → agents used or proposed against it (evidence level of the best supporting study, A strongest … E inferential).',
        },
      ],
    },
  ];
  for (const m of o.mechanisms) {
    const tag = m.namedInReview ? ' _(named in the 2011 review)_' : m.later ? ' _(described after the review)_' : '';
    const agents = m.agents
      .map((a) => `${slackText(a.name)} (${[a.level, linkWording(a.kind).tag].filter(Boolean).join(', ')})`)
      .join(', ');
    blocks.push(mrkdwn(`*${slackText(m.name)}*${tag}\n→ ${agents || 'no agent yet'}`));
  }
  blocks.push(
    { type: 'divider' },
    mrkdwn(
      `*The review*\n${slackText(o.review.citation)} <https://doi.org/${encodeURI(o.review.doi)}|doi:${slackText(o.review.doi)}>\n_Thesis:_ ${slackText(o.review.thesis)}`,
    ),
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `*${DISCLAIMER}* Results published after the 2011 review are marked as later data.` },
      ],
    },
  );
  return blocks;
}
