/**
 * A digest as data and as a card: one record per paper across sources, grouped by mechanism with caps
 * and "more", filtered by topic, and retraction and erratum notices said plainly.
 */
import { describe, expect, it } from 'vitest';
import { digestView } from '../src/cards/digest.ts';
import { renderSlack, SLACK_SYNTAX } from '../src/cards/slack.ts';
import { renderTeams } from '../src/cards/teams.ts';
import { CLI_SYNTAX, renderText } from '../src/cards/text.ts';
import { slackProblems, teamsProblems } from '../src/cards/validate.ts';
import { Classifier } from '../src/digest/classify.ts';
import {
  composeDigest,
  dedupe,
  itemKey,
  SHOW_PER_GROUP,
  SHOW_TOTAL,
  type SourceReport,
} from '../src/digest/compose.ts';
import { parseEuropePmcPage } from '../src/digest/sources/europepmc-parse.ts';
import { parsePubMedArticles } from '../src/digest/sources/pubmed-parse.ts';
import type { LiteratureItem } from '../src/digest/sources/types.ts';
import { tagChoices } from '../src/feedback/tags.ts';
import { displayName } from '../src/knowledge/knowledge-base.ts';
import { loadKnowledge } from '../src/knowledge/load.ts';
import { digestFixture } from './helpers/digest.ts';
import { paper, trial } from './helpers/digest-literature.ts';

const kb = loadKnowledge();
const classifier = new Classifier(kb);
const nameOf = (id: string) => displayName(kb, id);
const WINDOW = { since: '2026-11-22', until: '2026-11-29' };
const OK: SourceReport[] = [
  { name: 'pubmed', status: 'ok', count: 0 },
  { name: 'clinicaltrials', status: 'ok', count: 0 },
];
const pubmed = [
  ...parsePubMedArticles(digestFixture('pubmed/efetch-batch1.xml')),
  ...parsePubMedArticles(digestFixture('pubmed/efetch-batch2.xml')),
];
const europePmc = [
  ...parseEuropePmcPage(digestFixture('europepmc/search-page1.json')).items,
  ...parseEuropePmcPage(digestFixture('europepmc/search-page2.json')).items,
];
const compose = (items: LiteratureItem[], options: Parameters<typeof composeDigest>[5] = {}) =>
  composeDigest(kb, classifier, WINDOW, OK, items, options);

/** `n` papers on one topic, numbered from `from`, newest last. */
const papers = (from: number, n: number, topic: string) =>
  Array.from({ length: n }, (_, i) => paper(from + i, `2026-11-${String(22 + (i % 7)).padStart(2, '0')}`, topic));

describe('one record per paper across sources', () => {
  it('merges PubMed and Europe PMC records of the same PMID, keeping the first source’s', () => {
    const merged = dedupe([...pubmed, ...europePmc]);
    expect(merged.filter((i) => i.pmid === '99000001')).toHaveLength(1);
    expect(merged.find((i) => i.pmid === '99000001')?.source).toBe('pubmed');
    expect(merged.map((i) => i.id)).toEqual([
      '99000001',
      '99000002',
      '99000003',
      '99000004',
      'PPR:PPR990001',
      'PMC:PMC9900003',
    ]);
  });

  it('merges records that share only a DOI, whatever its case', () => {
    const preprint = europePmc.find((i) => i.id === 'PPR:PPR990001')!;
    const published = paper(99100001, '2026-11-28', 'HER2 heterogeneity under trastuzumab', {
      doi: preprint.doi!.toUpperCase(),
    });
    expect(dedupe([published, preprint])).toEqual([published]);
    expect(dedupe([preprint, published])).toEqual([preprint]);
  });

  it('keys items the same way whichever source they come from', () => {
    const med = europePmc.find((i) => i.id === 'MED:99000001')!;
    expect(itemKey(med)).toBe(itemKey(pubmed[0]!));
    expect(itemKey(pubmed[0]!)).toBe('pubmed:99000001');
    expect(itemKey(europePmc.find((i) => i.id === 'PPR:PPR990001')!)).toBe('doi:10.1101/2025.05.30.990001');
    expect(itemKey(trial('NCT09910001', '2026-11-28', 'x'))).toBe('trial:NCT09910001@2026-11-28');
  });

  it('counts a paper once in a composed digest from both sources', () => {
    const digest = compose([...pubmed, ...europePmc]);
    expect(digest.items.filter((d) => d.item.pmid === '99000001')).toHaveLength(1);
    expect(new Set(digest.items.map((d) => d.key)).size).toBe(digest.items.length);
  });
});

