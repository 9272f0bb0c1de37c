/** `her2bot kb [--json] | kb lint | kb changes`: the knowledge base's counts, its JSON, its problems, its releases. */
import { parseArgs } from 'node:util';
import { formatProblem, inspectKnowledge } from '../knowledge/load.ts';
import { isError } from '../knowledge/problem.ts';
import { type CliIo, UsageError } from './io.ts';
import { kbChanges } from './kb-changes.ts';

export const kbUsage = `Usage:
  her2bot kb [--dir DIR]          counts and version of the knowledge base
  her2bot kb --json [--dir DIR]   the whole knowledge base as JSON
  her2bot kb lint [--dir DIR]     every problem; exits 1 if there is an error
  her2bot kb changes [--since VERSION] [--json] [--dir DIR]
                                  what the newest release (or every release after VERSION) added,
                                  changed and corrected`;

export async function kbCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false }, dir: { type: 'string' }, since: { type: 'string' } },
    allowPositionals: true,
  });
  const sub = positionals[0];
  if (sub !== undefined && sub !== 'lint' && sub !== 'changes') throw new UsageError(`unknown kb subcommand '${sub}'`);
  if (values.since !== undefined && sub !== 'changes') throw new UsageError('--since goes with kb changes');

  const { kb, problems } = inspectKnowledge(values.dir);
  const errors = problems.filter(isError);
  const warnings = problems.filter((p) => !isError(p));

  if (sub === 'lint') {
    for (const p of errors) io.out(`error   ${formatProblem(p)}`);
    for (const p of warnings) io.out(`warning ${formatProblem(p)}`);
    io.out(`${errors.length} error(s), ${warnings.length} warning(s)`);
    return errors.length > 0 ? 1 : 0;
  }
  if (!kb || errors.length > 0) {
    for (const p of errors) io.err(formatProblem(p));
    io.err(`The knowledge base has ${errors.length} error(s); run 'her2bot kb lint'.`);
    return 1;
  }
  if (sub === 'changes') return kbChanges(kb, values.since, values.json, io);
  if (values.json) {
    const { review, mechanisms, agents, evidence, scope, changes } = kb;
    io.out(
      JSON.stringify(
        { version: kb.version, date: kb.versionDate, review, mechanisms, agents, evidence, scope, changes },
        null,
        2,
      ),
    );
    return 0;
  }
  const after = kb.evidence.filter((e) => e.relativeToReview === 'after').length;
  io.out(
    [
      `her2-bot knowledge base ${kb.version} (${kb.versionDate})`,
      `Review: ${kb.review.citation.text}`,
      `  mechanisms ${kb.mechanisms.length}`,
      `  agents     ${kb.agents.length}`,
      `  evidence   ${kb.evidence.length} (${kb.evidence.length - after} up to the review, ${after} after it)`,
      `  scope      ${kb.scope.notCovered.length} topics not covered, ${kb.scope.patientQuestions.situations.length} patient situations`,
      warnings.length > 0 ? `  ${warnings.length} warning(s): run 'her2bot kb lint'` : '  lint clean',
    ].join('\n'),
  );
  return 0;
}
