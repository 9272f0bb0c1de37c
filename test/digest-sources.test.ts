import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createLiteratureSources } from '../src/digest/sources/create.ts';
import { buildDigestQueries, CLINICAL_TRIALS_CONDITION } from '../src/digest/sources/queries.ts';
import { loadKnowledge } from '../src/knowledge/load.ts';
import { digestFixture } from './helpers/digest.ts';
import { type FakeServer, json, startFake } from './helpers/fake-server.ts';

const WINDOW = { since: '2025-06-01', until: '2025-06-03' };
const queries = buildDigestQueries(loadKnowledge());

describe('literature sources from the config', () => {
  let server: FakeServer;
  beforeAll(async () => {
    server = await startFake();
    server.route('/eutils/esearch.fcgi', () => json(digestFixture('pubmed/esearch-empty.json')));
    server.route('/ctgov/studies', () => json(digestFixture('clinicaltrials/studies-page2.json')));
    server.route('/epmc/search', () => json(digestFixture('europepmc/search-page2.json')));
  });
  afterAll(() => server.close());

  it('builds the sources DIGEST_SOURCES names, in that order, against the configured services', async () => {
    const config = loadConfig({
      DIGEST_SOURCES: 'europepmc,pubmed,clinicaltrials',
      PUBMED_BASE_URL: `${server.url}/eutils`,
      CTGOV_BASE_URL: `${server.url}/ctgov/`,
      EUROPEPMC_BASE_URL: `${server.url}/epmc/`,
      NCBI_API_KEY: 'KEY123',
      NCBI_EMAIL: 'ops@example.org',
      HTTP_TIMEOUT_MS: '2000',
    });
    const sources = createLiteratureSources(config.digest, queries);
    expect(sources.map((s) => s.name)).toEqual(['europepmc', 'pubmed', 'clinicaltrials']);

    const results = await Promise.all(sources.map((s) => s.fetch(WINDOW)));
    expect(results.map((items) => items.map((i) => i.id))).toEqual([['PMC:PMC9900003'], [], ['NCT09900012']]);

    const byPath = (path: string) => server.requests.find((r) => r.path === path);
    const search = byPath('/eutils/esearch.fcgi')?.form;
    expect(search?.get('term')?.startsWith(`(${queries.pubmed}) AND ("2025/06/01"[crdt]`)).toBe(true);
    expect(search?.get('api_key')).toBe('KEY123');
    expect(search?.get('tool')).toBe('her2-bot');
    expect(search?.get('email')).toBe('ops@example.org');
    expect(byPath('/ctgov/studies')?.query.get('query.cond')).toBe(CLINICAL_TRIALS_CONDITION);
    expect(byPath('/epmc/search')?.query.get('query')?.startsWith(`(${queries.europePmc}) AND FIRST_IDATE:`)).toBe(
      true,
    );
  });

  it('defaults to PubMed and ClinicalTrials.gov', () => {
    expect(createLiteratureSources(loadConfig({}).digest, queries).map((s) => s.name)).toEqual([
      'pubmed',
      'clinicaltrials',
    ]);
  });
});
