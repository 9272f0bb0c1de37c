/**
 * `her2bot digest --dry-run`: the real sources against loopback stand-ins of E-utilities,
 * ClinicalTrials.gov and Europe PMC, configured through the environment as in production.
 */
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { main } from '../src/cli/main.ts';
import { captureIo } from './helpers/capture-io.ts';
import { digestFixture, efetchAllOfHistory } from './helpers/digest.ts';
import { type FakeServer, json, startFake, text, xml } from './helpers/fake-server.ts';

/** The documented `--format json` shape, exactly: no field more, none less. */
const DigestJson = z.strictObject({
  window: z.strictObject({ since: z.iso.date(), until: z.iso.date() }),
  sources: z.array(
    z.strictObject({
      name: z.enum(['pubmed', 'clinicaltrials', 'europepmc']),
      status: z.enum(['ok', 'failed']),
      count: z.number().int().min(0),
      error: z.string().min(1).optional(),
    }),
  ),
  items: z.array(
    z.strictObject({
      source: z.enum(['pubmed', 'clinicaltrials', 'europepmc']),
      id: z.string().min(1),
      title: z.string(),
      url: z.url(),
      date: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/),
      mechanisms: z.array(z.string().startsWith('mech-')),
      agents: z.array(z.string().startsWith('agent-')),
      tier: z.string().min(1),
      score: z.number(),
      kbEvidence: z.string().startsWith('ev-').optional(),
    }),
  ),
});

const ENV = [
  'PUBMED_BASE_URL',
  'CTGOV_BASE_URL',
  'EUROPEPMC_BASE_URL',
  'DIGEST_SOURCES',
  'NCBI_API_KEY',
  'HTTP_TIMEOUT_MS',
] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
const ARGS = ['digest', '--dry-run', '--since', '2025-06-01', '--until', '2025-06-03'];

let server: FakeServer;
let closedPort: number;

