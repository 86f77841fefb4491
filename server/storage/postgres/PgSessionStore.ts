import type pg from 'pg';
import { controlStateSchema, type ControlState } from '../../../shared/protocol/control.ts';
import type { MeetingLength } from '../../../shared/protocol/steps.ts';
import type { Role } from '../../../shared/events.ts';
import { withTransaction, type Queryable } from './transaction.ts';
import type { CreateSessionOutcome, ParticipantRecord, SessionRecord, SessionStore, TokenRecord } from '../SessionStore.ts';

interface SessionRow {
  id: string;
  title: string;
  length_minutes: number;
  join_code: string;
  created_at: number;
  /** jsonb: pg hands it over parsed. */
  control: unknown;
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

/** PostgreSQL's code for a unique constraint violated. */
const UNIQUE_VIOLATION = '23505';

const INSERT_TOKEN = 'INSERT INTO tokens (id, secret_hash, session_id, role, participant_id, holder_id) VALUES ($1, $2, $3, $4, $5, $6)';

/** Sessions, participants, tokens and control state in PostgreSQL, cascading from the sessions table as in SQLite. */
export class PgSessionStore implements SessionStore {
  constructor(private readonly pool: pg.Pool) {}

  async createSession(session: SessionRecord, tokens: TokenRecord[]): Promise<CreateSessionOutcome> {
    try {
      await withTransaction(this.pool, async (db) => {
        await db.query('INSERT INTO sessions (id, title, length_minutes, join_code, created_at, control) VALUES ($1, $2, $3, $4, $5, $6)', [
          session.id,
          session.title,
          session.lengthMinutes,
          session.joinCode,
          session.createdAt,
          JSON.stringify(session.control),
        ]);
        for (const token of tokens) await insertToken(db, token);
      });
      return 'created';
    } catch (err) {
      // Asked of the table rather than read from the message: a unique violation with the code taken is a collision.
      if ((err as { code?: unknown }).code === UNIQUE_VIOLATION && (await this.pool.query('SELECT 1 FROM sessions WHERE join_code = $1', [session.joinCode])).rowCount) {
        return 'join-code-taken';
      }
      throw err;
    }
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const { rows } = await this.pool.query<SessionRow>('SELECT * FROM sessions WHERE id = $1', [id]);
    return rows[0] ? toSession(rows[0]) : null;
  }

  async findSessionByJoinCode(joinCode: string): Promise<SessionRecord | null> {
    const { rows } = await this.pool.query<SessionRow>('SELECT * FROM sessions WHERE join_code = $1', [joinCode]);
    return rows[0] ? toSession(rows[0]) : null;
  }

  async saveControl(sessionId: string, control: ControlState, expectedVersion: number): Promise<boolean> {
    // The version inside the stored state is the one fact compared, as in SQLite; the row lock
    // makes a racing second writer re-read it after the first commits, and fail.
    const result = await this.pool.query("UPDATE sessions SET control = $1 WHERE id = $2 AND (control->>'version')::bigint = $3", [
      JSON.stringify(control),
      sessionId,
      expectedVersion,
    ]);
    return result.rowCount === 1;
  }

  async changeControl<T>(
    sessionId: string,
    decide: (session: SessionRecord) => Promise<{ save: ControlState | null; value: T }>,
  ): Promise<T | null> {
    return withTransaction(this.pool, async (db) => {
      // NO KEY UPDATE, not UPDATE: a document row made meanwhile (its foreign key's KEY SHARE on this row) need not wait for the decision.
      const { rows } = await db.query<SessionRow>('SELECT * FROM sessions WHERE id = $1 FOR NO KEY UPDATE', [sessionId]);
      if (!rows[0]) return null;
      const { save, value } = await decide(toSession(rows[0]));
      if (save) await db.query('UPDATE sessions SET control = $1 WHERE id = $2', [JSON.stringify(save), sessionId]);
      return value;
    });
  }

  async deleteSession(id: string): Promise<boolean> {
    // Participants, tokens, documents and their rows, meetings… all cascade from the session row.
    // PostgreSQL leaves the dead rows in its pages until VACUUM reuses them (docs/operations.md).
    const result = await this.pool.query('DELETE FROM sessions WHERE id = $1', [id]);
    return result.rowCount === 1;
  }

  async addParticipant(participant: ParticipantRecord, token: TokenRecord): Promise<void> {
    await withTransaction(this.pool, async (db) => {
      await db.query('INSERT INTO participants (id, session_id, name, created_at) VALUES ($1, $2, $3, $4)', [
        participant.id,
        participant.sessionId,
        participant.name,
        participant.createdAt,
      ]);
      await insertToken(db, token);
    });
  }

  async listParticipants(sessionId: string): Promise<ParticipantRecord[]> {
    // COLLATE "C": ties on created_at broken by id byte for byte, as SQLite compares text.
    const { rows } = await this.pool.query<ParticipantRow>('SELECT * FROM participants WHERE session_id = $1 ORDER BY created_at, id COLLATE "C"', [
      sessionId,
    ]);
    return rows.map(toParticipant);
  }

  async getParticipant(id: string): Promise<ParticipantRecord | null> {
    const { rows } = await this.pool.query<ParticipantRow>('SELECT * FROM participants WHERE id = $1', [id]);
    return rows[0] ? toParticipant(rows[0]) : null;
  }

  async findToken(id: string): Promise<TokenRecord | null> {
    const { rows } = await this.pool.query<TokenRow>('SELECT * FROM tokens WHERE id = $1', [id]);
    const row = rows[0];
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
    await insertToken(this.pool, token);
  }

  async deleteTokensOfHolder(holderId: string): Promise<void> {
    await this.pool.query('DELETE FROM tokens WHERE holder_id = $1', [holderId]);
  }

  async deleteParticipant(id: string): Promise<void> {
    // Tokens and meeting_members cascade from the participant.
    await this.pool.query('DELETE FROM participants WHERE id = $1', [id]);
  }

  async renameParticipant(id: string, name: string): Promise<void> {
    await this.pool.query('UPDATE participants SET name = $1 WHERE id = $2', [name, id]);
  }
}

function insertToken(db: Queryable, token: TokenRecord): Promise<unknown> {
  return db.query(INSERT_TOKEN, [token.id, token.secretHash, token.sessionId, token.role, token.participantId, token.holderId ?? null]);
}

function toSession(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    title: row.title,
    lengthMinutes: row.length_minutes as MeetingLength,
    joinCode: row.join_code,
    createdAt: row.created_at,
    control: controlStateSchema.parse(row.control),
  };
}

function toParticipant(row: ParticipantRow): ParticipantRecord {
  return { id: row.id, sessionId: row.session_id, name: row.name, createdAt: row.created_at };
}