describe('groups', () => {
  it('groups by first mechanism in the knowledge base’s order, best first within a group', () => {
    const digest = compose([
      paper(99100001, '2026-11-23', 'p95HER2 expression'),
      paper(99100002, '2026-11-24', 'PIK3CA mutation'),
      paper(99100003, '2026-11-25', 'Neratinib after trastuzumab'),
      paper(99100004, '2026-11-26', 'PIK3CA mutation and PTEN loss with T-DM1', {
        publicationTypes: ['Randomized Controlled Trial', 'Clinical Trial, Phase III'],
      }),
    ]);
    expect(digest.groups.map((g) => [g.mechanism, g.items.map((d) => d.item.pmid)])).toEqual([
      ['mech-pi3k-pathway-activation', ['99100004', '99100002']],
      ['mech-p95her2', ['99100001']],
      [undefined, ['99100003']],
    ]);
    expect(digest.groups.map((g) => g.title)).toEqual([
      'PI3K pathway activation',
      'p95HER2',
      'Other HER2-positive research',
    ]);
  });

  it(`shows at most ${SHOW_PER_GROUP} per group and counts the rest as "more"`, () => {
    const digest = compose(papers(99100001, 7, 'PIK3CA mutation'));
    expect(digest.items).toHaveLength(7);
    expect(digest.groups).toHaveLength(1);
    expect(digest.groups[0]).toMatchObject({ mechanism: 'mech-pi3k-pathway-activation', more: 3 });
    expect(digest.groups[0]!.items).toHaveLength(SHOW_PER_GROUP);

    const text = renderText(digestView(digest, nameOf));
    expect(text).toContain('…and 3 more in this group');
    expect(text).toContain('3 more item(s) are listed in the thread or with “digest preview all”.');
    // "all" lists every item without caps (the Slack thread, `digest preview all`).
    const all = renderText(digestView(digest, nameOf, { all: true }));
    for (const d of digest.items) expect(all).toContain(d.item.title);
  });

  it(`shows at most ${SHOW_TOTAL} items in all, and every group still says what it holds`, () => {
    const topics = ['PIK3CA mutation', 'p95HER2 expression', 'IGF-1R signalling', 'c-MET amplification', 'MUC4'];
    const digest = compose(topics.flatMap((t, i) => papers(99100001 + i * 10, 5, t)));
    expect(digest.items).toHaveLength(25);
    const shown = digest.groups.reduce((n, g) => n + g.items.length, 0);
    expect(shown).toBe(SHOW_TOTAL);
    expect(digest.groups.reduce((n, g) => n + g.items.length + g.more, 0)).toBe(25);
  });

  it('keeps only the items of the subscribed topics (mechanism or agent)', () => {
    const items = [
      paper(99100001, '2026-11-23', 'p95HER2 expression'),
      paper(99100002, '2026-11-24', 'PIK3CA mutation'),
      paper(99100003, '2026-11-25', 'T-DM1 after pertuzumab'),
    ];
    expect(compose(items, { topics: ['mech-p95her2'] }).items.map((d) => d.item.pmid)).toEqual(['99100001']);
    expect(compose(items, { topics: ['agent-t-dm1'] }).items.map((d) => d.item.pmid)).toEqual(['99100003']);
    expect(compose(items, { topics: ['mech-p95her2', 'agent-t-dm1'] }).items).toHaveLength(2);
    expect(compose(items, { topics: [] }).items).toHaveLength(3);
  });

  it('leaves out what the channel has already been shown', () => {
    const items = papers(99100001, 3, 'PIK3CA mutation');
    const digest = compose(items, { exclude: new Set(['pubmed:99100002']) });
    expect(digest.items.map((d) => d.item.pmid).sort()).toEqual(['99100001', '99100003']);
  });
});

