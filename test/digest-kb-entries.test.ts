import { beforeAll, describe, expect, it } from 'vitest';
import { decodeAction } from '../src/answer/actions.ts';
import { Core } from '../src/core.ts';
import { KbEntries } from '../src/digest/kb-entries.ts';
import { displayName } from '../src/knowledge/knowledge-base.ts';
import { paper, trial } from './helpers/digest-literature.ts';

let core: Core;
let entries: KbEntries;
beforeAll(async () => {
  core = await Core.open();
  entries = new KbEntries(core.kb);
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

describe('the entry’s card, from a digest item', () => {
  const evidenceId = (q: string) => {
    const answer = core.answer(q);
    return answer.type === 'evidence' ? answer.evidence.id : answer.type;
  };

  it('is what the entry button shows (`show` with its id); an entry gone from the knowledge base says so', () => {
    const payload = decodeAction(JSON.stringify({ a: 'show', id: 'ev-cleopatra-2012' }))!;
    expect(payload).toEqual({ a: 'show', id: 'ev-cleopatra-2012' });
    const answer = core.handleAction(payload);
    expect(answer.type === 'evidence' && answer.evidence.id).toBe('ev-cleopatra-2012');
    for (const stale of [{ a: 'show', id: 'ev-no-such-trial' }, { a: 'show' }] as const) {
      expect(core.handleAction(stale)).toMatchObject({
        type: 'error',
        message: expect.stringContaining('no longer in the knowledge base'),
      });
    }
  });

  it('is found by the words a text digest says to type (the entry’s name), for every entry a paper can match', () => {
    /** The trial an evidence item belongs to, as the digest names it ("CLEOPATRA"). */
    const trialOf = (id: string) => {
      const pmid = core.kb.evidence.find((e) => e.id === id)?.citation.pmid;
      return pmid ? entries.entryFor(paper(pmid, '2026-11-27', 'x'))?.name : undefined;
    };
    const missed: string[] = [];
    let matchable = 0;
    for (const e of core.kb.evidence) {
      const pmid = e.citation.pmid;
      const entry = pmid ? entries.entryFor(paper(pmid, '2026-11-27', 'x')) : undefined;
      if (entry?.id !== e.id) continue;
      matchable++;
      const found = evidenceId(displayName(core.kb, e.id)!);
      if (found === e.id) continue;
      missed.push(e.id);
      // Where search prefers another analysis of the same trial, it is still that trial's card, never another's.
      expect(trialOf(found), `${e.id} asked as "${displayName(core.kb, e.id)}" found ${found}`).toBe(entry.name);
    }
    expect(matchable).toBeGreaterThan(40);
    expect(missed.length).toBeLessThanOrEqual(2);
  });
});
