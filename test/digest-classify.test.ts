/**
 * The classifier: which mechanisms and agents a record is about, whether it is about HER2-positive
 * breast cancer at all, its provisional evidence tier, and its link to the knowledge base.
 */
import { describe, expect, it } from 'vitest';
import { Classifier, tierOf } from '../src/digest/classify.ts';
import { parseStudiesPage, studyToItem } from '../src/digest/sources/clinicaltrials-parse.ts';
import { parsePubMedArticles } from '../src/digest/sources/pubmed-parse.ts';
import type { LiteratureItem } from '../src/digest/sources/types.ts';
import { loadKnowledge } from '../src/knowledge/load.ts';
import { digestFixture } from './helpers/digest.ts';
import { paper, trial } from './helpers/digest-literature.ts';

const kb = loadKnowledge();
const classifier = new Classifier(kb);
const pubmed = [
  ...parsePubMedArticles(digestFixture('pubmed/efetch-batch1.xml')),
  ...parsePubMedArticles(digestFixture('pubmed/efetch-batch2.xml')),
];
const byPmid = (pmid: string) => pubmed.find((i) => i.pmid === pmid)!;

/** A PubMed record with just this title and abstract. */
function record(title: string, abstract?: string, extra: Partial<LiteratureItem> = {}): LiteratureItem {
  const { abstract: _default, ...item } = paper(99100001, '2026-11-28', 'x', { title, ...extra });
  return abstract === undefined ? item : { ...item, abstract };
}

describe('tags', () => {
  it('tags the PubMed fixture on T-DM1 in PIK3CA-mutant HER2+ breast cancer with PI3K activation and T-DM1', () => {
    const c = classifier.classify(byPmid('99000001'));
    expect(c.relevant).toBe(true);
    expect(c.mechanisms[0]).toBe('mech-pi3k-pathway-activation');
    expect(c.agents).toContain('agent-t-dm1');
    expect(c.tier).toBe('clinical study');
  });

  it('tags aliases, brand and code names: Kadcyla, PTEN loss, p95HER2', () => {
    const c = classifier.classify(
      record('Kadcyla after PTEN loss in HER2-positive breast cancer', 'Truncated p95HER2 was measured.'),
    );
    expect(c.agents).toContain('agent-t-dm1');
    expect(c.mechanisms).toEqual(expect.arrayContaining(['mech-pi3k-pathway-activation', 'mech-p95her2']));
  });

  it('reads truncated HER2 in its noun and adjective forms as p95HER2', () => {
    for (const words of ['HER2 truncation', 'Truncation of HER2', 'Truncated HER2 receptors']) {
      const c = classifier.classify(
        record(`${words} and trastuzumab resistance in HER2-positive breast cancer`, 'A laboratory study.'),
      );
      expect(c.mechanisms, words).toContain('mech-p95her2');
    }
  });

  it('weighs a name in the title over the same name in the abstract', () => {
    const inTitle = classifier.classify(record('PIK3CA mutation in HER2-positive breast cancer', 'A cohort.'));
    const inAbstract = classifier.classify(record('A cohort in HER2-positive breast cancer', 'PIK3CA mutation.'));
    expect(inTitle.score).toBeGreaterThan(inAbstract.score);

    // Within one record the title's mechanism ranks first, and so decides the record's group.
    const both = classifier.classify(
      record('p95HER2 in HER2-positive breast cancer', 'Tumours were also sequenced for PIK3CA.'),
    );
    expect(both.mechanisms).toEqual(['mech-p95her2', 'mech-pi3k-pathway-activation']);
  });

  it('reads an abstract to its end, not only its first words', () => {
    const filler =
      'Patients were treated in routine practice at academic and community centres over ten years with chemotherapy, ' +
      'endocrine therapy and radiotherapy, and were followed for survival, recurrence and quality of life. ' +
      'Tumour samples were collected at diagnosis and at progression, and were analysed centrally for hormone ' +
      'receptor status, proliferation markers and genomic alterations by next-generation sequencing.';
    const c = classifier.classify(
      record(
        'Outcomes in HER2-positive breast cancer',
        `${filler} In the subgroup with PTEN loss, outcomes were worse.`,
      ),
    );
    expect(c.mechanisms).toContain('mech-pi3k-pathway-activation');
  });

  it('does not read a hazard ratio ("HR 0.65") as hormone receptor', () => {
    const c = classifier.classify(
      record(
        'Trastuzumab duration in HER2-positive breast cancer',
        'Disease-free survival was similar (HR 1.07; 95% CI 0.93-1.24), hazard ratio (HR) for death HR=0.95.',
      ),
    );
    expect(c.mechanisms).not.toContain('mech-er-crosstalk');
    const hormone = classifier.classify(record('HR-positive, HER2-positive breast cancer after trastuzumab'));
    expect(hormone.mechanisms).toContain('mech-er-crosstalk');
  });
});

