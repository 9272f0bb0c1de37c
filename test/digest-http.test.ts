import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchText, parseRetryAfter, SourceError } from '../src/digest/http.ts';
import { createLogger } from '../src/logger.ts';
import { digestFixture, instantRetries } from './helpers/digest.ts';
import { type FakeServer, json, replies, startFake, text } from './helpers/fake-server.ts';

let server: FakeServer;
beforeAll(async () => {
  server = await startFake();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

async function failure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

describe('fetchText', () => {
  it('returns the body of a 2xx answer and sends the given headers', async () => {
    server.route('/ok', () => text('hello', 200));
    const body = await fetchText(`${server.url}/ok`, { timeoutMs: 1000, headers: { 'user-agent': 'her2-bot-test' } });
    expect(body).toBe('hello');
    expect(server.requests[0]?.headers['user-agent']).toBe('her2-bot-test');
  });

  it('POSTs a form-encoded body and leaves out undefined values', async () => {
    server.route('/form', () => text('ok', 200));
    await fetchText(`${server.url}/form`, {
      timeoutMs: 1000,
      method: 'POST',
      form: { term: 'HER2[tiab] AND "T-DM1"[tiab]', email: undefined },
    });
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.form.get('term')).toBe('HER2[tiab] AND "T-DM1"[tiab]');
    expect(request?.form.has('email')).toBe(false);
  });

  it('retries 500 and 503 with exponential backoff and full jitter, then succeeds', async () => {
    server.route('/flaky', replies(text('boom', 500), text('busy', 503), text('fine', 200)));
    const retry = instantRetries(0.5);
    const body = await fetchText(`${server.url}/flaky`, {
      timeoutMs: 1000,
      retry: { retries: 3, baseDelayMs: 100 },
      ...retry,
    });
    expect(body).toBe('fine');
    expect(server.requests).toHaveLength(3);
    // Full jitter: random() × min(cap, base × 2^attempt) = 0.5 × 100, then 0.5 × 200.
    expect(retry.delays).toEqual([50, 100]);
  });

  it('waits as long as Retry-After says on 429 (seconds), then succeeds', async () => {
    server.route(
      '/limited',
      replies(json(digestFixture('pubmed/rate-limit.json'), 429, { 'retry-after': '2' }), text('ok', 200)),
    );
    const retry = instantRetries();
    await expect(fetchText(`${server.url}/limited`, { timeoutMs: 1000, ...retry })).resolves.toBe('ok');
    expect(retry.delays).toEqual([2000]);
  });

  it('reads Retry-After as an HTTP date and caps what it asks for', async () => {
    const now = Date.parse('2025-06-03T12:00:00Z');
    const later = new Date(now + 5000).toUTCString();
    server.route('/dated', replies({ status: 429, headers: { 'retry-after': later } }, text('ok', 200)));
    const retry = instantRetries();
    await fetchText(`${server.url}/dated`, { timeoutMs: 1000, now: () => now, ...retry });
    expect(retry.delays).toEqual([5000]);

    server.route('/greedy', replies({ status: 503, headers: { 'retry-after': '86400' } }, text('ok', 200)));
    await fetchText(`${server.url}/greedy`, { timeoutMs: 1000, retry: { maxDelayMs: 10_000 }, ...retry });
    expect(retry.delays).toEqual([5000, 10_000]);
  });

  it('parses both forms of Retry-After and ignores nonsense', () => {
    const now = Date.parse('2025-06-03T12:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Tue, 03 Jun 2025 12:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Tue, 03 Jun 2025 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('gives up after the retries with a retryable http SourceError that hides the caller IP and key', async () => {
    server.route('/always-429', () => json(digestFixture('pubmed/rate-limit.json'), 429));
    const retry = instantRetries();
    const error = await failure(
      fetchText(`${server.url}/always-429?api_key=SECRETKEY`, {
        timeoutMs: 1000,
        retry: { retries: 2 },
        secrets: ['SECRETKEY'],
        ...retry,
      }),
    );
    expect(error.code).toBe('http');
    expect(error.status).toBe(429);
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('after 3 attempts');
    expect(error.message).toContain('API rate limit exceeded');
    expect(error.message).not.toMatch(/203\.0\.113\.7|SECRETKEY|127\.0\.0\.1/);
    expect(server.requests).toHaveLength(3);
  });

  it('does not retry a 400 and keeps the plain-text reason', async () => {
    server.route('/studies', () => text('`filter.phase` is unknown parameter', 400));
    const error = await failure(
      fetchText(`${server.url}/studies?filter.phase=PHASE3`, { timeoutMs: 1000, ...instantRetries() }),
    );
    expect(error).toMatchObject({ code: 'http', status: 400, retryable: false });
    expect(error.message).toContain('`filter.phase` is unknown parameter');
    expect(server.requests).toHaveLength(1);
  });

  it('times out a server that never answers, retrying before it gives up', async () => {
    server.route('/silent', () => 'hang');
    const retry = instantRetries();
    const started = Date.now();
    const error = await failure(fetchText(`${server.url}/silent`, { timeoutMs: 60, retry: { retries: 1 }, ...retry }));
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
    expect(error.message).toContain('no complete answer within 60 ms');
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('reports a refused connection as a network error after retrying', async () => {
    const port = await closedPort();
    const retry = instantRetries();
    const error = await failure(
      fetchText(`http://127.0.0.1:${port}/x`, { timeoutMs: 500, retry: { retries: 2 }, ...retry }),
    );
    expect(error).toMatchObject({ code: 'network', retryable: true });
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(retry.delays).toHaveLength(2);
  });

  it('logs retries with host and path only, never the query string', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', destination: { write: (l: string) => lines.push(l) } });
    server.route('/logged', replies(text('boom', 502), text('ok', 200)));
    await fetchText(`${server.url}/logged?api_key=SECRETKEY&email=dev@example.org`, {
      timeoutMs: 1000,
      logger,
      ...instantRetries(),
    });
    const log = lines.join('');
    expect(log).toContain('/logged');
    expect(log).toContain('"status":502');
    expect(log).not.toMatch(/SECRETKEY|dev@example\.org/);
  });
});

/** A port nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}
