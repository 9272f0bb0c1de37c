/**
 * Whether a digest item reports on something the knowledge base holds, or on a trial or drug it
 * lacks that the concept layer knows people ask about. The first is "new data on CLEOPATRA" (the
 * same PMID, DOI or NCT id as an entry, an NCT id of an entry named in the record, or a trial's
 * acronym in the title); the second a gap a curator may fill. Both are queued for the curators.
 */
import type { KnowledgeBase } from '../knowledge/knowledge-base.ts';
import type { Evidence } from '../knowledge/schema.ts';
import type { LiteratureItem } from './sources/types.ts';

export type EntryMatch = 'pmid' | 'doi' | 'nct' | 'acronym';

export interface KbEntry {
  /** The evidence item's id, and the trial's name as the label says it ("new data on CLEOPATRA"). */
  id: string;
  name: string;
  by: EntryMatch;
}

const TRIAL_KINDS = new Set<Evidence['kind']>([
  'phase-1',
  'phase-1-2',
  'phase-2',
  'phase-3',
  'phase-3b-4',
  'pooled-analysis',
]);
const NCT = /\bNCT\d{8}\b/g;
/** An acronym as trials are named: three capitals or more, digits and hyphens allowed (DESTINY-Breast03, EMILIA). */
const ACRONYM = /^(?=(?:[^A-Z]*[A-Z]){3})[A-Z][A-Za-z0-9-]*[A-Za-z0-9]$/;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Whole words, hyphen and space interchangeable ("DESTINY-Breast03" finds "DESTINY Breast03"). */
const wordPattern = (phrase: string, flags: string) =>
  new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(phrase).replace(/\\?-| /g, '[-\\s]?')}(?![\\p{L}\\p{N}])`, flags);

export class KbEntries {
  private readonly acronyms: { pattern: RegExp; evidence: Evidence }[] = [];
  private readonly gaps: { pattern: RegExp; name: string }[] = [];

  constructor(private readonly kb: KnowledgeBase) {
    const seen = new Set<string>();
    for (const e of kb.evidence) {
      if (!TRIAL_KINDS.has(e.kind)) continue;
      const acronym = e.name.split(' ')[0]!;
      // The first entry of a trial (its primary analysis, in knowledge-base order) stands for it.
      if (!ACRONYM.test(acronym) || seen.has(acronym)) continue;
      seen.add(acronym);
      this.acronyms.push({ pattern: wordPattern(acronym, 'u'), evidence: e });
    }
    const unheld = kb.concepts.data.unheld;
    for (const name of unheld.trials) {
      // All-capital names (APT, HERA) match only in capitals; "apt" is an ordinary word.
      this.gaps.push({ pattern: wordPattern(name, name === name.toUpperCase() ? 'u' : 'iu'), name });
    }
    for (const name of unheld.drugs) this.gaps.push({ pattern: wordPattern(name, 'iu'), name });
  }

  /** The entry an item reports on, by the strongest tie first: same paper, same trial, acronym in the title. */
  entryFor(item: LiteratureItem): KbEntry | undefined {
    const found = (e: Evidence | undefined, by: EntryMatch): KbEntry | undefined => {
      return e && { id: e.id, name: trialName(e), by };
    };
    const kb = this.kb;
    const byPaper =
      (item.pmid ? found(kb.evidenceByIdentifier({ pmid: item.pmid }), 'pmid') : undefined) ??
      (item.doi ? found(kb.evidenceByIdentifier({ doi: item.doi }), 'doi') : undefined);
    if (byPaper) return byPaper;
    const named = [...`${item.title} ${item.abstract ?? ''}`.matchAll(NCT)].map((m) => m[0]);
    const ncts = new Set([...(item.nct ?? []), ...named]);
    if (item.source === 'clinicaltrials') ncts.add(item.id);
    for (const nct of ncts) {
      const e = found(kb.evidenceByIdentifier({ nct }), 'nct');
      if (e) return e;
    }
    const acronym = this.acronyms.find((a) => a.pattern.test(item.title));
    return found(acronym?.evidence, 'acronym');
  }

  /** A trial or drug named in the title that the knowledge base does not hold (concepts.yaml `unheld`). */
  gapFor(item: LiteratureItem): string | undefined {
    return this.gaps.find((g) => g.pattern.test(item.title))?.name;
  }
}

/** "CLEOPATRA" for "CLEOPATRA final OS": a trial is named by its acronym; anything else by its name. */
function trialName(e: Evidence): string {
  const first = e.name.split(' ')[0]!;
  return TRIAL_KINDS.has(e.kind) && ACRONYM.test(first) ? first : e.name;
}
