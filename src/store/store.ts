/**
 * The bot's persistent state in one SQLite file: digest subscriptions, Teams conversation references,
 * what each channel has been shown, digest runs (and their claims), per-source watermarks, readers'
 * feedback, muted tags and the curation queue.
 *
 * Several bot processes may share the file: WAL lets readers and the one writer proceed together,
 * `busy_timeout` makes a writer wait for the lock instead of failing, and every read-then-write
 * transaction begins IMMEDIATE, because a deferred one that upgrades to a write lock fails at once
 * with SQLITE_BUSY under WAL instead of waiting.
 */
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { type Logger, silentLogger } from '../logger.ts';
import { ConversationReferenceRepository } from './conversation-refs.ts';
import { CurationRepository } from './curation.ts';
import { explainSqliteFailure, prepareDatabaseFolder } from './database-file.ts';
import { DigestRunRepository } from './digest-runs.ts';
import { FeedbackRepository } from './feedback.ts';
import { migrate } from './migrate.ts';
import { PostedItemRepository } from './posted-items.ts';
import { SubscriptionRepository } from './subscriptions.ts';
import { TagMuteRepository } from './tag-mutes.ts';
import type { Clock } from './values.ts';
import { WatermarkRepository } from './watermarks.ts';

export type { ConversationReferenceJson, StoredConversationReference } from './conversation-refs.ts';
export type {
  Candidate,
  CandidateInput,
  CandidateKind,
  CandidateMatch,
  CandidateStatus,
} from './curation.ts';
export type {
  ClaimOptions,
  DigestRun,
  RunClaim,
  RunOutcome,
  RunReport,
  RunStatus,
  RunWindow,
} from './digest-runs.ts';
export { StoreError, type StoreErrorCode } from './errors.ts';
export {
  FEEDBACK_ACTIONS,
  type Feedback,
  type FeedbackAction,
  type FeedbackInput,
  MAX_REPORT_LENGTH,
} from './feedback.ts';
export type { ItemKey, PostedItem } from './posted-items.ts';
export type { SubscribeInput, Subscription, SubscriptionStatus } from './subscriptions.ts';
export type { TagMute } from './tag-mutes.ts';
export type { ChannelKey, Clock, Instant, JsonObject, JsonValue } from './values.ts';
export type { Watermark } from './watermarks.ts';

export interface StoreOptions {
  logger?: Logger;
  /** The clock every stored timestamp comes from. */
  now?: Clock;
  /** How long a write waits for another connection's lock before failing. */
  busyTimeoutMs?: number;
  /** Names this process in digest claims, for diagnosing two bots on one database. Defaults to host#pid. */
  instanceId?: string;
}

export interface Store {
  /** The database file, or `:memory:`. */
  readonly path: string;
  /** The schema version after migrating: the last migration this build knows. */
  readonly schemaVersion: number;
  readonly subscriptions: SubscriptionRepository;
  readonly conversations: ConversationReferenceRepository;
  readonly postedItems: PostedItemRepository;
  readonly runs: DigestRunRepository;
  readonly watermarks: WatermarkRepository;
  /** Readers' feedback on digest items and answer cards. */
  readonly feedback: FeedbackRepository;
  /** Tags each subscription muted. */
  readonly mutes: TagMuteRepository;
  /** Candidate knowledge-base updates and curators' decisions. */
  readonly curation: CurationRepository;
  /** The connection's settings as SQLite reports them, for a health check or a startup log line. */
  diagnostics(): StoreDiagnostics;
  /** Closes the connection; safe to call twice. */
  close(): void;
}

export interface StoreDiagnostics {
  readonly journalMode: string;
  readonly foreignKeys: boolean;
  readonly busyTimeoutMs: number;
  readonly synchronous: 'off' | 'normal' | 'full' | 'extra';
}

const IN_MEMORY = ':memory:';

/**
 * Opens (creating it and its folder if needed) and migrates the database at `path`. Throws a
 * StoreError with code `schema_too_new` or `schema_mismatch` for a database this build must not touch.
 */
export function openStore(path: string, options: StoreOptions = {}): Store {
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  if (path !== IN_MEMORY) prepareDatabaseFolder(path);

  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (err) {
    throw explainSqliteFailure(path, err);
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    const journal = db.pragma('journal_mode = WAL', { simple: true });
    if (path !== IN_MEMORY && journal !== 'wal') {
      logger.warn({ path, journal }, 'store: WAL mode unavailable; concurrent bot processes will block each other');
    }
    // FULL, not NORMAL: a handful of writes a day, and a committed "posted" must survive a power cut.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const schemaVersion = migrate(db, { logger, now });
    const diagnostics = (): StoreDiagnostics => ({
      journalMode: String(db.pragma('journal_mode', { simple: true })),
      foreignKeys: db.pragma('foreign_keys', { simple: true }) === 1,
      busyTimeoutMs: Number(db.pragma('busy_timeout', { simple: true })),
      synchronous: (['off', 'normal', 'full', 'extra'] as const)[Number(db.pragma('synchronous', { simple: true }))]!,
    });
    logger.debug({ path, schemaVersion, ...diagnostics() }, 'store: open');

    const postedItems = new PostedItemRepository(db, now);
    return {
      path,
      schemaVersion,
      subscriptions: new SubscriptionRepository(db, now),
      conversations: new ConversationReferenceRepository(db, now),
      postedItems,
      runs: new DigestRunRepository(db, now, postedItems, logger, options.instanceId ?? `${hostname()}#${process.pid}`),
      watermarks: new WatermarkRepository(db, now),
      feedback: new FeedbackRepository(db, now),
      mutes: new TagMuteRepository(db, now),
      curation: new CurationRepository(db, now),
      diagnostics,
      close: () => {
        if (db.open) db.close();
      },
    };
  } catch (err) {
    db.close();
    throw explainSqliteFailure(path, err);
  }
}
