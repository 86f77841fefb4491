import { agendaColumn, readAgenda } from '../agendaColumn.ts';
import type pg from 'pg';
import { TEMPLATE_IDS, type TemplateId } from '../../../shared/protocol/agendas.ts';
import type { MeetingLength } from '../../../shared/protocol/steps.ts';
import { type AgendaShape, type CommitmentStatus, type QuestionSource, type StaffRole } from '../../../shared/year/api.ts';
import type {
  CohortRecord,
  CohortStore,
  CohortTokenKind,
  CohortTokenRecord,
  CommitmentRecord,
  CommunityRecord,
  MeetingMemberRecord,
  MeetingRecord,
  MemberRecord,
  QuestionVersionRecord,
  StaffRecord,
} from '../CohortStore.ts';
import { withTransaction, type Queryable } from './transaction.ts';
import { all, changes, one, type Row } from './rows.ts';

/** PostgreSQL's code for a unique violation. */
const UNIQUE_VIOLATION = '23505';

/**
 * The year's tables in PostgreSQL, statement for statement what
 * SqliteCohortStore runs. Where SQLite breaks a tie by rowid, the tables
 * have a `rowid` identity column (migrations.ts) that gives the same
 * insertion order. Text is compared and sorted `COLLATE "C"`, byte by byte
 * as SQLite does, whatever collation the database was created with.
 */
export class PgCohortStore implements CohortStore {
  constructor(readonly pool: pg.Pool) {}

  async createCohort(cohort: CohortRecord, staff: StaffRecord, tokens: CohortTokenRecord[]): Promise<'created' | 'join-code-taken'> {
    try {
      await withTransaction(this.pool, async (db) => {
        await db.query(
          'INSERT INTO cohorts (id, name, starts_on, ends_on, length_minutes, join_code, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [cohort.id, cohort.name, cohort.startsOn, cohort.endsOn, cohort.lengthMinutes, cohort.joinCode, cohort.createdAt],
        );
        await insertStaff(db, staff);
        for (const token of tokens) await insertToken(db, token);
      });
      return 'created';
    } catch (err) {
      if ((err as { code?: unknown }).code === UNIQUE_VIOLATION && (await one(this.pool, 'SELECT 1 FROM cohorts WHERE join_code = $1', [cohort.joinCode]))) {
        return 'join-code-taken';
      }
      throw err;
    }
  }

  async getCohort(id: string): Promise<CohortRecord | null> {
    const row = await one(this.pool, 'SELECT * FROM cohorts WHERE id = $1', [id]);
    return row ? toCohort(row) : null;
  }

  async findCohortByJoinCode(joinCode: string): Promise<CohortRecord | null> {
    const row = await one(this.pool, 'SELECT * FROM cohorts WHERE join_code = $1', [joinCode]);
    return row ? toCohort(row) : null;
  }

  async listCohortsEndedBefore(date: string): Promise<CohortRecord[]> {
    return (await all(this.pool, 'SELECT * FROM cohorts WHERE ends_on COLLATE "C" < $1 ORDER BY ends_on COLLATE "C"', [date])).map(toCohort);
  }

  async deleteCohort(id: string): Promise<boolean> {
    // Every row of the cohort goes by ON DELETE CASCADE. SQLite then truncates
    // its WAL; PostgreSQL's old row versions stay until VACUUM (docs/security.md).
    return (await changes(this.pool, 'DELETE FROM cohorts WHERE id = $1', [id])) > 0;
  }

  async addStaff(staff: StaffRecord, token: CohortTokenRecord): Promise<void> {
    await withTransaction(this.pool, async (db) => {
      await insertStaff(db, staff);
      await insertToken(db, token);
    });
  }

  async listStaff(cohortId: string): Promise<StaffRecord[]> {
    return (await all(this.pool, 'SELECT * FROM cohort_staff WHERE cohort_id = $1 ORDER BY created_at, rowid', [cohortId])).map(toStaff);
  }

  async getStaff(id: string): Promise<StaffRecord | null> {
    const row = await one(this.pool, 'SELECT * FROM cohort_staff WHERE id = $1', [id]);
    return row ? toStaff(row) : null;
  }

  async deleteStaff(id: string): Promise<void> {
    await withTransaction(this.pool, async (db) => {
      await db.query('DELETE FROM cohort_tokens WHERE holder_id = $1', [id]);
      await db.query('DELETE FROM cohort_staff WHERE id = $1', [id]);
    });
  }

  async addMember(member: MemberRecord, token: CohortTokenRecord): Promise<void> {
    await withTransaction(this.pool, async (db) => {
      await db.query(
        'INSERT INTO cohort_members (id, cohort_id, name, challenge, community_id, created_at, removed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [member.id, member.cohortId, member.name, member.challenge, member.communityId, member.createdAt, member.removedAt],
      );
      await insertToken(db, token);
    });
  }

