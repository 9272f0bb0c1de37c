import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inspectKnowledge, loadKnowledge } from '../src/knowledge/load.ts';
import { isError } from '../src/knowledge/problem.ts';
import { describeShared, sharedPath } from './helpers/shared.ts';

const kb = loadKnowledge();

describe('the knowledge base in knowledge/', () => {
  it('has no integrity errors', () => {
    expect(inspectKnowledge().problems.filter(isError)).toEqual([]);
  });

  it('holds 13 mechanisms, 21 agents and 97 evidence items', () => {
    expect([kb.mechanisms.length, kb.agents.length, kb.evidence.length]).toEqual([13, 21, 97]);
  });

  it('flags exactly the HER2-low/ultralow trials as outside the HER2-positive scope', () => {
    expect(kb.evidenceOutsideScope.map((e) => [e.id, e.her2Population])).toEqual([
      ['ev-destiny-breast04', 'her2-low'],
      ['ev-destiny-breast06', 'her2-low-ultralow'],
    ]);
  });

  it('cites the review with its DOI and PMC id, and carries a semver version with a date', () => {
    expect(kb.review.citation.doi).toBe('10.1586/era.10.226');
    expect(kb.review.citation.pmcid).toBe('PMC3092522');
    expect(kb.review.citation.authors).toEqual(['Gajria D', 'Chandarlapaty S']);
    expect(kb.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(kb.versionDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it.each([['mech-pi3k-pathway-activation'], ['mech-p95her2'], ['mech-egfr-her3-ligand-crosstalk']])(
    'holds the review headline mechanism %s, with agents and evidence',
    (id) => {
      expect(kb.mechanismsById.get(id)?.namedInReview).toBe(true);
      expect(kb.agentLinks(id).some((l) => l.kind === 'overcomes')).toBe(true);
      expect(kb.evidenceForMechanism(id).length).toBeGreaterThan(0);
    },
  );

  it.each([
    ['agent-lapatinib', 'ev-egf100151-2006'],
    ['agent-neratinib', 'ev-burstein-2010-neratinib'],
    ['agent-pertuzumab', 'ev-cleopatra-2012'],
    ['agent-t-dm1', 'ev-emilia-2012'],
    ['agent-hsp90-inhibitors', 'ev-modi-2011-tanespimycin'],
    ['agent-pi3k-inhibitors', 'ev-pistilli-buparlisib-2017'],
    ['agent-mtor-inhibitors', 'ev-bolero3-2014'],
  ])('links the review headline agent %s to its evidence (%s)', (agent, evidence) => {
    expect(kb.evidenceForAgent(agent).map((e) => e.id)).toContain(evidence);
    expect(kb.review.agents).toContain(agent);
  });

  it('states EMILIA with the primary-source hazard ratios (not the swapped secondary table)', () => {
    const emilia = kb.evidenceById.get('ev-emilia-2012')!;
    const pfs = emilia.results.find((r) => r.endpoint === 'PFS')!;
    const os = emilia.results.find((r) => r.endpoint === 'OS')!;
    expect(pfs.ratio).toEqual({ kind: 'HR', value: '0.65', ci: ['0.55', '0.77'] });
    expect(os.ratio?.value).toBe('0.68');
    expect(pfs.values.map((v) => v.value)).toEqual(['9.6', '6.4']);
  });

  it('keeps figures as printed: KATHERINE HR 0.50 and BOLERO-3 PFS 7.00 vs 5.78', () => {
    const katherine = kb.evidenceById.get('ev-katherine-2019')!;
    expect(katherine.results.some((r) => r.ratio?.value === '0.50')).toBe(true);
    const bolero = kb.evidenceById.get('ev-bolero3-2014')!;
    expect(bolero.results.some((r) => r.values.map((v) => v.value).join(' vs ') === '7.00 vs 5.78')).toBe(true);
  });

  it('never calls HER2CLIMB a phase III trial', () => {
    expect(kb.evidenceById.get('ev-her2climb-2020')?.kind).toBe('phase-2');
  });

  it('marks every study after February 2011 as later than the review', () => {
    for (const e of kb.evidence) {
      if ((e.year ?? 0) > 2011) expect(e.relativeToReview, e.id).toBe('after');
      if (e.year !== undefined && e.year < 2011) expect(e.relativeToReview, e.id).toBe('before');
    }
  });

  it('has a source URL for every evidence item and a linkable identifier for most', () => {
    for (const e of kb.evidence) expect(e.sources.length, e.id).toBeGreaterThan(0);
    const linkable = kb.evidence.filter(
      (e) => e.citation.pmid || e.citation.doi || e.citation.nct?.length || e.citation.pmcid,
    );
    expect(linkable.length).toBeGreaterThanOrEqual(70);
  });
});

describeShared('the knowledge base against the fact sheet and its 2026 addendum', () => {
  const sheet = readFileSync(sharedPath('reference/her2-resistance-facts.md'), 'utf8');
  const addendum = readFileSync(sharedPath('reference/her2-facts-addendum-2026.md'), 'utf8');
  const idsIn = (text: string) => [...new Set(text.match(/\b(?:mech|agent|ev)-[a-z0-9]+(?:-[a-z0-9]+)*/g) ?? [])];
  const section = (text: string, from: string, to: string) => {
    const start = text.indexOf(from);
    const end = text.indexOf(to, start);
    if (start < 0 || end < 0) throw new Error(`section ${from} not found`);
    return text.slice(start, end);
  };
  const mainIndex = idsIn(section(sheet, '### 6.3 Index of ids', '### 6.4'));
  const addendumIndex = idsIn(section(addendum, '## 7.8 Id index', '## 7.9'));
  const indexed = new Set([...mainIndex, ...addendumIndex]);
  const ours = [...kb.mechanisms, ...kb.agents, ...kb.evidence].map((x) => x.id);

  it('reads both indexes: §6.3 lists 13 + 19 + 81 ids, §7.8 the 16 new evidence ids and 2 new agents', () => {
    expect(mainIndex.length).toBe(13 + 19 + 81);
    const newIds = addendumIndex.filter((id) => !mainIndex.includes(id));
    expect(newIds.filter((id) => id.startsWith('ev-'))).toHaveLength(16);
    expect(newIds.filter((id) => id.startsWith('agent-'))).toEqual([
      'agent-zanidatamab',
      'agent-trastuzumab-duocarmazine',
    ]);
    expect(newIds.filter((id) => id.startsWith('mech-'))).toEqual([]);
  });

  it('holds every mechanism, agent and evidence id listed in §6.3 and §7.8', () => {
    expect([...indexed].filter((id) => !kb.entity(id))).toEqual([]);
  });

  it('holds no id that neither index lists', () => {
    expect(ours.filter((id) => !indexed.has(id))).toEqual([]);
  });

  it('quotes only PMIDs and NCT ids that appear on a sheet or were verified with a recorded source', () => {
    for (const e of kb.evidence) {
      const c = e.citation;
      for (const id of [c.pmid, ...(c.nct ?? [])].filter((x): x is string => Boolean(x))) {
        if (!sheet.includes(id) && !addendum.includes(id))
          expect(c.idSource, `${e.id}: ${id} is on neither sheet`).toBeDefined();
      }
    }
  });

  it('quotes only DOIs that appear on a sheet or were verified with a recorded source', () => {
    for (const e of kb.evidence) {
      const doi = e.citation.doi;
      if (doi && !sheet.includes(doi) && !addendum.includes(doi))
        expect(e.citation.idSource, `${e.id}: ${doi} is on neither sheet`).toBeDefined();
    }
  });

  it('marks every addendum item as later than the review', () => {
    for (const id of addendumIndex.filter((x) => x.startsWith('ev-'))) {
      expect(kb.evidenceById.get(id)?.relativeToReview, id).toBe('after');
    }
  });
});
