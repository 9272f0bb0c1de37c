/**
 * A literature digest as a CardView, so it renders on Slack, Teams and text through the same
 * templates as every other card. Groups by mechanism, each item linked and tagged; a failed source
 * is stated at the top, never hidden.
 */
import type { Digest, DigestItem } from '../digest/compose.ts';
import { EXPORT_CHOICES } from '../digest/export-file.ts';
import { itemRef } from '../digest/item-ref.ts';
import type { TagChoice } from '../feedback/tags.ts';
import { type CardSection, type CardView, PLAIN_SYNTAX, type SectionItem, type Syntax } from './card-view.ts';
import { DISCLAIMER } from './disclaimer.ts';

const SOURCE_LABELS: Record<string, string> = {
  pubmed: 'PubMed',
  clinicaltrials: 'ClinicalTrials.gov',
  europepmc: 'Europe PMC',
};

export function sourceLabel(name: string): string {
  return SOURCE_LABELS[name] ?? name;
}

export interface DigestViewOptions {
  /** Show every item instead of the capped groups (the thread reply, or "preview all"). */
  all?: boolean;
  /** Title override, e.g. "Digest preview". */
  title?: string;
  /** Where the items beyond the capped groups are (a poster that sends them elsewhere says where). */
  moreWhere?: string;
  /** The knowledge base's tags: adds the card-level "Wrong tags" form (Teams) with them. */
  tagChoices?: TagChoice[];
  /** Offers "Export this week" (the digest as posted to a channel, not a preview). */
  exportable?: boolean;
  /** How commands are written where the digest is read (plain text says what to type for an entry's card). */
  syntax?: Syntax;
}

export function digestView(
  digest: Digest,
  nameOf: (id: string) => string | undefined,
  options: DigestViewOptions = {},
): CardView {
  const { since, until } = digest.window;
  const total = digest.items.length;
  const shown = digest.groups.reduce((n, g) => n + g.items.length, 0);
  const failed = digest.sources.filter((s) => s.status === 'failed');
  const sourcesLine = digest.sources
    .map((s) => `${sourceLabel(s.name)} ${s.status === 'ok' ? `(${s.count})` : '(unreachable)'}`)
    .join(' · ');

  const syntax = options.syntax ?? PLAIN_SYNTAX;
  const sections: CardSection[] = options.all
    ? [{ heading: 'All items', items: digest.items.map((d) => itemOf(d, nameOf, syntax)) }]
    : digest.groups.map((g) => ({
        heading: g.title,
        items: [
          ...g.items.map((d) => itemOf(d, nameOf, syntax)),
          ...(g.more > 0 ? [{ text: `…and ${g.more} more in this group`, evidence: [] }] : []),
        ],
      }));

  const notes: string[] = [];
  if (failed.length > 0) {
    notes.push(
      `Incomplete: ${listing(failed.map((s) => sourceLabel(s.name)))} could not be reached, so this digest is missing their records; they will be included next time.`,
    );
  }
  if (!options.all && total > shown)
    notes.push(
      `${total - shown} more item(s) are listed ${options.moreWhere ?? 'in the thread or with “digest preview all”'}.`,
    );
  notes.push(
    'New items are provisional: tiers come from publication type or trial phase, not from review by an expert.',
  );

  const listed = options.all ? digest.items : digest.groups.flatMap((g) => g.items);
  const tagForm =
    options.tagChoices && listed.length > 0
      ? {
          items: listed.map((d) => ({
            ref: itemRef(d.key),
            title: d.item.title || d.key,
            tags: [...d.mechanisms, ...d.agents],
          })),
          tags: options.tagChoices,
        }
      : undefined;

  return {
    ...(tagForm ? { tagForm } : {}),
    ...(options.exportable
      ? {
          exportOffer: {
            label: 'Export this week',
            choices: EXPORT_CHOICES.map(({ format, label, short }) => ({ format, label, short })),
          },
        }
      : {}),
    type: 'results',
    title: options.title ?? `HER2 resistance literature, ${since === until ? since : `${since} to ${until}`}`,
    subtitle: total === 0 ? `Nothing new · ${sourcesLine}` : `${total} new item(s) · ${sourcesLine}`,
    summary:
      failed.length === digest.sources.length && digest.sources.length > 0
        ? 'No literature source could be reached, so nothing could be checked for this window.'
        : total === 0
          ? 'No new papers or trial records on HER2-positive breast cancer resistance in this window.'
          : 'New papers and trial records, tagged with the mechanisms and agents of the knowledge base.',
    facts: [],
    sections,
    notes,
    links: [],
    actions: [],
    footer: { kbVersion: digest.kb.version, kbDate: digest.kb.date, disclaimer: DISCLAIMER },
    fallback: `HER2 resistance literature ${since} to ${until}: ${total} new item(s)${failed.length > 0 ? ' (incomplete)' : ''}`,
  };
}

/** "A", "A and B", "A, B and C". */
function listing(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * "tagged p95HER2: 'constitutively active form of HER2'; T-DM1": each tag with the phrase that
 * triggered it, so a reader sees why; the phrase is left out where it only repeats the name.
 */
export function tagsLine(d: DigestItem, nameOf: (id: string) => string | undefined): string | undefined {
  const ids = [...d.mechanisms, ...d.agents].slice(0, 4);
  if (ids.length === 0) return undefined;
  const words = (t: string) =>
    t
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  const shown = ids.map((id) => {
    const name = nameOf(id) ?? id;
    const why = d.reasons?.[id];
    return why && !` ${words(name)} `.includes(` ${words(why)} `) ? `${name}: '${why}'` : name;
  });
  return `tagged ${shown.join('; ')}`;
}

function itemOf(d: DigestItem, nameOf: (id: string) => string | undefined, syntax: Syntax): SectionItem {
  const it = d.item;
  const where =
    it.source === 'clinicaltrials'
      ? `ClinicalTrials.gov${it.change ? ` (${it.change === 'new' ? 'new trial' : 'updated'})` : ''}`
      : (it.journal ?? sourceLabel(it.source));
  const parts = [where, it.date, d.tier];
  const tags = tagsLine(d, nameOf);
  if (tags) parts.push(tags);
  if (d.kbGap) parts.push(`${d.kbGap} is not in the knowledge base yet`);
  if (it.retractionOf?.length) parts.push(`RETRACTION of PMID ${it.retractionOf.join(', ')}`);
  if (it.correctionOf?.length) parts.push(`correction of PMID ${it.correctionOf.join(', ')}`);
  return {
    title: it.title || '(untitled record)',
    text: parts.join(' · '),
    link: { label: it.source === 'clinicaltrials' ? it.id : it.pmid ? `PMID ${it.pmid}` : it.id, url: it.url },
    evidence: [],
    feedbackRef: itemRef(d.key),
    ...(d.kbEntry
      ? {
          entry: {
            label: `new data on ${d.kbEntry.name}`,
            id: d.kbEntry.id,
            // The entry's own name ("CLEOPATRA final OS") finds its card; the trial's may find another analysis.
            ask: `${syntax.prefix}${nameOf(d.kbEntry.id) ?? d.kbEntry.name}`,
          },
        }
      : {}),
  };
}
