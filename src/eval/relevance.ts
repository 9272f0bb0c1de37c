/**
 * Relevance evaluation in the format of shared/eval/queries.yaml: for each query the first hit must be
 * one of `top`, every id in `top5` must be among the first five hits, and every string in `facts` must
 * appear in the plain-text answer. Reports top-1 accuracy, MRR@5 and the facts check.
 */
import { z } from 'zod';

export const EvalCase = z.object({
  query: z.string(),
  top: z.array(z.string()).min(1),
  top5: z.array(z.string()).default([]),
  facts: z.array(z.string()).default([]),
});
export type EvalCase = z.infer<typeof EvalCase>;
export const EvalSet = z.array(EvalCase);

export interface CaseResult {
  query: string;
  hits: string[];
  top1: boolean;
  /** 1/rank of the first acceptable hit within five, else 0. */
  reciprocalRank: number;
  missingTop5: string[];
  missingFacts: string[];
  passed: boolean;
}

export interface EvalReport {
  cases: number;
  top1Accuracy: number;
  mrrAt5: number;
  factsChecked: number;
  factsFound: number;
  passed: number;
  failures: CaseResult[];
}

export function evaluateCase(c: EvalCase, hits: string[], answerText: string): CaseResult {
  const firstFive = hits.slice(0, 5);
  const rank = firstFive.findIndex((id) => c.top.includes(id));
  const missingTop5 = c.top5.filter((id) => !firstFive.includes(id));
  const missingFacts = c.facts.filter((f) => !answerText.includes(f));
  const top1 = rank === 0;
  return {
    query: c.query,
    hits: firstFive,
    top1,
    reciprocalRank: rank >= 0 ? 1 / (rank + 1) : 0,
    missingTop5,
    missingFacts,
    passed: top1 && missingTop5.length === 0 && missingFacts.length === 0,
  };
}

export function summarize(results: CaseResult[], cases: EvalCase[]): EvalReport {
  const n = results.length || 1;
  const factsChecked = cases.reduce((sum, c) => sum + c.facts.length, 0);
  const factsMissing = results.reduce((sum, r) => sum + r.missingFacts.length, 0);
  return {
    cases: results.length,
    top1Accuracy: round(results.filter((r) => r.top1).length / n),
    mrrAt5: round(results.reduce((sum, r) => sum + r.reciprocalRank, 0) / n),
    factsChecked,
    factsFound: factsChecked - factsMissing,
    passed: results.filter((r) => r.passed).length,
    failures: results.filter((r) => !r.passed),
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
