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
];
