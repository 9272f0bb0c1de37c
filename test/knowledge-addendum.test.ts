/**
 * The 2026 addendum's trials (shared/reference/her2-facts-addendum-2026.md §7.2): each one's headline
 * figures are held exactly as the sheet prints them, marked verified, and stated plainly on the card;
 * the figures the sheet leaves [U] are hedged on the card or left out. The expectations below were
 * written from the sheet; with ../shared/ present they are also checked against its text.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { answerForEntity } from '../src/answer/answer.ts';
import { renderAnswer } from '../src/cards/render.ts';
import { loadKnowledge } from '../src/knowledge/load.ts';
import type { Result } from '../src/knowledge/schema.ts';
import { describeShared, sharedPath } from './helpers/shared.ts';

const kb = loadKnowledge();

interface Headline {
  id: string;
  endpoint: string;
  population?: string;
  values: string[];
  ratio?: { kind: string; value: string; ci?: [string, string] };
  p?: string;
  /** The same figures as the sheet prints them (whitespace normalised). */
  sheet: string[];
}

const HEADLINES: Headline[] = [
  {
    id: 'ev-destiny-breast02',
    endpoint: 'PFS',
    values: ['17.8', '6.9'],
    p: '<0.0001',
    sheet: ['median PFS 17.8 vs 6.9 months (p<0.0001)'],
  },
  {
    id: 'ev-destiny-breast04',
    endpoint: 'PFS',
    population: 'HR-positive cohort',
    values: ['10.1', '5.4'],
    ratio: { kind: 'HR', value: '0.51', ci: ['0.40', '0.64'] },
    p: '<0.001',
    sheet: ['HR+ cohort PFS 10.1 vs 5.4 months, HR 0.51 (0.40–0.64), P<0.001'],
  },
  {
    id: 'ev-destiny-breast05',
    endpoint: '3-year iDFS',
    values: ['92.4', '83.7'],
    ratio: { kind: 'HR', value: '0.47', ci: ['0.34', '0.66'] },
    p: '<0.001',
    sheet: ['HR 0.47 (0.34–0.66), P<0.001; 3-year iDFS 92.4% vs 83.7%'],
  },
  {
    id: 'ev-destiny-breast06',
    endpoint: 'PFS',
    population: 'HER2-low (n=713)',
    values: ['13.2', '8.1'],
    ratio: { kind: 'HR', value: '0.62', ci: ['0.52', '0.75'] },
    p: '<0.001',
    sheet: ['HER2-low PFS 13.2 (11.4–15.2) vs 8.1 (7.0–9.0) months, HR 0.62 (0.52–0.75), P<0.001'],
  },
  {
    id: 'ev-destiny-breast09',
    endpoint: 'PFS',
    population: 'interim analysis (cut-off 26 Feb 2025)',
    values: ['40.7', '26.9'],
    ratio: { kind: 'HR', value: '0.56', ci: ['0.44', '0.71'] },
    p: '<0.00001',
    sheet: ['median PFS 40.7 (36.5–not calculable) vs 26.9', 'HR 0.56 (0.44–0.71), P<0.00001'],
  },
  {
    id: 'ev-destiny-breast11',
    endpoint: 'pCR',
    values: ['67.3', '56.3'],
    p: '0.003',
    sheet: ['67.3% (T-DXd→THP), 56.3% (ddAC→THP)', 'difference 11.2% (95% CI 4.0–18.3), P=0.003'],
  },
  {
    id: 'ev-destiny-breast12',
    endpoint: '12-month PFS',
    population: 'brain-metastasis cohort',
    values: ['61.6'],
    sheet: ['BM cohort 12-month PFS 61.6% (54.9–67.6)'],
  },
  {
    id: 'ev-destiny-breast03-lt-2024',
    endpoint: 'OS',
    values: ['52.6', '42.7'],
    ratio: { kind: 'HR', value: '0.73', ci: ['0.56', '0.94'] },
    sheet: ['median OS 52.6 vs 42.7 months, **HR 0.73 (0.56–0.94)**'],
  },
  {
    id: 'ev-her2climb-02',
    endpoint: 'PFS',
    values: ['9.5', '7.4'],
    ratio: { kind: 'HR', value: '0.76', ci: ['0.61', '0.95'] },
    p: '0.0163',
    sheet: ['median PFS 9.5 vs 7.4 months, HR 0.76 (0.61–0.95), P=0.0163'],
  },
  {
    id: 'ev-phoebe-os-2021',
    endpoint: 'OS',
    population: 'update at about 32 months',
    values: ['NR', '26.9'],
    ratio: { kind: 'HR', value: '0.69', ci: ['0.48', '0.98'] },
    p: '.02',
    sheet: ['OS not reached vs 26.9 months, HR 0.69 (0.48–0.98), P=.02'],
  },
  {
    id: 'ev-control-neratinib',
    endpoint: 'grade ≥3 diarrhoea',
    values: ['13', '21', '27', '28', '31', '33'],
    sheet: ['DE1 13%, colestipol + loperamide 21%, DE2 27%, budesonide + loperamide 28%, loperamide 31%'],
  },
  {
    id: 'ev-patina',
    endpoint: 'PFS',
    values: ['44.3', '29.1'],
    ratio: { kind: 'HR', value: '0.75', ci: ['0.59', '0.96'] },
    p: '0.02',
    sheet: ['PFS 44.3 (32.4–56.8) vs 29.1 (23.3–38.6) months, HR 0.75 (0.59–0.96), two-sided P=0.02'],
  },
  {
    id: 'ev-monarcher',
    endpoint: 'OS',
    population: 'final analysis, triplet vs chemotherapy',
    values: ['31.1', '20.7'],
    ratio: { kind: 'HR', value: '0.71', ci: ['0.48', '1.05'] },
    p: '0.086',
    sheet: ['31.1 (A), 29.2 (B), 20.7 (C) months; A vs C HR 0.71 (0.48–1.05), nominal two-sided P=0.086'],
  },
  {
    id: 'ev-zanidatamab-breast-2025',
    endpoint: '6-month PFS',
    values: ['66.7'],
    sheet: ['6-month PFS 66.7% (52.1–79.2); median PFS 11.7 months (8.4–14.9)'],
  },
  {
    id: 'ev-tulip',
    endpoint: 'PFS',
    values: ['7.0', '4.9'],
    ratio: { kind: 'HR', value: '0.64', ci: ['0.49', '0.84'] },
    p: '.002',
    sheet: ['median PFS 7.0 (5.4–7.2) vs 4.9 (4.0–5.5) months, HR 0.64 (0.49–0.84), P=.002'],
  },
  {
    id: 'ev-aphinity-os-2024',
    endpoint: '8-year OS',
    values: ['92.7', '92.0'],
    ratio: { kind: 'HR', value: '0.83', ci: ['0.68', '1.02'] },
    p: '0.078',
    sheet: ['8-year OS 92.7% vs 92.0%, HR 0.83 (0.68–1.02), P=0.078'],
  },
];

