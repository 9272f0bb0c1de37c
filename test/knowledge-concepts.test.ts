import { describe, expect, it } from 'vitest';
import { ConceptLayer, PhraseSet } from '../src/knowledge/concepts.ts';
import { Concepts } from '../src/knowledge/concepts-schema.ts';
import { inspectKnowledge, loadKnowledge } from '../src/knowledge/load.ts';

const kb = loadKnowledge();
const c = kb.concepts;

describe('the concept layer (knowledge/concepts.yaml)', () => {
  it('loads with the knowledge base and every id it names exists', () => {
    const { problems } = inspectKnowledge();
    expect(problems.filter((p) => p.file === 'concepts.yaml')).toEqual([]);
    expect(c.settings.length).toBeGreaterThan(5);
    expect(c.endpoints.map((e) => e.id)).toEqual(
      expect.arrayContaining(['endpoint-os', 'endpoint-pfs', 'endpoint-idfs', 'endpoint-pcr', 'endpoint-orr']),
    );
  });

  it('rejects an unknown section and a malformed id', () => {
    expect(Concepts.safeParse({ synonyms: {} }).success).toBe(false);
    expect(Concepts.safeParse({ settings: [{ id: 'first-line', label: 'x', phrases: [] }] }).success).toBe(false);
  });

  it('finds phrases as whole words, with hyphens, spaces, en dashes and minus signs interchangeable', () => {
    const set = new PhraseSet(['first line', 'HER2-low', 'ER+']);
    expect(set.find('first-line t-dxd')).toBe('first-line');
    expect(set.find('her2\u2013low')).toBeUndefined(); // callers fold first
    expect(c.notCoveredIn('HER2\u2212low disease')).toEqual([{ scope: 'scope-her2-low', phrase: 'her2-low' }]);
    expect(set.find('her2+ disease')).toBeUndefined();
    expect(set.find('er+ disease')).toBe('er+');
  });

  it('reads settings, endpoints and comparators in a question', () => {
    expect([...c.settingsIn('which trial put T-DM1 after surgery?')]).toEqual(['setting-adjuvant']);
    expect([...c.settingsIn('T-DXd after T-DM1')]).toContain('setting-after-t-dm1');
    expect([...c.endpointsIn('Herceptin plus Perjeta first line survival')]).toEqual(['endpoint-os']);
    expect([...c.comparatorsIn("T-DM1 vs physician's choice")]).toEqual(['comparator-physicians-choice']);
    expect([...c.endpointsOfResult('3-year iDFS')]).toEqual(['endpoint-idfs']);
  });

  it('keeps ambiguous short aliases from firing on ordinary words', () => {
    expect(c.withoutFalseAliases('the trial met its primary endpoint')).not.toMatch(/\bmet\b/);
    expect(c.withoutFalseAliases('met hgf')).toMatch(/\bmet\b/);
    expect(c.withoutFalseAliases('HR for PFS in EMILIA')).not.toMatch(/\bhr\b/);
    expect(c.withoutFalseAliases('HR+ disease')).toMatch(/hr\+/);
    expect(c.withoutFalseAliases('src homology 2 domain')).not.toMatch(/\bsrc\b/);
    expect(c.withoutFalseAliases('ER stress response', 'text')).not.toMatch(/\ber\b/);
    // In running text only the all-lower-case "met" is the verb; "Met receptor" is the gene, as older papers spell it.
    expect(c.withoutFalseAliases('patients met the criteria', 'text')).not.toMatch(/\bmet\b/);
    expect(c.withoutFalseAliases('a Met receptor', 'text')).toMatch(/\bmet\b/);
  });

  it('recognises what the knowledge base does not cover, by scope id', () => {
    expect(c.notCoveredIn('DESTINY-Breast04 results').map((m) => m.scope)).toEqual(['scope-her2-low']);
    expect(c.notCoveredIn('trastuzumab in HER2+ gastric cancer').map((m) => m.scope)).toEqual([
      'scope-her2-positive-other-cancers',
    ]);
    expect(c.notCoveredIn('neratinib diarrhoea prophylaxis')).toEqual([]);
    expect(c.unheldIn('NeoSphere pCR rates')).toEqual(['neosphere']);
  });

  it('recognises requests about an individual patient and the situation they describe', () => {
    expect(c.isPatientRequest('what should I give my patient after kadcyla?')).toBe(true);
    expect(c.isPatientRequest('64F HER2+ MBC progressed on T-DXd, next line?')).toBe(true);
    expect(c.isPatientRequest('T-DXd after T-DM1')).toBe(false);
    expect(c.isPatientRequest('is there a trial for HER2-low disease')).toBe(false);
    expect(c.situationsIn('has 2 new brain metastases after T-DM1')).toEqual(
      expect.arrayContaining(['situation-brain-metastases', 'situation-after-t-dm1']),
    );
  });

  it('tells greetings and thanks from questions', () => {
    expect(c.greeting('hi there!')).toBe('hello');
    expect(c.greeting('thank you, very helpful')).toBe('thanks');
    expect(c.greeting('hi, what about tucatinib')).toBeUndefined();
    expect(c.greeting('history of HER2')).toBeUndefined();
  });

  it('is empty, not missing, for a knowledge base built without one', () => {
    const empty = new ConceptLayer(Concepts.parse({}));
    expect(empty.settingsIn('first line')).toEqual(new Set());
    expect(empty.greeting('hi')).toBeUndefined();
  });
});
