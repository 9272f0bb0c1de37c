import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SourceError } from '../src/digest/http.ts';
import { eutilsRequestsPerSecond, RateLimiter } from '../src/digest/limiter.ts';
import { createPubMedSource, type PubMedSourceOptions, windowedTerm } from '../src/digest/sources/pubmed.ts';
import { digestFixture, fakeClock, instantRetries } from './helpers/digest.ts';
import { type FakeServer, json, replies, startFake, text, xml } from './helpers/fake-server.ts';

const WINDOW = { since: '2025-06-01', until: '2025-06-03' };
const TERM = '(HER2[tiab]) AND (breast[tiab]) AND (trastuzumab*[tiab])';

let server: FakeServer;
beforeAll(async () => {
  server = await startFake();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

function source(overrides: Partial<PubMedSourceOptions> = {}) {
  const clock = fakeClock();
  const limiter = new RateLimiter({ requestsPerSecond: eutilsRequestsPerSecond(overrides.apiKey), clock });
  const retry = instantRetries();
  const pubmed = createPubMedSource({
    baseUrl: `${server.url}/`,
    term: TERM,
    tool: 'her2-bot',
    email: 'dev@example.org',
    timeoutMs: 1000,
    batchSize: 3,
    limiter,
    ...retry,
    ...overrides,
  });
  return { pubmed, clock, retry };
}

/** EFetch answers by `retstart`, as the History server would. */
function efetchPages() {
  return (request: { form: URLSearchParams }) =>
    request.form.get('retstart') === '0'
      ? xml(digestFixture('pubmed/efetch-batch1.xml'))
      : xml(digestFixture('pubmed/efetch-batch2.xml'));
}

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

describe('PubMed source, end to end through a stand-in E-utilities', () => {
  it('searches the create-date window once and fetches the history set in POSTed batches', async () => {
    server.route('/esearch.fcgi', () => json(digestFixture('pubmed/esearch-history.json')));
    server.route('/efetch.fcgi', efetchPages());
    const { pubmed } = source({ apiKey: 'SECRETKEY' });

    const items = await pubmed.fetch(WINDOW);

    expect(items.map((i) => i.id)).toEqual(['99000001', '99000002', '99000003', '99000004']);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /esearch.fcgi',
      'POST /efetch.fcgi',
      'POST /efetch.fcgi',
    ]);
    const [search, first, second] = server.requests.map((r) => r.form);
    expect(search?.get('term')).toBe(`(${TERM}) AND ("2025/06/01"[crdt] : "2025/06/03"[crdt])`);
    expect(search?.get('usehistory')).toBe('y');
    expect(search?.get('retmode')).toBe('json');
    expect(first?.get('WebEnv')).toBe('MCID_fixture000000000000000001');
    expect(first?.get('query_key')).toBe('1');
    expect([first?.get('retstart'), first?.get('retmax'), second?.get('retstart')]).toEqual(['0', '3', '3']);
    for (const request of server.requests) {
      expect(request.form.get('tool')).toBe('her2-bot');
      expect(request.form.get('email')).toBe('dev@example.org');
      expect(request.form.get('api_key')).toBe('SECRETKEY');
      expect(request.query.toString()).toBe('');
      expect(request.headers['user-agent']).toBe('her2-bot (mailto:dev@example.org)');
    }
  });

  it('spaces its calls through the one E-utilities limiter (3 per second without a key)', async () => {
    const { pubmed, clock } = source();
    const arrivals: number[] = [];
    server.route('/esearch.fcgi', () => {
      arrivals.push(clock.now());
      return json(digestFixture('pubmed/esearch-history.json'));
    });
    server.route('/efetch.fcgi', (request) => {
      arrivals.push(clock.now());
      return efetchPages()(request);
    });
    await pubmed.fetch(WINDOW);
    expect(arrivals.slice(1).map((t, i) => t - (arrivals[i] ?? 0))).toEqual([350, 350]);
    expect(server.requests.every((r) => !r.form.has('api_key'))).toBe(true);
  });

  it('retries a 429 carrying NCBI’s JSON body, through the limiter, then succeeds', async () => {
    server.route(
      '/esearch.fcgi',
      replies(json(digestFixture('pubmed/rate-limit.json'), 429), json(digestFixture('pubmed/esearch-history.json'))),
    );
    server.route('/efetch.fcgi', efetchPages());
    const { pubmed, clock, retry } = source();
    const items = await pubmed.fetch(WINDOW);
    expect(items).toHaveLength(4);
    expect(server.requests.map((r) => r.path)).toEqual([
      '/esearch.fcgi',
      '/esearch.fcgi',
      '/efetch.fcgi',
      '/efetch.fcgi',
    ]);
    expect(retry.delays).toHaveLength(1);
    // The retry waited its backoff, and then its turn at the limiter like every other call.
    expect(clock.sleeps.length).toBeGreaterThanOrEqual(3);
  });

  it('fails with a retryable SourceError once the retries are used up, and never shows the key', async () => {
    server.route('/esearch.fcgi', () =>
      json('{"error":"API rate limit exceeded","api-key":"SECRETKEY","count":"11","limit":"10"}', 429),
    );
    const { pubmed } = source({ apiKey: 'SECRETKEY', retry: { retries: 2 } });
    const error = await failure(pubmed.fetch(WINDOW));
    expect(error).toMatchObject({ code: 'http', status: 429, retryable: true });
    expect(error.message).not.toContain('SECRETKEY');
    expect(server.requests).toHaveLength(3);
  });

  it('treats a phrase PubMed could not find as a broken query: no EFetch, no partial results', async () => {
    server.route('/esearch.fcgi', () => json(digestFixture('pubmed/esearch-phrase-not-found.json')));
    server.route('/efetch.fcgi', efetchPages());
    const error = await failure(source().pubmed.fetch(WINDOW));
    expect(error).toMatchObject({ code: 'query', retryable: false });
    expect(error.message).toContain('phrase not found: trastuzumabb');
    expect(server.requests.map((r) => r.path)).toEqual(['/esearch.fcgi']);
  });

  it('returns nothing for an empty day without calling EFetch', async () => {
    server.route('/esearch.fcgi', () => json(digestFixture('pubmed/esearch-empty.json')));
    await expect(source().pubmed.fetch(WINDOW)).resolves.toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a result set larger than ESearch can hand over', async () => {
    server.route('/esearch.fcgi', () =>
      json('{"esearchresult":{"count":"40362","idlist":[],"querykey":"1","webenv":"MCID_x"}}'),
    );
    const error = await failure(source().pubmed.fetch(WINDOW));
    expect(error.code).toBe('query');
    expect(error.message).toContain('40362');
  });

  it('reports an expired history session from EFetch as a query error', async () => {
    server.route('/esearch.fcgi', () => json(digestFixture('pubmed/esearch-history.json')));
    server.route('/efetch.fcgi', () => xml(digestFixture('pubmed/efetch-error.xml')));
    const error = await failure(source().pubmed.fetch(WINDOW));
    expect(error).toMatchObject({ code: 'query' });
    expect(error.message).toContain('Unable to obtain query #1');
  });

  it('times out when EFetch never answers', async () => {
    server.route('/esearch.fcgi', () => json(digestFixture('pubmed/esearch-history.json')));
    server.route('/efetch.fcgi', () => 'hang');
    const error = await failure(source({ timeoutMs: 50, retry: { retries: 0 } }).pubmed.fetch(WINDOW));
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('does not retry a 400 from E-utilities', async () => {
    server.route('/esearch.fcgi', () => text('Invalid db name specified', 400));
    const error = await failure(source().pubmed.fetch(WINDOW));
    expect(error).toMatchObject({ code: 'http', status: 400, retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it('rejects a malformed window before it calls anything', async () => {
    await expect(source().pubmed.fetch({ since: '2025-06-31', until: '2025-07-01' })).rejects.toThrow(
      /since must be a YYYY-MM-DD date/,
    );
    await expect(source().pubmed.fetch({ since: '2025-06-03', until: '2025-06-01' })).rejects.toThrow(/starts after/);
    expect(server.requests).toHaveLength(0);
  });

  it('writes the window as a [crdt] range', () => {
    expect(windowedTerm('x', { since: '2025-12-30', until: '2026-01-02' })).toBe(
      '(x) AND ("2025/12/30"[crdt] : "2026/01/02"[crdt])',
    );
  });
});
