/**
 * `her2bot curation list|show|export`: the curation queue from the store (DATABASE_PATH), for the
 * curator at the server. `export` writes the accepted candidates as draft evidence items in the
 * knowledge base's schema, and a markdown report of reports and feedback: the only way feedback
 * data leaves the server.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { databaseLocation, loadConfig, readEnvironment } from '../config.ts';
import { curationExport } from '../curation/report.ts';
import { candidateHeadline, candidateStatus } from '../curation/wording.ts';
import { type CandidateStatus, openStore } from '../store/store.ts';
import { type CliIo, UsageError } from './io.ts';
import { openCore } from './open-core.ts';

export const curationUsage = `Usage:
  her2bot curation list [--status open|accepted|dismissed] [--json]
  her2bot curation show ID [--json]
  her2bot curation export [--out DIR]

  export writes DIR/kb-candidates.yaml (accepted candidates as UNVERIFIED draft evidence items, in the
  knowledge base's schema) and DIR/curation-report.md (candidates, reports and feedback by item).
  DIR defaults to ./curation-export. The store is DATABASE_PATH.`;

const STATUSES: readonly CandidateStatus[] = ['open', 'accepted', 'dismissed'];

export async function curationCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { status: { type: 'string' }, json: { type: 'boolean', default: false }, out: { type: 'string' } },
    allowPositionals: true,
  });
  const [sub, ...rest] = positionals;
  if (sub !== 'list' && sub !== 'show' && sub !== 'export') throw new UsageError(`say list, show or export`);
  const status = values.status as CandidateStatus | undefined;
  if (status !== undefined && !STATUSES.includes(status)) throw new UsageError(`unknown status '${values.status}'`);
  const config = loadConfig(readEnvironment());
  const store = await openStore(databaseLocation(config));
  try {
    if (sub === 'list') {
      const list = await store.curation.list(status ? { status } : {});
      if (values.json) io.out(JSON.stringify(list, null, 2));
      else if (list.length === 0) io.out('The curation queue is empty.');
      else
        for (const c of list)
          io.out(
            `#${c.id}  ${c.createdAt.slice(0, 10)}  ${candidateHeadline(c)}  [${candidateStatus(c)}]  ${c.itemKey}`,
          );
      return 0;
    }
    if (sub === 'show') {
      const id = Number(rest[0]);
      if (!Number.isSafeInteger(id) || id <= 0) throw new UsageError('show needs a candidate id, e.g. curation show 3');
      const c = await store.curation.get(id);
      if (!c) {
        io.err(`There is no curation candidate ${id}.`);
        return 1;
      }
      if (values.json) io.out(JSON.stringify(c, null, 2));
      else {
        io.out(
          [
            `#${c.id} ${candidateHeadline(c)}`,
            `  status    ${candidateStatus(c)}${c.decidedBy ? ` by ${c.decidedBy}` : ''}`,
            `  item      ${c.itemKey}: ${String(c.item.title ?? '')}`,
            `  link      ${String(c.item.url ?? '')}`,
            ...(c.entryId ? [`  entry     ${c.entryId} (matched by ${c.matchedBy})`] : []),
            `  queued    ${c.createdAt} (knowledge base ${c.kbVersion})`,
          ].join('\n'),
        );
      }
      return 0;
    }
    const core = await openCore(io);
    const out = resolve(values.out ?? 'curation-export');
    const result = curationExport(core.kb, await store.curation.list(), await store.feedback.list(), new Date());
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'kb-candidates.yaml'), result.yaml);
    writeFileSync(join(out, 'curation-report.md'), result.report);
    io.out(
      `Wrote ${result.drafts} draft evidence item(s) to ${join(out, 'kb-candidates.yaml')} and the report to ${join(out, 'curation-report.md')}.`,
    );
    io.out('Every draft is unverified: check it against its source before it goes into knowledge/.');
    return 0;
  } finally {
    await store.close();
  }
}