  async listMembers(cohortId: string): Promise<MemberRecord[]> {
    return (await all(this.pool, 'SELECT * FROM cohort_members WHERE cohort_id = $1 AND removed_at IS NULL ORDER BY created_at, rowid', [cohortId])).map(toMember);
  }

  async getMember(id: string): Promise<MemberRecord | null> {
    const row = await one(this.pool, 'SELECT * FROM cohort_members WHERE id = $1', [id]);
    return row ? toMember(row) : null;
  }

  async placeMember(memberId: string, communityId: string | null): Promise<void> {
    await this.pool.query('UPDATE cohort_members SET community_id = $1 WHERE id = $2', [communityId, memberId]);
  }

  async anonymiseMember(memberId: string, name: string, at: number): Promise<void> {
    await this.pool.query("UPDATE cohort_members SET name = $1, challenge = '', community_id = NULL, removed_at = $2 WHERE id = $3", [name, at, memberId]);
  }

  async deleteMember(memberId: string): Promise<void> {
    await withTransaction(this.pool, async (db) => {
      await db.query('DELETE FROM cohort_tokens WHERE holder_id = $1', [memberId]);
      await db.query('DELETE FROM cohort_members WHERE id = $1', [memberId]);
    });
  }

  async addCommunity(c: CommunityRecord): Promise<void> {
    await this.pool.query(
      'INSERT INTO communities (id, cohort_id, name, challenge, series, length_minutes, created_at, agenda) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [c.id, c.cohortId, c.name, c.challenge, c.series ? JSON.stringify(c.series) : null, c.lengthMinutes, c.createdAt, agendaColumn(c.agenda ?? null)],
    );
  }

  async listCommunities(cohortId: string): Promise<CommunityRecord[]> {
    return (await all(this.pool, 'SELECT * FROM communities WHERE cohort_id = $1 ORDER BY created_at, rowid', [cohortId])).map(toCommunity);
  }

  async getCommunity(id: string): Promise<CommunityRecord | null> {
    const row = await one(this.pool, 'SELECT * FROM communities WHERE id = $1', [id]);
    return row ? toCommunity(row) : null;
  }

  async updateCommunity(c: CommunityRecord): Promise<void> {
    await this.pool.query(
      'UPDATE communities SET name = $1, challenge = $2, series = $3, length_minutes = $4 WHERE id = $5',
      [c.name, c.challenge, c.series ? JSON.stringify(c.series) : null, c.lengthMinutes, c.id],
    );
  }

  async setCommunityAgenda(communityId: string, agenda: AgendaShape | null): Promise<void> {
    await this.pool.query('UPDATE communities SET agenda = $1 WHERE id = $2', [agendaColumn(agenda), communityId]);
  }

  async deleteCommunity(id: string): Promise<void> {
    await this.pool.query('DELETE FROM communities WHERE id = $1', [id]);
  }

  async findCohortToken(id: string): Promise<CohortTokenRecord | null> {
    const row = await one(this.pool, 'SELECT * FROM cohort_tokens WHERE id = $1', [id]);
    if (!row) return null;
    return {
      id: str(row.id),
      secretHash: row.secret_hash as Buffer,
      cohortId: str(row.cohort_id),
      kind: row.kind as CohortTokenKind,
      holderId: maybeStr(row.holder_id),
    };
  }

  async addCohortToken(token: CohortTokenRecord): Promise<void> {
    await insertToken(this.pool, token);
  }

  async deleteTokensOf(holderId: string, kinds: CohortTokenKind[]): Promise<void> {
    if (kinds.length === 0) return;
    await this.pool.query('DELETE FROM cohort_tokens WHERE holder_id = $1 AND kind = ANY($2::text[])', [holderId, kinds]);
  }

  async addMeeting(m: MeetingRecord): Promise<void> {
    await this.pool.query(
      'INSERT INTO meetings (session_id, cohort_id, community_id, idx, starts_at, length_minutes, finished_at, template) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [m.sessionId, m.cohortId, m.communityId, m.index, m.startsAt, m.lengthMinutes, m.finishedAt, m.template ?? null],
    );
  }

  async listMeetings(cohortId: string): Promise<MeetingRecord[]> {
    return (
      await all(this.pool, 'SELECT * FROM meetings WHERE cohort_id = $1 AND parent_session_id IS NULL ORDER BY starts_at COLLATE "C", idx', [cohortId])
    ).map(toMeeting);
  }

