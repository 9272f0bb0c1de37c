/** Fixtures, fake time and instant retries for the digest source tests. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Clock } from '../../src/digest/limiter.ts';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/digest');

export function digestFixture(path: string): string {
  return readFileSync(resolve(FIXTURES, path), 'utf8');
}

/**
 * A clock whose `sleep` returns at once and moves time forward, so a limiter's spacing shows in
 * `now()` without the test waiting for it.
 */
export function fakeClock(start = 1_750_000_000_000): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

/** Retry options that record each backoff instead of waiting it out. */
export function instantRetries(random = 0.5): {
  delays: number[];
  sleep: (ms: number) => Promise<void>;
  random: () => number;
} {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => random,
  };
}

/**
 * EFetch's answer for the whole of `pubmed/esearch-history.json` (count 4): both recorded batches in one
 * PubmedArticleSet, so the source's count check sees every record ESearch counted.
 */
export function efetchAllOfHistory(): string {
  const second = digestFixture('pubmed/efetch-batch2.xml').match(/<PubmedArticle>[\s\S]*<\/PubmedArticle>/)![0];
  return digestFixture('pubmed/efetch-batch1.xml').replace('</PubmedArticleSet>', `${second}\n</PubmedArticleSet>`);
}
