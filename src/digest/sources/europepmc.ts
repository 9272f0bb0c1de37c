/**
 * Europe PMC, an optional source, mainly for preprints (`SRC:PPR`) that PubMed lacks. The window is on
 * `FIRST_IDATE`, the date Europe PMC first indexed a record; `FIRST_PDATE` can lie a year ahead of it.
 * Pages follow `cursorMark` until the response has no `nextCursorMark`, repeats the one sent, or is
 * empty (older releases repeated the cursor on the last page). No rate limit is documented; requests
 * are spaced half a second apart.
 */
import { fetchText, type HttpClientOptions, SourceError, userAgent } from '../http.ts';
import { RateLimiter } from '../limiter.ts';
import { checkWindow } from './dates.ts';
import { parseEuropePmcPage } from './europepmc-parse.ts';
import type { DigestWindow, LiteratureItem, LiteratureSource } from './types.ts';

export interface EuropePmcSourceOptions extends HttpClientOptions {
  /** REST base URL ending in `/`, e.g. https://www.ebi.ac.uk/europepmc/webservices/rest/ (config.digest.europePmcBaseUrl). */
  baseUrl: string;
  /** The search query without its date window (see queries.ts). */
  query: string;
  /** Names the bot in the User-Agent (config.digest.ncbiTool). */
  tool: string;
  /** Sent as Europe PMC's optional `email` parameter and in the User-Agent. */
  email?: string;
  /** 1–1000. */
  pageSize?: number;
  /** A run that needs more pages than this has a broken query, not a busy day. */
  maxPages?: number;
  limiter?: RateLimiter;
}

export function createEuropePmcSource(options: EuropePmcSourceOptions): LiteratureSource {
  const { baseUrl, query, tool, email, pageSize = 100, maxPages = 20, limiter, ...client } = options;
  const spacing = limiter ?? new RateLimiter({ requestsPerSecond: 2 });
  const http: HttpClientOptions = {
    ...client,
    headers: { 'user-agent': userAgent(tool, email), accept: 'application/json', ...client.headers },
    schedule: (attempt) => spacing.schedule(attempt),
  };

  return {
    name: 'europepmc',
    async fetch(window: DigestWindow): Promise<LiteratureItem[]> {
      checkWindow(window);
      const items = new Map<string, LiteratureItem>();
      let cursor = '*';
      for (let page = 1; ; page++) {
        const url = new URL('search', baseUrl);
        url.search = new URLSearchParams({
          query: windowedQuery(query, window),
          format: 'json',
          resultType: 'core',
          pageSize: String(pageSize),
          cursorMark: cursor,
          ...(email ? { email } : {}),
        }).toString();
        const result = parseEuropePmcPage(await fetchText(url.href, http));
        for (const item of result.items) items.set(item.id, item);

        const next = result.nextCursorMark;
        if (!next || next === cursor || result.items.length === 0) return [...items.values()];
        if (page >= maxPages) {
          throw new SourceError('query', `Europe PMC has more than ${maxPages * pageSize} records in the window`);
        }
        cursor = next;
      }
    },
  };
}

/** The query restricted to records first indexed in the window: `(query) AND FIRST_IDATE:[2025-06-01 TO 2025-06-03]`. */
export function windowedQuery(query: string, window: DigestWindow): string {
  return `(${query}) AND FIRST_IDATE:[${window.since} TO ${window.until}]`;
}