describe('the digest card', () => {
  it('says a retraction and an erratum for what they are, with the PMIDs they concern', () => {
    const text = renderText(digestView(compose(pubmed), nameOf));
    expect(text).toContain('Retraction: MET amplification drives tucatinib resistance');
    expect(text).toContain('RETRACTION of PMID 98000010');
    expect(text).toContain('correction of PMID 98000020');
    expect(text).toContain('correction or retraction');
  });

  it('surfaces a Europe PMC retraction notice too', () => {
    const notice = europePmc.find((i) => i.id === 'PMC:PMC9900003')!;
    expect(notice.retractionOf?.length).toBeGreaterThan(0);
    const text = renderText(digestView(compose([notice]), nameOf));
    expect(text).toContain(`RETRACTION of PMID ${notice.retractionOf!.join(', ')}`);
  });

  it('names the knowledge-base trial a record updates, and says in text how to ask for its card', () => {
    const emilia = paper(23020162, '2026-11-28', 'Trastuzumab emtansine, final overall survival');
    const digest = compose([emilia]);
    expect(renderText(digestView(digest, nameOf))).toContain(
      'new data on EMILIA (in the knowledge base; for its card, type “EMILIA”)',
    );
    expect(renderText(digestView(digest, nameOf, { syntax: CLI_SYNTAX }))).toContain('type “her2bot ask EMILIA”');
    expect(renderText(digestView(digest, nameOf, { syntax: SLACK_SYNTAX }))).toContain('type “/her2 EMILIA”');
  });

  it('makes “new data on EMILIA” a button that shows the entry’s card, on Slack and Teams', () => {
    const digest = compose([paper(23020162, '2026-11-28', 'Trastuzumab emtansine, final overall survival')]);
    const view = digestView(digest, nameOf);
    const slack = renderSlack(view);
    expect(slackProblems(slack)).toEqual([]);
    const item = slack.blocks.findIndex((b) => JSON.stringify(b).includes('pubmed.ncbi.nlm.nih.gov/23020162/'));
    // Right under the item, which keeps its feedback menu as its accessory.
    expect(slack.blocks[item]).toMatchObject({ accessory: { type: 'overflow' } });
    expect(slack.blocks[item + 1]).toMatchObject({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'new data on EMILIA' },
          action_id: expect.stringMatching(/^her2_show_\d+$/),
          value: JSON.stringify({ a: 'show', id: 'ev-emilia-2012' }),
        },
      ],
    });
    const teams = renderTeams(view);
    expect(teamsProblems(teams)).toEqual([]);
    expect(JSON.stringify(teams)).toContain(
      JSON.stringify({
        type: 'Action.Submit',
        title: 'new data on EMILIA',
        data: { her2: { a: 'show', id: 'ev-emilia-2012' } },
      }),
    );
    // The title links to the paper; the label no longer links to it a second time (it opens the entry).
    expect(JSON.stringify(slack).match(/23020162/g)).toHaveLength(1);
  });

  it('says which source is missing when one failed, and that its records come next time', () => {
    const digest = composeDigest(
      kb,
      classifier,
      WINDOW,
      [
        { name: 'pubmed', status: 'failed', count: 0, error: 'HTTP 503 (after 4 attempts)' },
        { name: 'clinicaltrials', status: 'ok', count: 1 },
      ],
      [trial('NCT09910002', '2026-11-28', 'Zanidatamab After Trastuzumab in HER2-positive Breast Cancer')],
    );
    expect(digest.incomplete).toBe(true);
    const view = digestView(digest, nameOf);
    expect(view.subtitle).toContain('PubMed (unreachable) · ClinicalTrials.gov (1)');
    expect(view.notes[0]).toBe(
      'Incomplete: PubMed could not be reached, so this digest is missing their records; they will be included next time.',
    );
    expect(view.fallback).toContain('(incomplete)');
  });

  it('renders a busy day within Slack’s and Teams’ limits, as posted (feedback, export), with every item in the "all" view', () => {
    const topics = ['PIK3CA mutation', 'p95HER2 expression', 'IGF-1R signalling', 'Neratinib', 'Cyclin E'];
    const digest = compose(topics.flatMap((t, i) => papers(99100001 + i * 20, 12, t)));
    const view = digestView(digest, nameOf, { exportable: true, tagChoices: tagChoices(kb) });
    expect(view.exportOffer?.choices.map((c) => c.format)).toEqual(['ris', 'bibtex', 'csv']);
    expect(slackProblems(renderSlack(view))).toEqual([]);
    expect(teamsProblems(renderTeams(view))).toEqual([]);
    for (let i = 0; i < digest.items.length; i += 20) {
      const part = { ...digest, items: digest.items.slice(i, i + 20) };
      expect(slackProblems(renderSlack(digestView(part, nameOf, { all: true })))).toEqual([]);
    }
  });
});

describe('tags with their reasons on the digest item', () => {
  it('shows why each tag fired on Slack, Teams and text, and carries the reasons in the data (--format json)', () => {
    const digest = compose([
      paper(99100801, '2026-11-27', 'Trastuzumab resistance', {
        abstract: 'BACKGROUND: Resistance may follow accumulation of a constitutively active form of HER2.',
      }),
    ]);
    const item = digest.items[0]!;
    expect(item.reasons['mech-p95her2']).toBe('constitutively active form of HER2');
    expect(item.relevanceReason).toBe("population: 'HER2-positive'");
    const view = digestView(digest, nameOf);
    const line = "tagged p95HER2: 'constitutively active form of HER2'; Trastuzumab";
    expect(renderText(view)).toContain(line);
    expect(JSON.stringify(renderSlack(view))).toContain(line);
    expect(JSON.stringify(renderTeams(view))).toContain("p95HER2: 'constitutively active form of HER2'");
  });
});
