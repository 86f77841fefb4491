import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { controlStateSchema } from '../../shared/protocol/control.ts';
import type { MeetingLength } from '../../shared/protocol/steps.ts';
import type { Role } from '../../shared/events.ts';
import { DamagedDatabaseError, isDamagedDatabaseCode } from './DamagedDatabaseError.ts';
import { MIGRATIONS } from './migrations.ts';
import type { ParticipantRecord, SessionRecord, Store, StoredDoc, TokenRecord } from './Store.ts';

interface SessionRow {
  id: string;
  title: string;
  length_minutes: number;
  join_code: string;
  created_at: number;
  control: string;
}

interface ParticipantRow {
  id: string;
  session_id: string;
  name: string;
  created_at: number;
}

interface TokenRow {
  id: string;
  secret_hash: Buffer;
  session_id: string;
  role: Role;
  participant_id: string | null;
}

/** The database file's name inside DATA_DIR. */
export const DATABASE_FILE_NAME = 'howmight.sqlite';

export interface SqliteStoreOptions {
  /** How often the WAL is copied back into the main file (PASSIVE checkpoint). */
  checkpointIntervalMs: number;
}

export const DEFAULT_SQLITE_OPTIONS: SqliteStoreOptions = { checkpointIntervalMs: 30_000 };

/** The embedded default store: one SQLite file in WAL mode. */
export class SqliteStore implements Store {
  readonly db: Database.Database;
  private readonly stmt;
  private readonly checkpointTimer: NodeJS.Timeout | null;

