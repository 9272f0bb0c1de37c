/**
 * The curation queue: digest items that may warrant a knowledge-base update, and what a curator
 * decided. An item is queued once, whichever channel's digest saw it first; a decision is kept with
 * who made it and when, and a note may be added at any time.
 */
import type { Executor } from './engine.ts';
import { invalid, StoreError } from './errors.ts';
import { type Clock, checkKey, checkPositiveInteger, type JsonObject, toJsonObjectText } from './values.ts';

export type CandidateKind = 'new_data' | 'not_in_kb';
export type CandidateStatus = 'open' | 'accepted' | 'dismissed';
export type CandidateMatch = 'nct' | 'doi' | 'pmid' | 'acronym' | 'concept';

export interface CandidateInput {
  readonly itemKey: string;
  readonly kind: CandidateKind;
  /** The knowledge-base entry the item reports on (`new_data` only). */
  readonly entryId?: string | undefined;
  /** What it is about, as a curator reads it: "CLEOPATRA", "KATHERINE-2". */
  readonly subject: string;
  readonly matchedBy: CandidateMatch;
  /** The literature item as the digest had it: title, url, source, date and identifiers. */
  readonly item: JsonObject;
  readonly kbVersion: string;
}

export interface Candidate extends Required<Omit<CandidateInput, 'entryId'>> {
  readonly id: number;
  readonly entryId: string | undefined;
  readonly status: CandidateStatus;
  readonly note: string | undefined;
  readonly decidedBy: string | undefined;
  readonly decidedAt: string | undefined;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const MAX_NOTE_LENGTH = 2000;

interface Row {
  id: number;
  item_key: string;
  kind: CandidateKind;
  entry_id: string | null;
  subject: string;
  matched_by: CandidateMatch;
  item: string;
  kb_version: string;
  status: CandidateStatus;
  note: string | null;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
  updated_at: string;
}

export class CurationRepository {
  constructor(
    private readonly db: Executor,
    private readonly now: Clock,
  ) {}

  /** Queues an item unless it is queued already (then the first entry stands). True if it is new. */
  async propose(input: CandidateInput): Promise<boolean> {
    if (input.kind === 'new_data' && !input.entryId) throw invalid('a new-data candidate names its entry');
    const at = this.now().toISOString();
    const changes = await this.db.run(
      `INSERT INTO curation_candidates (item_key, kind, entry_id, subject, matched_by, item, kb_version, status,
                                          created_at, updated_at)
         VALUES (@itemKey, @kind, @entryId, @subject, @matchedBy, @item, @kbVersion, 'open', @at, @at)
         ON CONFLICT (item_key) DO NOTHING`,
      {
        itemKey: checkKey(input.itemKey, 'item key', 256),
        kind: input.kind,
        entryId: input.kind === 'new_data' ? checkKey(input.entryId, 'entry id') : null,
        subject: checkText(input.subject, 'subject', 200),
        matchedBy: input.matchedBy,
        item: toJsonObjectText(input.item, 'candidate item'),
        kbVersion: checkKey(input.kbVersion, 'knowledge-base version', 32),
        at,
      },
    );
    return changes > 0;
  }

  async get(id: number): Promise<Candidate | undefined> {
    const [row] = await this.db.all<Row>('SELECT * FROM curation_candidates WHERE id = @id', { id });
    return row && toCandidate(row);
  }

  /** Newest first; by status when one is given. */
  async list(options: { status?: CandidateStatus; limit?: number } = {}): Promise<Candidate[]> {
    const rows = await this.db.all<Row>(
      `SELECT * FROM curation_candidates WHERE (CAST(@status AS TEXT) IS NULL OR status = @status)
       ORDER BY created_at DESC, id DESC LIMIT @limit`,
      { status: options.status ?? null, limit: Math.max(1, Math.trunc(options.limit ?? 1000)) },
    );
    return rows.map(toCandidate);
  }

  /** Accepts or dismisses a candidate (a later decision replaces an earlier one), with an optional note. */
  async decide(id: number, status: 'accepted' | 'dismissed', userId: string, note?: string): Promise<Candidate> {
    const at = this.now().toISOString();
    const [row] = await this.db.all<Row>(
      `UPDATE curation_candidates SET status = @status, decided_by = @userId, decided_at = @at,
         note = coalesce(CAST(@note AS TEXT), note), updated_at = @at
       WHERE id = @id RETURNING *`,
      {
        id: checkPositiveInteger(id, 'candidate id'),
        status,
        userId: checkKey(userId, 'user id'),
        note: note === undefined ? null : checkText(note, 'note', MAX_NOTE_LENGTH),
        at,
      },
    );
    if (!row) throw new StoreError('not_found', `there is no curation candidate ${id}`);
    return toCandidate(row);
  }

  /** Sets the candidate's note without deciding it. */
  async annotate(id: number, note: string): Promise<Candidate> {
    const [row] = await this.db.all<Row>(
      'UPDATE curation_candidates SET note = @note, updated_at = @at WHERE id = @id RETURNING *',
      {
        note: checkText(note, 'note', MAX_NOTE_LENGTH),
        at: this.now().toISOString(),
        id: checkPositiveInteger(id, 'candidate id'),
      },
    );
    if (!row) throw new StoreError('not_found', `there is no curation candidate ${id}`);
    return toCandidate(row);
  }
}

function checkText(value: unknown, what: string, max: number): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '' || text.length > max) throw invalid(`${what} must be 1 to ${max} characters`);
  return text;
}

function toCandidate(row: Row): Candidate {
  return {
    id: row.id,
    itemKey: row.item_key,
    kind: row.kind,
    entryId: row.entry_id ?? undefined,
    subject: row.subject,
    matchedBy: row.matched_by,
    item: JSON.parse(row.item) as JsonObject,
    kbVersion: row.kb_version,
    status: row.status,
    note: row.note ?? undefined,
    decidedBy: row.decided_by ?? undefined,
    decidedAt: row.decided_at ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
