/**
 * ClinicalTrials.gov API v2: the studies on HER2-positive breast cancer first posted or updated inside
 * the window, paged with `pageToken` (every page repeats the first page's parameters, as the API
 * requires), with `fields` limited to what clinicaltrials-parse.ts reads.
 *
 * The data refresh runs on weekdays only; the digest's overlapping window, not this source, absorbs a
 * late refresh. The API has no documented rate limit; third parties report about 50 requests a minute,
 * so requests are spaced one second apart.
 */
import { fetchText, type HttpClientOptions, SourceError, userAgent } from '../http.ts';
import { RateLimiter } from '../limiter.ts';
import { parseStudiesPage, studyToItem } from './clinicaltrials-parse.ts';
import { checkWindow } from './dates.ts';
import type { DigestWindow, LiteratureItem, LiteratureSource } from './types.ts';

/** The fields clinicaltrials-parse.ts reads, by their Data Structure names. */
export const STUDY_FIELDS = [
  'NCTId',
  'BriefTitle',
  'OfficialTitle',
  'Acronym',
  'OverallStatus',
  'Phase',
  'BriefSummary',
  'StudyFirstPostDate',
  'LastUpdatePostDate',
] as const;

export interface ClinicalTrialsSourceOptions extends HttpClientOptions {
  /** API base URL ending in `/`, e.g. https://clinicaltrials.gov/api/v2/ (config.digest.ctgovBaseUrl). */
  baseUrl: string;
  /** The `query.cond` expression (see queries.ts). */
  condition: string;
  /** Names the bot in the User-Agent (config.digest.ncbiTool). */
  tool: string;
  email?: string;
  /** Studies per page; the API coerces anything above 1000 down to 1000. */
  pageSize?: number;
  /** A run that needs more pages than this has a broken query, not a busy day. */
  maxPages?: number;
  limiter?: RateLimiter;
}

export function createClinicalTrialsSource(options: ClinicalTrialsSourceOptions): LiteratureSource {
  const { baseUrl, condition, tool, email, pageSize = 100, maxPages = 20, limiter, ...client } = options;
  const spacing = limiter ?? new RateLimiter({ requestsPerSecond: 1 });
  const http: HttpClientOptions = {
    ...client,
    headers: { 'user-agent': userAgent(tool, email), accept: 'application/json', ...client.headers },
    schedule: (attempt) => spacing.schedule(attempt),
  };

  return {
    name: 'clinicaltrials',
    async fetch(window: DigestWindow): Promise<LiteratureItem[]> {
      checkWindow(window);
      const params = new URLSearchParams({
        format: 'json',
        'query.cond': condition,
        'filter.advanced': windowFilter(window),
        fields: STUDY_FIELDS.join(','),
        sort: 'LastUpdatePostDate:desc',
        pageSize: String(pageSize),
      });
      const items = new Map<string, LiteratureItem>();
      const tokens = new Set<string>();
      for (let page = 1; ; page++) {
        const url = new URL('studies', baseUrl);
        url.search = params.toString();
        const result = parseStudiesPage(await fetchText(url.href, http));
        for (const study of result.studies) items.set(study.nct, studyToItem(study, window));

        const next = result.nextPageToken;
        if (!next) return [...items.values()];
        if (tokens.has(next)) throw new SourceError('parse', 'ClinicalTrials.gov sent a page token it had sent before');
        if (page >= maxPages) {
          throw new SourceError(
            'query',
            `ClinicalTrials.gov has more than ${maxPages * pageSize} studies in the window`,
          );
        }
        tokens.add(next);
        params.set('pageToken', next);
      }
    },
  };
}

/**
 * Studies first posted or last updated inside the window (both ends inclusive). The first clause keeps a
 * study posted inside the window even when it was revised again after the window closed.
 */
export function windowFilter(window: DigestWindow): string {
  const range = `RANGE[${window.since},${window.until}]`;
  return `(AREA[StudyFirstPostDate]${range} OR AREA[LastUpdatePostDate]${range})`;
}