function cardText(id: string): string {
  const answer = answerForEntity(kb, id);
  if (!answer) throw new Error(`no card for ${id}`);
  return renderAnswer(answer, 'text', kb) as string;
}

function find(h: Headline): Result | undefined {
  return kb.evidenceById
    .get(h.id)
    ?.results.find((r) => r.endpoint === h.endpoint && (h.population === undefined || r.population === h.population));
}

describe('the addendum trials: headline figures', () => {
  it('covers all 16 new evidence items of §7.2', () => {
    expect(new Set(HEADLINES.map((h) => h.id)).size).toBe(16);
  });

  it.each(HEADLINES.map((h) => [h.id, h] as const))('%s holds its headline figures as printed, verified', (_, h) => {
    const result = find(h);
    expect(result, `${h.id} ${h.endpoint}`).toBeDefined();
    expect(result?.values.map((v) => v.value)).toEqual(h.values);
    expect(result?.ratio).toEqual(h.ratio);
    expect(result?.p).toBe(h.p);
    expect(result?.verified).toBe(true);
    expect(result?.source, 'each number group carries the URL it was read at').toMatch(/^https?:\/\//);
  });

  it.each(HEADLINES.map((h) => [h.id, h] as const))('%s states them plainly on its card', (_, h) => {
    const text = cardText(h.id);
    const ratio = h.ratio ? `${h.ratio.kind} ${h.ratio.value}${h.ratio.ci ? ` (${h.ratio.ci.join('–')})` : ''}` : '';
    const line = text.split('\n').find((l) => l.includes(`- ${h.endpoint}`) && l.includes(ratio));
    expect(line, `${h.id}: no card line for ${h.endpoint} ${ratio}`).toBeDefined();
    for (const v of h.values) expect(line).toContain(v);
    expect(line).not.toMatch(/^- Reported as/);
    expect(text).toContain('after the 2011 review (later data)');
  });
});

describe('the addendum trials: unverified figures', () => {
  it('hedges the DESTINY-Breast12 CNS response rate, seen only in a secondary news report', () => {
    const cns = kb.evidenceById.get('ev-destiny-breast12')?.results.find((r) => r.endpoint === 'CNS ORR');
    expect(cns?.verified).toBe(false);
    const line = cardText('ev-destiny-breast12')
      .split('\n')
      .find((l) => l.includes('CNS ORR'));
    expect(line).toMatch(
      /^- Reported as CNS ORR \(138 patients with measurable CNS disease\) 71\.7%.*\(not verified in our sources\)$/,
    );
  });

  it('hedges the BOLERO-3 neutropenia and PFS interval that were not re-read', () => {
    const text = cardText('ev-bolero3-2014');
    expect(text).toContain(
      '- Reported as grade 3/4 neutropenia everolimus 73% vs placebo 62% (not verified in our sources)',
    );
    expect(text).toContain('- Reported as PFS, HR 0.78 (0.65–0.95)');
  });

  it('leaves out the DESTINY-Breast02 hazard ratios and response rates that only an unvetted blog prints', () => {
    const db02 = kb.evidenceById.get('ev-destiny-breast02')!;
    expect(db02.results.filter((r) => r.ratio)).toEqual([]);
    expect(db02.results.some((r) => r.endpoint.includes('ORR'))).toBe(false);
    expect(cardText('ev-destiny-breast02')).not.toMatch(/0\.36|~0\.66|~69%/);
  });

  it('leaves out the monarcHER primary PFS and the DESTINY-Breast04 long-term OS interval', () => {
    const monarcher = kb.evidenceById.get('ev-monarcher')!;
    expect(monarcher.results.some((r) => r.endpoint === 'PFS' && r.population === undefined)).toBe(false);
    const db04 = kb.evidenceById.get('ev-destiny-breast04')!;
    const longTerm = db04.results.find((r) => r.population?.startsWith('long-term'));
    expect(longTerm?.ratio).toEqual({ kind: 'HR', value: '0.69' });
    const hrPositiveOs = db04.results.find((r) => r.endpoint === 'OS' && r.population === 'HR-positive cohort');
    expect(hrPositiveOs?.ratio?.ci, 'the source prints this interval two ways (§7.6)').toBeUndefined();
  });

  it('marks a citation whose details come from secondary sources as not fully verified', () => {
    for (const id of ['ev-destiny-breast05', 'ev-control-neratinib', 'ev-zanidatamab-breast-2025']) {
      expect(kb.evidenceById.get(id)?.citation.verified, id).toBe(false);
      expect(cardText(id)).toContain('(details not fully verified)');
    }
  });
});

describe('the HER2-low trials', () => {
  it.each([['ev-destiny-breast04'], ['ev-destiny-breast06']])(
    '%s says on its card that it is outside the HER2-positive scope',
    (id) => {
      const text = cardText(id);
      expect(text).toContain("Outside this knowledge base's HER2-positive scope:");
      expect(text).toContain('HER2-low: outside scope');
    },
  );

  it('marks them as outside the scope where T-DXd lists its evidence, after the HER2-positive trials', () => {
    const text = cardText('agent-t-dxd');
    expect(text).not.toContain('DESTINY-Breast04 (phase III)');
    const ids = kb.evidenceForAgent('agent-t-dxd').map((e) => e.id);
    expect(ids.slice(-2).sort()).toEqual(['ev-destiny-breast04', 'ev-destiny-breast06']);
  });
});

describe('the addendum items are linked both ways', () => {
  const ADDENDUM_IDS = HEADLINES.map((h) => h.id);

  it.each(ADDENDUM_IDS.map((id) => [id]))('%s is listed by each of its agents and mechanisms', (id) => {
    const e = kb.evidenceById.get(id)!;
    expect(e.agents.length).toBeGreaterThan(0);
    for (const a of e.agents) expect(kb.agentsById.get(a)?.evidence, `${a} lists ${id}`).toContain(id);
    for (const m of e.mechanisms) expect(kb.mechanismsById.get(m)?.evidence, `${m} lists ${id}`).toContain(id);
  });

  it('gives the new agents their evidence, and zanidatamab its partner links at level B', () => {
    expect(kb.evidenceForAgent('agent-zanidatamab').map((e) => e.id)).toEqual(['ev-zanidatamab-breast-2025']);
    expect(kb.evidenceForAgent('agent-trastuzumab-duocarmazine').map((e) => e.id)).toEqual(['ev-tulip']);
    for (const m of ['mech-er-crosstalk', 'mech-cyclin-d1-cdk46']) {
      const link = kb.mechanismsById.get(m)?.agents.find((l) => l.agent === 'agent-zanidatamab');
      expect([link?.kind, link?.level], m).toEqual(['partner', 'B']);
    }
  });

  it('grades CDK4/6 inhibition on PATINA (level A), margetuximab at B, and T-DXd against HER2 loss as proposed (E)', () => {
    const link = (m: string, a: string) => kb.mechanismsById.get(m)?.agents.find((l) => l.agent === a);
    expect(link('mech-cyclin-d1-cdk46', 'agent-cdk-inhibitors')).toMatchObject({ kind: 'overcomes', level: 'A' });
    expect(link('mech-cyclin-d1-cdk46', 'agent-cdk-inhibitors')?.evidence).toContain('ev-patina');
    expect(link('mech-impaired-adcc-fcgr', 'agent-margetuximab')).toMatchObject({ kind: 'overcomes', level: 'B' });
    expect(link('mech-her2-loss-heterogeneity', 'agent-t-dxd')).toMatchObject({ kind: 'proposed', level: 'E' });
  });

  it('ranks studies that test an agent before those where it was only the comparator', () => {
    const tdm1 = kb.evidenceForAgent('agent-t-dm1').map((e) => e.id);
    expect(tdm1.indexOf('ev-katherine-2019')).toBeLessThan(tdm1.indexOf('ev-destiny-breast05'));
    expect(tdm1.indexOf('ev-emilia-2012')).toBeLessThan(tdm1.indexOf('ev-her2climb-02'));
  });
});

describeShared('the headline figures against the addendum text', () => {
  const addendum = readFileSync(sharedPath('reference/her2-facts-addendum-2026.md'), 'utf8');
  const entry = (id: string) => {
    const start = addendum.indexOf(`**${id}**`);
    const next = addendum.indexOf('\n**ev-', start + 1);
    return addendum.slice(start, next < 0 ? undefined : next).replace(/\s+/g, ' ');
  };

  it.each(HEADLINES.map((h) => [h.id, h] as const))('%s: the sheet prints these figures', (_, h) => {
    const text = entry(h.id);
    expect(text.length).toBeGreaterThan(100);
    for (const printed of h.sheet) expect(text).toContain(printed);
  });
});