describe('relevance', () => {
  it.each([
    ['HER2-negative lung cancer', record('PIK3CA mutation in HER2-negative non-small cell lung cancer', 'Alpelisib.')],
    ['HER2-mutant lung cancer', record('Trastuzumab deruxtecan in HER2-mutant lung adenocarcinoma')],
    ['no HER2 at all (EGFR, lung)', record('Osimertinib in EGFR-mutant lung cancer', 'A phase II trial.')],
    ['no HER2 at all (breast)', record('Low-dose tamoxifen for the prevention of breast cancer', 'Positive results.')],
    ['HR-positive breast cancer', record('Endocrine therapy in hormone receptor-positive breast cancer', 'Low grade.')],
    ['HR+/HER2− breast cancer', record('Alpelisib in HR+/HER2− advanced breast cancer with PIK3CA mutation')],
    ['HER2-negative breast cancer', record('CDK4/6 inhibitors in HER2-negative breast cancer', 'Palbociclib.')],
    ['HER2-low breast cancer', record('Trastuzumab deruxtecan in HER2-low breast cancer')],
    [
      'a HER2-negative trial from ClinicalTrials.gov',
      trial(
        'NCT09910001',
        '2026-11-28',
        'Palbociclib and Letrozole in HR-positive, HER2-negative Advanced Breast Cancer',
      ),
    ],
  ])('drops an off-topic record: %s', (_name, item) => {
    expect(classifier.classify(item).relevant).toBe(false);
  });

  it.each([
    ['HER-2 spelt with a hyphen', record('HER-2 overexpressing breast cancer and trastuzumab failure')],
    ['c-erbB-2', record('c-erbB-2 amplified breast carcinoma after pertuzumab')],
    ['an anti-HER2 agent without the word HER2', record('Tucatinib in metastatic breast cancer with brain metastases')],
    ['HER2-positive next to HER2-negative', record('HER2-positive and HER2-negative breast cancer cohorts')],
    [
      'a retraction notice that names the paper but not the disease',
      record('Notice of retraction: HER3 ligand signalling in pertuzumab resistance', undefined, {
        publicationTypes: ['Retraction of Publication'],
        retractionOf: ['98000030'],
      }),
    ],
    [
      'a HER2-positive trial (no "breast" needed from ClinicalTrials.gov)',
      trial('NCT09910002', '2026-11-28', 'Zanidatamab After Trastuzumab in HER2-positive Disease'),
    ],
  ])('keeps an on-topic record: %s', (_name, item) => {
    expect(classifier.classify(item).relevant).toBe(true);
  });

  it('keeps and links a record with EMILIA’s PMID to ev-emilia-2012, whatever its text', () => {
    const c = classifier.classify(
      record('Trastuzumab emtansine for previously treated disease', '', { pmid: '23020162' }),
    );
    expect(c).toMatchObject({ kbEvidence: 'ev-emilia-2012', relevant: true });
    // The link adds to the score, so a known trial's update ranks above the same record unlinked.
    const unlinked = classifier.classify(record('Trastuzumab emtansine for previously treated disease', ''));
    expect(c.score).toBeGreaterThan(unlinked.score);
  });

  it('links a trial record to the knowledge base by its NCT id (EMILIA is NCT00829166)', () => {
    const c = classifier.classify(trial('NCT00829166', '2026-11-28', 'A Study of Trastuzumab Emtansine (EMILIA)'));
    expect(c.kbEvidence).toBe('ev-emilia-2012');
  });

  it('keeps the fixture records about HER2-positive breast cancer and drops the one that never says breast', () => {
    expect(pubmed.map((i) => [i.pmid, classifier.classify(i).relevant])).toEqual([
      ['99000001', true],
      ['99000002', false], // "HER2 loss after pertuzumab", no abstract, no breast
      ['99000003', true],
      ['99000004', true],
    ]);
  });
});

