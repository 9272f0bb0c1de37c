/**
 * PubMed EFetch XML (`PubmedArticleSet`) to LiteratureItems.
 *
 * Titles and abstracts are mixed content (`<i>`, `<sup>`, MathML); without `stopNodes` fast-xml-parser
 * moves inline words out of their sentence, so those elements come back as raw inner XML and are cleaned
 * here. Identifiers are read only from the record's own places: the PMID from `MedlineCitation/PMID`, the
 * DOI from `PubmedData/ArticleIdList` (else a valid `ELocationID`), never from `ReferenceList` (other
 * papers) or `CommentsCorrections` (which give only the targets of a retraction or erratum).
 */
import { XMLParser } from 'fast-xml-parser';
import { SourceError } from '../http.ts';
import { isoDate, medlineDateToIso } from './dates.ts';
import { optional, uniqueOrUndefined } from './fields.ts';
import { cleanMarkup, nctIdsIn } from './text.ts';
import type { LiteratureItem } from './types.ts';
import { attr, checkWellFormed, list, node, plain, rawText, type XmlNode } from './xml.ts';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: false,
  stopNodes: ['*.ArticleTitle', '*.AbstractText', '*.VernacularTitle', '*.CollectiveName'],
});

export function pubmedUrl(pmid: string): string {
  return `https://pubmed.ncbi.nlm.nih.gov/${pmid}/`;
}

/**
 * The articles of an EFetch response. Book chapters (`PubmedBookArticle`) and `DeleteCitation` entries
 * are not literature for the digest and are skipped. Throws a SourceError: 'query' when NCBI answered
 * with an `<ERROR>` (an expired history session, say), 'parse' for anything that is not a PubmedArticleSet.
 */
export function parsePubMedArticles(xml: string): LiteratureItem[] {
  checkWellFormed(xml, 'EFetch response');
  const doc = parser.parse(xml) as XmlNode;
  const set = doc.PubmedArticleSet;
  if (set === undefined) {
    const error = plain(node(doc.eFetchResult)?.ERROR);
    if (error) throw new SourceError('query', `EFetch failed: ${error}`);
    const root = Object.keys(doc).find((k) => !k.startsWith('?')) ?? '(empty document)';
    throw new SourceError('parse', `EFetch response is not a PubmedArticleSet (root element: ${root})`);
  }
  return list(node(set)?.PubmedArticle).map((article) => toItem(node(article) ?? {}));
}

function toItem(article: XmlNode): LiteratureItem {
  const citation = node(article.MedlineCitation) ?? {};
  const data = node(article.PubmedData) ?? {};
  const pmid = plain(citation.PMID);
  if (!/^\d+$/.test(pmid)) throw new SourceError('parse', 'PubMed record without a valid MedlineCitation/PMID');
  const art = node(citation.Article) ?? {};
  const journal = node(art.Journal) ?? {};
  const abstract = abstractOf(art);
  const corrections = list(node(citation.CommentsCorrectionsList)?.CommentsCorrections);
  const publishedOn = published(art, journal);
  const date = createDate(data) ?? publishedOn;
  if (!date) throw new SourceError('parse', `PubMed record ${pmid} has no create date and no publication date`);

  return {
    source: 'pubmed',
    id: pmid,
    title: cleanMarkup(rawText(art.ArticleTitle)) || cleanMarkup(rawText(art.VernacularTitle)),
    ...optional('abstract', abstract),
    url: pubmedUrl(pmid),
    date,
    ...optional('published', publishedOn),
    authors: authors(art),
    ...optional('journal', plain(journal.ISOAbbreviation) || plain(journal.Title)),
    publicationTypes: list(node(art.PublicationTypeList)?.PublicationType).map(plain).filter(Boolean),
    ...optional('doi', doi(art, data)),
    pmid,
    ...optional('nct', uniqueOrUndefined([...registeredTrials(art), ...nctIdsIn(abstract)])),
    ...optional('retractionOf', targets(corrections, 'RetractionOf')),
    ...optional('correctionOf', targets(corrections, 'ErratumFor')),
  };
}