beforeAll(async () => {
  server = await startFake();
  // A port nobody listens on: connections are refused at once.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});
afterAll(() => server.close());

beforeEach(() => {
  server.reset();
  server.route('/eutils/esearch.fcgi', () => json(digestFixture('pubmed/esearch-history.json')));
  server.route('/eutils/efetch.fcgi', () => xml(efetchAllOfHistory()));
  server.route('/ctgov/studies', () => json(digestFixture('clinicaltrials/studies-page2.json')));
  server.route('/epmc/search', () =>
    json(digestFixture('europepmc/search-page1.json').replace(/"nextCursorMark"[^,]*,/, '')),
  );
  Object.assign(process.env, {
    PUBMED_BASE_URL: `${server.url}/eutils/`,
    CTGOV_BASE_URL: `${server.url}/ctgov/`,
    EUROPEPMC_BASE_URL: `${server.url}/epmc/`,
    DIGEST_SOURCES: 'pubmed,clinicaltrials,europepmc',
    HTTP_TIMEOUT_MS: '2000',
  });
  delete process.env.NCBI_API_KEY;
  // Full-jitter backoff waits random() × the ceiling: zero here, so retries of a refused connection are instant.
  vi.spyOn(Math, 'random').mockReturnValue(0);
});

afterEach(() => {
  vi.restoreAllMocks();
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

async function run(...args: string[]) {
  const io = captureIo();
  const status = await main([...ARGS, ...args], io);
  return { status, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

describe('her2bot digest --dry-run --format json', () => {
  it('prints the documented shape, with every source ok, and exits 0', async () => {
    const { status, out } = await run('--format', 'json');
    expect(status).toBe(0);
    const digest = DigestJson.parse(JSON.parse(out));
    expect(digest.window).toEqual({ since: '2025-06-01', until: '2025-06-03' });
    expect(digest.sources).toEqual([
      { name: 'pubmed', status: 'ok', count: 4 },
      { name: 'clinicaltrials', status: 'ok', count: 1 },
      { name: 'europepmc', status: 'ok', count: 2 },
    ]);
    // PubMed's 99000001 and Europe PMC's MED:99000001 are one item; 99000002 and the organoid preprint
    // never say breast.
    expect(digest.items.map((i) => `${i.source}:${i.id}`).sort()).toEqual([
      'clinicaltrials:NCT09900012',
      'pubmed:99000001',
      'pubmed:99000003',
      'pubmed:99000004',
    ]);
    expect(digest.items.find((i) => i.id === '99000001')).toMatchObject({
      url: 'https://pubmed.ncbi.nlm.nih.gov/99000001/',
      date: '2025-06-02',
      mechanisms: ['mech-pi3k-pathway-activation'],
      agents: expect.arrayContaining(['agent-t-dm1']),
      tier: 'clinical study',
    });
    expect(digest.items.find((i) => i.id === '99000003')?.tier).toBe('correction or retraction');
    const scores = digest.items.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // Nothing was posted anywhere: the only requests went to the literature services.
    expect(new Set(server.requests.map((r) => r.path))).toEqual(
      new Set(['/eutils/esearch.fcgi', '/eutils/efetch.fcgi', '/ctgov/studies', '/epmc/search']),
    );
  });

  it('names the missing sources and exits 3 when PubMed is refused and Europe PMC keeps failing', async () => {
    process.env.PUBMED_BASE_URL = `http://127.0.0.1:${closedPort}/eutils/`;
    server.route('/epmc/search', () => text('Service Unavailable', 503));
    const { status, out, err } = await run('--format', 'json');
    expect(status).toBe(3);
    const digest = DigestJson.parse(JSON.parse(out));
    expect(digest.sources.map((s) => [s.name, s.status])).toEqual([
      ['pubmed', 'failed'],
      ['clinicaltrials', 'ok'],
      ['europepmc', 'failed'],
    ]);
    expect(digest.sources[0]!.error).toMatch(/ECONNREFUSED.*after 4 attempts/);
    expect(digest.sources[2]!.error).toMatch(/HTTP 503.*after 4 attempts/);
    expect(digest.items.map((i) => i.id)).toEqual(['NCT09900012']);
    expect(err).toContain('digest source pubmed failed');
    expect(err).toContain('digest source europepmc failed');
  });

  it('says in the text digest that no source could be reached, and exits 3', async () => {
    for (const path of ['/eutils/esearch.fcgi', '/ctgov/studies', '/epmc/search'])
      server.route(path, () => text('Bad Request', 400));
    const { status, out } = await run();
    expect(status).toBe(3);
    expect(out).toContain('Digest dry run (nothing is posted)');
    expect(out).toContain('PubMed (unreachable) · ClinicalTrials.gov (unreachable) · Europe PMC (unreachable)');
    expect(out).toContain('No literature source could be reached, so nothing could be checked for this window.');
    expect(out).toContain('Incomplete: PubMed, ClinicalTrials.gov and Europe PMC could not be reached');
  });

  it('rejects a reversed window with usage and exit 2, before fetching anything', async () => {
    const io = captureIo();
    expect(await main(['digest', '--dry-run', '--since', '2025-06-03', '--until', '2025-06-01'], io)).toBe(2);
    expect(io.stderr.join('\n')).toContain('--since must not be after --until');
    expect(server.requests).toEqual([]);
  });
});

describe('configuration errors on the command line', () => {
  it('prints a wrong setting plainly, without a stack, and exits 1', async () => {
    const { main } = await import('../src/cli/main.ts');
    const { captureIo } = await import('./helpers/capture-io.ts');
    const io = captureIo();
    const saved = process.env.DIGEST_SOURCES;
    process.env.DIGEST_SOURCES = 'pubmed,nonsense';
    try {
      expect(await main(['digest', '--dry-run'], io)).toBe(1);
    } finally {
      if (saved === undefined) delete process.env.DIGEST_SOURCES;
      else process.env.DIGEST_SOURCES = saved;
    }
    const err = io.stderr.join('\n');
    expect(err).toMatch(/^her2bot digest: [\s\S]*DIGEST_SOURCES/);
    expect(err).not.toMatch(/\n\s+at /);
  });
});
