/**
 * The schema's history, append-only. A released migration is never edited: change the schema by
 * adding the next number. `migrate.ts` applies what a database lacks, each step in its own transaction.
 * Every step is written for both engines; the two must describe the same tables, columns and rules
 * (the store suite runs unchanged against both, which is what keeps them honest).
 *
 * Conventions: timestamps are TEXT from `Date#toISOString()` (UTC, comparable as text, identical on
 * both engines); JSON columns are TEXT checked as JSON (`json_valid` / a `::jsonb` cast); statuses are
 * closed sets with CHECKs, so a typo in a later module fails loudly instead of writing a row the
 * scheduler never picks up. Ids are 32-bit integers on PostgreSQL so `pg` returns them as numbers.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sqlite: string;
  readonly postgres: string;
  /**
   * The step rebuilds a table other tables reference (SQLite's way to drop a column a CHECK uses):
   * on SQLite it runs with foreign keys off, or dropping the old table would cascade into its children.
   */
  readonly rebuildsReferencedTable?: boolean;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'digest and proactive messaging',
    sqlite: `
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
    // Text columns compare bytewise (COLLATE "C"), as SQLite does: ISO instants and keys sort the same on both.
    postgres: `
      CREATE TABLE subscriptions (
        channel_key     TEXT COLLATE "C" PRIMARY KEY,
        platform        TEXT COLLATE "C" NOT NULL CHECK (platform IN ('slack', 'teams')),
        time            TEXT COLLATE "C" NOT NULL CHECK (time ~ '^[0-2][0-9]:[0-5][0-9]$' AND time < '24:00'),
        time_zone       TEXT COLLATE "C" NOT NULL CHECK (time_zone <> ''),
        topics          TEXT COLLATE "C" NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(topics::jsonb) = 'array'),
        post_nothing_new INTEGER NOT NULL DEFAULT 0 CHECK (post_nothing_new IN (0, 1)),
        status          TEXT COLLATE "C" NOT NULL CHECK (status IN ('active', 'dormant', 'unsubscribed')),
        dormant_reason  TEXT COLLATE "C",
        dormant_since   TEXT COLLATE "C",
        created_at      TEXT COLLATE "C" NOT NULL,
        created_by      TEXT COLLATE "C" NOT NULL,
        updated_at      TEXT COLLATE "C" NOT NULL,
        CHECK (substr(channel_key, 1, length(platform) + 1) = platform || ':'),
        CHECK ((status = 'dormant') = (dormant_reason IS NOT NULL AND dormant_since IS NOT NULL)),
        CHECK (status = 'dormant' OR (dormant_reason IS NULL AND dormant_since IS NULL))
      );
      CREATE INDEX subscriptions_by_status ON subscriptions (status, channel_key);

      CREATE TABLE conversation_refs (
        key        TEXT COLLATE "C" PRIMARY KEY,
        reference  TEXT COLLATE "C" NOT NULL CHECK (jsonb_typeof(reference::jsonb) = 'object'),
        sdk        TEXT COLLATE "C" NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL
      );

      CREATE TABLE digest_runs (
        id            INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        channel_key   TEXT COLLATE "C" NOT NULL REFERENCES subscriptions (channel_key) ON DELETE CASCADE,
        scheduled_for TEXT COLLATE "C" NOT NULL,
        status        TEXT COLLATE "C" NOT NULL CHECK (status IN ('claimed', 'posted', 'failed', 'empty')),
        attempt       INTEGER NOT NULL CHECK (attempt >= 1),
        claimed_by    TEXT COLLATE "C" NOT NULL,
        claimed_at    TEXT COLLATE "C" NOT NULL,
        lease_until   TEXT COLLATE "C" NOT NULL,
        window_since  TEXT COLLATE "C",
        window_until  TEXT COLLATE "C",
        sources       TEXT COLLATE "C" CHECK (sources IS NULL OR jsonb_typeof(sources::jsonb) = 'object'),
        message_id    TEXT COLLATE "C",
        error         TEXT COLLATE "C",
        finished_at   TEXT COLLATE "C",
        created_at    TEXT COLLATE "C" NOT NULL,
        updated_at    TEXT COLLATE "C" NOT NULL,
        UNIQUE (channel_key, scheduled_for),
        UNIQUE (id, channel_key),
        CHECK ((window_since IS NULL) = (window_until IS NULL)),
        CHECK (window_since IS NULL OR window_since <= window_until),
        CHECK ((status = 'claimed') = (finished_at IS NULL))
      );
      CREATE INDEX digest_runs_by_outcome ON digest_runs (channel_key, status, scheduled_for);

      CREATE TABLE posted_items (
        channel_key TEXT COLLATE "C" NOT NULL,
        item_key    TEXT COLLATE "C" NOT NULL,
        posted_at   TEXT COLLATE "C" NOT NULL,
        run_id      INTEGER NOT NULL,
        PRIMARY KEY (channel_key, item_key),
        FOREIGN KEY (run_id, channel_key) REFERENCES digest_runs (id, channel_key) ON DELETE CASCADE
      );
      CREATE INDEX posted_items_by_run ON posted_items (run_id);

      CREATE TABLE source_watermarks (
        source      TEXT COLLATE "C" PRIMARY KEY,
        window_end  TEXT COLLATE "C" NOT NULL,
        last_run_at TEXT COLLATE "C" NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'reader feedback, tag mutes and curation',
    sqlite: `
      -- Every press of a feedback button, as the reader saw the item: its tags and the phrase behind
      -- each, and the knowledge-base version, so a curator can tell a bad phrase from a stale entry.
      -- Conversation keys are opaque (built by the surfaces). Holds readers' words: never exported
      -- except by the curator's report.
      CREATE TABLE feedback (
        id               INTEGER PRIMARY KEY,
        user_id          TEXT NOT NULL CHECK (user_id <> ''),
        surface          TEXT NOT NULL CHECK (surface <> ''),
        conversation_key TEXT NOT NULL CHECK (conversation_key <> ''),
        item_key         TEXT NOT NULL CHECK (item_key <> ''),
        item_title       TEXT,
        action           TEXT NOT NULL CHECK (action IN ('useful', 'not_relevant', 'wrong_tags', 'report')),
        tags             TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
        reasons          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(reasons) AND json_type(reasons) = 'object'),
        tags_removed     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags_removed) AND json_type(tags_removed) = 'array'),
        tags_added       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags_added) AND json_type(tags_added) = 'array'),
        kb_version       TEXT NOT NULL CHECK (kb_version <> ''),
        text             TEXT CHECK (text IS NULL OR length(text) <= 2000),
        created_at       TEXT NOT NULL,
        CHECK ((action = 'report') = (text IS NOT NULL))
      );
      CREATE INDEX feedback_by_conversation ON feedback (conversation_key, action, created_at);
      CREATE INDEX feedback_by_item ON feedback (item_key, created_at);

      -- Tags a subscription no longer wants ("fewer like this"). No foreign key to subscriptions: a mute
      -- outlives an unsubscribe and a rebuilt subscriptions table, and is undone only by an unmute.
      CREATE TABLE tag_mutes (
        channel_key TEXT NOT NULL CHECK (channel_key <> ''),
        tag         TEXT NOT NULL CHECK (tag GLOB 'mech-*' OR tag GLOB 'agent-*'),
        muted_by    TEXT NOT NULL CHECK (muted_by <> ''),
        muted_at    TEXT NOT NULL,
        PRIMARY KEY (channel_key, tag)
      ) WITHOUT ROWID;

      -- Digest items that may warrant a knowledge-base update: new data on an entry it holds
      -- ('new_data', entry_id set) or a trial or agent it lacks that the concept layer puts in scope
      -- ('not_in_kb'). One row per item, whichever channel saw it first.
      CREATE TABLE curation_candidates (
        id          INTEGER PRIMARY KEY,
        item_key    TEXT NOT NULL UNIQUE CHECK (item_key <> ''),
        kind        TEXT NOT NULL CHECK (kind IN ('new_data', 'not_in_kb')),
        entry_id    TEXT,
        subject     TEXT NOT NULL CHECK (subject <> ''),
        matched_by  TEXT NOT NULL CHECK (matched_by IN ('nct', 'doi', 'pmid', 'acronym', 'concept')),
        item        TEXT NOT NULL CHECK (json_valid(item) AND json_type(item) = 'object'),
        kb_version  TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'dismissed')),
        note        TEXT CHECK (note IS NULL OR length(note) <= 2000),
        decided_by  TEXT,
        decided_at  TEXT,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        CHECK ((kind = 'new_data') = (entry_id IS NOT NULL)),
        CHECK ((status = 'open') = (decided_at IS NULL AND decided_by IS NULL))
      );
      CREATE INDEX curation_candidates_by_status ON curation_candidates (status, created_at);
    `,
    postgres: `
      CREATE TABLE feedback (
        id               INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        user_id          TEXT COLLATE "C" NOT NULL CHECK (user_id <> ''),
        surface          TEXT COLLATE "C" NOT NULL CHECK (surface <> ''),
        conversation_key TEXT COLLATE "C" NOT NULL CHECK (conversation_key <> ''),
        item_key         TEXT COLLATE "C" NOT NULL CHECK (item_key <> ''),
        item_title       TEXT COLLATE "C",
        action           TEXT COLLATE "C" NOT NULL CHECK (action IN ('useful', 'not_relevant', 'wrong_tags', 'report')),
        tags             TEXT COLLATE "C" NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(tags::jsonb) = 'array'),
        reasons          TEXT COLLATE "C" NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(reasons::jsonb) = 'object'),
        tags_removed     TEXT COLLATE "C" NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(tags_removed::jsonb) = 'array'),
        tags_added       TEXT COLLATE "C" NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(tags_added::jsonb) = 'array'),
        kb_version       TEXT COLLATE "C" NOT NULL CHECK (kb_version <> ''),
        text             TEXT COLLATE "C" CHECK (text IS NULL OR length(text) <= 2000),
        created_at       TEXT COLLATE "C" NOT NULL,
        CHECK ((action = 'report') = (text IS NOT NULL))
      );
      CREATE INDEX feedback_by_conversation ON feedback (conversation_key, action, created_at);
      CREATE INDEX feedback_by_item ON feedback (item_key, created_at);

      CREATE TABLE tag_mutes (
        channel_key TEXT COLLATE "C" NOT NULL CHECK (channel_key <> ''),
        tag         TEXT COLLATE "C" NOT NULL CHECK (tag LIKE 'mech-%' OR tag LIKE 'agent-%'),
        muted_by    TEXT COLLATE "C" NOT NULL CHECK (muted_by <> ''),
        muted_at    TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (channel_key, tag)
      );

      CREATE TABLE curation_candidates (
        id          INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        item_key    TEXT COLLATE "C" NOT NULL UNIQUE CHECK (item_key <> ''),
        kind        TEXT COLLATE "C" NOT NULL CHECK (kind IN ('new_data', 'not_in_kb')),
        entry_id    TEXT COLLATE "C",
        subject     TEXT COLLATE "C" NOT NULL CHECK (subject <> ''),
        matched_by  TEXT COLLATE "C" NOT NULL CHECK (matched_by IN ('nct', 'doi', 'pmid', 'acronym', 'concept')),
        item        TEXT COLLATE "C" NOT NULL CHECK (jsonb_typeof(item::jsonb) = 'object'),
        kb_version  TEXT COLLATE "C" NOT NULL,
        status      TEXT COLLATE "C" NOT NULL CHECK (status IN ('open', 'accepted', 'dismissed')),
        note        TEXT COLLATE "C" CHECK (note IS NULL OR length(note) <= 2000),
        decided_by  TEXT COLLATE "C",
        decided_at  TEXT COLLATE "C",
        created_at  TEXT COLLATE "C" NOT NULL,
        updated_at  TEXT COLLATE "C" NOT NULL,
        CHECK ((kind = 'new_data') = (entry_id IS NOT NULL)),
        CHECK ((status = 'open') = (decided_at IS NULL AND decided_by IS NULL))
      );
      CREATE INDEX curation_candidates_by_status ON curation_candidates (status, created_at);
    `,
  },
  {
    version: 3,
    name: 'conversation keys are opaque',
    rebuildsReferencedTable: true,
    // The platform column spelled out what the key's prefix already said, and made the store know every
    // surface by name. Keys stay as they are ("slack:T…:C…", "teams:19:…"): each surface in handlers/
    // still reads its own, so old rows keep working. SQLite cannot drop a column a table CHECK uses,
    // hence the rebuild.
    sqlite: `
      CREATE TABLE subscriptions_v2 (
        channel_key     TEXT PRIMARY KEY CHECK (channel_key <> ''),
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
        CHECK ((status = 'dormant') = (dormant_reason IS NOT NULL AND dormant_since IS NOT NULL)),
        CHECK (status = 'dormant' OR (dormant_reason IS NULL AND dormant_since IS NULL))
      );
      INSERT INTO subscriptions_v2
        SELECT channel_key, time, time_zone, topics, post_nothing_new, status, dormant_reason, dormant_since,
               created_at, created_by, updated_at
        FROM subscriptions;
      DROP TABLE subscriptions;
      ALTER TABLE subscriptions_v2 RENAME TO subscriptions;
      CREATE INDEX subscriptions_by_status ON subscriptions (status, channel_key);
    `,
    // PostgreSQL drops a column in place (constraints using it go with it); the key check is added.
    postgres: `
      ALTER TABLE subscriptions DROP COLUMN platform;
      ALTER TABLE subscriptions ADD CHECK (channel_key <> '');
    `,
  },
  {
    version: 4,
    name: 'app installs with sealed tokens',
    sqlite: `
      -- One row per install of the app through OAuth (a Slack workspace, or an organisation for an
      -- org-wide install), under an opaque key built by the surface. What the surface needs to act there
      -- (its tokens) is sealed with AES-256-GCM before it reaches the store; key_id names the sealing key,
      -- so a key rotation can find the rows still to seal again.
      CREATE TABLE installations (
        installation_key TEXT PRIMARY KEY CHECK (installation_key <> ''),
        key_id           TEXT NOT NULL CHECK (key_id <> ''),
        sealed           TEXT NOT NULL CHECK (sealed <> ''),
        created_at       TEXT NOT NULL,
        updated_at       TEXT NOT NULL
      );
      CREATE INDEX installations_by_key_id ON installations (key_id);
    `,
    postgres: `
      CREATE TABLE installations (
        installation_key TEXT COLLATE "C" PRIMARY KEY CHECK (installation_key <> ''),
        key_id           TEXT COLLATE "C" NOT NULL CHECK (key_id <> ''),
        sealed           TEXT COLLATE "C" NOT NULL CHECK (sealed <> ''),
        created_at       TEXT COLLATE "C" NOT NULL,
        updated_at       TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX installations_by_key_id ON installations (key_id);
    `,
  },
  {
    version: 5,
    name: 'inbound deliveries seen',
    // Keys of requests already handled (Slack event ids, request signatures), shared by replicas.
    sqlite: `
      CREATE TABLE inbound_deliveries (
        key        TEXT PRIMARY KEY,
        seen_at    TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX inbound_deliveries_by_expiry ON inbound_deliveries (expires_at);
    `,
    postgres: `
      CREATE TABLE inbound_deliveries (
        key        TEXT COLLATE "C" PRIMARY KEY,
        seen_at    TEXT COLLATE "C" NOT NULL,
        expires_at TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX inbound_deliveries_by_expiry ON inbound_deliveries (expires_at);
    `,
  },
  {
    version: 6,
    name: 'digest items as shown',
    // Each digest item as the digest showed it: the record (title, link, identifiers, authors), its tags
    // and the phrase behind each, and the knowledge-base version. Feedback buttons carry only the short
    // ref; exports read the records of what posted_items says a channel was shown.
    sqlite: `
      CREATE TABLE digest_items (
        ref         TEXT PRIMARY KEY CHECK (length(ref) = 16),
        item_key    TEXT NOT NULL UNIQUE CHECK (item_key <> ''),
        item        TEXT NOT NULL CHECK (json_valid(item) AND json_type(item) = 'object'),
        tags        TEXT NOT NULL CHECK (json_valid(tags) AND json_type(tags) = 'array'),
        reasons     TEXT NOT NULL CHECK (json_valid(reasons) AND json_type(reasons) = 'object'),
        kb_version  TEXT NOT NULL,
        first_seen  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );
    `,
    postgres: `
      CREATE TABLE digest_items (
        ref         TEXT COLLATE "C" PRIMARY KEY CHECK (length(ref) = 16),
        item_key    TEXT COLLATE "C" NOT NULL UNIQUE CHECK (item_key <> ''),
        item        TEXT COLLATE "C" NOT NULL CHECK (jsonb_typeof(item::jsonb) = 'object'),
        tags        TEXT COLLATE "C" NOT NULL CHECK (jsonb_typeof(tags::jsonb) = 'array'),
        reasons     TEXT COLLATE "C" NOT NULL CHECK (jsonb_typeof(reasons::jsonb) = 'object'),
        kb_version  TEXT COLLATE "C" NOT NULL,
        first_seen  TEXT COLLATE "C" NOT NULL,
        updated_at  TEXT COLLATE "C" NOT NULL
      );
    `,
  },
  {
    version: 7,
    name: 'no source watermarks',
    // Migration 1 kept, per literature source, the end of the last window fetched. Nothing ever read
    // it: each channel's next window starts from its own last fully covered run (digest_runs), so a
    // failed source is fetched again for that channel, and channels subscribed on different days keep
    // windows of their own, which one watermark per source could not give them.
    sqlite: 'DROP TABLE IF EXISTS source_watermarks;',
    postgres: 'DROP TABLE IF EXISTS source_watermarks;',
  },
];
