import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderAnswer } from '../src/cards/render.ts';
import { Core } from '../src/core.ts';
import { runEvaluation } from '../src/eval/observe.ts';
import { EvalSet, RECOMMENDATION_PHRASING } from '../src/eval/relevance.ts';

const core = await Core.open();
const text = (q: string) => renderAnswer(core.answer(q), 'text', core.kb) as string;

describe('honest scope: questions the knowledge base does not cover', () => {
  it('answers HER2-low with a not-covered card that offers near items only as related links', () => {
    const answer = core.answer('DESTINY-Breast04 results');
    expect(answer.type).toBe('not-covered');
    if (answer.type !== 'not-covered') return;
    expect(answer.topics.map((t) => t.id)).toEqual(['scope-her2-low']);
    const card = text('DESTINY-Breast04 results');
    expect(card).toMatch(/^Not covered: HER2-low/);
    expect(card).toContain('Related in the knowledge base (not an answer to this question)');
    expect(card).toContain('What the knowledge base covers');
  });

  it('says which part of a partly covered question is not covered: a covered drug with a dose or another cancer', () => {
    for (const [q, drug, topic] of [
      ['trastuzumab loading dose', 'agent-trastuzumab', 'Dosing'],
      ['HER2 positive gastric cancer T-DXd', 'agent-t-dxd', 'HER2-positive cancers outside the breast'],
    ] as const) {
      const answer = core.answer(q);
      if (answer.type !== 'not-covered') throw new Error(`${q}: expected not-covered, got ${answer.type}`);
      expect(
        answer.held.map((h) => h.id),
        q,
      ).toEqual([drug]);
      expect(answer.related[0]?.id, q).toBe(drug);
      expect(text(q), q).toContain(`Not covered: ${topic}`);
      expect(text(q), q).toContain('(listed below), but not the part of the question named in the title.');
    }
    // Nothing named that the knowledge base holds: no such sentence.
    expect(text('best CAR-T for lymphoma')).not.toContain('but not the part of the question');
  });

  it('never reads a trial number as a typo: BOLERO-2 and DESTINY-Breast08 are not BOLERO-1/3 or DB03', () => {
    for (const q of ['bolero-2 results', 'DESTINY-Breast08 PFS']) {
      const answer = core.answer(q);
      expect(answer.type, q).toBe('not-covered');
      if (answer.type === 'not-covered') expect(answer.unheld.length, q).toBeGreaterThan(0);
    }
    expect(core.answer('bolero-1')).toMatchObject({ type: 'evidence', evidence: { id: 'ev-bolero1' } });
  });

  it('says so for other cancers, other drugs, dosing and trials it does not hold', () => {
    for (const q of [
      'what is the dose of tamoxifen',
      'best CAR-T for lymphoma',
      'osimertinib resistance in EGFR mutant NSCLC',
      'NeoSphere pCR rates',
    ]) {
      expect(core.answer(q).type, q).toBe('not-covered');
    }
  });

  it('answers a named trial and says which part of the question is not covered', () => {
    const answer = core.answer('ExteNET dose reductions');
    expect(answer).toMatchObject({ type: 'evidence', evidence: { id: 'ev-extenet-2016' } });
    expect(text('ExteNET dose reductions')).toContain('Not covered here: Dosing.');
  });

  it('keeps ordinary questions inside: ILD is not lung cancer, HR 0.65 is a hazard ratio', () => {
    expect(core.answer('T-DXd ILD').type).not.toBe('not-covered');
    expect(core.answer('HR for PFS in EMILIA')).toMatchObject({ type: 'evidence', evidence: { id: 'ev-emilia-2012' } });
  });
});

