/**
 * Every recorded real response under shared/fixtures goes through the parser the digest would use for
 * it, and must come out sensible: ids, non-empty titles, no markup, well-formed dates. Responses the
 * digest never asks for (ESummary, idlist searches) must be refused, not half-read.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fetchText, SourceError } from '../src/digest/http.ts';
import {
  parseStudiesPage,
  readStudy,
  type StudyRecord,
  studyToItem,
} from '../src/digest/sources/clinicaltrials-parse.ts';
import { isIsoDate } from '../src/digest/sources/dates.ts';
import { parseESearch } from '../src/digest/sources/esearch-parse.ts';
import { parseEuropePmcPage } from '../src/digest/sources/europepmc-parse.ts';
import { parsePubMedArticles } from '../src/digest/sources/pubmed-parse.ts';
import { buildDigestQueries } from '../src/digest/sources/queries.ts';
import type { LiteratureItem } from '../src/digest/sources/types.ts';
import { loadKnowledge } from '../src/knowledge/load.ts';
import { instantRetries } from './helpers/digest.ts';
import { type FakeServer, json, startFake } from './helpers/fake-server.ts';
import { describeShared, hasShared, sharedPath } from './helpers/shared.ts';

const SOURCES = ['pubmed', 'clinicaltrials', 'europepmc'] as const;
const files = hasShared
  ? SOURCES.flatMap((dir) =>
      readdirSync(sharedPath('fixtures', dir))
        .filter((name) => name !== 'PROVENANCE.md')
        .map((name) => `${dir}/${name}`),
    )
  : [];

const read = (file: string) => readFileSync(sharedPath('fixtures', file), 'utf8');

const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const MARKUP =
  /<\/?(?:i|b|u|sup|sub|em|strong|h\d|p|br|span|mml:[a-z]+)\b[^>]*>|&(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/i;
const MARKDOWN_ESCAPE = /\\[<>[\]&()*_`#+\-.!\\]/;

function expectCleanItem(item: LiteratureItem): void {
  expect(item.title.trim()).not.toBe('');
  for (const text of [item.title, item.abstract ?? '', item.journal ?? '', ...item.authors]) {
    expect(text).not.toMatch(MARKUP);
    expect(text).toBe(text.trim());
  }
  expect(item.date).toMatch(FULL_DATE);
  if (item.published) expect(isIsoDate(item.published)).toBe(true);
  if (item.doi) expect(item.doi).toMatch(/^10\.\d{4,9}\/\S+$/);
  if (item.pmid) expect(item.pmid).toMatch(/^\d+$/);
  for (const nct of item.nct ?? []) expect(nct).toMatch(/^NCT\d{8}$/);
  expect(item.authors.every((a) => a.length > 0)).toBe(true);
}

function expectCleanStudy(study: StudyRecord): void {
  expect(study.nct).toMatch(/^NCT\d{8}$/);
  expect(study.title.trim()).not.toBe('');
  for (const text of [study.title, study.summary ?? '']) expect(text).not.toMatch(MARKDOWN_ESCAPE);
  for (const date of [study.firstPosted, study.lastUpdated]) if (date) expect(isIsoDate(date)).toBe(true);
}

function expectRefused(parse: () => unknown, code: SourceError['code']): void {
  try {
    parse();
    expect.unreachable('the parser accepted a response it should refuse');
  } catch (err) {
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).code).toBe(code);
  }
}

type Check = (file: string) => void | Promise<void>;

let server: FakeServer | undefined;
/** Built once, before the checks: loading the knowledge base is the slowest step here. */
let europePmcQuery = '';

