/**
 * PubMed through NCBI E-utilities: one ESearch over the window's create dates (`[crdt]`, which, unlike
 * the Entrez date, is never back-dated for records added long after publication), the result set kept
 * on the History server, then EFetch XML in batches.
 *
 * Both calls are POSTs: the default query is a few thousand characters, and a POST keeps the API key
 * and the contact address out of URLs. Every request, retries included, goes through the one
 * E-utilities rate limiter and carries `tool`, `email` and, when set, `api_key`.
 */
import { fetchText, type HttpClientOptions, SourceError, userAgent } from '../http.ts';
import { type RateLimiter, sharedEutilsLimiter } from '../limiter.ts';
import { checkWindow } from './dates.ts';
import { parseESearch } from './esearch-parse.ts';
import { parsePubMedArticles } from './pubmed-parse.ts';
import type { DigestWindow, LiteratureItem, LiteratureSource } from './types.ts';

/** ESearch can hand over at most this many records of one query (NCBI's limit for PubMed). */
export const ESEARCH_MAX_RECORDS = 10_000;
/** Records per EFetch call; NCBI advises batches of 200 or fewer. */
export const DEFAULT_BATCH_SIZE = 200;

export interface PubMedSourceOptions extends HttpClientOptions {
  /** E-utilities base URL, ending in `/` (config.digest.pubmedBaseUrl). */
  baseUrl: string;
  /** The Entrez query without its date window (see queries.ts). */
  term: string;
  /** Registered tool name, no spaces (config.digest.ncbiTool). */
  tool: string;
  /** Developer contact NCBI writes to before blocking an IP (config.digest.ncbiEmail). */
  email?: string;
  apiKey?: string;
  batchSize?: number;
  /** Defaults to the process-wide E-utilities limiter for this key setting. */
  limiter?: RateLimiter;
}

export function createPubMedSource(options: PubMedSourceOptions): LiteratureSource {
  const { baseUrl, term, tool, email, apiKey, batchSize = DEFAULT_BATCH_SIZE, limiter, ...client } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > DEFAULT_BATCH_SIZE) {
    throw new RangeError(`batchSize must be an integer from 1 to ${DEFAULT_BATCH_SIZE}`);
  }
  const eutils = limiter ?? sharedEutilsLimiter(apiKey);
  const http: HttpClientOptions = {
    ...client,
    headers: { 'user-agent': userAgent(tool, email), ...client.headers },
    schedule: (attempt) => eutils.schedule(attempt),
    secrets: [...(client.secrets ?? []), ...(apiKey ? [apiKey] : [])],
  };
  const call = (utility: string, params: Record<string, string>) =>
    fetchText(new URL(utility, baseUrl).href, {
      ...http,
      method: 'POST',
      form: { ...params, tool, email, api_key: apiKey },
    });

  return {
    name: 'pubmed',
    async fetch(window: DigestWindow): Promise<LiteratureItem[]> {
      checkWindow(window);
      const search = parseESearch(
        await call('esearch.fcgi', {
          db: 'pubmed',
          term: windowedTerm(term, window),
          retmode: 'json',
          usehistory: 'y',
        }),
      );
      if (search.problems.length > 0) {
        throw new SourceError('query', `PubMed did not run the query as written: ${search.problems.join('; ')}`);
      }
      if (search.count === 0) return [];
      if (search.count > ESEARCH_MAX_RECORDS) {
        throw new SourceError(
          'query',
          `PubMed found ${search.count} records in ${window.since}…${window.until}; ESearch hands over at most ` +
            `${ESEARCH_MAX_RECORDS}, and this topic never has that many: check the query`,
        );
      }
      if (!search.webEnv || !search.queryKey) {
        throw new SourceError('parse', 'ESearch with usehistory=y returned no WebEnv/QueryKey');
      }

      const items = new Map<string, LiteratureItem>();
      for (let retstart = 0; retstart < search.count; retstart += batchSize) {
        const xml = await call('efetch.fcgi', {
          db: 'pubmed',
          WebEnv: search.webEnv,
          query_key: search.queryKey,
          retstart: String(retstart),
          retmax: String(batchSize),
          retmode: 'xml',
        });
        for (const item of parsePubMedArticles(xml)) items.set(item.id, item);
      }
      // EFetch can hand over fewer records than ESearch counted (an empty or truncated set): the
      // source then fails, so the digest says so and its window is fetched again next time.
      if (items.size < search.count) {
        throw new SourceError(
          'shortfall',
          `PubMed EFetch returned ${items.size} of the ${search.count} records ESearch counted in ${window.since}…${window.until}`,
          { retryable: true },
        );
      }
      return [...items.values()];
    },
  };
}

/** The term restricted to records created in the window: `(term) AND ("2025/06/01"[crdt] : "2025/06/03"[crdt])`. */
export function windowedTerm(term: string, window: DigestWindow): string {
  const day = (iso: string) => `"${iso.replaceAll('-', '/')}"[crdt]`;
  return `(${term}) AND (${day(window.since)} : ${day(window.until)})`;
}
