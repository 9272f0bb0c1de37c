import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SourceError } from '../src/digest/http.ts';
import { RateLimiter } from '../src/digest/limiter.ts';
import {
  type ClinicalTrialsSourceOptions,
  createClinicalTrialsSource,
  STUDY_FIELDS,
  windowFilter,
} from '../src/digest/sources/clinicaltrials.ts';
import { parseStudiesPage, readStudy, studyToItem } from '../src/digest/sources/clinicaltrials-parse.ts';
import { CLINICAL_TRIALS_CONDITION } from '../src/digest/sources/queries.ts';
import { digestFixture, fakeClock, instantRetries } from './helpers/digest.ts';
import { type FakeServer, json, replies, startFake, text } from './helpers/fake-server.ts';

const WINDOW = { since: '2025-06-01', until: '2025-06-03' };

describe('ClinicalTrials.gov parser', () => {
  const page1 = parseStudiesPage(digestFixture('clinicaltrials/studies-page1.json'));
  const page2 = parseStudiesPage(digestFixture('clinicaltrials/studies-page2.json'));

  it('reads the page envelope: totalCount on the first page, nextPageToken until the last', () => {
    expect(page1).toMatchObject({ totalCount: 3, nextPageToken: 'NF0g5JKBlfQ_fixture' });
    expect(page2.nextPageToken).toBeUndefined();
    expect(page2.totalCount).toBeUndefined();
  });

  it('calls a study first posted inside the window new, and keys it by its last update', () => {
    const [first] = page1.studies;
    expect(first && studyToItem(first, WINDOW)).toMatchObject({
      source: 'clinicaltrials',
      id: 'NCT09900001',
      url: 'https://clinicaltrials.gov/study/NCT09900001',
      change: 'new',
      date: '2025-06-02',
      updateKey: 'NCT09900001@2025-06-02',
      nct: ['NCT09900001'],
      phases: ['PHASE2'],
      status: 'NOT_YET_RECRUITING',
    });
  });

  it('calls a study first posted before the window updated, dated by its update', () => {
    const study = page1.studies[1];
    expect(study && studyToItem(study, WINDOW)).toMatchObject({
      change: 'updated',
      date: '2025-06-01',
      updateKey: 'NCT09900011@2025-06-01',
      phases: ['PHASE1', 'PHASE2'],
    });
  });

  it('removes CommonMark escapes and keeps paragraphs as lines', () => {
    expect(page1.studies[0]?.summary).toBe(
      'This study asks whether adding tucatinib to trastuzumab deruxtecan (T-DXd) delays progression in patients ' +
        'whose disease progressed on T-DM1 (trastuzumab emtansine).\n' +
        'Patients must have HER2 IHC 3+ or ISH-amplified tumours and LVEF >= 50% [by echocardiogram].',
    );
  });

  it('adds the acronym to the title once', () => {
    expect(page1.studies[0]?.title).toBe(
      'Tucatinib Plus T-DXd After Progression on T-DM1 in HER2-Positive Metastatic Breast Cancer (FIX-HER2-01)',
    );
  });

  it('keeps a partial first-post date as it is and still places the study in the window', () => {
    const [study] = page2.studies;
    expect(study).toMatchObject({ nct: 'NCT09900012', firstPosted: '2025-06', lastUpdated: '2025-06-03' });
    expect(study?.summary).toBeUndefined();
    expect(study?.phases).toBeUndefined();
    // New (June 2025 overlaps the window), dated by the full update date rather than a made-up day.
    expect(study && studyToItem(study, WINDOW)).toMatchObject({ change: 'new', date: '2025-06-03' });
  });

  it('refuses to place a study whose response lacked the posting dates', () => {
    const study = readStudy({ protocolSection: { identificationModule: { nctId: 'NCT09900099', briefTitle: 'x' } } });
    expect(() => studyToItem(study, WINDOW)).toThrow(/fields list must include both/);
  });

  it('rejects malformed pages and studies with a parse error', () => {
    for (const body of ['not json', '{"studies":"nope"}', '{"studies":[{"protocolSection":{}}]}']) {
      expect(() => parseStudiesPage(body)).toThrow(SourceError);
    }
    expect(() => readStudy({ protocolSection: { identificationModule: { nctId: 'NCT123' } } })).toThrow(
      /identificationModule\.nctId/,
    );
  });
});