describe('tiers', () => {
  const typed = (...publicationTypes: string[]) => record('x', undefined, { publicationTypes });
  it.each([
    [['Journal Article', 'Randomized Controlled Trial', 'Clinical Trial, Phase III'], 'randomized phase III'],
    [['Clinical Trial, Phase III'], 'phase III'],
    [['Clinical Trial, Phase II'], 'phase II'],
    [['Clinical Trial, Phase I'], 'phase I'],
    [['Clinical Trial, Phase IV'], 'clinical study'],
    [['Meta-Analysis'], 'meta-analysis'],
    [['Systematic Review'], 'meta-analysis'],
    [['Review'], 'review'],
    [['Randomized Controlled Trial'], 'clinical study'],
    [['Observational Study'], 'clinical study'],
    [['Retraction of Publication'], 'correction or retraction'],
    [['Published Erratum'], 'correction or retraction'],
    [['Journal Article'], 'other'],
  ])('PubMed publication types %j give %s', (types, tier) => {
    expect(tierOf(typed(...types))).toBe(tier);
  });

  it('calls a paper on xenografts or cell lines preclinical', () => {
    expect(tierOf(record('Neratinib in trastuzumab-resistant xenografts', 'HER2+ cell lines were used.'))).toBe(
      'preclinical',
    );
  });

  it.each([
    [['PHASE3'], 'phase III'],
    [['PHASE2', 'PHASE3'], 'phase III'],
    [['PHASE1', 'PHASE2'], 'phase II'],
    [['EARLY_PHASE1'], 'phase I'],
    [['NA'], 'trial registration'],
    [[], 'trial registration'],
  ])('ClinicalTrials.gov phases %j give %s', (phases, tier) => {
    expect(tierOf(trial('NCT09910003', '2026-11-28', 'x', { phases }))).toBe(tier);
  });

  it('marks the fixture retraction and erratum notices as corrections, whatever their publication type', () => {
    expect(tierOf(byPmid('99000003'))).toBe('correction or retraction');
    expect(tierOf(byPmid('99000004'))).toBe('correction or retraction');
    expect(tierOf({ ...byPmid('99000003'), publicationTypes: ['Journal Article'] })).toBe('correction or retraction');
  });

  it('ranks a randomized phase III above a review on the same subject', () => {
    const rct = classifier.classify(typed('Randomized Controlled Trial', 'Clinical Trial, Phase III'));
    const review = classifier.classify(typed('Review'));
    expect(rct.score).toBeGreaterThan(review.score);
  });
});

describe('ClinicalTrials.gov fixtures', () => {
  it('keeps the HER2-positive trials of the fixture pages, with their phase as the tier', () => {
    const window = { since: '2025-05-01', until: '2025-06-30' };
    const items = ['clinicaltrials/studies-page1.json', 'clinicaltrials/studies-page2.json'].flatMap((f) =>
      parseStudiesPage(digestFixture(f)).studies.map((s) => studyToItem(s, window)),
    );
    const classified = items.map((i) => ({ id: i.id, ...classifier.classify(i) }));
    expect(classified.every((c) => c.relevant)).toBe(true);
    expect(classified.find((c) => c.id === 'NCT09900001')?.agents).toEqual(
      expect.arrayContaining(['agent-tucatinib', 'agent-t-dxd', 'agent-t-dm1']),
    );
  });
});
