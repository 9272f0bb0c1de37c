import { beforeAll, describe, expect, it } from 'vitest';
import { Core } from '../src/core.ts';
import { KbEntries } from '../src/digest/kb-entries.ts';
import { paper, trial } from './helpers/digest-literature.ts';

let entries: KbEntries;
beforeAll(async () => {
  entries = new KbEntries((await Core.open()).kb);
});

describe('what a digest item reports on in the knowledge base', () => {
  it('finds a trial record by its NCT id', () => {
    expect(entries.entryFor(trial('NCT00567190', '2026-11-27', 'A Study of Pertuzumab'))).toMatchObject({
      id: 'ev-cleopatra-2012',
      name: 'CLEOPATRA',
      by: 'nct',
    });
  });

  it('finds a paper that names an entry’s NCT id in its abstract', () => {
    const item = paper(99400001, '2026-11-27', 'Long-term cardiac safety of pertuzumab', {
      abstract: 'This analysis of the phase III trial (NCT00567190) reports cardiac events.',
    });
    expect(entries.entryFor(item)).toMatchObject({ id: 'ev-cleopatra-2012', by: 'nct' });
  });

  it('finds the same paper by PMID or DOI', () => {
    expect(entries.entryFor(paper(22149875, '2026-11-27', 'Pertuzumab plus trastuzumab'))).toMatchObject({
      by: 'pmid',
    });
    expect(
      entries.entryFor(paper(99400002, '2026-11-27', 'x', { pmid: undefined, doi: '10.1056/nejmoa1113216' })),
    ).toMatchObject({ id: 'ev-cleopatra-2012', by: 'doi' });
  });

  it('finds a trial acronym in the title, in capitals only', () => {
    expect(entries.entryFor(paper(99400003, '2026-11-27', 'Patient-reported outcomes in CLEOPATRA'))).toMatchObject({
      id: 'ev-cleopatra-2012',
      by: 'acronym',
    });
    expect(entries.entryFor(paper(99400004, '2026-11-27', 'Cleopatra and the history of medicine'))).toBeUndefined();
    expect(entries.entryFor(paper(99400005, '2026-11-27', 'PIK3CA mutation and T-DM1 resistance'))).toBeUndefined();
  });

  it('names a trial or drug the knowledge base lacks but the concept layer knows', () => {
    expect(entries.gapFor(paper(99400006, '2026-11-27', 'KATHERINE-2 design and rationale'))).toBe('KATHERINE-2');
    expect(entries.gapFor(paper(99400007, '2026-11-27', 'An apt model of resistance'))).toBeUndefined();
    expect(entries.gapFor(paper(99400008, '2026-11-27', 'PTEN loss under trastuzumab'))).toBeUndefined();
  });
});
