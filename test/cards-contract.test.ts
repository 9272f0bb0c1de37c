import { describe, expect, it } from 'vitest';
import type { Answer } from '../src/answer/answer.ts';
import { answerForEntity } from '../src/answer/answer.ts';
import { DISCLAIMER } from '../src/cards/disclaimer.ts';
import { renderSlack } from '../src/cards/slack.ts';
import { type AdaptiveCard, renderTeams } from '../src/cards/teams.ts';
import { renderText } from '../src/cards/text.ts';
import { slackProblems, slackSpecialSequences, teamsProblems } from '../src/cards/validate.ts';
import { cardView } from '../src/cards/view.ts';
import { Core } from '../src/core.ts';
import { displayName } from '../src/knowledge/knowledge-base.ts';
import { adaptiveCardSchemaValidator } from './helpers/schemas.ts';
import { describeShared } from './helpers/shared.ts';

const core = await Core.open();
const kb = core.kb;
const nameOf = (id: string) => displayName(kb, id);
const entityIds = [
  'review',
  ...kb.mechanisms.map((m) => m.id),
  ...kb.agents.map((a) => a.id),
  ...kb.evidence.map((e) => e.id),
];

function allAnswers(): [string, Answer][] {
  const out: [string, Answer][] = entityIds.map((id) => [id, answerForEntity(kb, id, 'a query')!]);
  out.push(['help', core.answer('help')]);
  out.push(['none', core.answer('zzqx kadsilla')]);
  for (const list of ['mechanisms', 'agents', 'trials']) out.push([list, core.answer(list)]);
  for (const id of ['mech-pi3k-pathway-activation', 'agent-t-dm1']) {
    out.push([`agents:${id}`, core.related('agents', id)]);
    out.push([`evidence:${id}`, core.related('evidence', id)]);
  }
  out.push([
    'error',
    { type: 'error', message: 'Something failed.', kb: { version: kb.version, date: kb.versionDate } },
  ]);
  return out;
}

const answers = allAnswers();

describe('every card of the knowledge base renders valid on every surface', () => {
  it.each(answers)('%s: Slack blocks within limits, Adaptive Card 1.5 parses, text has the footer', (_id, answer) => {
    const view = cardView(answer, nameOf);
    const slack = renderSlack(view, { shareable: true });
    expect(slackProblems(slack)).toEqual([]);
    expect(JSON.stringify(slack)).toContain(DISCLAIMER);
    const teams = renderTeams(view);
    expect(teamsProblems(teams)).toEqual([]);
    expect(JSON.stringify(teams)).toContain(DISCLAIMER);
    const text = renderText(view);
    expect(text).toContain(`Knowledge base ${kb.version}`);
    expect(text).toContain(DISCLAIMER);
    expect(text).not.toMatch(/\b(?:mech|agent|ev)-[a-z0-9]+-[a-z0-9-]+/); // ids in prose are shown as names
  });

  it('shows a source link for every evidence line that has an identifier, and marks later data', () => {
    for (const e of kb.evidence) {
      const text = renderText(cardView(answerForEntity(kb, e.id)!, nameOf));
      const c = e.citation;
      if (c.pmid) expect(text, e.id).toContain(`https://pubmed.ncbi.nlm.nih.gov/${c.pmid}/`);
      if (c.doi) expect(text, e.id).toContain(`https://doi.org/${c.doi}`);
      for (const nct of c.nct ?? []) expect(text, e.id).toContain(`https://clinicaltrials.gov/study/${nct}`);
      if (!c.pmid && !c.doi && !c.nct?.length && !c.pmcid) expect(text, e.id).toContain('no source link');
      expect(text, e.id).toContain(
        e.relativeToReview === 'after' ? 'after the 2011 review (later data)' : 'before the 2011 review',
      );
    }
  });

  it('never states an unverified figure plainly: it is hedged on the evidence card', () => {
    for (const e of kb.evidence) {
      const text = renderText(cardView(answerForEntity(kb, e.id)!, nameOf));
      for (const r of e.results.filter((x) => !x.verified)) {
        const figure = r.values[0]?.value ?? r.ratio?.value;
        if (!figure) continue;
        const line = text
          .split('\n')
          .find((l) => l.includes(r.endpoint) && l.includes(figure) && l.includes('not verified'));
        expect(line, `${e.id} ${r.endpoint}`).toBeDefined();
      }
    }
  });

  it('quotes only verified figures on compact evidence lines', () => {
    for (const m of kb.mechanisms) {
      const answer = answerForEntity(kb, m.id)!;
      if (answer.type !== 'mechanism') continue;
      for (const link of answer.agents) {
        for (const e of link.evidence.slice(0, 1)) {
          const unverified = e.results.filter((r) => !r.verified);
          const text = renderText(cardView(answer, nameOf));
          for (const r of unverified) {
            const line = text.split('\n').find((l) => l.includes(`${e.name} (`));
            if (line && r.values.length > 1)
              expect(line, e.id).not.toContain(r.values.map((v) => v.value).join(' vs '));
          }
        }
      }
    }
  });
});