describe('requests about an individual patient', () => {
  const q = 'My 52-year-old ER+/HER2+ patient progressed on THP and has 2 new brain metastases — what next?';

  it('gets the fixed careful card: no advice, guidelines, and the brain-metastasis evidence', () => {
    const answer = core.answer(q);
    expect(answer.type).toBe('patient-question');
    if (answer.type !== 'patient-question') return;
    expect(answer.situations[0]?.id).toBe('situation-brain-metastases');
    expect(answer.situations[0]?.evidence.map((e) => e.id)).toContain('ev-her2climb-2020');
    const card = text(q);
    expect(card).toMatch(/can't give advice for an individual patient/);
    expect(card).toContain('NCCN');
    expect(card).toContain('ESMO');
    expect(card).not.toMatch(RECOMMENDATION_PHRASING);
  });

  it('shows the trials after T-DM1 and those that compared T-DM1, each trial once', () => {
    const answer = core.answer('what should I give my patient after kadcyla?');
    if (answer.type !== 'patient-question') throw new Error(`expected the careful card, got ${answer.type}`);
    const shown = answer.situations.flatMap((s) => s.evidence.map((e) => e.id));
    expect(shown).toEqual(
      expect.arrayContaining(['ev-destiny-breast02', 'ev-destiny-breast03', 'ev-her2climb-2020', 'ev-th3resa']),
    );
    expect(new Set(shown).size).toBe(shown.length);
    const both = core.answer('is tucatinib right for her? she has new brain mets after T-DM1');
    if (both.type !== 'patient-question') throw new Error(`expected the careful card, got ${both.type}`);
    const ids = both.situations.flatMap((s) => s.evidence.map((e) => e.id));
    expect(ids).toEqual(expect.arrayContaining(['ev-her2climb-2020', 'ev-destiny-breast12', 'ev-destiny-breast02']));
    expect(ids.filter((id) => id === 'ev-her2climb-2020')).toHaveLength(1);
  });

  it('is recognised from how clinicians and relatives ask', () => {
    for (const ask of [
      'what should I give my patient after kadcyla?',
      '64F HER2+ MBC progressed on T-DXd, next line?',
    ]) {
      expect(core.answer(ask).type, ask).toBe('patient-question');
    }
    expect(core.answer('T-DXd after T-DM1').type).toBe('evidence');
  });
});

describe('greetings and thanks', () => {
  it('get one friendly line, no card', () => {
    for (const [q, kind] of [
      ['hi', 'hello'],
      ['thanks!', 'thanks'],
    ] as const) {
      const answer = core.answer(q);
      expect(answer).toMatchObject({ type: 'greeting', kind });
      expect(text(q).split('\n')[0]).toMatch(kind === 'hello' ? /^Hello!/ : /^You’re welcome/);
    }
  });
});

describe('query understanding', () => {
  const lead = (q: string) => core.search(q).hits[0]?.id;

  it('ranks the trial matching every named thing above the drug card', () => {
    expect(lead('which trial put T-DM1 after surgery?')).toMatch(/^ev-katherine/);
    expect(lead('Herceptin plus Perjeta first line survival')).toMatch(/^ev-cleopatra-(os|eos)/);
    expect(lead('did neratinib improve outcomes in the extended adjuvant setting?')).toMatch(/^ev-extenet/);
    expect(lead('herceptin + tykerb no chemo')).toMatch(/^ev-egf104900/);
  });

  it('reads "after X" as prior therapy and placebo or physician’s choice as comparators', () => {
    expect(lead('single arm T-DXd after T-DM1 phase 2')).toBe('ev-destiny-breast01');
    expect(lead('tucatinib vs placebo')).toBe('ev-her2climb-2020');
    expect(lead("T-DM1 vs treatment of physician's choice")).toBe('ev-th3resa');
  });

  it('ranks the evidence tagged with both a drug and a biomarker first', () => {
    expect(lead('PIK3CA mutation T-DM1')).toBe('ev-emilia-biomarkers-2016');
    const id = lead('p95HER2 lapatinib')!;
    expect(core.kb.agentsForEvidence(id).map((a) => a.id)).toContain('agent-lapatinib');
    expect(core.kb.mechanismsForEvidence(id).map((m) => m.id)).toContain('mech-p95her2');
  });

  it('matches a mechanism described without its name', () => {
    expect(lead('constitutively active form of HER2')).toBe('mech-p95her2');
    expect(lead('tumour switches to estrogen dependence')).toBe('mech-er-crosstalk');
  });
});

describe('our clinician question set (eval/questions.yaml)', () => {
  it('meets the issue’s bars: in-scope top-1 ≥ 0.9, out-of-scope honesty ≥ 0.9, greetings all', () => {
    const file = new URL('../eval/questions.yaml', import.meta.url).pathname;
    const report = runEvaluation(core, EvalSet.parse(parse(readFileSync(file, 'utf8'))));
    expect(report.answers).toBeGreaterThan(100);
    expect(report.top1Accuracy).toBeGreaterThanOrEqual(0.9);
    expect(report.outOfScope.rate).toBeGreaterThanOrEqual(0.9);
    expect(report.patientQuestions.handled).toBeGreaterThanOrEqual(report.patientQuestions.cases - 1);
    expect(report.greetings.handled).toBe(report.greetings.cases);
  });
});
