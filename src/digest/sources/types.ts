/**
 * What every literature source returns: one item per record, already cleaned to plain text, with the
 * identifiers the digest needs to merge duplicates across sources (PMID, DOI, NCT) and to report a
 * trial update or a retraction once.
 */
import type { DigestSourceName } from '../../config.ts';

export type SourceName = DigestSourceName;

export interface LiteratureItem {
  source: SourceName;
  /** PMID for PubMed, NCT id for ClinicalTrials.gov, `SRC:ID` for Europe PMC (e.g. `MED:39709209`, `PPR:PPR123456`). */
  id: string;
  /** Plain text: markup removed, entities decoded. Empty only when the record has no title at all. */
  title: string;
  /** Plain text; a structured abstract has one `LABEL: text` section per line. */
  abstract?: string;
  url: string;
  /**
   * The date that put the item in the window, YYYY-MM-DD: PubMed's create date (entrez), Europe PMC's
   * first index date, a trial's first-post date (new) or last-update date (updated). Only a record that
   * lacks all of these falls back to a partial publication date (YYYY-MM).
   */
  date: string;
  /** Publication date as precise as the source gives it (YYYY, YYYY-MM or YYYY-MM-DD); articles only. */
  published?: string;
  /** "Surname Initials" or a collective name ("METRIC Study Group"). */
  authors: string[];
  journal?: string;
  publicationTypes: string[];
  /** As the source prints it; compare DOIs case-insensitively. */
  doi?: string;
  pmid?: string;
  /** ClinicalTrials.gov ids: the trial itself, or trials a paper registers or names in its abstract. */
  nct?: string[];
  /** Trials: the API's enum values (`PHASE2`, `EARLY_PHASE1`, `NA`). */
  phases?: string[];
  /** Trials: the overall status (`RECRUITING`, `COMPLETED`, …). */
  status?: string;
  /** Trials: first posted inside the window (new), or only updated inside it. */
  change?: 'new' | 'updated';
  /** Trials: `NCT…@<lastUpdatePostDate>`, so each revision of a trial is reported once. */
  updateKey?: string;
  /** PMIDs this notice retracts (PubMed CommentsCorrections RetractionOf; Europe PMC "Retraction of"). */
  retractionOf?: string[];
  /** PMIDs this erratum corrects (PubMed ErratumFor; Europe PMC "Erratum for"). */
  correctionOf?: string[];
}

/** Inclusive calendar dates, YYYY-MM-DD, in the digest's business time zone. */
export interface DigestWindow {
  since: string;
  until: string;
}

export interface LiteratureSource {
  readonly name: SourceName;
  /** Every item in the window; throws a SourceError rather than return a partial list. */
  fetch(window: DigestWindow): Promise<LiteratureItem[]>;
}
