/**
 * Computing a digest: which window, which sources, what the channel has already seen, and the
 * composed result. Used by the scheduled run, the chat `digest preview`, the CLI and the playground.
 */
import type { Config } from '../config.ts';
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import { type Logger, silentLogger } from '../logger.ts';
import type { SearchResult } from '../search/search.ts';
import { Classifier } from './classify.ts';
import { composeDigest, type Digest, identityKeys } from './compose.ts';
import { fetchAll } from './run.ts';
import { createLiteratureSources } from './sources/create.ts';
import { buildDigestQueries } from './sources/queries.ts';
import type { DigestWindow, LiteratureSource } from './sources/types.ts';

export const FIRST_DIGEST_DAYS = 7;
/** Each window starts a day before the last one ended: late-indexed records are not lost. */
export const OVERLAP_DAYS = 1;

export interface DigestServiceOptions {
  logger?: Logger;
  /** The literature sources; by default those configured (tests pass stand-ins). */
  sources?: LiteratureSource[];
}

/** What the digest needs of the core: the knowledge base, and the search that resolves topic words. */
export interface DigestKnowledge {
  readonly kb: KnowledgeBase;
  search(text: string): SearchResult;
}

export class DigestService {
  readonly classifier: Classifier;
  readonly sources: readonly LiteratureSource[];
  private readonly logger: Logger;

  constructor(
    private readonly core: DigestKnowledge,
    config: Config['digest'],
    options: DigestServiceOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
    this.classifier = new Classifier(core.kb);
    this.sources = options.sources ?? createLiteratureSources(config, buildDigestQueries(core.kb), this.logger);
  }

  /**
   * Fetches and composes. `unposted` filters item keys down to those the channel has not been shown
   * (the store's posted items); without it every item counts as new.
   */
  async compute(
    window: DigestWindow,
    options: {
      topics?: string[];
      unposted?: (keys: string[]) => Promise<string[]> | string[];
      muted?: readonly string[];
    } = {},
  ): Promise<Digest> {
    const fetched = await fetchAll(this.sources, window, this.logger);
    const keys = [...new Set(fetched.items.flatMap(identityKeys))];
    const fresh = options.unposted ? new Set(await options.unposted(keys)) : undefined;
    const exclude = fresh ? new Set(keys.filter((k) => !fresh.has(k))) : undefined;
    return composeDigest(this.core.kb, this.classifier, window, fetched.sources, fetched.items, {
      ...(options.topics ? { topics: options.topics } : {}),
      ...(exclude ? { exclude } : {}),
      ...(options.muted?.length ? { muted: new Set(options.muted) } : {}),
    });
  }

  /** A topic typed by a user ("pi3k", "T-DM1") as a mechanism or agent id, through the search. */
  resolveTopic(text: string): string | undefined {
    const hit = this.core.search(text).hits.find((h) => h.kind === 'mechanism' || h.kind === 'agent');
    return hit?.id;
  }
}

/** YYYY-MM-DD of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The window of the next digest for a channel: from a day before the last fully covered date (or
 * the last 7 days for a first digest) to today, in the subscriber's zone.
 */
export function nextWindow(lastCoveredUntil: string | undefined, at: Date, timeZone: string): DigestWindow {
  const until = localDate(at, timeZone);
  const since = lastCoveredUntil ? addDays(lastCoveredUntil, -OVERLAP_DAYS) : addDays(until, -FIRST_DIGEST_DAYS);
  // Dates as YYYY-MM-DD compare as text; a window never starts after it ends.
  return { since: [since, until].sort()[0]!, until };
}
