import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderAnswer } from '../src/cards/render.ts';
import { Core } from '../src/core.ts';
import { runEvaluation } from '../src/eval/observe.ts';
import { EvalSet } from '../src/eval/relevance.ts';
import { describeShared, sharedPath } from './helpers/shared.ts';

const core = await Core.open();

function run(file: string) {
  return runEvaluation(core, EvalSet.parse(parse(readFileSync(file, 'utf8'))));
}

describeShared('search relevance floor (shared/eval/queries.yaml)', () => {
  it('passes every query of the public floor: top-1, top-5 and facts', () => {
    const report = run(sharedPath('eval/queries.yaml'));
    expect(report.failures).toEqual([]);
    expect(report.top1Accuracy).toBe(1);
  });
});

describe('search relevance on our extended set (brand and code names, typos, word orders, questions)', () => {
  it('ranks the expected entity first for every query', () => {
    const report = run(new URL('./fixtures/eval/extended.yaml', import.meta.url).pathname);
    expect(report.failures).toEqual([]);
  });
});

describe('comparisons', () => {
  it('answers "T-DM1 vs lapatinib" with the EMILIA card and its figures', () => {
    const answer = core.answer('T-DM1 vs lapatinib');
    expect(answer.type).toBe('evidence');
    const text = renderAnswer(answer, 'text', core.kb) as string;
    expect(text).toContain('EMILIA');
    expect(text).toMatch(/9\.6 vs .*6\.4 mo, HR 0\.65 \(0\.55–0\.77\)/);
  });

  it('finds no comparison when the two sides are the same agent', () => {
    expect(core.search('kadcyla vs t-dm1').comparison).toBeUndefined();
  });
});
