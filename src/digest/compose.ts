/**
 * A digest as data: the items of a window, deduplicated across sources, classified, dropped when not
 * about HER2-positive breast cancer, grouped by mechanism and ranked, with a cap on what is shown.
 */
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import type { Classification, Classifier } from './classify.ts';
import { leadingTag } from './item-ref.ts';
import type { DigestWindow, LiteratureItem, SourceName } from './sources/types.ts';

export interface SourceReport {
  name: SourceName;
  status: 'ok' | 'failed';
  count: number;
  error?: string;
}

export interface DigestItem extends Classification {
  item: LiteratureItem;
  /** Stable per-channel identity: `pubmed:<PMID>`, `trial:<NCT>@<update>`, `doi:<doi>`, `europepmc:<id>`. */
  key: string;
  /** Every key the item is known by (its key, and its DOI's): all are recorded as posted. */
  keys: string[];
}

export interface DigestGroup {
  /** A mechanism id, or undefined for items that touch agents or HER2 resistance but no mapped mechanism. */
  mechanism: string | undefined;
  title: string;
  items: DigestItem[];
  /** How many more items this group has than it shows. */
  more: number;
}

export interface Digest {
  window: DigestWindow;
  sources: SourceReport[];
  /** Every relevant item, best first (what `--format json` prints and "show all" lists). */
  items: DigestItem[];
  groups: DigestGroup[];
  /** True when a source failed: the digest must say it is incomplete. */
  incomplete: boolean;
  kb: { version: string; date: string };
}

export const SHOW_PER_GROUP = 4;
export const SHOW_TOTAL = 15;

/** The key that makes an item "already posted" in a channel, whichever source it came from. */
export function itemKey(item: LiteratureItem): string {
  if (item.source === 'clinicaltrials') return `trial:${item.updateKey ?? item.id}`;
  if (item.pmid) return `pubmed:${item.pmid}`;
  if (item.doi) return `doi:${item.doi.toLowerCase()}`;
  return `${item.source}:${item.id}`;
}

/**
 * Every key an item is known by: its own and, with a DOI, the DOI's. A paper can come from Europe PMC
 * without a PMID one day and from PubMed with one the next; the shared DOI makes it the same paper.
 */
export function identityKeys(item: LiteratureItem): string[] {
  const key = itemKey(item);
  const doi = item.doi ? `doi:${item.doi.toLowerCase()}` : undefined;
  return doi && doi !== key ? [key, doi] : [key];
}

/** One record per paper: PubMed and Europe PMC often return the same one (same PMID or DOI). */
export function dedupe(items: LiteratureItem[]): LiteratureItem[] {
  const seen = new Map<string, LiteratureItem>();
  for (const item of items) {
    const keys = identityKeys(item);
    if (keys.some((k) => seen.has(k))) continue;
    for (const k of keys) seen.set(k, item);
  }
  return [...new Set(seen.values())];
}

export function composeDigest(
  kb: KnowledgeBase,
  classifier: Classifier,
  window: DigestWindow,
  sources: SourceReport[],
  items: LiteratureItem[],
  /**
   * `exclude`: keys already shown in the channel; an item goes if any of its keys is there.
   * `muted`: tags the channel muted; an item led by one (grouped under it) goes.
   */
  options: { topics?: string[]; exclude?: ReadonlySet<string>; muted?: ReadonlySet<string> } = {},
): Digest {
  const topics = new Set(options.topics ?? []);
  const classified = dedupe(items)
    .map((item) => ({ ...classifier.classify(item), item, key: itemKey(item), keys: identityKeys(item) }))
    .filter((d) => d.relevant && !d.keys.some((k) => options.exclude?.has(k)))
    .filter((d) => topics.size === 0 || [...d.mechanisms, ...d.agents].some((id) => topics.has(id)))
    .filter((d) => !options.muted?.has(leadingTag(d) ?? ''))
    .sort((a, b) => b.score - a.score || b.item.date.localeCompare(a.item.date) || a.key.localeCompare(b.key));

  const byGroup = new Map<string | undefined, DigestItem[]>();
  for (const d of classified) {
    const group = d.mechanisms[0];
    byGroup.set(group, [...(byGroup.get(group) ?? []), d]);
  }
  // What is shown is chosen by score across all groups (at most SHOW_PER_GROUP from one group, so a
  // busy mechanism cannot crowd out the rest), then laid out in the knowledge base's order.
  const shownKeys = new Set<string>();
  const perGroup = new Map<string | undefined, number>();
  for (const d of classified) {
    if (shownKeys.size >= SHOW_TOTAL) break;
    const group = d.mechanisms[0];
    const count = perGroup.get(group) ?? 0;
    if (count >= SHOW_PER_GROUP) continue;
    perGroup.set(group, count + 1);
    shownKeys.add(d.key);
  }
  const order = [...kb.mechanisms.map((m) => m.id as string | undefined), undefined];
  const groups: DigestGroup[] = [];
  for (const id of order) {
    const list = byGroup.get(id);
    if (!list) continue;
    const shown = list.filter((d) => shownKeys.has(d.key));
    groups.push({
      mechanism: id,
      title: id ? (kb.mechanismsById.get(id)?.shortName ?? id) : 'Other HER2-positive research',
      items: shown,
      more: list.length - shown.length,
    });
  }
  return {
    window,
    sources,
    items: classified,
    groups,
    incomplete: sources.some((s) => s.status === 'failed'),
    kb: { version: kb.version, date: kb.versionDate },
  };
}
