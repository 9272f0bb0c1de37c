import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SourceError } from '../src/digest/http.ts';
import { RateLimiter } from '../src/digest/limiter.ts';
import { createEuropePmcSource, type EuropePmcSourceOptions, windowedQuery } from '../src/digest/sources/europepmc.ts';
import { parseEuropePmcPage } from '../src/digest/sources/europepmc-parse.ts';
import { digestFixture, fakeClock, instantRetries } from './helpers/digest.ts';
import { type FakeServer, json, replies, startFake, text } from './helpers/fake-server.ts';

const WINDOW = { since: '2025-06-01', until: '2025-06-03' };
const CURSOR = 'AoIIP4ZawSg5OTAwMDAwMQ==';

describe('Europe PMC parser', () => {
  const page1 = parseEuropePmcPage(digestFixture('europepmc/search-page1.json'));
  const page2 = parseEuropePmcPage(digestFixture('europepmc/search-page2.json'));

  it('identifies records by source and id, with Europe PMC links', () => {
    expect(page1.items.map((i) => [i.id, i.url])).toEqual([
      ['MED:99000001', 'https://europepmc.org/article/MED/99000001'],
      ['PPR:PPR990001', 'https://europepmc.org/article/PPR/PPR990001'],
    ]);
    expect(page1.nextCursorMark).toBe(CURSOR);
    expect(page2.nextCursorMark).toBeUndefined();
  });

  it('strips literal and entity-escaped tags from titles', () => {
    expect(page1.items.map((i) => i.title)).toEqual([
      'PIK3CA mutations and ERBB2-amplified tumours: HER2+ breast cancer treated with T-DM1.',
      'Single-cell atlas of HER2 heterogeneity under trastuzumab pressure',
    ]);
  });

  it('turns <h4> headings of a flattened structured abstract into labelled lines', () => {
    expect(page1.items[0]?.abstract).toBe(
      'Background: Resistance to trastuzumab emtansine (T-DM1) limits benefit in HER2+ disease.\n' +
        'Methods: We sequenced PIK3CA in 212 tumours (NCT09900001).\n' +
        'Results: Mutant tumours progressed sooner (HR 1.9; P < 0.001).',
    );
    expect(page1.items[0]?.nct).toEqual(['NCT09900001']);
  });

  it('dates an item by first index date, not by its (later) publication date', () => {
    expect(page1.items[0]).toMatchObject({ date: '2025-06-02', published: '2025-09-01', pmid: '99000001' });
  });

  it('reads a preprint with only an author string and no PMID', () => {
    const preprint = page1.items[1];
    expect(preprint).toMatchObject({
      authors: ['Nyström E', 'Aittomäki K', 'Ôtsuka H'],
      publicationTypes: ['preprint'],
      doi: '10.1101/2025.05.30.990001',
    });
    expect(preprint?.pmid).toBeUndefined();
  });

  it('marks a retraction notice with the PMID it retracts, ignoring other comment links', () => {
    expect(page2.items[0]).toMatchObject({
      id: 'PMC:PMC9900003',
      retractionOf: ['98000030'],
      publicationTypes: ['retraction of publication', 'research-article'],
      journal: 'Fixture Rep Oncol',
    });
    expect(page2.items[0]?.pmid).toBeUndefined();
  });

  it('rejects results that carry no index date, and bodies that are not search results', () => {
    expect(() => parseEuropePmcPage('{"resultList":{"result":[{"id":"1","source":"MED"}]}}')).toThrow(
      /no firstIndexDate/,
    );
    expect(() => parseEuropePmcPage('<responseWrapper/>')).toThrow(SourceError);
    expect(() => parseEuropePmcPage('{"resultList":{"result":[{"id":"1","source":"medline"}]}}')).toThrow(
      /three-letter source code/,
    );
  });
});

describe('Europe PMC source, end to end through a stand-in REST service', () => {
  let server: FakeServer;
  beforeAll(async () => {
    server = await startFake();
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  function source(overrides: Partial<EuropePmcSourceOptions> = {}) {
    const clock = fakeClock();
    return {
      clock,
      epmc: createEuropePmcSource({
        baseUrl: `${server.url}/`,
        query: 'TITLE_ABS:(HER2) AND TITLE_ABS:(trastuzumab*)',
        tool: 'her2-bot',
        email: 'dev@example.org',
        timeoutMs: 1000,
        limiter: new RateLimiter({ requestsPerSecond: 2, clock }),
        ...instantRetries(),
        ...overrides,
      }),
    };
  }

  const pages = (request: { query: URLSearchParams }) =>
    request.query.get('cursorMark') === CURSOR
      ? json(digestFixture('europepmc/search-page2.json'))
      : json(digestFixture('europepmc/search-page1.json'));

  it('follows cursorMark from * to the page without one, with the FIRST_IDATE window', async () => {
    server.route('/search', pages);
    const { epmc, clock } = source();
    const items = await epmc.fetch(WINDOW);

    expect(items.map((i) => i.id)).toEqual(['MED:99000001', 'PPR:PPR990001', 'PMC:PMC9900003']);
    expect(server.requests.map((r) => r.query.get('cursorMark'))).toEqual(['*', CURSOR]);
    const [first] = server.requests;
    expect(first?.query.get('query')).toBe(
      '(TITLE_ABS:(HER2) AND TITLE_ABS:(trastuzumab*)) AND FIRST_IDATE:[2025-06-01 TO 2025-06-03]',
    );
    expect(first?.query.get('format')).toBe('json');
    expect(first?.query.get('resultType')).toBe('core');
    expect(first?.query.get('email')).toBe('dev@example.org');
    expect(clock.sleeps).toEqual([525]);
  });

  it('stops when the service sends back the cursor it was given', async () => {
    const lastPageRepeatingCursor = JSON.stringify({
      ...JSON.parse(digestFixture('europepmc/search-page2.json')),
      nextCursorMark: CURSOR,
    });
    server.route('/search', (request) =>
      request.query.get('cursorMark') === CURSOR ? json(lastPageRepeatingCursor) : pages(request),
    );
    await expect(source().epmc.fetch(WINDOW)).resolves.toHaveLength(3);
    expect(server.requests).toHaveLength(2);
  });

  it('stops on an empty page even if it carries a new cursor', async () => {
    server.route('/search', () => json('{"hitCount":0,"nextCursorMark":"AoE_next","resultList":{"result":[]}}'));
    await expect(source().epmc.fetch(WINDOW)).resolves.toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a 502 and a timeout, then succeeds', async () => {
    server.route(
      '/search',
      replies(text('Bad Gateway', 502), 'hang', json(digestFixture('europepmc/search-page2.json'))),
    );
    const items = await source({ timeoutMs: 50 }).epmc.fetch(WINDOW);
    expect(items.map((i) => i.id)).toEqual(['PMC:PMC9900003']);
    expect(server.requests).toHaveLength(3);
  });

  it('gives up with a SourceError when every attempt fails', async () => {
    server.route('/search', () => text('Internal Server Error', 500));
    await expect(source({ retry: { retries: 1 } }).epmc.fetch(WINDOW)).rejects.toMatchObject({
      code: 'http',
      status: 500,
      retryable: true,
    });
    expect(server.requests).toHaveLength(2);
  });

  it('writes the window on FIRST_IDATE', () => {
    expect(windowedQuery('q', WINDOW)).toBe('(q) AND FIRST_IDATE:[2025-06-01 TO 2025-06-03]');
  });
});
