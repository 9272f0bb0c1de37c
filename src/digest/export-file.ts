/**
 * One channel's digest items since an instant, as a file to hand over: what `her2bot digest export`
 * writes and what "Export this week" sends. The one place that reads the store for an export.
 */
import { displayName, type KnowledgeBase } from '../knowledge/knowledge-base.ts';
import type { Store } from '../store/store.ts';
import { EXPORT_EXTENSIONS, EXPORT_MEDIA_TYPES, type ExportFormat, exportItems } from './export-formats.ts';

export interface ExportFile {
  format: ExportFormat;
  /** `her2-digest-2026-11-23-to-2026-11-30.ris`. */
  filename: string;
  mediaType: string;
  content: string;
  /** How many items it lists (0: nothing was posted to the channel in the window). */
  items: number;
}

/** How far back "Export this week" reaches. */
export const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** How each format is offered to readers; the first is the default (what Zotero and EndNote import). */
export const EXPORT_CHOICES: readonly { format: ExportFormat; label: string; short: string; purpose: string }[] = [
  { format: 'ris', label: 'RIS (Zotero, EndNote)', short: 'RIS', purpose: 'RIS, for Zotero, EndNote or Mendeley' },
  { format: 'bibtex', label: 'BibTeX', short: 'BibTeX', purpose: 'BibTeX, for LaTeX or JabRef' },
  { format: 'csv', label: 'CSV (spreadsheet)', short: 'CSV', purpose: 'CSV, for a spreadsheet' },
];

export async function exportFile(
  { store, kb }: { store: Pick<Store, 'digestItems'>; kb: KnowledgeBase },
  request: { channelKey: string; since: string; format: ExportFormat },
  now: Date,
): Promise<ExportFile> {
  const items = await store.digestItems.postedIn(request.channelKey, request.since);
  const content = exportItems(request.format, items, (id) => displayName(kb, id) ?? id);
  const day = (iso: string) => iso.slice(0, 10);
  return {
    format: request.format,
    filename: `her2-digest-${day(request.since)}-to-${day(now.toISOString())}.${EXPORT_EXTENSIONS[request.format]}`,
    mediaType: EXPORT_MEDIA_TYPES[request.format],
    content,
    items: items.length,
  };
}
