/**
 * Relevance evaluation in the format of shared/eval/queries.yaml, extended for issue 12's question sets.
 * A case expects an answer (default: the first hit must be one of `top`, every id in `top5` must be among
 * the first five hits, every string in `facts` must appear in the plain-text answer), or an honest
 * `not-covered` card, the careful `patient-question` card (showing the `evidence` listed), or a greeting.
 * Reports in-scope top-1, MRR@5 and facts apart from the out-of-scope honesty rate and the
 * patient-question and greeting handling. Cases naming ids the knowledge base does not hold yet are
 * pending, not scored.
 */
import { z } from 'zod';

export const Expectation = z.enum(['answer', 'not-covered', 'patient-question', 'greeting']);
export type Expectation = z.infer<typeof Expectation>;

export const EvalCase = z
  .object({
    query: z.string(),
    expect: Expectation.default('answer'),
    top: z.array(z.string()).default([]),
    top5: z.array(z.string()).default([]),
    facts: z.array(z.string()).default([]),
    /** For patient questions: evidence ids the card must show. */
    evidence: z.array(z.string()).default([]),
  })
  .refine((c) => c.expect !== 'answer' || c.top.length > 0, { message: 'an answer case needs `top`' });
export type EvalCase = z.infer<typeof EvalCase>;
export const EvalSet = z.array(EvalCase);

/** What the bot did with a query. */
export interface Observed {
  hits: string[];
  /** The plain-text rendering of the answer. */
  text: string;
  /** The answer's type ('evidence', 'not-covered', …); undefined for a bare search (plain lunr). */
  type?: string | undefined;
  /** Evidence ids the answer shows (patient-question cards). */
  evidence?: string[] | undefined;
}

/** Card types that answer the question with an entity of the knowledge base. */
const ENTITY_ANSWERS = new Set(['mechanism', 'agent', 'evidence', 'review']);
/** Phrasing a patient-question card must never use. */
export const RECOMMENDATION_PHRASING =
  /\b(we|i) (recommend|suggest|advise)|\byou should\b|\bconsider (giving|starting|switching)|\bthe best (option|choice|treatment)\b|\bshould (receive|get|be given|be treated)\b/i;

export interface CaseResult {
  query: string;
  expect: Expectation;
  hits: string[];
  type: string | undefined;
  top1: boolean;
  /** 1/rank of the first acceptable hit within five, else 0. */
  reciprocalRank: number;
  missingTop5: string[];
  missingFacts: string[];
  /** For not-covered, patient-question and greeting cases: the bot answered as it should. */
  handled: boolean;
  passed: boolean;
}

export interface EvalReport {
  cases: number;
  /** In-scope (answer) cases only. */
  top1Accuracy: number;
  mrrAt5: number;
  factsChecked: number;
  factsFound: number;
  answers: number;
  outOfScope: { cases: number; honest: number; rate: number };
  patientQuestions: { cases: number; handled: number };
  greetings: { cases: number; handled: number };
  /** Cases not scored because they name ids the knowledge base does not hold yet. */
  pending: { cases: number; ids: string[] };
  passed: number;
  failures: CaseResult[];
}

export function evaluateCase(c: EvalCase, observed: Observed): CaseResult {
  const firstFive = observed.hits.slice(0, 5);
  const answered = observed.type === undefined || ENTITY_ANSWERS.has(observed.type);
  const rank = answered ? firstFive.findIndex((id) => c.top.includes(id)) : -1;
  const missingTop5 = c.top5.filter((id) => !firstFive.includes(id));
  const missingFacts = c.facts.filter((f) => !observed.text.includes(f));
  const shown = new Set(observed.evidence ?? []);
  const handled =
    c.expect === 'answer'
      ? false
      : observed.type === c.expect &&
        (c.expect !== 'patient-question' ||
          (c.evidence.every((id) => shown.has(id)) && !RECOMMENDATION_PHRASING.test(observed.text)));
  const top1 = rank === 0;
  return {
    query: c.query,
    expect: c.expect,
    hits: firstFive,
    type: observed.type,
    top1,
    reciprocalRank: rank >= 0 ? 1 / (rank + 1) : 0,
    missingTop5,
    missingFacts,
    handled,
    passed: c.expect === 'answer' ? top1 && missingTop5.length === 0 && missingFacts.length === 0 : handled,
  };
}

/** The ids a case names that the knowledge base lacks (`known` says which it holds). */
export function missingIds(c: EvalCase, known: (id: string) => boolean): string[] {
  return [...c.top, ...c.top5, ...c.evidence].filter((id) => !known(id));
}

/**
 * `pendingIds`: per case index, the ids it names that the knowledge base lacks; a case is pending when
 * it has any and none of its acceptable answers exists.
 */
export function summarize(results: CaseResult[], cases: EvalCase[], pendingIds: string[][] = []): EvalReport {
  const isPending = (i: number) => {
    const missing = pendingIds[i] ?? [];
    if (missing.length === 0) return false;
    const c = cases[i]!;
    return c.top.length > 0 ? c.top.every((id) => missing.includes(id)) : true;
  };
  const scored = results.map((r, i) => ({ r, c: cases[i]!, pending: isPending(i) })).filter((x) => !x.pending);
  const of = (e: Expectation) => scored.filter((x) => x.c.expect === e);
  const answers = of('answer');
  const n = answers.length || 1;
  const factsChecked = answers.reduce((sum, x) => sum + x.c.facts.length, 0);
  const factsMissing = answers.reduce((sum, x) => sum + x.r.missingFacts.length, 0);
  const outOfScope = of('not-covered');
  const honest = outOfScope.filter((x) => x.r.handled).length;
  const pendingCases = results.filter((_, i) => isPending(i)).length;
  return {
    cases: scored.length,
    top1Accuracy: round(answers.filter((x) => x.r.top1).length / n),
    mrrAt5: round(answers.reduce((sum, x) => sum + x.r.reciprocalRank, 0) / n),
    factsChecked,
    factsFound: factsChecked - factsMissing,
    answers: answers.length,
    outOfScope: { cases: outOfScope.length, honest, rate: round(honest / (outOfScope.length || 1)) },
    patientQuestions: {
      cases: of('patient-question').length,
      handled: of('patient-question').filter((x) => x.r.handled).length,
    },
    greetings: { cases: of('greeting').length, handled: of('greeting').filter((x) => x.r.handled).length },
    pending: { cases: pendingCases, ids: [...new Set(pendingIds.flat())].sort() },
    passed: scored.filter((x) => x.r.passed).length,
    failures: scored.filter((x) => !x.r.passed).map((x) => x.r),
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
