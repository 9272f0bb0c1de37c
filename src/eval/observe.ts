/** What the bot does with one evaluation query, as the evaluation reads it (shared by the CLI, tests, bench). */
import type { Answer } from '../answer/answer.ts';
import { renderAnswer } from '../cards/render.ts';
import type { Core } from '../core.ts';
import { type EvalCase, evaluateCase, missingIds, type Observed, summarize } from './relevance.ts';

export function observe(core: Core, query: string): Observed {
  const answer = core.answer(query);
  return {
    hits: leadingHits(
      answer,
      core.search(query).hits.map((h) => h.id),
    ),
    text: renderAnswer(answer, 'text', core.kb) as string,
    type: answer.type,
    evidence: answer.type === 'patient-question' ? answer.situations.flatMap((s) => s.evidence.map((e) => e.id)) : [],
  };
}

/** The card's own entity first: the answer may lead with a different hit than the raw ranking (A vs B). */
function leadingHits(answer: Answer, hits: string[]): string[] {
  const lead = leadId(answer);
  return lead ? [lead, ...hits.filter((id) => id !== lead)] : hits;
}

function leadId(answer: Answer): string | undefined {
  switch (answer.type) {
    case 'mechanism':
      return answer.mechanism.id;
    case 'agent':
      return answer.agent.id;
    case 'evidence':
      return answer.evidence.id;
    case 'review':
      return 'review';
    default:
      return undefined;
  }
}

export function runEvaluation(core: Core, cases: EvalCase[]) {
  const results = cases.map((c) => evaluateCase(c, observe(core, c.query)));
  const pending = cases.map((c) => missingIds(c, (id) => id === 'review' || core.kb.entity(id) !== undefined));
  return summarize(results, cases, pending);
}
