/**
 * ClinicalTrials.gov API v2 study JSON to LiteratureItems, in two steps: `readStudy` takes whatever
 * fields a response holds (a `fields=`-limited search page or a full record), and `studyToItem` places
 * the study in a digest window, which needs both posting dates.
 *
 * A study first posted inside the window is new; one first posted before it was updated. Each revision
 * is keyed `NCT…@<lastUpdatePostDate>`, so an update is reported once however often the window overlaps
 * it. Dates stay ISO strings: the API sends partial ones (`2024-05`).
 */
import { z } from 'zod';
import { SourceError } from '../http.ts';
import { inWindow, isIsoDate } from './dates.ts';
import { optional } from './fields.ts';
import { cleanMarkdown, collapseSpace } from './text.ts';
import type { DigestWindow, LiteratureItem } from './types.ts';

export interface StudyRecord {
  nct: string;
  title: string;
  summary?: string;
  status?: string;
  phases?: string[];
  firstPosted?: string;
  lastUpdated?: string;
}

const IsoDate = z.string().refine(isIsoDate, 'must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)');
const DateStruct = z.object({ date: IsoDate }).optional();

const Study = z.object({
  protocolSection: z.object({
    identificationModule: z.object({
      nctId: z.string().regex(/^NCT\d{8}$/i, 'must be NCT followed by 8 digits'),
      briefTitle: z.string().optional(),
      officialTitle: z.string().optional(),
      acronym: z.string().optional(),
    }),
    statusModule: z
      .object({
        overallStatus: z.string().optional(),
        studyFirstPostDateStruct: DateStruct,
        lastUpdatePostDateStruct: DateStruct,
      })
      .optional(),
    descriptionModule: z.object({ briefSummary: z.string().optional() }).optional(),
    designModule: z.object({ phases: z.array(z.string()).optional() }).optional(),
  }),
});

const Page = z.object({
  studies: z.array(z.unknown()).default([]),
  nextPageToken: z.string().min(1).optional(),
  totalCount: z.number().int().optional(),
});

export interface StudiesPage {
  studies: StudyRecord[];
  nextPageToken?: string;
  /** Sent on the first page only, and only with `countTotal=true`. */
  totalCount?: number;
}

export function parseStudiesPage(json: string): StudiesPage {
  const page = Page.safeParse(parseJson(json));
  if (!page.success) throw shapeError('ClinicalTrials.gov page', page.error);
  return {
    studies: page.data.studies.map(readStudy),
    ...optional('nextPageToken', page.data.nextPageToken),
    ...optional('totalCount', page.data.totalCount),
  };
}

export function readStudy(raw: unknown): StudyRecord {
  const parsed = Study.safeParse(raw);
  if (!parsed.success) throw shapeError('ClinicalTrials.gov study', parsed.error);
  const { identificationModule: id, statusModule, descriptionModule, designModule } = parsed.data.protocolSection;
  const nct = id.nctId.toUpperCase();
  const title = collapseSpace(cleanMarkdown(id.briefTitle || id.officialTitle || ''));
  const acronym = id.acronym ? collapseSpace(cleanMarkdown(id.acronym)) : '';
  const summary = descriptionModule?.briefSummary ? cleanMarkdown(descriptionModule.briefSummary) : '';
  const phases = designModule?.phases?.filter(Boolean) ?? [];
  return {
    nct,
    title: acronym && !title.includes(acronym) ? `${title} (${acronym})` : title,
    ...optional('summary', summary),
    ...optional('status', statusModule?.overallStatus),
    ...optional('phases', phases.length > 0 ? phases : undefined),
    ...optional('firstPosted', statusModule?.studyFirstPostDateStruct?.date),
    ...optional('lastUpdated', statusModule?.lastUpdatePostDateStruct?.date),
  };
}

export function clinicalTrialsUrl(nct: string): string {
  return `https://clinicaltrials.gov/study/${nct}`;
}

/** The study as a digest item for this window; throws if the response lacked a posting date. */
export function studyToItem(study: StudyRecord, window: DigestWindow): LiteratureItem {
  const { firstPosted, lastUpdated } = study;
  if (!firstPosted || !lastUpdated) {
    throw new SourceError(
      'parse',
      `${study.nct} has no StudyFirstPostDate or LastUpdatePostDate: the request's fields list must include both`,
    );
  }
  const change = inWindow(firstPosted, window) ? 'new' : 'updated';
  // The item's date is a full day; a partial first-post date gives way to the (later, full) update date.
  const date = change === 'new' && firstPosted.length === 10 ? firstPosted : lastUpdated;
  return {
    source: 'clinicaltrials',
    id: study.nct,
    title: study.title,
    ...optional('abstract', study.summary),
    url: clinicalTrialsUrl(study.nct),
    date,
    authors: [],
    publicationTypes: [],
    nct: [study.nct],
    ...optional('phases', study.phases),
    ...optional('status', study.status),
    change,
    updateKey: `${study.nct}@${lastUpdated}`,
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new SourceError('parse', `ClinicalTrials.gov response is not valid JSON: ${(err as Error).message}`);
  }
}

function shapeError(what: string, error: z.ZodError): SourceError {
  const issue = error.issues[0];
  return new SourceError(
    'parse',
    `${what} has an unexpected shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
  );
}
