/**
 * `her2bot eval <file.yaml>`: runs a relevance set and prints top-1 accuracy, MRR@5, facts and failures.
 * `her2bot eval digest …` scores the digest classifier instead (eval-digest.ts).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { z } from 'zod';
import { runEvaluation } from '../eval/observe.ts';
import { EvalSet } from '../eval/relevance.ts';
import { evalDigestCommand, evalDigestUsage } from './eval-digest.ts';
import { type CliIo, UsageError } from './io.ts';
import { openCore } from './open-core.ts';

export const evalUsage = `Usage:
  her2bot eval <file.yaml> [--json]   run a question set (format of shared/eval/queries.yaml, extended in eval/questions.yaml)
${evalDigestUsage.replace(/^Usage:\n/, '')}`;

export async function evalCommand(args: string[], io: CliIo): Promise<number> {
  if (args[0] === 'digest') return evalDigestCommand(args.slice(1), io);
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false }, dir: { type: 'string' } },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('give exactly one relevance file');
  const parsed = EvalSet.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    io.err(`her2bot eval: ${file} is not a relevance set:\n${z.prettifyError(parsed.error)}`);
    return 2;
  }
  const core = await openCore(io, values.dir);
  const report = runEvaluation(core, parsed.data);
  if (values.json) {
    io.out(JSON.stringify(report, null, 2));
  } else {
    const { outOfScope, patientQuestions, greetings, pending } = report;
    io.out(
      [
        `queries          ${report.cases}${pending.cases ? ` (+${pending.cases} pending: ${pending.ids.join(', ')})` : ''}`,
        `passed           ${report.passed}`,
        `in scope         ${report.answers}`,
        `top-1 accuracy   ${report.top1Accuracy}`,
        `MRR@5            ${report.mrrAt5}`,
        `facts            ${report.factsFound}/${report.factsChecked}`,
        ...(outOfScope.cases
          ? [`out of scope     ${outOfScope.honest}/${outOfScope.cases} honest (${outOfScope.rate})`]
          : []),
        ...(patientQuestions.cases
          ? [`patient requests ${patientQuestions.handled}/${patientQuestions.cases} answered with the careful card`]
          : []),
        ...(greetings.cases ? [`greetings        ${greetings.handled}/${greetings.cases}`] : []),
        ...report.failures.map(
          (f) =>
            `FAIL ${JSON.stringify(f.query)}: ${f.type ?? '?'} ${f.hits.join(', ') || '(none)'}` +
            `${f.expect !== 'answer' ? ` [expected ${f.expect}]` : f.top1 ? '' : ' [top-1 wrong]'}` +
            `${f.missingTop5.length ? ` [not in top 5: ${f.missingTop5.join(', ')}]` : ''}` +
            `${f.missingFacts.length ? ` [facts missing: ${f.missingFacts.join(', ')}]` : ''}`,
        ),
      ].join('\n'),
    );
  }
  return report.failures.length === 0 ? 0 : 1;
}