describeShared('Adaptive Cards against the official 1.5 JSON schema', () => {
  const validate = adaptiveCardSchemaValidator();
  it.each(answers.slice(0, 40))('%s validates (msteams stripped)', (_id, answer) => {
    const { msteams: _teamsOnly, ...card } = renderTeams(cardView(answer, nameOf)) as AdaptiveCard;
    const ok = validate(card);
    expect(ok ? [] : validate.errors).toEqual([]);
  });
});

describe('hostile queries cannot ping, link, format or break a card', () => {
  const hostile = [
    '<!channel> resistance pi3k',
    '<!here> <@U123ABC> <#C123|general>',
    '*bold* _italic_ ~strike~ `code` [link](http://x) <http://evil.example|click>',
    '{{handlebars}} {{#each x}}{{/each}} {{> footer}}',
    '"}]} ,"blocks":[ {"type":"section"} ]',
    `${'x'.repeat(4000)} p95`,
    'p95 &amp; &lt;b&gt; \\ \n\t',
  ];

  it.each(hostile.map((q) => [q.slice(0, 30), q]))('%s', (_label, query) => {
    for (const answer of [core.answer(query), core.moreResults(query)]) {
      const view = cardView(answer, nameOf);
      const slack = renderSlack(view, { shareable: true });
      expect(slackProblems(slack)).toEqual([]);
      expect(slackSpecialSequences(slack)).toEqual([]);
      const json = JSON.stringify(slack);
      expect(JSON.parse(json)).toEqual(slack);
      // The query is echoed only as plain_text, never inside mrkdwn.
      for (const block of slack.blocks) {
        if (block.type === 'section' && block.text) expect(block.text.text).not.toContain('<!channel>');
      }
      expect(slack.text).not.toMatch(/<[!@#]/);

      const teams = renderTeams(view);
      expect(teamsProblems(teams)).toEqual([]);
      const echoed = JSON.stringify(teams.body.filter((b) => b.type === 'TextBlock'));
      expect(echoed).not.toContain('[link](http://x)');
      expect(renderText(view)).toContain(DISCLAIMER);
    }
  });

  it('renders handlebars syntax in a query literally, never as a template', () => {
    const view = cardView(core.answer('{{> footer}} zzqx'), nameOf);
    expect(renderText(view)).toContain('{{> footer}} zzqx');
  });
});

describe('Slack limits are enforced by code', () => {
  it('cuts a card with many items to 50 blocks and says how many were left out', () => {
    const answer = core.moreResults('her2', 1);
    const view = cardView(answer, nameOf);
    const many = {
      ...view,
      sections: [
        {
          heading: 'Many',
          items: Array.from({ length: 80 }, (_, i) => ({
            id: `ev-item-${i}`,
            title: `Item ${i}`,
            text: 'y'.repeat(5000),
            evidence: [],
          })),
        },
      ],
    };
    const slack = renderSlack(many);
    expect(slack.blocks.length).toBe(50);
    expect(slackProblems(slack)).toEqual([]);
    expect(JSON.stringify(slack.blocks.at(-3))).toMatch(/more not shown here/);
  });

  it('keeps an Adaptive Card under 28 KB by dropping detail, with a note', () => {
    const view = cardView(core.answer('p95'), nameOf);
    const huge = {
      ...view,
      sections: Array.from({ length: 40 }, (_, i) => ({
        heading: `Section ${i}`,
        items: [{ text: 'z'.repeat(2000), evidence: [] }],
      })),
    };
    const card = renderTeams(huge);
    expect(teamsProblems(card)).toEqual([]);
    expect(JSON.stringify(card)).toContain('left out to fit');
  });
});
