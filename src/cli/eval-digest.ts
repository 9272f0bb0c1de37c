/**
 * `her2bot eval digest [file.yaml]`: runs the digest classifier over a labelled record set and prints
 * relevance precision/recall, mechanism- and agent-tag precision/recall/F1 and every error with its
 * reason. Without a file it reads the real abstracts in ../shared/eval/abstracts/records.yaml in place
 * (never copied into the project) and says so plainly when that folder is absent.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Classification, Classifier } from '../digest/classify.ts';
import { type DigestEvalReport, type Prediction, type RecordErrors, scoreDigest } from '../eval/digest-score.ts';
import { asLiteratureItem, inSplit, readLabelledSet, SPLITS, type Split } from '../eval/digest-set.ts';
import { loadKnowledge } from '../knowledge/load.ts';
import { type CliIo, UsageError } from './io.ts';

/** The checkout's root (the folder with package.json), whether this runs from src/ or compiled from dist/. */
function projectRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const SHARED_ABSTRACTS = resolve(projectRoot(), '../shared/eval/abstracts/records.yaml');

export const evalDigestUsage = `Usage:
  her2bot eval digest [file.yaml] [--split tune|holdout|all] [--json]
      score the digest classifier on labelled records (default: ${SHARED_ABSTRACTS});
      --split picks the tuning or held-out part of the set (default all)`;

export async function evalDigestCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      json: { type: 'boolean', default: false },
      split: { type: 'string', default: 'all' },
      dir: { type: 'string' },
    },
    allowPositionals: true,
  });
  if (positionals.length > 1) throw new UsageError('give at most one labelled record file');
  const split = values.split as Split;
  if (!SPLITS.includes(split)) throw new UsageError(`--split must be one of ${SPLITS.join(', ')}`);
  const file = positionals[0] ?? SHARED_ABSTRACTS;
  if (!existsSync(file)) {
    io.err(
      positionals[0]
        ? `her2bot eval digest: ${file} does not exist`
        : `her2bot eval digest: skipped, the shared abstracts are absent (${file}); give a labelled file instead`,
    );
    return positionals[0] ? 2 : 0;
  }
  let records: ReturnType<typeof readLabelledSet>;
  try {
    records = readLabelledSet(file).filter((r) => inSplit(r.key, split));
  } catch (err) {
    io.err(`her2bot eval digest: ${(err as Error).message}`);
    return 2;
  }
  const classifier = new Classifier(loadKnowledge(values.dir));
  const report = scoreDigest(records, (r) => predictionOf(classifier.classify(asLiteratureItem(r))));
  io.out(values.json ? JSON.stringify({ file, split, ...report }, null, 2) : describeReport(report, split));
  return 0;
}

/** A classification as the scorer reads it, with the relevance decision's reason beside the tags'. */
export function predictionOf(c: Classification): Prediction {
  return { ...c, reasons: { ...c.reasons, relevant: c.relevanceReason } };
}

export function describeReport(report: DigestEvalReport, split: Split): string {
  const line = (name: string, c: DigestEvalReport['relevance']) =>
    `${name.padEnd(15)} precision ${c.precision.toFixed(3)}  recall ${c.recall.toFixed(3)}  F1 ${c.f1.toFixed(3)}  (tp ${c.tp}, fp ${c.fp}, fn ${c.fn})`;
  return [
    `records         ${report.records} (${report.relevantRecords} relevant; split ${split})`,
    line('relevance', report.relevance),
    line('mechanism tags', report.mechanismTags),
    line('agent tags', report.agentTags),
    ...report.errors.map(describeErrors),
  ].join('\n');
}

function describeErrors(e: RecordErrors): string {
  const quote = (why: string[]) => (why.length > 0 ? ` (${why.map((w) => `'${w}'`).join(' / ')})` : '');
  const parts = [
    ...(e.relevance ? [`relevance ${e.relevance}${quote(e.relevanceWhy ?? [])}`] : []),
    ...e.falseTags.map((t) => `false ${t.id}${quote(t.why)}`),
    ...e.missedTags.map((t) => `missed ${t.id}${quote(t.why)}`),
  ];
  return `ERR ${e.key}: ${parts.join('; ')}`;
}
