/**
 * Europe PMC search JSON (`resultType=core`, or `lite`) to LiteratureItems.
 *
 * Europe PMC carries HTML in JSON strings: titles with literal `<i>BRCA</i>` and with entity-escaped
 * `&lt;i&gt;ATM&lt;/i&gt;`, and structured abstracts flattened to `<h4>Objective</h4>text<h4>Design</h4>…`,
 * so text is cleaned in two passes and headings become `Label: text` lines, as PubMed's labels do.
 * A record is identified by `source` + `id` (a PMC or PPR record has no PMID); the PMID comes only from
 * the record's own `pmid`, never from its comment/correction list.
 */
import { z } from 'zod';
import { SourceError } from '../http.ts';
import { isIsoDate } from './dates.ts';
import { optional, uniqueOrUndefined } from './fields.ts';
import { cleanMarkup, nctIdsIn } from './text.ts';
import type { LiteratureItem } from './types.ts';

/** Europe PMC sends a one-element list as a bare value in some converted records. */
const listOf = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]), z.array(item));

const Result = z.object({
  id: z.string().min(1),
  source: z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter source code such as MED or PPR'),
  pmid: z.string().optional(),
  doi: z.string().optional(),
  title: z.string().optional(),
  authorString: z.string().optional(),
  authorList: z
    .object({ author: listOf(z.object({ fullName: z.string().optional(), collectiveName: z.string().optional() })) })
    .optional(),
  journalTitle: z.string().optional(),
  journalInfo: z
    .object({
      journal: z
        .object({
          isoabbreviation: z.string().optional(),
          medlineAbbreviation: z.string().optional(),
          title: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
  pubType: z.string().optional(),
  pubTypeList: z.object({ pubType: listOf(z.string()) }).optional(),
  abstractText: z.string().optional(),
  firstIndexDate: z.string().optional(),
  firstPublicationDate: z.string().optional(),
  commentCorrectionList: z
    .object({
      commentCorrection: listOf(
        z.object({ id: z.string().optional(), source: z.string().optional(), type: z.string().optional() }),
      ),
    })
    .optional(),
});
type Result = z.infer<typeof Result>;

const Page = z.object({
  hitCount: z.number().int().nonnegative().optional(),
  nextCursorMark: z.string().min(1).optional(),
  resultList: z.object({ result: listOf(z.unknown()) }).optional(),
});

export interface EuropePmcPage {
  hitCount?: number;
  /** Absent on the last page. */
  nextCursorMark?: string;
  items: LiteratureItem[];
}

export function europePmcUrl(source: string, id: string): string {
  return `https://europepmc.org/article/${source}/${id}`;
}

export function parseEuropePmcPage(json: string): EuropePmcPage {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (err) {
    throw new SourceError('parse', `Europe PMC response is not valid JSON: ${(err as Error).message}`);
  }
  const page = Page.safeParse(data);
  if (!page.success) throw shapeError('Europe PMC page', page.error);
  return {
    ...optional('hitCount', page.data.hitCount),
    ...optional('nextCursorMark', page.data.nextCursorMark),
    items: (page.data.resultList?.result ?? []).map(readResult),
  };
}

function readResult(raw: unknown, index: number): LiteratureItem {
  const parsed = Result.safeParse(raw);
  if (!parsed.success) throw shapeError(`Europe PMC result ${index + 1}`, parsed.error);
  const r = parsed.data;
  // The index date is what puts a record in the window; idlist results, which lack it, are not items.
  if (!r.firstIndexDate || !isIsoDate(r.firstIndexDate)) {
    throw new SourceError(
      'parse',
      `Europe PMC result ${r.source}:${r.id} has no firstIndexDate (ask for resultType=core)`,
    );
  }
  const abstract = r.abstractText ? abstractOf(r.abstractText) : undefined;
  const journal = r.journalInfo?.journal;
  const pmid = r.pmid && /^\d+$/.test(r.pmid) ? r.pmid : undefined;
  return {
    source: 'europepmc',
    id: `${r.source}:${r.id}`,
    title: r.title ? cleanMarkup(r.title, 2) : '',
    ...optional('abstract', abstract),
    url: europePmcUrl(r.source, r.id),
    date: r.firstIndexDate,
    ...optional(
      'published',
      r.firstPublicationDate && isIsoDate(r.firstPublicationDate) ? r.firstPublicationDate : undefined,
    ),
    authors: authors(r),
    ...optional(
      'journal',
      cleanMarkup(
        journal?.isoabbreviation || journal?.medlineAbbreviation || journal?.title || r.journalTitle || '',
        2,
      ),
    ),
    publicationTypes: publicationTypes(r),
    ...optional('doi', r.doi?.trim()),
    ...optional('pmid', pmid),
    ...optional('nct', uniqueOrUndefined(nctIdsIn(abstract))),
    ...optional('retractionOf', corrections(r, 'retraction of')),
    ...optional('correctionOf', corrections(r, 'erratum for')),
  };
}

/** `<h4>Objective</h4>text<h4>Design</h4>…` as `Objective: text` lines. */
function abstractOf(raw: string): string | undefined {
  const sections = raw
    .split(/(?=<h4\b)/i)
    .map((chunk) => {
      const heading = /^<h4\b[^>]*>([\s\S]*?)<\/h4>([\s\S]*)$/i.exec(chunk);
      if (!heading) return cleanMarkup(chunk, 2);
      const label = cleanMarkup(heading[1] ?? '', 2);
      const text = cleanMarkup(heading[2] ?? '', 2);
      return label && text ? `${label}: ${text}` : label || text;
    })
    .filter(Boolean);
  return sections.length > 0 ? sections.join('\n') : undefined;
}

function authors(r: Result): string[] {
  const fromList = (r.authorList?.author ?? [])
    .map((a) => cleanMarkup(a.fullName || a.collectiveName || '', 2))
    .filter(Boolean);
  if (fromList.length > 0) return fromList;
  // `authorString` is "Surname AB, Surname C." — the list is better (collective names may hold commas).
  return (r.authorString ?? '')
    .split(/,\s*/)
    .map((name) => cleanMarkup(name, 2).replace(/\.$/, ''))
    .filter(Boolean);
}

function publicationTypes(r: Result): string[] {
  const types = r.pubTypeList?.pubType.length ? r.pubTypeList.pubType : (r.pubType ?? '').split(';');
  return [...new Set(types.map((t) => t.trim()).filter(Boolean))];
}

function corrections(r: Result, type: string): string[] | undefined {
  return uniqueOrUndefined(
    (r.commentCorrectionList?.commentCorrection ?? [])
      .filter((c) => c.type?.toLowerCase() === type && c.source === 'MED' && c.id && /^\d+$/.test(c.id))
      .map((c) => c.id ?? ''),
  );
}

function shapeError(what: string, error: z.ZodError): SourceError {
  const issue = error.issues[0];
  return new SourceError(
    'parse',
    `${what} has an unexpected shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
  );
}
