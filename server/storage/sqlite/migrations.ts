/** Numbered schema migrations; the database's user_version says how many have run. */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    length_minutes INTEGER NOT NULL,
    join_code TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    control TEXT NOT NULL
  );
  CREATE TABLE participants (
    id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX participants_session ON participants(session_id);
  CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    secret_hash BLOB NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('facilitator', 'participant', 'projector')),
    participant_id TEXT REFERENCES participants(id) ON DELETE CASCADE
  );
  CREATE INDEX tokens_session ON tokens(session_id);
  CREATE TABLE doc_updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    doc_name TEXT NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX doc_updates_doc ON doc_updates(doc_name, seq);
  CREATE INDEX doc_updates_session ON doc_updates(session_id);
  CREATE TABLE doc_snapshots (
    doc_name TEXT PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    data BLOB NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX doc_snapshots_session ON doc_snapshots(session_id);
  `,
  // 2: a per-document seq on every row (existing rows numbered in their order) and the
  // seq each snapshot covers, so compaction deletes exactly what its snapshot merged.
  `
  CREATE TABLE doc_log (
    doc_name TEXT NOT NULL,
    seq INTEGER NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    data BLOB NOT NULL,
    PRIMARY KEY (doc_name, seq)
  );
  INSERT INTO doc_log (doc_name, seq, session_id, data)
    SELECT doc_name, ROW_NUMBER() OVER (PARTITION BY doc_name ORDER BY seq), session_id, data FROM doc_updates;
  DROP TABLE doc_updates;
  ALTER TABLE doc_log RENAME TO doc_updates;
  CREATE INDEX doc_updates_session ON doc_updates(session_id);
  ALTER TABLE doc_snapshots ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
  `,
  // 3: the year (issue 12). A cohort holds its staff, members, communities,
  // meetings (sessions linked to it), question versions and commitments; deleting
  // the cohort row deletes every one of them (its sessions are deleted first, by
  // the service, so their rooms close). Cohort tokens live apart from session
  // tokens: one kind can never be presented as the other. A session token minted
  // for a cohort's staff or member names them (tokens.holder_id), so re-issuing a
  // link or removing someone revokes the session keys they were given too.
  `
  CREATE TABLE cohorts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    length_minutes INTEGER NOT NULL,
    join_code TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE cohort_staff (
    id TEXT PRIMARY KEY,
    cohort_id TEXT NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('facilitator', 'coach')),
    created_at INTEGER NOT NULL
  );
  CREATE INDEX cohort_staff_cohort ON cohort_staff(cohort_id);
  CREATE TABLE communities (
    id TEXT PRIMARY KEY,
    cohort_id TEXT NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    challenge TEXT NOT NULL,
    series TEXT,
    length_minutes INTEGER NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX communities_cohort ON communities(cohort_id);
  CREATE TABLE cohort_members (
    id TEXT PRIMARY KEY,
    cohort_id TEXT NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    challenge TEXT NOT NULL,
    community_id TEXT REFERENCES communities(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    removed_at INTEGER
  );
  CREATE INDEX cohort_members_cohort ON cohort_members(cohort_id);
  CREATE TABLE cohort_tokens (
    id TEXT PRIMARY KEY,
    secret_hash BLOB NOT NULL,
    cohort_id TEXT NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('staff', 'member', 'calendar', 'join')),
    holder_id TEXT
  );
  CREATE INDEX cohort_tokens_holder ON cohort_tokens(holder_id);
  CREATE INDEX cohort_tokens_cohort ON cohort_tokens(cohort_id);
  CREATE TABLE meetings (
    session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    cohort_id TEXT NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    community_id TEXT REFERENCES communities(id) ON DELETE SET NULL,
    idx INTEGER NOT NULL,
    starts_at TEXT NOT NULL,
    length_minutes INTEGER NOT NULL,
    finished_at INTEGER
  );
  CREATE INDEX meetings_cohort ON meetings(cohort_id, starts_at);
  CREATE TABLE meeting_members (
    participant_id TEXT PRIMARY KEY REFERENCES participants(id) ON DELETE CASCADE,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    member_id TEXT NOT NULL REFERENCES cohort_members(id) ON DELETE CASCADE,
    UNIQUE (session_id, member_id)
  );
  CREATE INDEX meeting_members_member ON meeting_members(member_id);
  CREATE TABLE question_versions (
    id TEXT PRIMARY KEY,
    cohort_id TEXT NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    community_id TEXT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    text TEXT NOT NULL,
    reason TEXT NOT NULL,
    session_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    source TEXT,
    UNIQUE (community_id, version)
  );
  CREATE TABLE year_commitments (
    id TEXT PRIMARY KEY,
    cohort_id TEXT NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    community_id TEXT REFERENCES communities(id) ON DELETE SET NULL,
    member_id TEXT NOT NULL REFERENCES cohort_members(id) ON DELETE CASCADE,
    session_id TEXT NOT NULL,
    action TEXT NOT NULL,
    notice TEXT NOT NULL,
    partner TEXT NOT NULL,
    due TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'done', 'carried', 'dropped', 'unreviewed')),
    created_at INTEGER NOT NULL,
    reviewed_at INTEGER
  );
  CREATE INDEX year_commitments_cohort ON year_commitments(cohort_id);
  CREATE UNIQUE INDEX year_commitments_one_open ON year_commitments(member_id) WHERE status = 'open';
  ALTER TABLE tokens ADD COLUMN holder_id TEXT;
  CREATE INDEX tokens_holder ON tokens(holder_id);
  `,
  // 4: later meetings (issue 13). A community's default meeting shape (JSON
  // {template, steps, minutes}, checked with agendaShapeSchema on write and read),
  // and the template each meeting was planned with (null: made before templates).
  `
  ALTER TABLE communities ADD COLUMN agenda TEXT;
  ALTER TABLE meetings ADD COLUMN template TEXT;
  `,
  // 5: the practice log (issue 14). Entries are their author's; the text of a
  // private one leaves the server only to its author (shared/year/practiceLog.ts
  // canSee). Notes are answers on an entry; reads say what a member has seen,
  // for "new" badges. Removing a member deletes all three (removeMember.ts).
  `
  CREATE TABLE log_entries (
    id TEXT PRIMARY KEY,
    cohort_id TEXT NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    author_id TEXT NOT NULL REFERENCES cohort_members(id) ON DELETE CASCADE,
    commitment_id TEXT REFERENCES year_commitments(id) ON DELETE SET NULL,
    tried TEXT NOT NULL,
    what TEXT NOT NULL,
    so_what TEXT NOT NULL,
    now_what TEXT NOT NULL,
    actual TEXT NOT NULL,
    decision TEXT CHECK (decision IN ('adopt', 'adapt', 'abandon')),
    visibility TEXT NOT NULL CHECK (visibility IN ('private', 'peer', 'community', 'cohort')),
    peer_id TEXT REFERENCES cohort_members(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    edited_at INTEGER NOT NULL,
    shared_at INTEGER
  );
  CREATE INDEX log_entries_author ON log_entries(author_id, created_at);
  CREATE INDEX log_entries_shared ON log_entries(cohort_id, visibility);
  CREATE TABLE log_notes (
    id TEXT PRIMARY KEY,
    entry_id TEXT NOT NULL REFERENCES log_entries(id) ON DELETE CASCADE,
    author_id TEXT NOT NULL REFERENCES cohort_members(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX log_notes_entry ON log_notes(entry_id);
  CREATE INDEX log_notes_author ON log_notes(author_id);
  CREATE TABLE log_reads (
    member_id TEXT NOT NULL REFERENCES cohort_members(id) ON DELETE CASCADE,
    item_id TEXT NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (member_id, item_id)
  ) WITHOUT ROWID;
  `,
  // 6: the resource playlist (issue 14). A resource belongs to a community's playlist
  // or (community_id NULL) the cohort's; its adder is a member (deleting the member
  // row deletes their resources and marks) or a staff member (kept, unsigned, when
  // they leave). "Used it" marks, takeaways and "worked on with" marks hang off the
  // resource and the member(s), so every row cascades from the cohort, the community
  // and the members. The server never fetches a url; it stores what checkResourceUrl passed.
  `
  CREATE TABLE playlist_resources (
    id TEXT PRIMARY KEY,
    cohort_id TEXT NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    community_id TEXT REFERENCES communities(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('reading', 'video', 'protocol', 'tool', 'other')),
    why TEXT NOT NULL,
    tags TEXT NOT NULL,
    question_version_id TEXT REFERENCES question_versions(id) ON DELETE SET NULL,
    member_id TEXT REFERENCES cohort_members(id) ON DELETE CASCADE,
    staff_id TEXT REFERENCES cohort_staff(id) ON DELETE SET NULL,
    shared_to_cohort INTEGER NOT NULL,
    position INTEGER NOT NULL,
    pinned INTEGER NOT NULL,
    featured_at TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX playlist_resources_cohort ON playlist_resources(cohort_id, community_id, position);
  CREATE INDEX playlist_resources_member ON playlist_resources(member_id);
  CREATE TABLE playlist_used (
    resource_id TEXT NOT NULL REFERENCES playlist_resources(id) ON DELETE CASCADE,
    member_id TEXT NOT NULL REFERENCES cohort_members(id) ON DELETE CASCADE,
    PRIMARY KEY (resource_id, member_id)
  );
  CREATE INDEX playlist_used_member ON playlist_used(member_id);
  CREATE TABLE playlist_takeaways (
    resource_id TEXT NOT NULL REFERENCES playlist_resources(id) ON DELETE CASCADE,
    member_id TEXT NOT NULL REFERENCES cohort_members(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (resource_id, member_id)
  );
  CREATE INDEX playlist_takeaways_member ON playlist_takeaways(member_id);
  CREATE TABLE playlist_pairs (
    resource_id TEXT NOT NULL REFERENCES playlist_resources(id) ON DELETE CASCADE,
    member_id TEXT NOT NULL REFERENCES cohort_members(id) ON DELETE CASCADE,
    partner_id TEXT NOT NULL REFERENCES cohort_members(id) ON DELETE CASCADE,
    PRIMARY KEY (resource_id, member_id)
  );
  CREATE INDEX playlist_pairs_member ON playlist_pairs(member_id);
  CREATE INDEX playlist_pairs_partner ON playlist_pairs(partner_id);
  `,
  // 7: the trust pulse (issue 15). Answers hold no member id, no id of their
  // own and no time: a window's answers are one JSON array, shuffled at every
  // answer, emptied once the results are computed at close. A receipt is who
  // answered a window, nothing else, kept apart in a table ordered by member
  // (docs/security.md, "The trust pulse").
  `
  CREATE TABLE pulse_windows (
    id TEXT PRIMARY KEY,
    cohort_id TEXT NOT NULL REFERENCES cohorts(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    instrument INTEGER NOT NULL,
    items TEXT NOT NULL,
    floor INTEGER NOT NULL CHECK (floor >= 5),
    opened_at INTEGER NOT NULL,
    closes_at INTEGER NOT NULL,
    closed_at INTEGER,
    answers TEXT NOT NULL DEFAULT '[]',
    results TEXT,
    notes TEXT NOT NULL DEFAULT ''
  );
  CREATE INDEX pulse_windows_cohort ON pulse_windows(cohort_id, opened_at);
  CREATE TABLE pulse_receipts (
    window_id TEXT NOT NULL REFERENCES pulse_windows(id) ON DELETE CASCADE,
    member_id TEXT NOT NULL REFERENCES cohort_members(id) ON DELETE CASCADE,
    PRIMARY KEY (window_id, member_id)
  ) WITHOUT ROWID;
  `,
  // 8: breakouts (issue 16). A group of a cohort meeting is a meeting of its own
  // whose parent is the plenary's session; it is left out of the cohort's list of
  // meetings. Who is in which group is kept apart, by member.
  `
  ALTER TABLE meetings ADD COLUMN parent_session_id TEXT REFERENCES sessions(id) ON DELETE CASCADE;
  ALTER TABLE meetings ADD COLUMN breakout_name TEXT;
  ALTER TABLE meetings ADD COLUMN coach_id TEXT REFERENCES cohort_staff(id) ON DELETE SET NULL;
  CREATE INDEX meetings_parent ON meetings(parent_session_id);
  CREATE TABLE breakout_members (
    session_id TEXT NOT NULL REFERENCES meetings(session_id) ON DELETE CASCADE,
    member_id TEXT NOT NULL REFERENCES cohort_members(id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, member_id)
  ) WITHOUT ROWID;
  CREATE INDEX breakout_members_member ON breakout_members(member_id);
  `,
];