  async addBreakout(m: MeetingRecord, memberIds: readonly string[]): Promise<void> {
    await withTransaction(this.pool, async (db) => {
      await db.query(
        'INSERT INTO meetings (session_id, cohort_id, community_id, idx, starts_at, length_minutes, finished_at, template, parent_session_id, breakout_name, coach_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
        [m.sessionId, m.cohortId, m.communityId, m.index, m.startsAt, m.lengthMinutes, m.finishedAt, m.template ?? null, m.parentSessionId ?? null, m.breakoutName ?? null, m.coachId ?? null],
      );
      for (const id of memberIds) await db.query('INSERT INTO breakout_members (session_id, member_id) VALUES ($1, $2)', [m.sessionId, id]);
    });
  }

  async listBreakouts(parentSessionId: string): Promise<MeetingRecord[]> {
    return (await all(this.pool, 'SELECT * FROM meetings WHERE parent_session_id = $1 ORDER BY rowid', [parentSessionId])).map(toMeeting);
  }

  async listBreakoutMembers(sessionId: string): Promise<string[]> {
    return (
      await all(
        this.pool,
        'SELECT bm.member_id FROM breakout_members bm JOIN cohort_members c ON c.id = bm.member_id WHERE bm.session_id = $1 ORDER BY c.created_at, c.rowid',
        [sessionId],
      )
    ).map((r) => str(r.member_id));
  }

  async findBreakoutOf(parentSessionId: string, memberId: string): Promise<MeetingRecord | null> {
    const row = await one(
      this.pool,
      'SELECT m.* FROM meetings m JOIN breakout_members bm ON bm.session_id = m.session_id WHERE m.parent_session_id = $1 AND bm.member_id = $2 ORDER BY m.rowid DESC LIMIT 1',
      [parentSessionId, memberId],
    );
    return row ? toMeeting(row) : null;
  }

  async getMeeting(sessionId: string): Promise<MeetingRecord | null> {
    const row = await one(this.pool, 'SELECT * FROM meetings WHERE session_id = $1', [sessionId]);
    return row ? toMeeting(row) : null;
  }

  async finishMeeting(sessionId: string, at: number): Promise<boolean> {
    return (await changes(this.pool, 'UPDATE meetings SET finished_at = $1 WHERE session_id = $2 AND finished_at IS NULL', [at, sessionId])) > 0;
  }

  async addMeetingMember(link: MeetingMemberRecord): Promise<void> {
    await this.pool.query('INSERT INTO meeting_members (participant_id, session_id, member_id) VALUES ($1, $2, $3)', [link.participantId, link.sessionId, link.memberId]);
  }

  async findMeetingMember(sessionId: string, memberId: string): Promise<MeetingMemberRecord | null> {
    const row = await one(this.pool, 'SELECT * FROM meeting_members WHERE session_id = $1 AND member_id = $2', [sessionId, memberId]);
    return row ? toMeetingMember(row) : null;
  }

  async listMeetingMembers(cohortId: string): Promise<MeetingMemberRecord[]> {
    return (
      await all(this.pool, 'SELECT mm.* FROM meeting_members mm JOIN meetings m ON m.session_id = mm.session_id WHERE m.cohort_id = $1', [cohortId])
    ).map(toMeetingMember);
  }

  async addQuestionVersion(v: QuestionVersionRecord): Promise<void> {
    await this.pool.query(
      'INSERT INTO question_versions (id, cohort_id, community_id, version, text, reason, session_id, created_at, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [v.id, v.cohortId, v.communityId, v.version, v.text, v.reason, v.sessionId, v.createdAt, v.source ? JSON.stringify(v.source) : null],
    );
  }

  async listQuestionVersions(cohortId: string): Promise<QuestionVersionRecord[]> {
    return (await all(this.pool, 'SELECT * FROM question_versions WHERE cohort_id = $1 ORDER BY created_at, rowid', [cohortId])).map(toQuestion);
  }

  async updateQuestionSource(id: string, source: QuestionSource | null): Promise<void> {
    await this.pool.query('UPDATE question_versions SET source = $1 WHERE id = $2', [source ? JSON.stringify(source) : null, id]);
  }

  async addCommitment(c: CommitmentRecord): Promise<void> {
    await this.pool.query(
      'INSERT INTO year_commitments (id, cohort_id, community_id, member_id, session_id, action, notice, partner, due, status, created_at, reviewed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)',
      [c.id, c.cohortId, c.communityId, c.memberId, c.sessionId, c.action, c.notice, c.partner, c.due, c.status, c.createdAt, c.reviewedAt],
    );
  }

  async listCommitments(cohortId: string): Promise<CommitmentRecord[]> {
    return (await all(this.pool, 'SELECT * FROM year_commitments WHERE cohort_id = $1 ORDER BY created_at, rowid', [cohortId])).map(toCommitment);
  }