/** Placeholders PubMed puts where an abstract has no real heading. */
const NO_LABEL = /^(UNLABELLED|UNASSIGNED)$/i;

/** Sections as `LABEL: text`, one per line; `OtherAbstract` and `CopyrightInformation` are left out. */
function abstractOf(art: XmlNode): string | undefined {
  const sections = list(node(art.Abstract)?.AbstractText)
    .map((part) => {
      const text = cleanMarkup(rawText(part));
      const label = attr(part, 'Label')?.trim();
      return text && label && !NO_LABEL.test(label) ? `${label}: ${text}` : text;
    })
    .filter(Boolean);
  return sections.length > 0 ? sections.join('\n') : undefined;
}

function authors(art: XmlNode): string[] {
  return list(node(art.AuthorList)?.Author).flatMap((entry) => {
    const author = node(entry);
    if (!author || attr(author, 'ValidYN') === 'N') return [];
    const collective = cleanMarkup(rawText(author.CollectiveName));
    if (collective) return [collective];
    const last = plain(author.LastName);
    const initials = plain(author.Initials) || initialsOf(plain(author.ForeName));
    const name = [last, initials].filter(Boolean).join(' ');
    return name ? [name] : [];
  });
}

/** `Jürgen` → `J`, `Mary-Ann K` → `MAK`: PubMed's own form when a record lacks `Initials`. */
function initialsOf(foreName: string): string {
  return foreName
    .split(/[\s.-]+/)
    .map((part) => part.charAt(0).toUpperCase())
    .join('');
}

/** PubMed's create date (`PubStatus="entrez"`, what `[crdt]` selects), else the `pubmed` date. */
function createDate(data: XmlNode): string | undefined {
  const history = list(node(data.History)?.PubMedPubDate);
  for (const status of ['entrez', 'pubmed']) {
    const entry = node(history.find((d) => attr(d, 'PubStatus') === status));
    const date = entry && isoDate(plain(entry.Year), plain(entry.Month), plain(entry.Day));
    if (date && date.length === 10) return date;
  }
  return undefined;
}

/** The electronic publication date when there is one, else the issue date (which may lie in the future). */
function published(art: XmlNode, journal: XmlNode): string | undefined {
  const electronic = node(list(art.ArticleDate).find((d) => (attr(d, 'DateType') ?? 'Electronic') === 'Electronic'));
  if (electronic) {
    const date = isoDate(plain(electronic.Year), plain(electronic.Month), plain(electronic.Day));
    if (date) return date;
  }
  const pubDate = node(node(journal.JournalIssue)?.PubDate);
  if (!pubDate) return undefined;
  const medline = plain(pubDate.MedlineDate);
  if (medline) return medlineDateToIso(medline);
  return isoDate(plain(pubDate.Year), plain(pubDate.Month), plain(pubDate.Day));
}

function doi(art: XmlNode, data: XmlNode): string | undefined {
  const fromIds = list(node(data.ArticleIdList)?.ArticleId).find((id) => attr(id, 'IdType') === 'doi');
  const fromLocation = list(art.ELocationID).find((id) => attr(id, 'EIdType') === 'doi' && attr(id, 'ValidYN') !== 'N');
  return plain(fromIds) || plain(fromLocation) || undefined;
}

/** NCT numbers the record registers in `DataBankList` (the paper ↔ trial link). */
function registeredTrials(art: XmlNode): string[] {
  return list(node(art.DataBankList)?.DataBank)
    .map((bank) => node(bank) ?? {})
    .filter((bank) => plain(bank.DataBankName) === 'ClinicalTrials.gov')
    .flatMap((bank) => list(node(bank.AccessionNumberList)?.AccessionNumber).map((n) => plain(n).toUpperCase()))
    .filter((n) => /^NCT\d{8}$/.test(n));
}

function targets(corrections: unknown[], refType: string): string[] | undefined {
  return uniqueOrUndefined(
    corrections
      .filter((c) => attr(c, 'RefType') === refType)
      .map((c) => plain(node(c)?.PMID))
      .filter((pmid) => /^\d+$/.test(pmid)),
  );
}