describe('ClinicalTrials.gov source, end to end through a stand-in API', () => {
  let server: FakeServer;
  beforeAll(async () => {
    server = await startFake();
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  function source(overrides: Partial<ClinicalTrialsSourceOptions> = {}) {
    const clock = fakeClock();
    return {
      clock,
      trials: createClinicalTrialsSource({
        baseUrl: `${server.url}/`,
        condition: CLINICAL_TRIALS_CONDITION,
        tool: 'her2-bot',
        timeoutMs: 1000,
        limiter: new RateLimiter({ requestsPerSecond: 1, clock }),
        ...instantRetries(),
        ...overrides,
      }),
    };
  }

  const pages = (request: { query: URLSearchParams }) =>
    request.query.get('pageToken') === 'NF0g5JKBlfQ_fixture'
      ? json(digestFixture('clinicaltrials/studies-page2.json'))
      : json(digestFixture('clinicaltrials/studies-page1.json'));

  it('pages with pageToken, repeating the first page’s parameters, and returns every study', async () => {
    server.route('/studies', pages);
    const { trials, clock } = source();
    const items = await trials.fetch(WINDOW);

    expect(items.map((i) => `${i.id}:${i.change}`)).toEqual([
      'NCT09900001:new',
      'NCT09900011:updated',
      'NCT09900012:new',
    ]);
    const [first, second] = server.requests.map((r) => r.query);
    expect(first?.get('query.cond')).toBe(CLINICAL_TRIALS_CONDITION);
    expect(first?.get('filter.advanced')).toBe(
      '(AREA[StudyFirstPostDate]RANGE[2025-06-01,2025-06-03] OR AREA[LastUpdatePostDate]RANGE[2025-06-01,2025-06-03])',
    );
    expect(first?.get('fields')).toBe(STUDY_FIELDS.join(','));
    expect(first?.has('pageToken')).toBe(false);
    expect(second?.get('pageToken')).toBe('NF0g5JKBlfQ_fixture');
    second?.delete('pageToken');
    expect(second?.toString()).toBe(first?.toString());
    expect(clock.sleeps).toEqual([1050]);
  });

  it('retries a 503 and then pages on', async () => {
    let calls = 0;
    server.route('/studies', (request) => (++calls === 1 ? text('Service Unavailable', 503) : pages(request)));
    const { trials } = source();
    await expect(trials.fetch(WINDOW)).resolves.toHaveLength(3);
    expect(server.requests).toHaveLength(3);
  });

  it('fails at once on a 400, with the API’s plain-text reason', async () => {
    server.route('/studies', () => text('`filter.phase` is unknown parameter', 400));
    const error = await source()
      .trials.fetch(WINDOW)
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ code: 'http', status: 400, retryable: false });
    expect((error as SourceError).message).toContain('`filter.phase` is unknown parameter');
  });

  it('stops a page token loop instead of following it forever', async () => {
    server.route('/studies', () => json('{"studies":[],"nextPageToken":"same"}'));
    await expect(source().trials.fetch(WINDOW)).rejects.toThrow(/page token it had sent before/);
    expect(server.requests).toHaveLength(2);
  });

  it('calls more pages than expected a broken query', async () => {
    let n = 0;
    server.route('/studies', () => json(`{"studies":[],"nextPageToken":"t${++n}"}`));
    await expect(source({ maxPages: 3 }).trials.fetch(WINDOW)).rejects.toMatchObject({ code: 'query' });
    expect(server.requests).toHaveLength(3);
  });

  it('times out a page that never comes', async () => {
    server.route('/studies', replies('hang'));
    await expect(source({ timeoutMs: 50, retry: { retries: 0 } }).trials.fetch(WINDOW)).rejects.toMatchObject({
      code: 'timeout',
    });
  });

  it('writes the window filter with both ends inclusive', () => {
    expect(windowFilter({ since: '2025-01-30', until: '2025-02-02' })).toBe(
      '(AREA[StudyFirstPostDate]RANGE[2025-01-30,2025-02-02] OR AREA[LastUpdatePostDate]RANGE[2025-01-30,2025-02-02])',
    );
  });
});
