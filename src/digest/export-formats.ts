/**
 * What a channel was shown, as files reference managers import: CSV (a spreadsheet), RIS (Zotero,
 * EndNote, Mendeley) and BibTeX. Fields come from the records as the sources gave them; nothing is
 * added but the digest's tags (as keywords) and where the record came from.
 */
import type { ShownItem } from '../store/store.ts';

export const EXPORT_FORMATS = ['csv', 'ris', 'bibtex'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

interface Row {
  key: string;
  postedAt: string;
  title: string;
  authors: string[];
  journal: string | undefined;
  date: string | undefined;
  pmid: string | undefined;
  doi: string | undefined;
  nct: string[];
  url: string;
  trial: boolean;
  tags: string[];
}

export function exportItems(
  format: ExportFormat,
  items: readonly (ShownItem & { postedAt: string })[],
  nameOf: (id: string) => string,
): string {
  const rows = items.map((i) => toRow(i, nameOf));
  if (format === 'csv') return toCsv(rows);
  if (format === 'ris') return rows.map(toRis).join('');
  return rows.map(toBibtex).join('\n');
}

export const EXPORT_MEDIA_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv',
  ris: 'application/x-research-info-systems',
  bibtex: 'application/x-bibtex',
};

export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = { csv: 'csv', ris: 'ris', bibtex: 'bib' };

function toRow(i: ShownItem & { postedAt: string }, nameOf: (id: string) => string): Row {
  const r = i.item as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const trial = r.source === 'clinicaltrials';
  return {
    key: i.itemKey,
    postedAt: i.postedAt,
    title: text(r.title) ?? i.itemKey,
    authors: list(r.authors),
    journal: text(r.journal),
    date: text(r.published) ?? text(r.date),
    pmid: text(r.pmid),
    doi: text(r.doi),
    nct: [...new Set([...list(r.nct), ...(trial && text(r.id) ? [String(r.id)] : [])])],
    url: text(r.url) ?? '',
    trial,
    tags: i.tags.map(nameOf),
  };
}

const CSV_COLUMNS = ['posted_at', 'title', 'authors', 'journal', 'date', 'pmid', 'doi', 'nct', 'url', 'tags'] as const;

function toCsv(rows: readonly Row[]): string {
  const cell = (value: string) => {
    // A leading =, +, - or @ makes a spreadsheet run the cell as a formula: quote it as text.
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = rows.map((r) =>
    [
      r.postedAt,
      r.title,
      r.authors.join('; '),
      r.journal ?? '',
      r.date ?? '',
      r.pmid ?? '',
      r.doi ?? '',
      r.nct.join(' '),
      r.url,
      r.tags.join('; '),
    ]
      .map(cell)
      .join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...lines].join('\r\n')}\r\n`;
}

/** One RIS line: a tag, two spaces, a hyphen, a space; values on one line. */
const ris = (tag: string, value: string | undefined) =>
  value ? `${tag}  - ${value.replace(/\s*[\r\n]+\s*/g, ' ')}\r\n` : '';

function toRis(r: Row): string {
  const year = r.date?.slice(0, 4);
  return [
    ris('TY', r.trial ? 'DBASE' : 'JOUR'),
    ris('TI', r.title),
    ...r.authors.map((a) => ris('AU', a)),
    ris('PY', year),
    ris('DA', r.date?.replace(/-/g, '/')),
    ris('JO', r.journal),
    ris('DO', r.doi),
    ris('AN', r.pmid ? `PMID:${r.pmid}` : r.nct[0]),
    ris('UR', r.url),
    ...r.tags.map((t) => ris('KW', t)),
    ris('DB', r.trial ? 'ClinicalTrials.gov' : r.pmid ? 'PubMed' : undefined),
    'ER  - \r\n',
  ].join('');
}

/** BibTeX's special characters, escaped so the value stays literal. */
function bib(value: string): string {
  return value
    .replace(/\\/g, '\\textbackslash{}')
    .replace(/([{}%&#$_])/g, '\\$1')
    .replace(/~/g, '\\textasciitilde{}')
    .replace(/\^/g, '\\textasciicircum{}')
    .replace(/\s*[\r\n]+\s*/g, ' ');
}

function toBibtex(r: Row): string {
  const citeKey = r.pmid ? `pmid${r.pmid}` : r.nct[0] ? r.nct[0].toLowerCase() : r.key.replace(/[^A-Za-z0-9]+/g, '_');
  const fields: [string, string | undefined][] = [
    ['title', r.title],
    ['author', r.authors.length > 0 ? r.authors.join(' and ') : undefined],
    [r.trial ? 'howpublished' : 'journal', r.trial ? 'ClinicalTrials.gov' : r.journal],
    ['year', r.date?.slice(0, 4)],
    ['doi', r.doi],
    ['pmid', r.pmid],
    ['note', r.nct.length > 0 ? r.nct.join(', ') : undefined],
    ['url', r.url],
    ['keywords', r.tags.length > 0 ? r.tags.join(', ') : undefined],
  ];
  const body = fields
    .filter((f): f is [string, string] => f[1] !== undefined && f[1] !== '')
    .map(([k, v]) => `  ${k} = {${k === 'url' || k === 'doi' ? v.replace(/[{}\\]/g, '') : bib(v)}}`)
    .join(',\n');
  return `@${r.trial ? 'misc' : 'article'}{${citeKey},\n${body}\n}\n`;
}
