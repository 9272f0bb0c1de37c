/**
 * Digest classifier quality: relevance precision/recall and mechanism/agent tag precision/recall/F1 of
 * our classifier, beside two floors measured in the same run: the co-occurrence classifier the digest
 * used before issue 12, and plain lunr. Sets: the real abstracts of ../shared/eval/abstracts (read in
 * place; tuning and held-out splits, see src/eval/digest-set.ts) when present, and our own synthetic
 * near-miss set. Prints one JSON object; --out FILE also writes it there.
 * Run: npx tsx bench/digest-eval.ts [--out bench/results/digest-eval.json]
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { predictionOf, SHARED_ABSTRACTS } from '../src/cli/eval-digest.ts';
import { Classifier } from '../src/digest/classify.ts';
import { type Counts, type DigestEvalReport, type Prediction, scoreDigest } from '../src/eval/digest-score.ts';
import { asLiteratureItem, inSplit, type LabelledRecord, readLabelledSet, type Split } from '../src/eval/digest-set.ts';
import { loadKnowledge } from '../src/knowledge/load.ts';
import { CooccurrenceClassifier } from './lib/cooccurrence-classifier.ts';
import { lunrPredictions } from './lib/lunr-classifier.ts';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const OWN_SET = resolve(import.meta.dirname, '../test/fixtures/eval/digest-cases.yaml');

const kb = loadKnowledge();
const ours = new Classifier(kb);
const cooccurrence = new CooccurrenceClassifier(kb);

interface Figures {
  records: number;
  relevantRecords: number;
  relevance: Counts;
  mechanismTags: Counts;
  agentTags: Counts;
  errorRecords: number;
}

const figures = ({ errors, ...rest }: DigestEvalReport): Figures => ({ ...rest, errorRecords: errors.length });

function evaluate(records: LabelledRecord[]): Record<string, Figures> {
  const lunr = lunrPredictions(kb, records);
  const predictors: Record<string, (r: LabelledRecord) => Prediction> = {
    ours: (r) => predictionOf(ours.classify(asLiteratureItem(r))),
    cooccurrenceBaseline: (r) => cooccurrence.classify(r.title, r.abstract ?? ''),
    plainLunr: (r) => lunr.get(r.key)!,
  };
  return Object.fromEntries(Object.entries(predictors).map(([name, p]) => [name, figures(scoreDigest(records, p))]));
}

const GOALS = { relevancePrecision: 0.95, relevanceRecall: 0.97, mechanismF1: 0.9, agentF1: 0.95 };
function goals(f: Figures) {
  const check = (measured: number, goal: number) => ({ goal, measured, status: measured >= goal ? 'met' : 'not met' });
  return {
    relevancePrecision: check(f.relevance.precision, GOALS.relevancePrecision),
    relevanceRecall: check(f.relevance.recall, GOALS.relevanceRecall),
    mechanismTagF1: check(f.mechanismTags.f1, GOALS.mechanismF1),
    agentTagF1: check(f.agentTags.f1, GOALS.agentF1),
  };
}

const result: Record<string, unknown> = { kbVersion: kb.version };
if (existsSync(SHARED_ABSTRACTS)) {
  const all = readLabelledSet(SHARED_ABSTRACTS);
  const bySplit = Object.fromEntries(
    (['tune', 'holdout', 'all'] as Split[]).map((s) => [s, evaluate(all.filter((r) => inSplit(r.key, s)))]),
  ) as Record<Split, Record<string, Figures>>;
  result.sharedAbstracts = { file: SHARED_ABSTRACTS, ...bySplit };
  result.goalsOnHeldOut = goals(bySplit.holdout.ours!);
} else {
  result.sharedAbstracts = { skipped: `absent: ${SHARED_ABSTRACTS}` };
}
if (existsSync(OWN_SET)) result.ownSyntheticSet = evaluate(readLabelledSet(OWN_SET));

const json = JSON.stringify(result, null, 2);
console.log(json);
if (values.out) {
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${json}\n`);
}
