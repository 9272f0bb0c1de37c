/**
 * Scores a digest classifier against a labelled record set, as shared/eval/abstracts/README.md sets
 * out: relevance precision and recall over all records (near-misses are the negatives); micro
 * precision, recall and F1 of mechanism and agent tags on the records labelled relevant, where an
 * `acceptable` id is neither a false positive when predicted nor a false negative when missed. Every
 * error is listed with what fired it (the prediction's reason) or what should have (the label's
 * evidence phrases).
 */
import type { LabelledRecord } from './digest-set.ts';

export interface Prediction {
  relevant: boolean;
  mechanisms: string[];
  agents: string[];
  /** Id → the phrase that triggered the tag or decision, when the classifier says. */
  reasons?: Record<string, string>;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface TagError {
  id: string;
  /** For a false tag: the classifier's reason. For a miss: the label's evidence phrases. */
  why: string[];
}

export interface RecordErrors {
  key: string;
  relevance?: 'false positive' | 'false negative';
  relevanceWhy?: string[];
  falseTags: TagError[];
  missedTags: TagError[];
}

export interface DigestEvalReport {
  records: number;
  relevantRecords: number;
  relevance: Counts;
  mechanismTags: Counts;
  agentTags: Counts;
  errors: RecordErrors[];
}

type Tally = { tp: number; fp: number; fn: number };

export function scoreDigest(
  records: readonly LabelledRecord[],
  predict: (r: LabelledRecord) => Prediction,
): DigestEvalReport {
  const relevance: Tally = { tp: 0, fp: 0, fn: 0 };
  const mechanisms: Tally = { tp: 0, fp: 0, fn: 0 };
  const agents: Tally = { tp: 0, fp: 0, fn: 0 };
  const errors: RecordErrors[] = [];

  for (const r of records) {
    const p = predict(r);
    const e: RecordErrors = { key: r.key, falseTags: [], missedTags: [] };
    if (p.relevant && r.relevant) relevance.tp++;
    else if (p.relevant) {
      relevance.fp++;
      e.relevance = 'false positive';
      e.relevanceWhy = p.reasons?.relevant ? [p.reasons.relevant] : [];
    } else if (r.relevant) {
      relevance.fn++;
      e.relevance = 'false negative';
      e.relevanceWhy = r.evidence.relevant ?? [];
    }
    if (r.relevant) {
      tally(mechanisms, r.mechanisms, p.mechanisms, r, p, e);
      tally(agents, r.agents, p.agents, r, p, e);
    }
    if (e.relevance || e.falseTags.length > 0 || e.missedTags.length > 0) errors.push(e);
  }
  return {
    records: records.length,
    relevantRecords: records.filter((r) => r.relevant).length,
    relevance: counts(relevance),
    mechanismTags: counts(mechanisms),
    agentTags: counts(agents),
    errors,
  };
}

function tally(
  into: Tally,
  expected: string[],
  predicted: string[],
  r: LabelledRecord,
  p: Prediction,
  e: RecordErrors,
): void {
  const acceptable = new Set(r.acceptable);
  const want = new Set(expected.filter((id) => !acceptable.has(id)));
  const got = new Set(predicted.filter((id) => !acceptable.has(id)));
  for (const id of got) {
    if (want.has(id)) into.tp++;
    else {
      into.fp++;
      e.falseTags.push({ id, why: p.reasons?.[id] ? [p.reasons[id]] : [] });
    }
  }
  for (const id of want) {
    if (got.has(id)) continue;
    into.fn++;
    e.missedTags.push({ id, why: r.evidence[id] ?? [] });
  }
}

function counts({ tp, fp, fn }: Tally): Counts {
  // With nothing predicted there is nothing wrongly claimed: precision 1, as recall 1 with nothing to find.
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, precision: round(precision), recall: round(recall), f1: round(f1) };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
