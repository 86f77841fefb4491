import type Database from 'better-sqlite3';
import { controlStateSchema, type ControlState } from '../../../shared/protocol/control.ts';
import type { MeetingLength } from '../../../shared/protocol/steps.ts';
import type { Role } from '../../../shared/events.ts';
import { ControlChangedMeanwhile, type CreateSessionOutcome, type ParticipantRecord, type SessionRecord, type SessionStore, type TokenRecord } from '../SessionStore.ts';

/** Saves lost to another writer in a row before giving up; each try decides again from the state that won. */
const CHANGE_ATTEMPTS = 8;

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
  holder_id: string | null;
}

/** Sessions, participants, tokens and control state in SQLite (cascading from the sessions table). */
export class SqliteSessionStore implements SessionStore {
  private readonly stmt;
  private readonly createTx: (session: SessionRecord, tokens: TokenRecord[]) => void;
  private readonly addParticipantTx: (participant: ParticipantRecord, token: TokenRecord) => void;

  constructor(private readonly db: Database.Database) {
    this.stmt = {
      insertSession: db.prepare(
        'INSERT INTO sessions (id, title, length_minutes, join_code, created_at, control) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      getSession: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?'),
      sessionByCode: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE join_code = ?'),
      codeTaken: db.prepare<[string], { n: number }>('SELECT 1 AS n FROM sessions WHERE join_code = ?'),
      // The version inside the stored JSON is the one fact compared; no second copy of it.
      saveControl: db.prepare("UPDATE sessions SET control = ? WHERE id = ? AND json_extract(control, '$.version') = ?"),
      deleteSession: db.prepare('DELETE FROM sessions WHERE id = ?'),
      insertParticipant: db.prepare('INSERT INTO participants (id, session_id, name, created_at) VALUES (?, ?, ?, ?)'),
      listParticipants: db.prepare<[string], ParticipantRow>(
        'SELECT * FROM participants WHERE session_id = ? ORDER BY created_at, id',
      ),
      getParticipant: db.prepare<[string], ParticipantRow>('SELECT * FROM participants WHERE id = ?'),
      insertToken: db.prepare(
        'INSERT INTO tokens (id, secret_hash, session_id, role, participant_id, holder_id) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      deleteTokensOfHolder: db.prepare('DELETE FROM tokens WHERE holder_id = ?'),
      renameParticipant: db.prepare('UPDATE participants SET name = ? WHERE id = ?'),
      // Tokens and meeting_members cascade from the participant (migrations 1 and 3).
      deleteParticipant: db.prepare('DELETE FROM participants WHERE id = ?'),
      getToken: db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE id = ?'),
    };
    this.createTx = db.transaction((session: SessionRecord, tokens: TokenRecord[]) => {
      this.stmt.insertSession.run(
        session.id,
        session.title,
        session.lengthMinutes,
        session.joinCode,
        session.createdAt,
        JSON.stringify(session.control),
      );
      for (const token of tokens) this.insertToken(token);
    });
    this.addParticipantTx = db.transaction((participant: ParticipantRecord, token: TokenRecord) => {
      this.stmt.insertParticipant.run(participant.id, participant.sessionId, participant.name, participant.createdAt);
      this.insertToken(token);
    });
  }

  async createSession(session: SessionRecord, tokens: TokenRecord[]): Promise<CreateSessionOutcome> {
    try {
      this.createTx(session, tokens);
      return 'created';
    } catch (err) {
      // Asked of the table rather than read from SQLite's message: a constraint failure with the code taken is a collision.
      if ((err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE' && this.stmt.codeTaken.get(session.joinCode)) {
        return 'join-code-taken';
      }
      throw err;
    }
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const row = this.stmt.getSession.get(id);
    return row ? toSession(row) : null;
  }

  async findSessionByJoinCode(joinCode: string): Promise<SessionRecord | null> {
    const row = this.stmt.sessionByCode.get(joinCode);
    return row ? toSession(row) : null;
  }

  async saveControl(sessionId: string, control: ControlState, expectedVersion: number): Promise<boolean> {
    return this.stmt.saveControl.run(JSON.stringify(control), sessionId, expectedVersion).changes > 0;
  }

  async changeControl<T>(
    sessionId: string,
    decide: (session: SessionRecord) => Promise<{ save: ControlState | null; value: T }>,
  ): Promise<T | null> {
    for (let attempt = 0; attempt < CHANGE_ATTEMPTS; attempt++) {
      const session = await this.getSession(sessionId);
      if (!session) return null;
      const { save, value } = await decide(session);
      if (!save || (await this.saveControl(sessionId, save, session.control.version))) return value;
    }
    throw new ControlChangedMeanwhile();
  }

  async deleteSession(id: string): Promise<boolean> {
    const deleted = this.stmt.deleteSession.run(id).changes > 0;
    // secure_delete zeroes the freed cells, but the WAL still holds the old
    // pages until a checkpoint copies the scrubbed ones back and truncates it.
    if (deleted) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return deleted;
  }

  async addParticipant(participant: ParticipantRecord, token: TokenRecord): Promise<void> {
    this.addParticipantTx(participant, token);
  }

  async listParticipants(sessionId: string): Promise<ParticipantRecord[]> {
    return this.stmt.listParticipants.all(sessionId).map(toParticipant);
  }

  async getParticipant(id: string): Promise<ParticipantRecord | null> {
    const row = this.stmt.getParticipant.get(id);
    return row ? toParticipant(row) : null;
  }

  async findToken(id: string): Promise<TokenRecord | null> {
    const row = this.stmt.getToken.get(id);
    if (!row) return null;
    return {
      id: row.id,
      secretHash: row.secret_hash,
      sessionId: row.session_id,
      role: row.role,
      participantId: row.participant_id,
      ...(row.holder_id ? { holderId: row.holder_id } : {}),
    };
  }

  async addToken(token: TokenRecord): Promise<void> {
    this.insertToken(token);
  }

  async deleteTokensOfHolder(holderId: string): Promise<void> {
    this.stmt.deleteTokensOfHolder.run(holderId);
  }

  async deleteParticipant(id: string): Promise<void> {
    if (this.stmt.deleteParticipant.run(id).changes > 0) this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async renameParticipant(id: string, name: string): Promise<void> {
    this.stmt.renameParticipant.run(name, id);
  }

  private insertToken(token: TokenRecord): void {
    this.stmt.insertToken.run(token.id, token.secretHash, token.sessionId, token.role, token.participantId, token.holderId ?? null);
  }
}

function toSession(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    title: row.title,
    lengthMinutes: row.length_minutes as MeetingLength,
    joinCode: row.join_code,
    createdAt: row.created_at,
    control: controlStateSchema.parse(JSON.parse(row.control)),
  };
}

function toParticipant(row: ParticipantRow): ParticipantRecord {
  return { id: row.id, sessionId: row.session_id, name: row.name, createdAt: row.created_at };
}
