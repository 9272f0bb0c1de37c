/**
 * Finding 5 of issue 14: a literature source never advances past data it did not get. EFetch handing
 * over fewer records than ESearch counted fails the source (so the digest says so and keeps its
 * window), and a response body beyond HTTP_MAX_BODY_BYTES fails with an error that names the setting.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { Core } from '../src/core.ts';
import { SourceError } from '../src/digest/http.ts';
import { RateLimiter } from '../src/digest/limiter.ts';
import { DigestPosters } from '../src/digest/posting.ts';
import { DigestScheduler } from '../src/digest/scheduler.ts';
import { DigestService } from '../src/digest/service.ts';
import { createPubMedSource } from '../src/digest/sources/pubmed.ts';
import { silentLogger } from '../src/logger.ts';
import { openStore } from '../src/store/store.ts';
import { digestFixture, fakeClock, instantRetries } from './helpers/digest.ts';
import { RecordingPoster } from './helpers/digest-literature.ts';
import { type FakeServer, json, startFake, text, xml } from './helpers/fake-server.ts';

const WINDOW = { since: '2026-11-23', until: '2026-11-30' };
let server: FakeServer;
beforeAll(async () => {
  server = await startFake();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

function pubmed(maxBodyBytes?: number) {
  return createPubMedSource({
    baseUrl: `${server.url}/`,
    term: 'HER2[tiab]',
    tool: 'her2-bot',
    timeoutMs: 2000,
    limiter: new RateLimiter({ requestsPerSecond: 100, clock: fakeClock() }),
    ...instantRetries(),
    ...(maxBodyBytes ? { maxBodyBytes } : {}),
  });
}

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SourceError);
  return err as SourceError;
}

describe('ESearch count against EFetch articles', () => {
  it('fails the source when EFetch returns an empty set for 4 counted records', async () => {
    server.route('/esearch.fcgi', () => json(digestFixture('pubmed/esearch-history.json')));
    server.route('/efetch.fcgi', () => xml('<?xml version="1.0"?><PubmedArticleSet></PubmedArticleSet>'));
    const error = await failure(pubmed().fetch(WINDOW));
    expect(error.code).toBe('shortfall');
    expect(error.message).toMatch(/EFetch returned 0 of the 4 records ESearch counted/);
  });

  it('fails the source when EFetch returns 3 of 4', async () => {
    server.route('/esearch.fcgi', () => json(digestFixture('pubmed/esearch-history.json')));
    server.route('/efetch.fcgi', () => xml(digestFixture('pubmed/efetch-batch1.xml')));
    expect((await failure(pubmed().fetch(WINDOW))).message).toMatch(/returned 3 of the 4/);
  });

  it('keeps the window: the digest says PubMed is missing and the next one starts where this one did', async () => {
    server.route('/esearch.fcgi', () => json(digestFixture('pubmed/esearch-history.json')));
    server.route('/efetch.fcgi', () => xml('<?xml version="1.0"?><PubmedArticleSet></PubmedArticleSet>'));
    const core = await Core.open({ logger: silentLogger });
    const store = await openStore(':memory:');
    const poster = new RecordingPoster();
    const scheduler = new DigestScheduler({
      store,
      service: new DigestService(core, loadConfig({}).digest, { sources: [pubmed()] }),
      posters: new DigestPosters().register(poster),
      now: () => new Date('2026-11-30T08:00:05.000Z'),
      retryDelaysMs: [],
    });
    try {
      await store.subscriptions.subscribe({ channelKey: 'slack:T1:C1', time: '08:00', timeZone: 'UTC', userId: 'U1' });
      await scheduler.deliver('slack:T1:C1', new Date('2026-11-30T08:00:00.000Z'));
      expect(poster.posts[0]!.digest.incomplete).toBe(true);
      const run = (await store.runs.lastSuccessfulRun('slack:T1:C1'))!;
      // The window did not advance: the covered range ends where it started.
      expect(run.window).toEqual({ since: '2026-11-23T00:00:00.000Z', until: '2026-11-23T00:00:00.000Z' });
      expect(JSON.stringify(run.sources)).toContain('EFetch returned 0 of the 4');
    } finally {
      scheduler.stop();
      await store.close();
    }
  });
});

describe('response size cap (HTTP_MAX_BODY_BYTES)', () => {
  it('fails a body larger than the cap with an error naming the setting, and does not retry it', async () => {
    server.route('/esearch.fcgi', () => text('x'.repeat(300_000), 200));
    const error = await failure(pubmed(100_000).fetch(WINDOW));
    expect(error.code).toBe('too_large');
    expect(error.message).toMatch(/larger than 100000 bytes \(HTTP_MAX_BODY_BYTES\)/);
    expect(server.requests).toHaveLength(1);
  });

  it('is configurable and on by default', async () => {
    expect(loadConfig({}).digest.maxBodyBytes).toBe(32 * 1024 * 1024);
    expect(loadConfig({ HTTP_MAX_BODY_BYTES: '1048576' }).digest.maxBodyBytes).toBe(1048576);
    expect(() => loadConfig({ HTTP_MAX_BODY_BYTES: 'lots' })).toThrow(/HTTP_MAX_BODY_BYTES/);
  });
});
