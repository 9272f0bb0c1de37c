/**
 * How the digest classifier reads a paper: the population sentence by sentence (HER2 status and its
 * qualifier, site, subjects), tags that need salience (covariates, ambiguous aliases, drug targets do
 * not tag), mechanisms described without a name, drugs implying what they act on, trials implying
 * their arms, and the reason carried by every tag.
 */
import { describe, expect, it } from 'vitest';
import { readSentences } from '../src/digest/abstract-sentences.ts';
import { Classifier } from '../src/digest/classify.ts';
import type { LiteratureItem } from '../src/digest/sources/types.ts';
import { loadKnowledge } from '../src/knowledge/load.ts';

const kb = loadKnowledge();
const classifier = new Classifier(kb);

function read(title: string, abstract?: string) {
  const item: LiteratureItem = {
    source: 'pubmed',
    id: '99100901',
    pmid: '99100901',
    title,
    ...(abstract ? { abstract } : {}),
    url: 'https://pubmed.ncbi.nlm.nih.gov/99100901/',
    date: '2026-11-28',
    authors: [],
    publicationTypes: [],
  };
  return classifier.classify(item);
}

describe('sections and sentences', () => {
  it('weighs the title, aims and methods above the background, by the abstract’s own labels', () => {
    const s = readSentences(
      'A title',
      'BACKGROUND: Old work. It was fine.\nMETHODS: We randomised patients.\nRESULTS: Better.',
    );
    expect(s.map((x) => [x.role, x.weight])).toEqual([
      ['title', 3],
      ['background', 0.5],
      ['background', 0.5],
      ['methods', 2],
      ['results', 1],
    ]);
  });

  it('reads an unlabelled abstract’s background as the sentences before the authors speak of their own work', () => {
    const s = readSentences(
      'T',
      'Trastuzumab is standard. Resistance is common. In our study, we generated resistant cells. They grew.',
    );
    expect(s.map((x) => x.role)).toEqual(['title', 'background', 'background', 'aims', 'body']);
  });

  it('does not take a capitalised first word for a section label', () => {
    const s = readSentences('T', 'Patients with HER2-positive disease were enrolled.');
    expect(s[1]!.text).toBe('Patients with HER2-positive disease were enrolled.');
  });
});

describe('relevance is decided on the population', () => {
  it.each([
    [
      'HER2–negative with an en dash and a bracket',
      'Alpelisib in hormone receptor–positive, human epidermal growth factor receptor 2 (HER2)–negative advanced breast cancer',
      undefined,
    ],
    ['HR+/HER2− with a minus sign', 'Ribociclib in HR+/HER2− early breast cancer', undefined],
    ['HER2-low', 'Trastuzumab deruxtecan in HER2-low metastatic breast cancer', undefined],
    [
      'HER2-ultralow',
      'Outcomes of HER2-ultralow breast cancer',
      'Patients with HER2-ultralow disease received endocrine therapy.',
    ],
    ['HER2-mutant, non-amplified', 'Neratinib in HER2-mutant, non-amplified breast cancer', 'Trastuzumab was added.'],
    ['triple-negative', 'Neratinib in triple-negative breast cancer', 'Trastuzumab was not given.'],
    [
      'HER2-positive gastric cancer',
      'Trastuzumab deruxtecan in HER2-positive gastric cancer',
      'Breast cancer trials came first.',
    ],
    [
      'healthy volunteers',
      'Pharmacokinetics of a trastuzumab biosimilar',
      'METHODS: Healthy male volunteers received one dose.\nCONCLUSIONS: It is intended for HER2-positive breast cancer.',
    ],
    [
      'HER2-positive excluded',
      'Capivasertib in hormone receptor-positive breast cancer',
      'METHODS: Patients with HER2-positive tumours were excluded.',
    ],
    ['screening', 'Supplemental MRI screening for dense breasts', 'HER2 status was recorded.'],
  ])('drops a near-miss: %s', (_name, title, abstract) => {
    const c = read(title, abstract);
    expect(c.relevant).toBe(false);
    expect(c.relevanceReason).not.toBe('');
  });

  it.each([
    [
      '(HER2)–positive',
      'Tucatinib in human epidermal growth factor receptor 2 (HER2)–positive metastatic breast cancer',
    ],
    ['HER2+', 'Outcomes in HER2+ breast cancer after pertuzumab'],
    ['HER-2/neu overexpressing', 'HER-2/neu overexpressing breast carcinoma and adjuvant chemotherapy'],
    ['HER2-amplified cells', 'Lapatinib resistance in HER2-amplified breast cancer cells'],
    ['a HER2-directed drug and breast, no HER2 word', 'Trastuzumab resistance in BT-474 breast cancer cells'],
    [
      'HER2-negative residual disease in HER2-positive patients',
      'HER2-negative residual disease after neoadjuvant therapy for HER2-positive breast cancer',
    ],
  ])('keeps a HER2-positive breast cancer paper: %s', (_name, title) => {
    expect(read(title).relevant).toBe(true);
  });

  it('says why: the phrase that decided it', () => {
    expect(read('Tucatinib in HER2-positive metastatic breast cancer').relevanceReason).toBe(
      "population: 'HER2-positive'",
    );
    expect(read('Neratinib in HER2-mutant breast cancer').relevanceReason).toBe("population: 'HER2-mutant'");
  });
});