  constructor(
    readonly file: string,
    options: SqliteStoreOptions = DEFAULT_SQLITE_OPTIONS,
  ) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = openChecked(file);
    // FULL fsyncs the WAL on every commit, so an update is on disk before it is
    // relayed and a power cut loses nothing anyone has seen (NORMAL only
    // survives a process crash). Its cost is in BENCHMARKS.md, "Durability".
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    // Deleted sessions must not linger in free pages (docs/security.md).
    this.db.pragma('secure_delete = ON');
    this.migrate();
    // SQLite's own auto-checkpoint (every 1,000 pages) never runs on a quiet
    // board, so the WAL could hold a whole meeting alone; a timer bounds that
    // to one interval. unref: it must never keep the process alive.
    this.checkpointTimer =
      file === ':memory:' ? null : setInterval(() => this.timedCheckpoint(), options.checkpointIntervalMs).unref();
    const db = this.db;
    this.stmt = {
      insertSession: db.prepare(
        'INSERT INTO sessions (id, title, length_minutes, join_code, created_at, control) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      getSession: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
      sessionByCode: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE join_code = ?'),
      saveControl: db.prepare('UPDATE sessions SET control = ? WHERE id = ?'),
      deleteSession: db.prepare('DELETE FROM sessions WHERE id = ?'),
      insertParticipant: db.prepare('INSERT INTO participants (id, session_id, name, created_at) VALUES (?, ?, ?, ?)'),
      listParticipants: db.prepare<[string], ParticipantRow>(
        'SELECT * FROM participants WHERE session_id = ? ORDER BY created_at, id',
      ),
      getParticipant: db.prepare<[string], ParticipantRow>('SELECT * FROM participants WHERE id = ?'),
      insertToken: db.prepare(
        'INSERT INTO tokens (id, secret_hash, session_id, role, participant_id) VALUES (?, ?, ?, ?, ?)',
      ),
      getToken: db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE id = ?'),
      snapshot: db.prepare<[string], { data: Buffer }>('SELECT data FROM doc_snapshots WHERE doc_name = ?'),
      updates: db.prepare<[string], { data: Buffer }>('SELECT data FROM doc_updates WHERE doc_name = ? ORDER BY seq'),
      appendUpdate: db.prepare('INSERT INTO doc_updates (session_id, doc_name, data) VALUES (?, ?, ?)'),
      clearUpdates: db.prepare('DELETE FROM doc_updates WHERE doc_name = ?'),
      upsertSnapshot: db.prepare(
        `INSERT INTO doc_snapshots (doc_name, session_id, data, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(doc_name) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
      ),
    };
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    for (let i = current; i < MIGRATIONS.length; i++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[i]!);
        this.db.pragma(`user_version = ${i + 1}`);
      })();
    }
  }

  createSession(session: SessionRecord, tokens: TokenRecord[]): void {
    this.db.transaction(() => {
      this.stmt.insertSession.run(
        session.id,
        session.title,
        session.lengthMinutes,
        session.joinCode,
        session.createdAt,
        JSON.stringify(session.control),
      );
      for (const token of tokens) this.insertToken(token);
    })();
  }

  getSession(id: string): SessionRecord | null {
    const row = this.stmt.getSession.get(id);
    return row ? this.toSession(row) : null;
  }

  findSessionByJoinCode(joinCode: string): SessionRecord | null {
    const row = this.stmt.sessionByCode.get(joinCode);
    return row ? this.toSession(row) : null;
  }

  /**
   * The control state is read for every board update (the lock, the step);
   * parsing it is most of that read's cost, so the parse is kept while the
   * stored JSON is unchanged. Transitions never mutate a state, so sharing it is safe.
   */
  private readonly parsedControl = new Map<string, { json: string; control: SessionRecord['control'] }>();

  private toSession(row: SessionRow): SessionRecord {
    let parsed = this.parsedControl.get(row.id);
    if (!parsed || parsed.json !== row.control) {
      parsed = { json: row.control, control: controlStateSchema.parse(JSON.parse(row.control)) };
      if (this.parsedControl.size >= 10_000) this.parsedControl.clear();
      this.parsedControl.set(row.id, parsed);
    }
    return {
      id: row.id,
      title: row.title,
      lengthMinutes: row.length_minutes as MeetingLength,
      joinCode: row.join_code,
      createdAt: row.created_at,
      control: parsed.control,
    };
  }

  saveControl(sessionId: string, control: SessionRecord['control']): void {
    this.stmt.saveControl.run(JSON.stringify(control), sessionId);
  }

  deleteSession(id: string): boolean {
    const deleted = this.stmt.deleteSession.run(id).changes > 0;
    this.parsedControl.delete(id);
    // secure_delete zeroes the freed cells, but the WAL still holds the old
    // pages until a checkpoint copies the scrubbed ones back and truncates it.
    if (deleted) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return deleted;
  }

  addParticipant(participant: ParticipantRecord, token: TokenRecord): void {
    this.db.transaction(() => {
      this.stmt.insertParticipant.run(participant.id, participant.sessionId, participant.name, participant.createdAt);
      this.insertToken(token);
    })();
  }

  listParticipants(sessionId: string): ParticipantRecord[] {
    return this.stmt.listParticipants.all(sessionId).map(toParticipant);
  }

  getParticipant(id: string): ParticipantRecord | null {
    const row = this.stmt.getParticipant.get(id);
    return row ? toParticipant(row) : null;
  }

  findToken(id: string): TokenRecord | null {
    const row = this.stmt.getToken.get(id);
    if (!row) return null;
    return {
      id: row.id,
      secretHash: row.secret_hash,
      sessionId: row.session_id,
      role: row.role,
      participantId: row.participant_id,
    };
  }

  addToken(token: TokenRecord): void {
    this.insertToken(token);
  }

  loadDoc(docName: string): StoredDoc {
    const snapshot = this.stmt.snapshot.get(docName);
    const updates = this.stmt.updates.all(docName).map((r) => new Uint8Array(r.data));
    return { snapshot: snapshot ? new Uint8Array(snapshot.data) : null, updates };
  }

  appendUpdate(sessionId: string, docName: string, update: Uint8Array): void {
    this.stmt.appendUpdate.run(sessionId, docName, update);
  }

  appendUpdates(entries: ReadonlyArray<{ sessionId: string; docName: string; update: Uint8Array }>): void {
    this.appendMany(entries);
  }

  /** One transaction for a batch of appends (built once the statements exist). */
  private appendManyTx: ((entries: ReadonlyArray<{ sessionId: string; docName: string; update: Uint8Array }>) => void) | null = null;

  private appendMany(entries: ReadonlyArray<{ sessionId: string; docName: string; update: Uint8Array }>): void {
    this.appendManyTx ??= this.db.transaction((batch: typeof entries) => {
      for (const { sessionId, docName, update } of batch) this.stmt.appendUpdate.run(sessionId, docName, update);
    });
    this.appendManyTx(entries);
  }

  compactDoc(sessionId: string, docName: string, snapshot: Uint8Array): void {
    this.db.transaction(() => {
      this.stmt.upsertSnapshot.run(docName, sessionId, snapshot, Date.now());
      this.stmt.clearUpdates.run(docName);
    })();
  }

  /** Copies what the WAL holds into the main file without waiting for readers. */
  checkpoint(): void {
    if (this.db.open) this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  /** A failed checkpoint loses nothing (the WAL keeps it); it must not crash the process from a timer. */
  private timedCheckpoint(): void {
    try {
      this.checkpoint();
    } catch (err) {
      console.error(`[howmight] WAL checkpoint of ${this.file} failed; will retry`, err);
    }
  }

  close(): void {
    if (this.checkpointTimer) clearInterval(this.checkpointTimer);
    if (!this.db.open) return;
    // Leave everything in the main file and an empty WAL, so copying the
    // .sqlite file alone (or a backup tool that ignores -wal) gets it all.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }

  private insertToken(token: TokenRecord): void {
    this.stmt.insertToken.run(token.id, token.secretHash, token.sessionId, token.role, token.participantId);
  }
}

/**
 * Opens the file in WAL mode and runs SQLite's quick_check, so a damaged file
 * stops the server at start with DamagedDatabaseError instead of failing on
 * some later query (or, worse, being written over).
 */
function openChecked(file: string): Database.Database {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    const problems = (db.pragma('quick_check', { simple: false }) as Array<{ quick_check: string }>)
      .map((row) => row.quick_check)
      .filter((line) => line !== 'ok');
    // quick_check prefixes its report with "*** in database main ***" and may span lines.
    const first = problems[0]?.replace(/\*\*\* in database \w+ \*\*\*/g, '').replace(/\s+/g, ' ').trim();
    if (first !== undefined) throw new DamagedDatabaseError(file, first || 'quick_check failed');
    return db;
  } catch (err) {
    db.close();
    if (isDamagedDatabaseCode((err as { code?: unknown }).code)) throw new DamagedDatabaseError(file, (err as Error).message);
    throw err;
  }
}


function toParticipant(row: ParticipantRow): ParticipantRecord {
  return { id: row.id, sessionId: row.session_id, name: row.name, createdAt: row.created_at };
}
