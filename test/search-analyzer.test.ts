import { describe, expect, it } from 'vitest';
import { normalize, stem, terms, words } from '../src/search/analyzer.ts';
import { boundedLevenshtein, TypoIndex, typoBudget } from '../src/search/levenshtein.ts';
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

  it('agrees with the full edit-distance table on every pair within the bound', () => {
    // Pseudo-random words over a small alphabet, so that many pairs are near each other.
    const next = pseudoRandom(7);
    const word = () => Array.from({ length: 1 + (next() % 12) }, () => 'abc1'[next() % 4]).join('');
    for (let n = 0; n < 3000; n++) {
      const [a, b, max] = [word(), word(), next() % 4];
      const exact = fullLevenshtein(a, b);
      expect(boundedLevenshtein(a, b, max), `${a} ${b} ${max}`).toBe(exact <= max ? exact : max + 1);
    }
  });
});

describe('typo index', () => {
  const index = new TypoIndex(['destinybreast03', 'destinybreast09', 'neratinib', 'lapatinib', 'kadcyla', 'bolero1']);

  it('finds the known words within the budget, shortest first', () => {
    expect(index.near('kadcila', 1)).toEqual([{ word: 'kadcyla', distance: 1 }]);
    expect(index.near('neratinb', 2).map((n) => n.word)).toEqual(['neratinib']);
    expect(index.near('kadcila', 0)).toEqual([]);
  });

  it('never takes another number for a typo: Breast04 is not Breast03, a leading zero is no number', () => {
    expect(index.near('destinybreast04', 2)).toEqual([]);
    expect(index.near('destinybrest9', 2)).toEqual([{ word: 'destinybreast09', distance: 2 }]);
    expect(index.near('boler3', 1)).toEqual([]);
  });

  it('finds exactly what comparing with every word would find', () => {
    const next = pseudoRandom(11);
    const word = () => Array.from({ length: 3 + (next() % 10) }, () => 'abcdexyz12'[next() % 10]).join('');
    const known = Array.from({ length: 400 }, word);
    const typos = new TypoIndex(known);
    for (let n = 0; n < 300; n++) {
      const [w, budget] = [word(), 1 + (next() % 2)];
      const digits = (x: string) => (x.match(/\d+/g) ?? []).map((d) => d.replace(/^0+(?=\d)/, '')).join(' ');
      const expected = known
        .map((k) => ({ word: k, distance: fullLevenshtein(w, k) }))
        .filter(
          (k) => k.distance <= budget && digits(k.word) === digits(w) && Math.abs(k.word.length - w.length) <= budget,
        )
        .sort((a, b) => a.word.length - b.word.length);
      expect(typos.near(w, budget), w).toEqual(expected);
    }
  });
});

/** The same numbers on every run (a linear congruential generator), so a failure can be replayed. */
function pseudoRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state;
  };
}

function fullLevenshtein(a: string, b: string): number {
  const table = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => i + j));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      table[i]![j] = Math.min(table[i - 1]![j]! + 1, table[i]![j - 1]! + 1, table[i - 1]![j - 1]! + cost);
    }
  }
  return table[a.length]![b.length]!;
}