/** Which parser reads which recording, and what "sensible" means for it. */
const CHECKS: [RegExp, Check][] = [
  [
    /^pubmed\/efetch_/,
    (file) => {
      const xml = read(file);
      const items = parsePubMedArticles(xml);
      const ownPmids = [...xml.matchAll(/<MedlineCitation\b[^>]*>\s*<PMID\b[^>]*>(\d+)<\/PMID>/g)].map((m) => m[1]);
      expect(items.map((i) => i.id)).toEqual(ownPmids);
      for (const item of items) {
        expectCleanItem(item);
        expect(item.url).toBe(`https://pubmed.ncbi.nlm.nih.gov/${item.id}/`);
        expect(item.publicationTypes.length).toBeGreaterThan(0);
      }
    },
  ],
  [
    /^pubmed\/esearch_/,
    (file) => {
      const result = parseESearch(read(file));
      expect(result.count).toBeGreaterThanOrEqual(result.ids.length);
      expect(result.ids.every((id) => /^\d+$/.test(id))).toBe(true);
      if (/phrase-not-found/.test(file)) expect(result.problems).toContain('phrase not found: p.E1317Q');
      else if (/no-results/.test(file)) expect(result.problems).toEqual(['phrase not found: abcXYZ']);
      else expect(result.problems).toEqual([]);
      if (/usehistory/.test(file))
        expect(result).toMatchObject({ queryKey: '1', webEnv: expect.stringMatching(/^MCID_/) });
    },
  ],
  // ESummary has no abstracts, so the digest never asks for it; the EFetch parser must refuse it.
  [/^pubmed\/esummary_biopython/, (file) => expectRefused(() => parsePubMedArticles(read(file)), 'parse')],
  [
    /^pubmed\/esummary_biomcp_rate-limit-error/,
    async (file) => {
      if (!server) throw new Error('stand-in not started');
      server.route('/efetch.fcgi', () => json(read(file), 429));
      const error = await fetchText(`${server.url}/efetch.fcgi`, {
        timeoutMs: 1000,
        retry: { retries: 1 },
        ...instantRetries(),
      }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(SourceError);
      expect(error).toMatchObject({ code: 'http', status: 429, retryable: true });
      expect((error as SourceError).message).toContain('API rate limit exceeded');
      expect((error as SourceError).message).not.toContain('capture-host IP');
    },
  ],
  [
    /^clinicaltrials\/studies_/,
    (file) => {
      const page = parseStudiesPage(read(file));
      expect(page.studies.length).toBeGreaterThan(0);
      page.studies.forEach(expectCleanStudy);
      if (/page2/.test(file)) expect(page.totalCount).toBeUndefined();
      if (/last-page/.test(file)) expect(page.nextPageToken).toBeUndefined();
      if (/page1/.test(file))
        expect(page).toMatchObject({ totalCount: expect.any(Number), nextPageToken: expect.any(String) });
    },
  ],
  [
    /^clinicaltrials\/study_/,
    (file) => {
      const study = readStudy(JSON.parse(read(file)));
      expectCleanStudy(study);
      expect(file).toContain(study.nct);
      if (study.firstPosted && study.lastUpdated) {
        const item = studyToItem(study, { since: study.lastUpdated, until: study.lastUpdated });
        expectCleanItem(item);
        expect(item.updateKey).toBe(`${study.nct}@${study.lastUpdated}`);
        expect(item.change).toBe(study.firstPosted === study.lastUpdated ? 'new' : 'updated');
      }
    },
  ],
  // An idlist search carries no titles or dates: the digest asks for `core`, and refuses anything less.
  [
    /^europepmc\/search_pyeuropepmc_cancer_idlist/,
    (file) => expectRefused(() => parseEuropePmcPage(read(file)), 'parse'),
  ],
  [
    /^europepmc\/search_/,
    (file) => {
      const raw = JSON.parse(read(file)) as { resultList: { result: unknown[] }; nextCursorMark?: string };
      const page = parseEuropePmcPage(read(file));
      expect(page.items).toHaveLength(raw.resultList.result.length);
      expect(page.nextCursorMark).toBe(raw.nextCursorMark);
      for (const item of page.items) {
        expectCleanItem(item);
        expect(item.id).toMatch(/^[A-Z]{3}:\S+$/);
        expect(item.url).toBe(`https://europepmc.org/article/${item.id.replace(':', '/')}`);
      }
      if (/atm_breast_markup/.test(file)) {
        const titles = page.items.map((i) => i.title).join('\n');
        expect(titles).toContain('BRCA-Negative Finnish Patients');
        expect(titles).toContain('Rare, protein-truncating variants in ATM, CHEK2');
        expect(page.items.flatMap((i) => i.authors)).toContain('Nynäs E');
      }
    },
  ],
  // The field list: every field the digest's Europe PMC query uses must exist.
  [
    /^europepmc\/fields_/,
    (file) => {
      const data = JSON.parse(read(file)) as { searchTermList: { searchTerms: { term: string }[] } };
      const known = new Set(data.searchTermList.searchTerms.map((t) => t.term));
      const query = `${europePmcQuery} AND FIRST_IDATE:[2025-06-01 TO 2025-06-03]`;
      const used = [...query.replace(/"[^"]*"/g, '').matchAll(/\b([A-Z_]+):/g)].map((m) => m[1] ?? '');
      expect(used.length).toBeGreaterThan(0);
      for (const field of used) expect(known, `unknown Europe PMC field ${field}`).toContain(field);
    },
  ],
];

function checkFor(file: string): Check | undefined {
  return CHECKS.find(([pattern]) => pattern.test(file))?.[1];
}

describeShared('shared fixtures parse with the digest’s parsers', () => {
  beforeAll(async () => {
    server = await startFake();
    europePmcQuery = buildDigestQueries(loadKnowledge()).europePmc;
  });
  afterAll(() => server?.close());

  it('has a parser assigned to every recorded response', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.filter((f) => !checkFor(f))).toEqual([]);
  });

  it.each(files)('%s', async (file) => {
    await checkFor(file)?.(file);
  });
});
