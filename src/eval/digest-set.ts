/**
 * A labelled set of literature records for the digest classifier: the format of
 * shared/eval/abstracts/records.yaml (real abstracts, read in place, never copied) and of our own
 * synthetic near-miss set in test/fixtures/eval/digest-cases.yaml. Each record says whether it is about
 * HER2-positive breast cancer and which mechanisms and agents it is about; `acceptable` ids are
 * defensible either way and neither rewarded nor penalised.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import type { LiteratureItem } from '../digest/sources/types.ts';

export const LabelledRecord = z.object({
  key: z.string().min(1),
  title: z.string(),
  abstract: z.string().nullish(),
  journal: z.string().nullish(),
  pmid: z.string().nullish(),
  relevant: z.boolean(),
  mechanisms: z.array(z.string()).default([]),
  agents: z.array(z.string()).default([]),
  acceptable: z.array(z.string()).default([]),
  /** Label → the phrases that should have fired it; shown beside a miss. */
  evidence: z.record(z.string(), z.array(z.string())).default({}),
});
export type LabelledRecord = z.infer<typeof LabelledRecord>;

export const LabelledSet = z.object({ records: z.array(LabelledRecord).min(1) });

export type Split = 'tune' | 'holdout' | 'all';
export const SPLITS: readonly Split[] = ['tune', 'holdout', 'all'];

export function readLabelledSet(file: string): LabelledRecord[] {
  const parsed = LabelledSet.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is not a labelled record set:\n${z.prettifyError(parsed.error)}`);
  const keys = new Set<string>();
  for (const r of parsed.data.records) {
    if (keys.has(r.key)) throw new Error(`${file}: the key ${r.key} is used twice`);
    keys.add(r.key);
  }
  return parsed.data.records;
}

/**
 * A fixed, content-free split: about three in ten records (by a hash of the key) are held out of
 * tuning, so a rule written while looking at the tuning records is judged on records it never saw.
 */
export function inSplit(key: string, split: Split): boolean {
  if (split === 'all') return true;
  const heldOut = fnv1a(key) % 10 < 3;
  return split === 'holdout' ? heldOut : !heldOut;
}

/** A labelled record as the digest would receive it from PubMed. */
export function asLiteratureItem(r: LabelledRecord): LiteratureItem {
  return {
    source: 'pubmed',
    id: r.key,
    title: r.title,
    ...(r.abstract ? { abstract: r.abstract } : {}),
    url: `https://example.org/eval/${encodeURIComponent(r.key)}`,
    date: '2026-01-01',
    authors: [],
    ...(r.journal ? { journal: r.journal } : {}),
    publicationTypes: [],
  };
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
