import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatProblem, inspectKnowledge, loadKnowledge } from '../src/knowledge/load.ts';
import { isError } from '../src/knowledge/problem.ts';
import { copyMinKb } from './helpers/kb-fixture.ts';
import { describeShared, sharedPath } from './helpers/shared.ts';

const kb = loadKnowledge();
const errorsOf = (dir: string) => inspectKnowledge(dir).problems.filter(isError).map(formatProblem);

describe('knowledge/scope.yaml', () => {
  it('is loaded with the rest of the knowledge base and frozen', () => {
    expect(kb.scope.covers.length).toBeGreaterThan(0);
    expect(Object.isFrozen(kb.scope.notCovered[0])).toBe(true);
  });

  it('has one entry for each topic of §7.5.1', () => {
    expect(kb.scope.notCovered.map((n) => n.id)).toEqual([
      'scope-her2-low',
      'scope-her2-positive-other-cancers',
      'scope-her2-mutant',
      'scope-early-stage-de-escalation',
      'scope-dosing',
      'scope-supportive-care',
      'scope-drug-access',
      'scope-radiotherapy-surgery',
      'scope-other-tumour-types',
    ]);
  });

  it('says HER2-low is outside the knowledge base and names its key trials', () => {
    const her2Low = kb.scope.notCovered.find((n) => n.id === 'scope-her2-low')!;
    expect(her2Low.answer).toMatch(/outside this knowledge base/);
    expect(her2Low.answer).toMatch(/DESTINY-Breast04 and DESTINY-Breast06/);
    expect(her2Low.lookInstead.map((p) => p.label)).toContain('NCCN Guidelines: Breast Cancer');
  });

  it('gives the patient-question rule, guideline pointers and the issue’s evidence for brain metastases and after T-DM1', () => {
    const pq = kb.scope.patientQuestions;
    expect(pq.statement).toMatch(/can't give advice for an individual patient/);
    expect(pq.guidelines.map((g) => g.label)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^NCCN/), expect.stringMatching(/^ESMO/)]),
    );
    const brain = pq.situations.find((s) => s.id === 'situation-brain-metastases')!;
    expect(brain.evidence).toEqual(['ev-her2climb-2020', 'ev-destiny-breast12']);
    const afterTdm1 = pq.situations.find((s) => s.id === 'situation-after-t-dm1')!;
    expect([...afterTdm1.evidence].sort()).toEqual(
      ['ev-destiny-breast02', 'ev-destiny-breast03', 'ev-her2climb-2020', 'ev-th3resa'].sort(),
    );
  });

  it('writes every answer for readers, without knowledge-base ids in the prose', () => {
    for (const n of kb.scope.notCovered) expect(`${n.topic} ${n.answer}`).not.toMatch(/\b(ev|agent|mech)-[a-z]/);
  });
});

describe('scope lint', () => {
  it('reports a related id the knowledge base does not hold', () => {
    const fixture = copyMinKb();
    fixture.edit('scope.yaml', (t) => t.replace('related: [ev-test-trial]', 'related: [ev-test-missing]'));
    expect(errorsOf(fixture.dir)).toContain('scope.yaml scope-test-other related[0]: unknown id ev-test-missing');
  });

  it('reports a situation citing unknown evidence, and a duplicate id', () => {
    const fixture = copyMinKb();
    fixture.edit('scope.yaml', (t) =>
      t
        .replace('evidence: [ev-test-trial]', 'evidence: [ev-nowhere]')
        .replace('notCovered:\n', 'notCovered:\n  - {id: scope-test-other, topic: Again, answer: Again.}\n'),
    );
    expect(errorsOf(fixture.dir)).toEqual(
      expect.arrayContaining([
        'scope.yaml situation-test evidence[0]: unknown id ev-nowhere',
        'scope.yaml scope-test-other id: duplicate id',
      ]),
    );
  });

  it('rejects a wrongly prefixed id and a missing answer, with their lines', () => {
    const fixture = copyMinKb();
    fixture.edit('scope.yaml', (t) =>
      t
        .replace('id: scope-test-other', 'id: other-topic')
        .replace('    answer: Other test topics are not covered.\n', ''),
    );
    const errors = errorsOf(fixture.dir);
    expect(errors).toContainEqual(expect.stringMatching(/^scope\.yaml:\d+ notCovered\[0\]\.id: must look like scope-/));
    expect(errors).toContainEqual(expect.stringMatching(/^scope\.yaml:\d+ notCovered\[0\]\.answer: required field/));
  });

  it('reports a missing scope.yaml', () => {
    const fixture = copyMinKb();
    fixture.edit('scope.yaml', () => '');
    expect(errorsOf(fixture.dir).join('\n')).toMatch(/^scope\.yaml/);
  });
});

describeShared('knowledge/scope.yaml against the addendum sheet', () => {
  const sheet = readFileSync(sharedPath('reference', 'her2-facts-addendum-2026.md'), 'utf8');

  it('links only to URLs and DOIs that the sheet gives', () => {
    const pq = kb.scope.patientQuestions;
    const urls = [...kb.scope.notCovered.flatMap((n) => n.lookInstead), ...pq.guidelines].flatMap((p) => p.url ?? []);
    expect(urls.length).toBeGreaterThan(5);
    for (const url of urls) {
      const doi = /^https:\/\/doi\.org\/(.+)$/.exec(url)?.[1];
      const bare = url.replace(/^https?:\/\/(www\.)?/, '');
      expect(sheet.includes(doi ?? bare), url).toBe(true);
    }
  });
});
