/**
 * The curation queue for curators only (CURATORS: Slack user ids, Teams AAD object ids): candidates
 * and readers' reports, newest first, and the decisions Accept, Dismiss and a note. Everyone else
 * gets `undefined` from every method: no view of the queue and no effect on it.
 */
import { type Logger, silentLogger } from '../logger.ts';
import type { Candidate, Feedback, Store } from '../store/store.ts';

export type Decision = 'accept' | 'dismiss' | 'note';

export interface CurationQueue {
  candidates: Candidate[];
  reports: Feedback[];
  /** How many candidates are open (the queue shows the newest of every status). */
  open: number;
}

/** How much of the queue a chat surface shows (Slack's Home tab holds 100 blocks). */
export const QUEUE_SHOWN = 15;

export class CurationDesk {
  private readonly logger: Logger;

  constructor(
    private readonly store: Store,
    private readonly curators: ReadonlySet<string>,
    options: { logger?: Logger } = {},
  ) {
    this.logger = options.logger ?? silentLogger;
  }

  isCurator(userId: string | undefined): boolean {
    return userId !== undefined && userId !== '' && this.curators.has(userId);
  }

  async queue(userId: string | undefined): Promise<CurationQueue | undefined> {
    if (!this.isCurator(userId)) return undefined;
    const [open, recent, reports] = await Promise.all([
      this.store.curation.list({ status: 'open' }),
      this.store.curation.list({ limit: QUEUE_SHOWN }),
      this.store.feedback.listReports(QUEUE_SHOWN),
    ]);
    return { candidates: recent, reports, open: open.length };
  }

  /** Applies a curator's decision; undefined for a non-curator, the candidate as it now is otherwise. */
  async decide(
    userId: string | undefined,
    id: number,
    decision: Decision,
    note?: string,
  ): Promise<Candidate | undefined> {
    if (!this.isCurator(userId)) {
      this.logger.warn({ candidate: id }, 'curation: a decision from someone not in CURATORS was refused');
      return undefined;
    }
    const text = note?.trim() || undefined;
    if (decision === 'note') return text ? this.store.curation.annotate(id, text) : this.store.curation.get(id);
    return this.store.curation.decide(id, decision === 'accept' ? 'accepted' : 'dismissed', userId!, text);
  }
}
