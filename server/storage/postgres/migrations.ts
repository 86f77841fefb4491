import type pg from 'pg';
import { checkOut } from './transaction.ts';

/**
 * Numbered PostgreSQL migrations; `schema_migrations` holds the number of
 * every one that has run. Migration 1 is the schema SQLite's migrations 1..8
 * end up with, table for table and column for column, so a SQLite query
 * translates to PostgreSQL one for one. Where it differs, it says why:
 * - Documents follow docs/SCALEOUT.md §2: one `documents` row per document
 *   (its name, its session, `head_seq`, the snapshot and the seq it covers)
 *   and `doc_updates(doc_id, seq, data)`. The row lock on `documents` is what
 *   orders appends from several processes; SQLite's `doc_snapshots` is folded
 *   into it.
 * - SQLite's INTEGER milliseconds are bigint, its BLOBs bytea; JSON stays text
 *   as SQLite keeps it, except the control state, jsonb (its version is compared).
 * - Tables that SQLite reads `ORDER BY …, rowid` have a `rowid` identity
 *   column: insertion order, as SQLite's rowid gives it.
 * - SQLite's 0/1 flags stay integers, so the stores bind the same values.
 */
export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE sessions (
    id text PRIMARY KEY,
    title text NOT NULL,
    length_minutes integer NOT NULL,
    join_code text NOT NULL UNIQUE,
    created_at bigint NOT NULL,
    control jsonb NOT NULL
  );
  CREATE TABLE participants (
    id text PRIMARY KEY,
    session_id text NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    name text NOT NULL,
    created_at bigint NOT NULL
  );
  CREATE INDEX participants_session ON participants(session_id);
  CREATE TABLE tokens (
    id text PRIMARY KEY,
    secret_hash bytea NOT NULL,
    session_id text NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    role text NOT NULL CHECK (role IN ('facilitator', 'participant', 'projector')),
    participant_id text REFERENCES participants(id) ON DELETE CASCADE,
    holder_id text
  );
  CREATE INDEX tokens_session ON tokens(session_id);
  CREATE INDEX tokens_holder ON tokens(holder_id);
  CREATE INDEX tokens_participant ON tokens(participant_id);

  -- One row per document (doc_id is the document's name, e.g. "<session>" or
  -- "<session>/<participant>"); head_seq is the last seq given, bumped under
  -- this row's lock; the snapshot merges every row up to snapshot_seq.
  -- fillfactor leaves room for HOT updates of head_seq.
  CREATE TABLE documents (
    doc_id text PRIMARY KEY,
    session_id text NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    head_seq bigint NOT NULL DEFAULT 0,
    snapshot bytea,
    snapshot_seq bigint NOT NULL DEFAULT 0,
    accepting_edits boolean NOT NULL DEFAULT true,
    updated_at bigint,
    CHECK (snapshot_seq <= head_seq)
  ) WITH (fillfactor = 70);
  CREATE INDEX documents_session ON documents(session_id);
  CREATE TABLE doc_updates (
    doc_id text NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    seq bigint NOT NULL,
    data bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (doc_id, seq)
  );

  CREATE TABLE cohorts (
    id text PRIMARY KEY,
    name text NOT NULL,
    starts_on text NOT NULL,
    ends_on text NOT NULL,
    length_minutes integer NOT NULL,
    join_code text NOT NULL UNIQUE,
    created_at bigint NOT NULL
  );
  CREATE TABLE cohort_staff (
    id text PRIMARY KEY,
    cohort_id text NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    name text NOT NULL,
    role text NOT NULL CHECK (role IN ('facilitator', 'coach')),
    created_at bigint NOT NULL,
    rowid bigint GENERATED ALWAYS AS IDENTITY
  );
  CREATE INDEX cohort_staff_cohort ON cohort_staff(cohort_id);
  CREATE TABLE communities (
    id text PRIMARY KEY,
    cohort_id text NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    name text NOT NULL,
    challenge text NOT NULL,
    series text,
    length_minutes integer NOT NULL,
    created_at bigint NOT NULL,
    agenda text,
    rowid bigint GENERATED ALWAYS AS IDENTITY
  );
  CREATE INDEX communities_cohort ON communities(cohort_id);
  CREATE TABLE cohort_members (
    id text PRIMARY KEY,
    cohort_id text NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    name text NOT NULL,
    challenge text NOT NULL,
    community_id text REFERENCES communities(id) ON DELETE SET NULL,
    created_at bigint NOT NULL,
    removed_at bigint,
    rowid bigint GENERATED ALWAYS AS IDENTITY
  );
  CREATE INDEX cohort_members_cohort ON cohort_members(cohort_id);
  CREATE INDEX cohort_members_community ON cohort_members(community_id);
  CREATE TABLE cohort_tokens (
    id text PRIMARY KEY,
    secret_hash bytea NOT NULL,
    cohort_id text NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('staff', 'member', 'calendar', 'join')),
    holder_id text
  );
  CREATE INDEX cohort_tokens_holder ON cohort_tokens(holder_id);
  CREATE INDEX cohort_tokens_cohort ON cohort_tokens(cohort_id);
  CREATE TABLE meetings (
    session_id text PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    cohort_id text NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    community_id text REFERENCES communities(id) ON DELETE SET NULL,
    idx integer NOT NULL,
    starts_at text NOT NULL,
    length_minutes integer NOT NULL,
    finished_at bigint,
    template text,
    parent_session_id text REFERENCES sessions(id) ON DELETE CASCADE,
    breakout_name text,
    coach_id text REFERENCES cohort_staff(id) ON DELETE SET NULL,
    rowid bigint GENERATED ALWAYS AS IDENTITY
  );
  CREATE INDEX meetings_cohort ON meetings(cohort_id, starts_at);
  CREATE INDEX meetings_parent ON meetings(parent_session_id);
  CREATE TABLE meeting_members (
    participant_id text PRIMARY KEY REFERENCES participants(id) ON DELETE CASCADE,
    session_id text NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    member_id text NOT NULL REFERENCES cohort_members(id) ON DELETE CASCADE,
    UNIQUE (session_id, member_id)
  );
  CREATE INDEX meeting_members_member ON meeting_members(member_id);
  CREATE TABLE question_versions (
    id text PRIMARY KEY,
    cohort_id text NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    community_id text NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    version integer NOT NULL,
    text text NOT NULL,
    reason text NOT NULL,
    session_id text NOT NULL,
    created_at bigint NOT NULL,
    source text,
    rowid bigint GENERATED ALWAYS AS IDENTITY,
    UNIQUE (community_id, version)
  );
  CREATE INDEX question_versions_cohort ON question_versions(cohort_id);
  CREATE TABLE year_commitments (
    id text PRIMARY KEY,
    cohort_id text NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    community_id text REFERENCES communities(id) ON DELETE SET NULL,
    member_id text NOT NULL REFERENCES cohort_members(id) ON DELETE CASCADE,
    session_id text NOT NULL,
    action text NOT NULL,
    notice text NOT NULL,
    partner text NOT NULL,
    due text NOT NULL,
    status text NOT NULL CHECK (status IN ('open', 'done', 'carried', 'dropped', 'unreviewed')),
    created_at bigint NOT NULL,
    reviewed_at bigint,
    rowid bigint GENERATED ALWAYS AS IDENTITY
  );
  CREATE INDEX year_commitments_cohort ON year_commitments(cohort_id);
  CREATE INDEX year_commitments_member ON year_commitments(member_id);
  CREATE UNIQUE INDEX year_commitments_one_open ON year_commitments(member_id) WHERE status = 'open';

  CREATE TABLE log_entries (
    id text PRIMARY KEY,
    cohort_id text NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    author_id text NOT NULL REFERENCES cohort_members(id) ON DELETE CASCADE,
    commitment_id text REFERENCES year_commitments(id) ON DELETE SET NULL,
    tried text NOT NULL,
    what text NOT NULL,
    so_what text NOT NULL,
    now_what text NOT NULL,
    actual text NOT NULL,
    decision text CHECK (decision IN ('adopt', 'adapt', 'abandon')),
    visibility text NOT NULL CHECK (visibility IN ('private', 'peer', 'community', 'cohort')),
    peer_id text REFERENCES cohort_members(id) ON DELETE SET NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    edited_at bigint NOT NULL,
    shared_at bigint,
    rowid bigint GENERATED ALWAYS AS IDENTITY
  );
  CREATE INDEX log_entries_author ON log_entries(author_id, created_at);
  CREATE INDEX log_entries_shared ON log_entries(cohort_id, visibility);
  CREATE INDEX log_entries_peer ON log_entries(peer_id);
  CREATE TABLE log_notes (
    id text PRIMARY KEY,
    entry_id text NOT NULL REFERENCES log_entries(id) ON DELETE CASCADE,
    author_id text NOT NULL REFERENCES cohort_members(id) ON DELETE CASCADE,
    text text NOT NULL,
    created_at bigint NOT NULL,
    rowid bigint GENERATED ALWAYS AS IDENTITY
  );
  CREATE INDEX log_notes_entry ON log_notes(entry_id);
  CREATE INDEX log_notes_author ON log_notes(author_id);
  CREATE TABLE log_reads (
    member_id text NOT NULL REFERENCES cohort_members(id) ON DELETE CASCADE,
    item_id text NOT NULL,
    seen_at bigint NOT NULL,
    PRIMARY KEY (member_id, item_id)
  );

  CREATE TABLE playlist_resources (
    id text PRIMARY KEY,
    cohort_id text NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    community_id text REFERENCES communities(id) ON DELETE CASCADE,
    title text NOT NULL,
    url text NOT NULL,
    type text NOT NULL CHECK (type IN ('reading', 'video', 'protocol', 'tool', 'other')),
    why text NOT NULL,
    tags text NOT NULL,
    question_version_id text REFERENCES question_versions(id) ON DELETE SET NULL,
    member_id text REFERENCES cohort_members(id) ON DELETE CASCADE,
    staff_id text REFERENCES cohort_staff(id) ON DELETE SET NULL,
    shared_to_cohort integer NOT NULL,
    position integer NOT NULL,
    pinned integer NOT NULL,
    featured_at text,
    created_at bigint NOT NULL
  );
  CREATE INDEX playlist_resources_cohort ON playlist_resources(cohort_id, community_id, position);
  CREATE INDEX playlist_resources_member ON playlist_resources(member_id);
  CREATE TABLE playlist_used (
    resource_id text NOT NULL REFERENCES playlist_resources(id) ON DELETE CASCADE,
    member_id text NOT NULL REFERENCES cohort_members(id) ON DELETE CASCADE,
    PRIMARY KEY (resource_id, member_id)
  );
  CREATE INDEX playlist_used_member ON playlist_used(member_id);
  CREATE TABLE playlist_takeaways (
    resource_id text NOT NULL REFERENCES playlist_resources(id) ON DELETE CASCADE,
    member_id text NOT NULL REFERENCES cohort_members(id) ON DELETE CASCADE,
    text text NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (resource_id, member_id)
  );
  CREATE INDEX playlist_takeaways_member ON playlist_takeaways(member_id);
  CREATE TABLE playlist_pairs (
    resource_id text NOT NULL REFERENCES playlist_resources(id) ON DELETE CASCADE,
    member_id text NOT NULL REFERENCES cohort_members(id) ON DELETE CASCADE,
    partner_id text NOT NULL REFERENCES cohort_members(id) ON DELETE CASCADE,
    PRIMARY KEY (resource_id, member_id)
  );
  CREATE INDEX playlist_pairs_member ON playlist_pairs(member_id);
  CREATE INDEX playlist_pairs_partner ON playlist_pairs(partner_id);

  -- The trust pulse: answers carry no member, no id and no time (docs/security.md);
  -- no rowid column here, on purpose.
  CREATE TABLE pulse_windows (
    id text PRIMARY KEY,
    cohort_id text NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    label text NOT NULL,
    instrument integer NOT NULL,
    items text NOT NULL,
    floor integer NOT NULL CHECK (floor >= 5),
    opened_at bigint NOT NULL,
    closes_at bigint NOT NULL,
    closed_at bigint,
    answers text NOT NULL DEFAULT '[]',
    results text,
    notes text NOT NULL DEFAULT ''
  );
  CREATE INDEX pulse_windows_cohort ON pulse_windows(cohort_id, opened_at);
  CREATE TABLE pulse_receipts (
    window_id text NOT NULL REFERENCES pulse_windows(id) ON DELETE CASCADE,
    member_id text NOT NULL REFERENCES cohort_members(id) ON DELETE CASCADE,
    PRIMARY KEY (window_id, member_id)
  );
  CREATE INDEX pulse_receipts_member ON pulse_receipts(member_id);

  CREATE TABLE breakout_members (
    session_id text NOT NULL REFERENCES meetings(session_id) ON DELETE CASCADE,
    member_id text NOT NULL REFERENCES cohort_members(id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, member_id)
  );
  CREATE INDEX breakout_members_member ON breakout_members(member_id);
  `,
];

/** Any constant: the key of the transaction-scoped advisory lock every starting process takes before migrating. */
const MIGRATION_LOCK_KEY = 0x486f776d; // "Howm"

/**
 * Runs the migrations not yet recorded, each in its own transaction. Several
 * processes may start at once against one database: each takes the same
 * advisory lock first, so one migrates while the others wait and then find
 * nothing left to do. `schema`, if given (a plain identifier), is created first.
 */
export async function migrate(pool: pg.Pool, migrations: readonly string[] = PG_MIGRATIONS, schema?: string): Promise<void> {
  const { client, release } = await checkOut(pool);
  try {
    if (schema !== undefined) {
      // CREATE SCHEMA IF NOT EXISTS is not safe against a concurrent twin; under the lock it is.
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    }
    for (let i = 0; i < migrations.length; i++) {
      const version = i + 1;
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
        await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
        const done = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [version]);
        if (done.rowCount === 0) {
          await client.query(migrations[i]!);
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new Error(`PostgreSQL migration ${version} failed: ${(err as Error).message}`, { cause: err });
      }
    }
  } finally {
    release();
  }
}
