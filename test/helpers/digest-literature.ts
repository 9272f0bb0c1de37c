/**
 * Stand-in literature for the digest delivery tests: invented records (PMIDs 99100001+, DOIs under
 * 10.5555, NCT099100xx, as the fixture README asks), sources that serve them by window and fail on
 * demand, a poster that records what it was given, and a clock the test sets.
 */
import type { Digest } from '../../src/digest/compose.ts';
import type { DigestPoster, PostResult } from '../../src/digest/posting.ts';
import type { DigestWindow, LiteratureItem, LiteratureSource, SourceName } from '../../src/digest/sources/types.ts';

/** A PubMed record about HER2-positive breast cancer; `topic` goes into the title. */
export function paper(pmid: number | string, date: string, topic: string, extra: Partial<LiteratureItem> = {}) {
  const id = String(pmid);
  return {
    source: 'pubmed',
    id,
    pmid: id,
    title: `${topic} in HER2-positive breast cancer`,
    abstract: 'BACKGROUND: Trastuzumab resistance limits benefit. METHODS: A retrospective cohort.',
    url: `https://pubmed.ncbi.nlm.nih.gov/${id}/`,
    date,
    authors: ['Okafor AN'],
    journal: 'J Fixture Oncol',
    publicationTypes: ['Journal Article'],
    ...extra,
  } satisfies LiteratureItem;
}

/** A ClinicalTrials.gov record first posted (new) on `date`. */
export function trial(nct: string, date: string, title: string, extra: Partial<LiteratureItem> = {}) {
  return {
    source: 'clinicaltrials',
    id: nct,
    nct: [nct],
    title,
    url: `https://clinicaltrials.gov/study/${nct}`,
    date,
    authors: [],
    publicationTypes: [],
    phases: ['PHASE2'],
    status: 'RECRUITING',
    change: 'new',
    updateKey: `${nct}@${date}`,
    ...extra,
  } satisfies LiteratureItem;
}

/**
 * A LiteratureSource over a list the test changes: each fetch returns the items dated inside the
 * window, throws while `failing` is set (as a source does once its retries are used up), or hands the
 * call to `delegate` (a real source pointed at a loopback stand-in) when one is set.
 */
export class StandInSource implements LiteratureSource {
  readonly windows: DigestWindow[] = [];
  items: LiteratureItem[];
  failing: string | undefined;
  delegate: LiteratureSource | undefined;
  /** How long each next fetch takes, in turn (by the timers' clock, so fake timers can run it). */
  delays: number[] = [];

  constructor(
    readonly name: SourceName,
    items: LiteratureItem[] = [],
  ) {
    this.items = items;
  }

  async fetch(window: DigestWindow): Promise<LiteratureItem[]> {
    this.windows.push(window);
    const delay = this.delays.shift() ?? 0;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if (this.failing) throw new Error(this.failing);
    if (this.delegate) return this.delegate.fetch(window);
    return this.items.filter((i) => i.date >= window.since && i.date <= window.until);
  }
}

/**
 * A poster that accepts everything (or what `reply` says) and keeps each digest it was given. It owns
 * the channel keys that start with `ownedPrefix` (every key by default), as a surface owns its own.
 */
export class RecordingPoster implements DigestPoster {
  readonly posts: { channelKey: string; digest: Digest }[] = [];

  constructor(private readonly ownedPrefix = '') {}

  owns(channelKey: string): boolean {
    return channelKey.startsWith(this.ownedPrefix);
  }

  reply: (channelKey: string, digest: Digest) => PostResult | Promise<PostResult> = (_key, digest) => ({
    ok: true,
    messageId: `m${this.posts.length}`,
    shownItems: digest.items.map((d) => d.key),
  });

  async post(channelKey: string, digest: Digest): Promise<PostResult> {
    this.posts.push({ channelKey, digest });
    return this.reply(channelKey, digest);
  }
}

/** A clock the test sets; `now` is what startBot, the scheduler and the store are given. */
export function settableClock(start: string) {
  let at = Date.parse(start);
  return {
    now: () => new Date(at),
    set(iso: string) {
      at = Date.parse(iso);
    },
  };
}
