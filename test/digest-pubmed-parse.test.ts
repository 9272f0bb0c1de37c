import { describe, expect, it } from 'vitest';
import { SourceError } from '../src/digest/http.ts';
import { parseESearch } from '../src/digest/sources/esearch-parse.ts';
import { parsePubMedArticles } from '../src/digest/sources/pubmed-parse.ts';
import type { LiteratureItem } from '../src/digest/sources/types.ts';
import { digestFixture } from './helpers/digest.ts';

const batch1 = parsePubMedArticles(digestFixture('pubmed/efetch-batch1.xml'));
const batch2 = parsePubMedArticles(digestFixture('pubmed/efetch-batch2.xml'));

function byId(items: LiteratureItem[], id: string): LiteratureItem {
  const item = items.find((i) => i.id === id);
  if (!item) throw new Error(`no item ${id}`);
  return item;
}

describe('PubMed EFetch parser', () => {
  it('keeps inline markup in a title as readable text, even where it crosses a quote', () => {
    expect(byId(batch1, '99000001').title).toBe(
      'PIK3CA mutations and ERBB2-amplified tumours: a "second hit" for HER2+ breast cancer treated with T-DM1 (D3 cohort)',
    );
  });

  it('labels the sections of a structured abstract, one per line, without the copyright line', () => {
    const abstract = byId(batch1, '99000001').abstract ?? '';
    expect(abstract.split('\n').map((line) => line.split(':')[0])).toEqual([
      'BACKGROUND',
      'METHODS',
      'RESULTS',
      'CONCLUSIONS',
    ]);
    expect(abstract).not.toContain('Fixture Press');
  });

  it('reads MathML as its alttext, or else as the text of its leaves', () => {
    const abstract = byId(batch1, '99000001').abstract ?? '';
    expect(abstract).toContain('modelled growth as k = ln 2 / t with doubling time td.');
    expect(abstract).not.toMatch(/mml:|&lt;|<\/?[a-z]/);
  });

  it('decodes entities after removing tags, so an escaped < inside markup survives as text', () => {
    expect(byId(batch1, '99000001').abstract).toContain('(HR 1.9; P < 0.001; Ki-67 <20% in 41%;');
  });

  it('takes the DOI of the article itself, never one from its reference list', () => {
    const item = byId(batch1, '99000001');
    expect(item.doi).toBe('10.5555/fixture.2025.0001');
    expect(JSON.stringify(batch1)).not.toMatch(/10\.5555\/reference|98000001|98000002|PMC9800002/);
  });

  it('takes the PMID only from MedlineCitation, not from CommentsCorrections', () => {
    expect(batch1.map((i) => i.id)).toEqual(['99000001', '99000002', '99000003']);
    expect(batch1.map((i) => i.pmid)).toEqual(['99000001', '99000002', '99000003']);
    expect(JSON.stringify(batch1)).not.toContain('99000050');
  });

  it('links the paper to its registered trial from the DataBankList', () => {
    expect(byId(batch1, '99000001').nct).toEqual(['NCT09900001']);
  });

  it('uses the create (entrez) date as the item date and the e-pub date as published', () => {
    expect(byId(batch1, '99000001')).toMatchObject({ date: '2025-06-02', published: '2025-05-30' });
  });

  it('keeps authors in "Surname Initials" form, skips invalid entries and keeps collective names', () => {
    expect(byId(batch1, '99000001').authors).toEqual(['Okafor AN', 'Lindqvist P']);
    expect(byId(batch1, '99000002').authors).toEqual(['HER2 Escape Study Group', 'Müller J', 'Ng']);
  });

  it('handles a record with no abstract, a MedlineDate and an invalid ELocationID DOI', () => {
    const item = byId(batch1, '99000002');
    expect(item.abstract).toBeUndefined();
    expect(item.published).toBe('2024-12');
    expect(item.doi).toBeUndefined();
    expect(item.title).toContain('Università di Fixture and Münster');
    expect(item.journal).toBe('Cancer biology & therapy fixtures');
  });

  it('marks a retraction notice with the PMID it retracts', () => {
    const notice = byId(batch1, '99000003');
    expect(notice.publicationTypes).toEqual(['Retraction of Publication']);
    expect(notice.retractionOf).toEqual(['98000010']);
    expect(notice.correctionOf).toBeUndefined();
    expect(JSON.stringify(notice)).not.toContain('99000060');
  });

  it('marks an erratum with the PMID it corrects, and finds NCT ids written in its abstract', () => {
    const erratum = byId(batch2, '99000004');
    expect(erratum.correctionOf).toEqual(['98000020']);
    expect(erratum.nct).toEqual(['NCT09900002', 'NCT09900003']);
    expect(erratum.abstract?.startsWith('[This corrects')).toBe(true);
    expect(erratum.doi).toBe('10.5555/FIXTURE.2025.0004');
    expect(erratum.published).toBe('2025');
    expect(erratum.authors).toEqual([]);
  });

  it('skips book chapters and deleted citations', () => {
    expect(batch2.map((i) => i.id)).toEqual(['99000004']);
  });

  it('returns no items for an empty PubmedArticleSet', () => {
    expect(parsePubMedArticles('<?xml version="1.0"?>\n<PubmedArticleSet></PubmedArticleSet>')).toEqual([]);
  });

  it('turns an EFetch <ERROR> into a query error and anything else into a parse error', () => {
    const expectError = (xml: string, code: string, text: RegExp) => {
      try {
        parsePubMedArticles(xml);
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(SourceError);
        expect((err as SourceError).code).toBe(code);
        expect((err as SourceError).message).toMatch(text);
      }
    };
    expectError(digestFixture('pubmed/efetch-error.xml'), 'query', /Unable to obtain query #1/);
    expectError(digestFixture('pubmed/rate-limit.json'), 'parse', /not well-formed|not a PubmedArticleSet/);
    expectError('<PubmedArticleSet><PubmedArticle>', 'parse', /not well-formed/);
    expectError('<eSearchResult><Count>0</Count></eSearchResult>', 'parse', /root element: eSearchResult/);
  });
});

describe('ESearch parser', () => {
  it('reads count and history handles from JSON, where every number is a string', () => {
    expect(parseESearch(digestFixture('pubmed/esearch-history.json'))).toMatchObject({
      count: 4,
      webEnv: 'MCID_fixture000000000000000001',
      queryKey: '1',
      problems: [],
    });
  });

  it('does not count "No items found." as a problem: that is an empty day', () => {
    expect(parseESearch(digestFixture('pubmed/esearch-empty.json'))).toMatchObject({ count: 0, problems: [] });
  });

  it('reports phrases PubMed could not find, in JSON and in XML', () => {
    expect(parseESearch(digestFixture('pubmed/esearch-phrase-not-found.json')).problems).toEqual([
      'phrase not found: trastuzumabb',
      'quoted phrase not found: "trastuzumab resistanse"',
    ]);
    expect(parseESearch(digestFixture('pubmed/esearch-phrase-not-found.xml')).problems).toEqual([
      'phrase not found: trastuzumabb',
      'phrase not found: pertuzumabb',
      'quoted phrase not found: "trastuzumab resistanse"',
    ]);
  });

  it('reports an ERROR answered with HTTP 200 as a problem', () => {
    const result = parseESearch('{"esearchresult":{"ERROR":"Empty term and query_key - nothing todo"}}');
    expect(result.problems).toEqual(['error: Empty term and query_key - nothing todo']);
  });

  it('rejects a body that is not an ESearch result', () => {
    expect(() => parseESearch('{"esearchresult":{"count":"many"}}')).toThrow(SourceError);
    expect(() => parseESearch('{"header":{}}')).toThrow(/unexpected shape/);
    expect(() => parseESearch('<html><body>Bad gateway</body></html>')).toThrow(SourceError);
  });
});
