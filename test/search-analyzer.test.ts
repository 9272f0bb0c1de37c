import { describe, expect, it } from 'vitest';
import { normalize, stem, terms, words } from '../src/search/analyzer.ts';
import { boundedLevenshtein, typoBudget } from '../src/search/levenshtein.ts';
import { matchWords } from '../src/search/phrase-matcher.ts';

describe('analyzer', () => {
  it('keeps hyphenated codes whole and drops single-letter fragments: T-DM1 → tdm1, dm1', () => {
    expect(terms('T-DM1')).toEqual(['tdm1', 'dm1']);
    expect(terms('HER2-low')).toEqual(['her2low', 'her2', 'low']);
    expect(terms('17-AAG')).toEqual(['17aag', '17', 'aag']);
    expect(terms('DS-8201a')).toEqual(['ds8201a', 'ds', '8201a']);
  });

  it('splits PI3K/AKT into both terms and keeps the joined form', () => {
    expect(terms('PI3K/AKT')).toEqual(['pi3kakt', 'pi3k', 'akt']);
  });

  it('never stems or stops domain terms: her2, met, src, er, p95her2, bkm120', () => {
    expect(terms('her2 met src er p95HER2 BKM120')).toEqual(['her2', 'met', 'src', 'er', 'p95her2', 'bkm120']);
  });

  it('removes plurals only, and maps clinical abbreviations and endpoint names', () => {
    expect(stem('inhibitors')).toBe('inhibitor');
    expect(stem('therapies')).toBe('therapy');
    expect(stem('everolimus')).toBe('everolimus');
    expect(stem('metastasis')).toBe('metastasis');
    expect(terms('brain mets')).toEqual(['brain', 'metastasis']);
    expect(terms('overall survival')).toEqual(['os']);
    expect(terms('progression-free survival')).toEqual(['pfs']);
  });

  it('spells out Greek letters and removes accents', () => {
    expect(normalize('p110α FcγR Cortés')).toBe('p110alpha fcgammar cortes');
  });

  it('lets T-DM1, T DM1 and TDM1 meet at the same compact form', () => {
    expect(matchWords('T-DM1').join('')).toBe('tdm1');
    expect(matchWords('T DM1').join('')).toBe('tdm1');
    expect(matchWords('TDM1').join('')).toBe('tdm1');
    expect(words('bkm 120').join('')).toBe('bkm120');
  });

  it('drops English stop words but not negations that carry no domain meaning either way', () => {
    expect(terms('what is the evidence for neratinib')).toEqual(['evidence', 'neratinib']);
  });
});

describe('bounded edit distance', () => {
  it('computes small distances and stops early past the bound', () => {
    expect(boundedLevenshtein('everolimis', 'everolimus', 2)).toBe(1);
    expect(boundedLevenshtein('kadcila', 'kadcyla', 1)).toBe(1);
    expect(boundedLevenshtein('lapatinib', 'neratinib', 1)).toBe(2);
    expect(boundedLevenshtein('a', 'abcdef', 2)).toBe(3);
  });

  it('allows one typo from five letters and two from nine', () => {
    expect([typoBudget(4), typoBudget(5), typoBudget(8), typoBudget(9)]).toEqual([0, 1, 1, 2]);
  });
});
