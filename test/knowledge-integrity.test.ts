import { describe, expect, it } from 'vitest';
import { formatProblem, inspectKnowledge, KnowledgeError, loadKnowledge } from '../src/knowledge/load.ts';
import { isError } from '../src/knowledge/problem.ts';
import { copyMinKb, MIN_KB } from './helpers/kb-fixture.ts';

function errorsOf(dir: string): string[] {
  return inspectKnowledge(dir).problems.filter(isError).map(formatProblem);
}

describe('knowledge base loader and integrity checks', () => {
  it('loads the minimal fixture with no problems and freezes it', () => {
    const kb = loadKnowledge(MIN_KB);
    expect(kb.version).toBe('0.0.1');
    expect(kb.mechanisms.map((m) => m.id)).toEqual(['mech-test-pathway']);
    expect(Object.isFrozen(kb.evidence[0])).toBe(true);
    expect(() => {
      (kb.evidence[0] as { name: string }).name = 'changed';
    }).toThrow(TypeError);
  });

  it('reports a dangling id with file, id and field', () => {
    const kb = copyMinKb();
    kb.edit('evidence.yaml', (t) => t.replace('agents: [agent-test-tki]', 'agents: [agent-missing]'));
    expect(errorsOf(kb.dir)).toContain('evidence.yaml ev-test-trial agents[0]: unknown id agent-missing');
  });

  it('reports a duplicate id', () => {
    const kb = copyMinKb();
    kb.edit('agents.yaml', (t) => `${t}\n${t.replace('name: Testinib', 'name: Testinib copy')}`);
    expect(errorsOf(kb.dir)).toContainEqual(
      expect.stringMatching(/agents\.yaml agent-test-tki id: duplicate id \(first defined in agents\.yaml\)/),
    );
  });

  it('reports an evidence item without a citation, with its line', () => {
    const kb = copyMinKb();
    kb.edit('evidence.yaml', (t) => t.replace(/ {2}citation:\n( {4}.*\n)+/, ''));
    const errors = errorsOf(kb.dir);
    expect(errors).toContainEqual('evidence.yaml:1 ev-test-trial citation: required field is missing');
  });

  it('warns (without failing) when a citation has no linkable identifier', () => {
    const kb = copyMinKb();
    kb.edit('evidence.yaml', (t) => t.replace('    pmid: "12345678"\n', ''));
    const { problems } = inspectKnowledge(kb.dir);
    expect(problems.filter(isError)).toEqual([]);
    expect(problems.map(formatProblem)).toContainEqual(expect.stringContaining('no PMID, DOI, PMCID or NCT id'));
  });

  it('reports a hazard ratio outside its confidence interval', () => {
    const kb = copyMinKb();
    kb.edit('evidence.yaml', (t) =>
      t.replace('value: "0.65", ci: ["0.55", "0.77"]', 'value: "0.85", ci: ["0.55", "0.77"]'),
    );
    expect(errorsOf(kb.dir)).toContain(
      'evidence.yaml ev-test-trial results[0]: PFS HR 0.85 lies outside its confidence interval 0.55–0.77',
    );
  });

  it('reports reversed confidence bounds', () => {
    const kb = copyMinKb();
    kb.edit('evidence.yaml', (t) => t.replace('ci: ["0.55", "0.77"]', 'ci: ["0.77", "0.55"]'));
    expect(errorsOf(kb.dir)).toContainEqual(expect.stringContaining('has its bounds reversed'));
  });

  it('reports malformed YAML with file and line', () => {
    const kb = copyMinKb();
    kb.edit('mechanisms.yaml', (t) => t.replace('  summary: A test mechanism.', '  summary: [unclosed'));
    const errors = errorsOf(kb.dir);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^mechanisms\.yaml:\d+: malformed YAML/);
  });

  it('reports schema violations with the field path and line: bad PMID, DOI, NCT id and figure', () => {
    const kb = copyMinKb();
    kb.edit('evidence.yaml', (t) =>
      t
        .replace('pmid: "12345678"', 'pmid: "PMID12"\n    doi: "not-a-doi"\n    nct: [NCT123]')
        .replace('value: "9.6"', 'value: "9.6 months"'),
    );
    const errors = errorsOf(kb.dir).join('\n');
    expect(errors).toMatch(/evidence\.yaml:\d+ ev-test-trial citation\.pmid: a PMID is digits only/);
    expect(errors).toMatch(/citation\.doi: a DOI looks like 10\.NNNN\/suffix/);
    expect(errors).toMatch(/citation\.nct\[0\]: an NCT id is NCT followed by 8 digits/);
    expect(errors).toMatch(/results\[0\]\.values\[0\]\.value: must be a decimal as printed in the source/);
  });

  it('requires every mechanism to have an agent used or proposed against it, and evidence', () => {
    const kb = copyMinKb();
    kb.edit('mechanisms.yaml', (t) =>
      t
        .replace(/ {2}agents:\n( {4}.*\n| {6}.*\n)+/, '  agents: []\n')
        .replace('evidence: [ev-test-trial]\n', 'evidence: []\n'),
    );
    kb.edit('evidence.yaml', (t) => t.replace('mechanisms: [mech-test-pathway]', 'mechanisms: []'));
    kb.edit('agents.yaml', (t) => t.replace('mechanisms: [mech-test-pathway]', 'mechanisms: []'));
    const errors = errorsOf(kb.dir);
    expect(errors).toContain(
      'mechanisms.yaml mech-test-pathway agents: no agent is used or proposed against this mechanism',
    );
    expect(errors).toContain('mechanisms.yaml mech-test-pathway evidence: no evidence item supports this mechanism');
  });

  it('requires the two sides of a mechanism–agent link to agree', () => {
    const kb = copyMinKb();
    kb.edit('agents.yaml', (t) => t.replace('mechanisms: [mech-test-pathway]', 'mechanisms: []'));
    expect(errorsOf(kb.dir)).toContain(
      "agents.yaml agent-test-tki mechanisms: mech-test-pathway lists agent-test-tki as used or proposed against it, but the agent's mechanisms omit mech-test-pathway",
    );
  });

  it('requires evidence for every agent unless the gap is explained', () => {
    const kb = copyMinKb();
    kb.edit('agents.yaml', (t) => t.replace('evidence: [ev-test-trial]', 'evidence: []'));
    kb.edit('evidence.yaml', (t) => t.replace('agents: [agent-test-tki]', 'agents: []'));
    // With no evidence left, the link can only be a rationale (proposed, level E).
    kb.edit('mechanisms.yaml', (t) =>
      t
        .replace('      evidence: [ev-test-trial]\n', '')
        .replace('kind: overcomes\n      level: B', 'kind: proposed\n      level: E'),
    );
    expect(errorsOf(kb.dir)).toContainEqual(
      expect.stringContaining('agent-test-tki evidence: no evidence item concerns this agent'),
    );
    kb.edit('agents.yaml', (t) => t.replace('  era: review', '  evidenceGap: No study is verified.\n  era: review'));
    expect(errorsOf(kb.dir)).toEqual([]);
  });

  it('rejects prose that names an unknown id', () => {
    const kb = copyMinKb();
    kb.edit('mechanisms.yaml', (t) =>
      t.replace('description: A test mechanism, longer.', 'description: See ev-not-there for details.'),
    );
    expect(errorsOf(kb.dir)).toContain(
      'mechanisms.yaml mech-test-pathway description: prose names unknown id ev-not-there',
    );
  });

  it('rejects a study dated before 2011 that claims to postdate the review', () => {
    const kb = copyMinKb();
    kb.edit('evidence.yaml', (t) => t.replace('  year: 2012\n  relativeToReview', '  year: 2009\n  relativeToReview'));
    expect(errorsOf(kb.dir)).toContain("evidence.yaml ev-test-trial relativeToReview: 'after' contradicts year 2009");
  });

  it('rejects a HER2-low trial as the evidence a mechanism–agent link rests on, and an unknown population', () => {
    const kb = copyMinKb();
    kb.edit('evidence.yaml', (t) => t.replace('  kind: phase-3\n', '  kind: phase-3\n  her2Population: her2-low\n'));
    expect(errorsOf(kb.dir)).toContain(
      'mechanisms.yaml mech-test-pathway agents[0].evidence[0]: ev-test-trial is outside the HER2-positive scope (her2-low) and cannot support a link',
    );
    kb.edit('evidence.yaml', (t) => t.replace('her2Population: her2-low', 'her2Population: her2-zero'));
    expect(errorsOf(kb.dir).join('\n')).toMatch(/evidence\.yaml:\d+ ev-test-trial her2Population: /);
  });

  it('loads a HER2-low trial held only as a pointer and lists it as outside the scope', () => {
    const kb = copyMinKb();
    kb.edit('evidence.yaml', (t) => t.replace('  kind: phase-3\n', '  kind: phase-3\n  her2Population: her2-low\n'));
    kb.edit('mechanisms.yaml', (t) => t.replace('      evidence: [ev-test-trial]\n', ''));
    expect(errorsOf(kb.dir)).toEqual([]);
    expect(loadKnowledge(kb.dir).evidenceOutsideScope.map((e) => e.id)).toEqual(['ev-test-trial']);
    expect(loadKnowledge(MIN_KB).evidenceOutsideScope).toEqual([]);
  });

  it('requires a comparator to be one of the agents linked to the study', () => {
    const kb = copyMinKb();
    kb.edit('evidence.yaml', (t) =>
      t.replace('agents: [agent-test-tki]', 'agents: [agent-test-tki]\n  comparators: [agent-test-other]'),
    );
    expect(errorsOf(kb.dir)).toContain(
      'evidence.yaml ev-test-trial comparators[0]: agent-test-other is not linked to this item',
    );
    kb.edit('evidence.yaml', (t) => t.replace('comparators: [agent-test-other]', 'comparators: [agent-test-tki]'));
    expect(errorsOf(kb.dir)).toEqual([]);
  });

  it('throws a KnowledgeError listing the problems when loading for serving', () => {
    const kb = copyMinKb();
    kb.edit('evidence.yaml', (t) => t.replace('agents: [agent-test-tki]', 'agents: [agent-missing]'));
    expect(() => loadKnowledge(kb.dir)).toThrow(KnowledgeError);
    expect(() => loadKnowledge(kb.dir)).toThrow(/unknown id agent-missing/);
  });
});
