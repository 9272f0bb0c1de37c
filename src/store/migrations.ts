/**
 * The schema's history, append-only. A released migration is never edited: change the schema by
 * adding the next number. `migrate.ts` applies what a database lacks, each step in its own transaction.
 *
 * Conventions: timestamps are TEXT from `Date#toISOString()` (UTC, comparable as text); JSON columns
 * are checked with `json_valid`; statuses are closed sets with CHECKs, so a typo in a later module fails
 * loudly instead of writing a row the scheduler never picks up.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'digest and proactive messaging',
    sql: `
      -- One row per channel that ever subscribed. Rows are never deleted: an unsubscribe is a status, so
      -- the channel's runs and posted items stay attached and a re-subscribe does not repost old items.
      CREATE TABLE subscriptions (
        channel_key     TEXT PRIMARY KEY,
        platform        TEXT NOT NULL CHECK (platform IN ('slack', 'teams')),
        time            TEXT NOT NULL CHECK (time GLOB '[0-2][0-9]:[0-5][0-9]' AND time < '24:00'),
        time_zone       TEXT NOT NULL CHECK (time_zone <> ''),
        topics          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(topics) AND json_type(topics) = 'array'),
        post_nothing_new INTEGER NOT NULL DEFAULT 0 CHECK (post_nothing_new IN (0, 1)),
        status          TEXT NOT NULL CHECK (status IN ('active', 'dormant', 'unsubscribed')),
        dormant_reason  TEXT,
        dormant_since   TEXT,
        created_at      TEXT NOT NULL,
        created_by      TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        CHECK (substr(channel_key, 1, length(platform) + 1) = platform || ':'),
        CHECK ((status = 'dormant') = (dormant_reason IS NOT NULL AND dormant_since IS NOT NULL)),
        CHECK (status = 'dormant' OR (dormant_reason IS NULL AND dormant_since IS NULL))
      );
      CREATE INDEX subscriptions_by_status ON subscriptions (status, channel_key);

      -- How to reach a conversation later (Teams proactive messages). Opaque JSON, tagged with the SDK
      -- that wrote it, so a move from botbuilder to the Agents SDK can map fields in a migration.
      CREATE TABLE conversation_refs (
        key        TEXT PRIMARY KEY,
        reference  TEXT NOT NULL CHECK (json_valid(reference) AND json_type(reference) = 'object'),
        sdk        TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      -- One row per (channel, scheduled slot): the unique key is the lock that stops two processes from
      -- posting one digest twice. A 'claimed' row whose lease has passed belongs to a crashed process.
      CREATE TABLE digest_runs (
        id            INTEGER PRIMARY KEY,
        channel_key   TEXT NOT NULL REFERENCES subscriptions (channel_key) ON DELETE CASCADE,
        scheduled_for TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('claimed', 'posted', 'failed', 'empty')),
        attempt       INTEGER NOT NULL CHECK (attempt >= 1),
        claimed_by    TEXT NOT NULL,
        claimed_at    TEXT NOT NULL,
        lease_until   TEXT NOT NULL,
        window_since  TEXT,
        window_until  TEXT,
        sources       TEXT CHECK (sources IS NULL OR (json_valid(sources) AND json_type(sources) = 'object')),
        message_id    TEXT,
        error         TEXT,
        finished_at   TEXT,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        UNIQUE (channel_key, scheduled_for),
        UNIQUE (id, channel_key),
        CHECK ((window_since IS NULL) = (window_until IS NULL)),
        CHECK (window_since IS NULL OR window_since <= window_until),
        CHECK ((status = 'claimed') = (finished_at IS NULL))
      );
      CREATE INDEX digest_runs_by_outcome ON digest_runs (channel_key, status, scheduled_for);

      -- What each channel has already been shown. The foreign key on (run_id, channel_key) makes it
      -- impossible to file an item under another channel's run.
      CREATE TABLE posted_items (
        channel_key TEXT NOT NULL,
        item_key    TEXT NOT NULL,
        posted_at   TEXT NOT NULL,
        run_id      INTEGER NOT NULL,
        PRIMARY KEY (channel_key, item_key),
        FOREIGN KEY (run_id, channel_key) REFERENCES digest_runs (id, channel_key) ON DELETE CASCADE
      ) WITHOUT ROWID;
      CREATE INDEX posted_items_by_run ON posted_items (run_id);

      -- Per literature source: the end of the last window fetched successfully.
      CREATE TABLE source_watermarks (
        source      TEXT PRIMARY KEY,
        window_end  TEXT NOT NULL,
        last_run_at TEXT NOT NULL
      );
    `,
  },
];