  async getCommitment(id: string): Promise<CommitmentRecord | null> {
    const row = await one(this.pool, 'SELECT * FROM year_commitments WHERE id = $1', [id]);
    return row ? toCommitment(row) : null;
  }

  async setCommitmentStatus(id: string, status: CommitmentStatus, reviewedAt: number | null): Promise<void> {
    await this.pool.query('UPDATE year_commitments SET status = $1, reviewed_at = $2 WHERE id = $3', [status, reviewedAt, id]);
  }

  async deleteCommitment(id: string): Promise<void> {
    await this.pool.query('DELETE FROM year_commitments WHERE id = $1', [id]);
  }

  async deleteCommitmentsOf(memberId: string): Promise<void> {
    await this.pool.query('DELETE FROM year_commitments WHERE member_id = $1', [memberId]);
  }
}

async function insertStaff(db: Queryable, staff: StaffRecord): Promise<void> {
  await db.query(
    'INSERT INTO cohort_staff (id, cohort_id, name, role, created_at) VALUES ($1, $2, $3, $4, $5)',
    [staff.id, staff.cohortId, staff.name, staff.role, staff.createdAt],
  );
}

async function insertToken(db: Queryable, token: CohortTokenRecord): Promise<void> {
  await db.query(
    'INSERT INTO cohort_tokens (id, secret_hash, cohort_id, kind, holder_id) VALUES ($1, $2, $3, $4, $5)',
    [token.id, token.secretHash, token.cohortId, token.kind, token.holderId],
  );
}

// bigint columns arrive as numbers (PgStore's int8 parser); Number() keeps these right on a pool without it.
const str = (v: unknown) => v as string;
const maybeStr = (v: unknown) => (v === null || v === undefined ? null : (v as string));
const num = (v: unknown) => Number(v);
const maybeNum = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function toCohort(r: Row): CohortRecord {
  return {
    id: str(r.id), name: str(r.name), startsOn: str(r.starts_on), endsOn: str(r.ends_on),
    lengthMinutes: num(r.length_minutes) as MeetingLength, joinCode: str(r.join_code), createdAt: num(r.created_at),
  };
}

function toStaff(r: Row): StaffRecord {
  return { id: str(r.id), cohortId: str(r.cohort_id), name: str(r.name), role: r.role as StaffRole, createdAt: num(r.created_at) };
}

function toMember(r: Row): MemberRecord {
  return {
    id: str(r.id), cohortId: str(r.cohort_id), name: str(r.name), challenge: str(r.challenge),
    communityId: maybeStr(r.community_id), createdAt: num(r.created_at), removedAt: maybeNum(r.removed_at),
  };
}

function toCommunity(r: Row): CommunityRecord {
  return {
    id: str(r.id), cohortId: str(r.cohort_id), name: str(r.name), challenge: str(r.challenge),
    series: r.series ? JSON.parse(str(r.series)) : null, lengthMinutes: num(r.length_minutes) as MeetingLength, createdAt: num(r.created_at),
    agenda: r.agenda ? readAgenda(str(r.agenda)) : null,
  };
}

function toMeeting(r: Row): MeetingRecord {
  return {
    sessionId: str(r.session_id), cohortId: str(r.cohort_id), communityId: maybeStr(r.community_id),
    index: num(r.idx), startsAt: str(r.starts_at), lengthMinutes: num(r.length_minutes) as MeetingLength, finishedAt: maybeNum(r.finished_at),
    template: (TEMPLATE_IDS as readonly unknown[]).includes(r.template) ? (r.template as TemplateId) : null,
    // Only a group carries these, so a meeting of its own reads as it did before groups.
    ...(r.parent_session_id ? { parentSessionId: str(r.parent_session_id), breakoutName: str(r.breakout_name ?? ''), coachId: maybeStr(r.coach_id) } : {}),
  };
}

function toMeetingMember(r: Row): MeetingMemberRecord {
  return { participantId: str(r.participant_id), sessionId: str(r.session_id), memberId: str(r.member_id) };
}

function toQuestion(r: Row): QuestionVersionRecord {
  return {
    id: str(r.id), cohortId: str(r.cohort_id), communityId: str(r.community_id), version: num(r.version), text: str(r.text),
    reason: str(r.reason), sessionId: str(r.session_id), createdAt: num(r.created_at), source: r.source ? JSON.parse(str(r.source)) : null,
  };
}

function toCommitment(r: Row): CommitmentRecord {
  return {
    id: str(r.id), cohortId: str(r.cohort_id), communityId: maybeStr(r.community_id), memberId: str(r.member_id),
    sessionId: str(r.session_id), action: str(r.action), notice: str(r.notice), partner: str(r.partner), due: str(r.due),
    status: r.status as CommitmentStatus, createdAt: num(r.created_at), reviewedAt: maybeNum(r.reviewed_at),
  };
}