const HER2_BREAST =
  'Patients with HER2-positive metastatic breast cancer were randomised to pertuzumab or placebo with trastuzumab.';

describe('tags need salience', () => {
  it('does not tag covariates: "hormone receptor status", "stratified by", subgroup analyses by ER status', () => {
    const c = read(
      'Pertuzumab in HER2-positive breast cancer',
      `METHODS: ${HER2_BREAST} Randomisation was stratified by hormone receptor status and previous lapatinib use.\nRESULTS: In subgroup analyses by oestrogen receptor status the effect was consistent.`,
    );
    expect(c.mechanisms).not.toContain('mech-er-crosstalk');
    expect(c.agents).not.toContain('agent-lapatinib');
    expect(c.agents).toEqual(expect.arrayContaining(['agent-pertuzumab', 'agent-trastuzumab']));
  });

  it('reads "hazard ratio [HR]" and "HR 0.7" as hazard ratios, "met its primary endpoint" and "Src homology 2" as words', () => {
    const c = read(
      'Pyrotinib in HER2-positive breast cancer',
      `${HER2_BREAST} The trial met its primary endpoint (hazard ratio [HR], 0.72; HR for death 0.8). SHP2, a Src homology 2 domain phosphatase, was measured.`,
    );
    expect(c.mechanisms).toEqual([]);
  });

  it('tags HR+ disease and MET and SRC where they are what is studied', () => {
    expect(read('Palbociclib in HR-positive, HER2-positive breast cancer').mechanisms).toContain('mech-er-crosstalk');
    expect(read('MET amplification and trastuzumab resistance in HER2-positive breast cancer').mechanisms).toEqual([
      'mech-met-hgf-crosstalk',
    ]);
    expect(read('Src kinase activation in trastuzumab-resistant HER2-positive breast cancer').mechanisms).toEqual([
      'mech-src-activation',
    ]);
  });

  it('does not tag a drug’s target as a mechanism, and names the inhibitor class from it ("inhibition of Met")', () => {
    const c = read(
      'Trastuzumab resistance in HER2-overexpressing breast cancer cells',
      'Lapatinib is a dual inhibitor of EGFR and HER2. Combined inhibition of HER2 and Met restored sensitivity.',
    );
    expect(c.mechanisms).not.toContain('mech-egfr-her3-ligand-crosstalk');
    expect(c.agents).toContain('agent-met-inhibitors');
    expect(c.reasons['agent-met-inhibitors']).toMatch(/inhibition of Met/i);
  });

  it('needs a second mention or the title for a generic alias such as AKT', () => {
    const once = read('Neratinib in HER2-positive breast cancer cells', 'AKT was measured by western blot.');
    expect(once.mechanisms).not.toContain('mech-pi3k-pathway-activation');
    const title = read('AKT activation and trastuzumab resistance in HER2-positive breast cancer');
    expect(title.mechanisms).toContain('mech-pi3k-pathway-activation');
  });
});

describe('tags without names, and their reasons', () => {
  it('finds p95HER2 described as "a constitutively active form of HER2", and says so', () => {
    const c = read(
      'Trastuzumab resistance in HER2-positive breast cancer',
      'Resistance may follow accumulation of a constitutively active form of HER2.',
    );
    expect(c.mechanisms).toContain('mech-p95her2');
    expect(c.reasons['mech-p95her2']).toBe('constitutively active form of HER2');
  });

  it('reads a drug as the mechanism it acts on (everolimus → PI3K pathway), and a trial as its arms', () => {
    const everolimus = read('Everolimus with trastuzumab in HER2-positive breast cancer');
    expect(everolimus.agents).toContain('agent-mtor-inhibitors');
    expect(everolimus.mechanisms).toEqual(['mech-pi3k-pathway-activation']);
    expect(everolimus.reasons['mech-pi3k-pathway-activation']).toBe('everolimus');
    const db03 = read('Four-year survival in the DESTINY-Breast03 trial', HER2_BREAST);
    expect(db03.agents).toEqual(expect.arrayContaining(['agent-t-dxd', 'agent-t-dm1']));
    expect(db03.reasons['agent-t-dxd']).toBe('DESTINY-Breast03');
  });

  it('does not read "the control arm" as the CONTROL trial (a trial named by an ordinary word counts in capitals)', () => {
    const c = read(
      'Tucatinib in HER2-positive breast cancer',
      'Patients in the control arm received trastuzumab and placebo.',
    );
    expect(c.agents).not.toContain('agent-neratinib');
  });

  it('reads palbociclib as cyclin D1/CDK4/6, not cyclin E', () => {
    const c = read('Palbociclib with trastuzumab in HER2-positive breast cancer');
    expect(c.mechanisms).toContain('mech-cyclin-d1-cdk46');
    expect(c.mechanisms).not.toContain('mech-cyclin-e-cdk2');
  });

  it('gives every tag a reason', () => {
    const c = read('PIK3CA mutation and T-DM1 in HER2-positive breast cancer', HER2_BREAST);
    for (const id of [...c.mechanisms, ...c.agents]) expect(c.reasons[id]).toBeTruthy();
  });
});
