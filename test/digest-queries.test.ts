import { describe, expect, it } from 'vitest';
import {
  ANTI_HER2_TERMS,
  buildDigestQueries,
  CLINICAL_TRIALS_CONDITION,
  her2AgentNames,
  MECHANISM_TERMS,
  RESISTANCE_TERMS,
} from '../src/digest/sources/queries.ts';
import { KnowledgeBase } from '../src/knowledge/knowledge-base.ts';
import { loadKnowledge } from '../src/knowledge/load.ts';
import type { Agent } from '../src/knowledge/schema.ts';

const kb = loadKnowledge();
const queries = buildDigestQueries(kb);

function withAgent(agent: Partial<Agent> & Pick<Agent, 'id' | 'names' | 'targets'>): KnowledgeBase {
  const base = kb.agents[0];
  if (!base) throw new Error('empty knowledge base');
  return new KnowledgeBase(
    kb.review,
    kb.mechanisms,
    [...kb.agents, { ...base, members: [], evidence: [], ...agent }],
    kb.evidence,
    kb.scope,
    kb.concepts,
  );
}

/** The `… OR …` terms of each top-level block. */
function blocks(query: string): string[][] {
  const out: string[][] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < query.length; i++) {
    if (query[i] === '"') i = query.indexOf('"', i + 1);
    else if (query[i] === '(' && depth++ === 0) start = i + 1;
    else if (query[i] === ')' && --depth === 0) out.push(query.slice(start, i).split(' OR '));
  }
  return out;
}

describe('default digest queries', () => {
  it('keeps the four AND-blocks of the reference PubMed query, text words first-class', () => {
    const [her2, breast, agents, resistance] = blocks(queries.pubmed);
    expect(blocks(queries.pubmed)).toHaveLength(4);
    expect(her2).toContain('"Receptor, ErbB-2"[mh]');
    expect(her2).toContain('HER2[tiab]');
    expect(breast).toEqual(['"Breast Neoplasms"[mh]', 'breast[tiab]']);
    expect(agents).toContain('trastuzumab*[tiab]');
    expect(agents).toContain('"disitamab vedotin"[tiab]');
    expect(resistance).toContain('resistan*[tiab]');
    expect(resistance).toContain('p95HER2[tiab]');
    expect(resistance).not.toContain('MET[tiab]');
    for (const term of [...ANTI_HER2_TERMS, ...RESISTANCE_TERMS, ...MECHANISM_TERMS]) {
      expect(queries.pubmed).toMatch(new RegExp(`"?${term.replace(/[*+?()[\]/\\.-]/g, '\\$&')}"?\\[tiab\\]`));
    }
  });

  it('adds the verified generic and brand names of HER2-directed agents from the knowledge base', () => {
    const agents = blocks(queries.pubmed)[2] ?? [];
    for (const added of ['afatinib[tiab]', 'Tykerb[tiab]', 'Nerlynx[tiab]', 'Perjeta[tiab]', 'Tukysa[tiab]']) {
      expect(agents).toContain(added);
    }
    expect(her2AgentNames(kb)).toContain('Herceptin');
    // Unverified names never reach the query.
    expect(queries.pubmed).not.toMatch(/Tyverb|Irene|trastuzamab/);
  });

  it('leaves out names the reference terms already cover', () => {
    expect(her2AgentNames(kb)).toEqual(expect.arrayContaining(['ado-trastuzumab emtansine', 'margetuximab-cmkb']));
    expect(queries.pubmed).not.toMatch(/ado-trastuzumab emtansine"\[tiab\]|margetuximab-cmkb|nxki/);
    const agents = (blocks(queries.pubmed)[2] ?? []).map((t) => t.toLowerCase());
    expect(new Set(agents).size).toBe(agents.length);
  });

  it('keeps agents that are not aimed at HER2 out of the agent block', () => {
    expect(queries.pubmed).not.toMatch(/everolimus|alpelisib|palbociclib|capivasertib|ganetespib/i);
  });

  it('widens when a HER2-directed agent is added to the knowledge base, and only then', () => {
    const widened = buildDigestQueries(
      withAgent({
        id: 'agent-fixturinib',
        names: [
          { name: 'fixturinib', kind: 'generic', verified: true },
          { name: 'Fixtura XR', kind: 'brand', verified: true },
          { name: 'FX-1', kind: 'code', verified: true },
        ],
        targets: ['HER2'],
      }),
    );
    expect(widened.pubmed).toContain('fixturinib[tiab] OR "Fixtura XR"[tiab]');
    expect(widened.europePmc).toContain('fixturinib OR "Fixtura XR"');
    expect(widened.pubmed).not.toContain('FX-1');
    expect(widened.version).not.toBe(queries.version);

    const unchanged = buildDigestQueries(
      withAgent({
        id: 'agent-fixture-mtor',
        names: [{ name: 'fixturolimus', kind: 'generic', verified: true }],
        targets: ['mTORC1'],
      }),
    );
    expect(unchanged).toEqual(queries);
  });

  it('builds the Europe PMC query from the same terms, for preprints and PubMed records', () => {
    expect(queries.europePmc.startsWith('(SRC:PPR OR SRC:MED) AND TITLE_ABS:(HER2 OR "HER-2"')).toBe(true);
    expect(queries.europePmc).toContain('TITLE_ABS:(breast)');
    expect(queries.europePmc).toContain('trastuzumab* OR herceptin');
    expect(queries.europePmc).toContain('"truncated HER2"');
    expect(queries.europePmc).not.toContain('[');
  });

  it('asks ClinicalTrials.gov for HER2-positive breast cancer trials', () => {
    expect(queries.clinicalTrials).toBe(CLINICAL_TRIALS_CONDITION);
  });

  it('produces balanced parentheses and quotes, and a stable version', () => {
    for (const q of [queries.pubmed, queries.europePmc, queries.clinicalTrials]) {
      const unquoted = q.replace(/"[^"]*"/g, '');
      expect((q.match(/"/g) ?? []).length % 2).toBe(0);
      expect((unquoted.match(/\(/g) ?? []).length).toBe((unquoted.match(/\)/g) ?? []).length);
    }
    expect(queries.version).toMatch(/^[0-9a-f]{12}$/);
    expect(buildDigestQueries(kb).version).toBe(queries.version);
  });
});
