/**
 * The bot's persistent state: digest subscriptions, Teams conversation references, what each channel
 * has been shown, digest runs (and their claims), the digest items as shown, readers' feedback, muted
 * tags, the curation queue and the app's OAuth installs (tokens sealed). One interface, two
 * engines: a SQLite file by default (DATABASE_PATH; nothing to install), PostgreSQL when DATABASE_URL
 * names one (several replicas on one database). Every repository method returns a promise.
 */
import { hostname } from 'node:os';
import { type Logger, silentLogger } from '../logger.ts';
import { ConversationReferenceRepository } from './conversation-refs.ts';
import { CurationRepository } from './curation.ts';
import { explainSqliteFailure } from './database-file.ts';
import { isPostgresUrl } from './database-url.ts';
import { DeliveryRepository } from './deliveries.ts';
import { DigestItemRepository } from './digest-items.ts';
import { DigestRunRepository } from './digest-runs.ts';
import type { Dialect, Engine } from './engine.ts';
import { FeedbackRepository } from './feedback.ts';
import { InstallationRepository } from './installations.ts';
import { migrate } from './migrate.ts';
import { PostedItemRepository } from './posted-items.ts';
import { openPostgresEngine } from './postgres-engine.ts';
import { openSqliteEngine } from './sqlite-engine.ts';
import { SubscriptionRepository } from './subscriptions.ts';
import { TagMuteRepository } from './tag-mutes.ts';
import type { Clock } from './values.ts';

export type { ConversationReferenceJson, StoredConversationReference } from './conversation-refs.ts';
export type {
  Candidate,
  CandidateInput,
  CandidateKind,
  CandidateMatch,
  CandidateStatus,
} from './curation.ts';
export { isPostgresUrl, redactUrl } from './database-url.ts';
export type { ShownItem, ShownItemInput } from './digest-items.ts';
export type {
  ClaimOptions,
  DigestRun,
  RunClaim,
  RunOutcome,
  RunReport,
  RunStatus,
  RunWindow,
} from './digest-runs.ts';
export type { Dialect } from './engine.ts';
export { StoreError, type StoreErrorCode } from './errors.ts';
export {
  FEEDBACK_ACTIONS,
  type Feedback,
  type FeedbackAction,
  type FeedbackInput,
  MAX_REPORT_LENGTH,
} from './feedback.ts';
export type { StoredInstallation } from './installations.ts';
export type { ItemKey, PostedItem } from './posted-items.ts';
export type { SubscribeInput, Subscription, SubscriptionStatus } from './subscriptions.ts';
export type { TagMute } from './tag-mutes.ts';
export type { ChannelKey, Clock, Instant, JsonObject, JsonValue } from './values.ts';

export interface StoreOptions {
  logger?: Logger;
  /** The clock every stored timestamp comes from. */
  now?: Clock;
  /** SQLite: how long a write waits for another connection's lock before failing. */
  busyTimeoutMs?: number;
  /** PostgreSQL: connections in this process's pool. */
  poolSize?: number;
  /** Names this process in digest claims, for diagnosing two bots on one database. Defaults to host#pid. */
  instanceId?: string;
}

export interface Store {
  readonly dialect: Dialect;
  /** Where the data is, safe to log: the file path, `:memory:`, or the URL without its password. */
  readonly location: string;
  /** The schema version after migrating: the last migration this build knows. */
  readonly schemaVersion: number;
  readonly subscriptions: SubscriptionRepository;
  readonly conversations: ConversationReferenceRepository;
  readonly postedItems: PostedItemRepository;
  readonly runs: DigestRunRepository;
  /** Inbound requests already handled, across replicas (Slack retries and replays). */
  readonly deliveries: DeliveryRepository;
  /** Digest items as shown, by ref (feedback and exports). */
  readonly digestItems: DigestItemRepository;
  /** Readers' feedback on digest items and answer cards. */
  readonly feedback: FeedbackRepository;
  /** Tags each subscription muted. */
  readonly mutes: TagMuteRepository;
  /** Candidate knowledge-base updates and curators' decisions. */
  readonly curation: CurationRepository;
  /** The app's OAuth installs (Slack workspaces), their tokens sealed. */
  readonly installations: InstallationRepository;
  /** The engine's settings as it reports them, for a health check or a startup log line. */
  diagnostics(): Promise<Record<string, string | number | boolean>>;
  /** Resolves when the database answers; rejects with the reason otherwise (for /healthz). */
  ping(): Promise<void>;
  /** Closes the connection or pool; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Opens (creating it if needed) and migrates the database: a SQLite file (or `:memory:`), or the
 * PostgreSQL database a URL names. Throws a StoreError with code `schema_too_new` or
 * `schema_mismatch` for a database this build must not touch, `unusable` for one it cannot reach.
 */
export async function openStore(location: string, options: StoreOptions = {}): Promise<Store> {
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? (() => new Date());
  const engine = isPostgresUrl(location)
    ? await openPostgresEngine(location, { logger, ...(options.poolSize ? { poolSize: options.poolSize } : {}) })
    : openSqliteEngine(location, {
        logger,
        ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
      });
  try {
    return await storeOn(engine, { logger, now, instanceId: options.instanceId });
  } catch (err) {
    await engine.close().catch(() => {});
    throw engine.dialect === 'sqlite' ? explainSqliteFailure(location, err) : err;
  }
}

async function storeOn(
  engine: Engine,
  options: { logger: Logger; now: Clock; instanceId: string | undefined },
): Promise<Store> {
  const { logger, now } = options;
  const schemaVersion = await migrate(engine, { logger, now });
  logger.debug({ location: engine.location, schemaVersion, ...(await engine.diagnostics()) }, 'store: open');
  const postedItems = new PostedItemRepository(engine, now);
  return {
    dialect: engine.dialect,
    location: engine.location,
    schemaVersion,
    subscriptions: new SubscriptionRepository(engine, now),
    conversations: new ConversationReferenceRepository(engine, now),
    postedItems,
    runs: new DigestRunRepository(
      engine,
      now,
      postedItems,
      logger,
      options.instanceId ?? `${hostname()}#${process.pid}`,
    ),
    deliveries: new DeliveryRepository(engine, now),
    digestItems: new DigestItemRepository(engine, now),
    feedback: new FeedbackRepository(engine, now),
    mutes: new TagMuteRepository(engine, now),
    curation: new CurationRepository(engine, now),
    installations: new InstallationRepository(engine, now),
    diagnostics: () => engine.diagnostics(),
    ping: () => engine.ping(),
    close: () => engine.close(),
  };
}
