import { agendaColumn, readAgenda } from '../agendaColumn.ts';
import type Database from 'better-sqlite3';
import { Statements, type Row } from './Statements.ts';
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


/** The year's tables in SQLite (migration 3); every row cascades from its cohort. */
export class SqliteCohortStore implements CohortStore {
  private readonly createTx: (cohort: CohortRecord, staff: StaffRecord, tokens: CohortTokenRecord[]) => void;
  private readonly addStaffTx: (staff: StaffRecord, token: CohortTokenRecord) => void;
  private readonly addMemberTx: (member: MemberRecord, token: CohortTokenRecord) => void;
  private readonly addBreakoutTx: (group: MeetingRecord, memberIds: readonly string[]) => void;
  private readonly sql: Statements;

  constructor(private readonly db: Database.Database) {
    this.sql = new Statements(db);
    this.createTx = db.transaction((cohort: CohortRecord, staff: StaffRecord, tokens: CohortTokenRecord[]) => {
      this.sql.run(
        'INSERT INTO cohorts (id, name, starts_on, ends_on, length_minutes, join_code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        cohort.id, cohort.name, cohort.startsOn, cohort.endsOn, cohort.lengthMinutes, cohort.joinCode, cohort.createdAt,
      );
      this.insertStaff(staff);
      for (const token of tokens) this.insertToken(token);
    });
    this.addStaffTx = db.transaction((staff: StaffRecord, token: CohortTokenRecord) => {
      this.insertStaff(staff);
      this.insertToken(token);
    });
    this.addBreakoutTx = db.transaction((m: MeetingRecord, memberIds: readonly string[]) => {
      this.sql.run(
        'INSERT INTO meetings (session_id, cohort_id, community_id, idx, starts_at, length_minutes, finished_at, template, parent_session_id, breakout_name, coach_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        m.sessionId, m.cohortId, m.communityId, m.index, m.startsAt, m.lengthMinutes, m.finishedAt, m.template ?? null, m.parentSessionId ?? null, m.breakoutName ?? null, m.coachId ?? null,
      );
      for (const id of memberIds) this.sql.run('INSERT INTO breakout_members (session_id, member_id) VALUES (?, ?)', m.sessionId, id);
    });
    this.addMemberTx = db.transaction((member: MemberRecord, token: CohortTokenRecord) => {
      this.sql.run(
        'INSERT INTO cohort_members (id, cohort_id, name, challenge, community_id, created_at, removed_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        member.id, member.cohortId, member.name, member.challenge, member.communityId, member.createdAt, member.removedAt,
      );
      this.insertToken(token);
    });
  }





  private insertStaff(staff: StaffRecord): void {
    this.sql.run(
      'INSERT INTO cohort_staff (id, cohort_id, name, role, created_at) VALUES (?, ?, ?, ?, ?)',
      staff.id, staff.cohortId, staff.name, staff.role, staff.createdAt,
    );
  }

  private insertToken(token: CohortTokenRecord): void {
    this.sql.run(
      'INSERT INTO cohort_tokens (id, secret_hash, cohort_id, kind, holder_id) VALUES (?, ?, ?, ?, ?)',
      token.id, token.secretHash, token.cohortId, token.kind, token.holderId,
    );
  }

  async createCohort(cohort: CohortRecord, staff: StaffRecord, tokens: CohortTokenRecord[]): Promise<'created' | 'join-code-taken'> {
    try {
      this.createTx(cohort, staff, tokens);
      return 'created';
    } catch (err) {
      if ((err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE' && this.sql.get('SELECT 1 FROM cohorts WHERE join_code = ?', cohort.joinCode)) {
        return 'join-code-taken';
      }
      throw err;
    }
  }

  async getCohort(id: string): Promise<CohortRecord | null> {
    const row = this.sql.get('SELECT * FROM cohorts WHERE id = ?', id);
    return row ? toCohort(row) : null;
  }

  async findCohortByJoinCode(joinCode: string): Promise<CohortRecord | null> {
    const row = this.sql.get('SELECT * FROM cohorts WHERE join_code = ?', joinCode);
    return row ? toCohort(row) : null;
  }

  async listCohortsEndedBefore(date: string): Promise<CohortRecord[]> {
    return this.sql.all('SELECT * FROM cohorts WHERE ends_on < ? ORDER BY ends_on', date).map(toCohort);
  }

  async deleteCohort(id: string): Promise<boolean> {
    const deleted = this.sql.run('DELETE FROM cohorts WHERE id = ?', id).changes > 0;
    // As for sessions: the WAL must not keep the deleted pages (docs/security.md).
    if (deleted) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return deleted;
  }

  async addStaff(staff: StaffRecord, token: CohortTokenRecord): Promise<void> {
    this.addStaffTx(staff, token);
  }

  async listStaff(cohortId: string): Promise<StaffRecord[]> {
    return this.sql.all('SELECT * FROM cohort_staff WHERE cohort_id = ? ORDER BY created_at, rowid', cohortId).map(toStaff);
  }

  async getStaff(id: string): Promise<StaffRecord | null> {
    const row = this.sql.get('SELECT * FROM cohort_staff WHERE id = ?', id);
    return row ? toStaff(row) : null;
  }

  async deleteStaff(id: string): Promise<void> {
    this.db.transaction(() => {
      this.sql.run('DELETE FROM cohort_tokens WHERE holder_id = ?', id);
      this.sql.run('DELETE FROM cohort_staff WHERE id = ?', id);
    })();
  }

  async addMember(member: MemberRecord, token: CohortTokenRecord): Promise<void> {
    this.addMemberTx(member, token);
  }

  async listMembers(cohortId: string): Promise<MemberRecord[]> {
    return this.sql.all('SELECT * FROM cohort_members WHERE cohort_id = ? AND removed_at IS NULL ORDER BY created_at, rowid', cohortId).map(toMember);
  }

  async getMember(id: string): Promise<MemberRecord | null> {
    const row = this.sql.get('SELECT * FROM cohort_members WHERE id = ?', id);
    return row ? toMember(row) : null;
  }

  async placeMember(memberId: string, communityId: string | null): Promise<void> {
    this.sql.run('UPDATE cohort_members SET community_id = ? WHERE id = ?', communityId, memberId);
  }

  async anonymiseMember(memberId: string, name: string, at: number): Promise<void> {
    this.sql.run("UPDATE cohort_members SET name = ?, challenge = '', community_id = NULL, removed_at = ? WHERE id = ?", name, at, memberId);
  }

  async deleteMember(memberId: string): Promise<void> {
    this.db.transaction(() => {
      this.sql.run('DELETE FROM cohort_tokens WHERE holder_id = ?', memberId);
      this.sql.run('DELETE FROM cohort_members WHERE id = ?', memberId);
    })();
    // A removed member's name and words must not stay in the WAL's old pages (docs/security.md).
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async addCommunity(c: CommunityRecord): Promise<void> {
    this.sql.run(
      'INSERT INTO communities (id, cohort_id, name, challenge, series, length_minutes, created_at, agenda) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      c.id, c.cohortId, c.name, c.challenge, c.series ? JSON.stringify(c.series) : null, c.lengthMinutes, c.createdAt, agendaColumn(c.agenda ?? null),
    );
  }

  async listCommunities(cohortId: string): Promise<CommunityRecord[]> {
    return this.sql.all('SELECT * FROM communities WHERE cohort_id = ? ORDER BY created_at, rowid', cohortId).map(toCommunity);
  }

  async getCommunity(id: string): Promise<CommunityRecord | null> {
    const row = this.sql.get('SELECT * FROM communities WHERE id = ?', id);
    return row ? toCommunity(row) : null;
  }

  async updateCommunity(c: CommunityRecord): Promise<void> {
    this.sql.run(
      'UPDATE communities SET name = ?, challenge = ?, series = ?, length_minutes = ? WHERE id = ?',
      c.name, c.challenge, c.series ? JSON.stringify(c.series) : null, c.lengthMinutes, c.id,
    );
  }

  async setCommunityAgenda(communityId: string, agenda: AgendaShape | null): Promise<void> {
    this.sql.run('UPDATE communities SET agenda = ? WHERE id = ?', agendaColumn(agenda), communityId);
  }

  async deleteCommunity(id: string): Promise<void> {
    this.sql.run('DELETE FROM communities WHERE id = ?', id);
  }

  async findCohortToken(id: string): Promise<CohortTokenRecord | null> {
    const row = this.sql.get('SELECT * FROM cohort_tokens WHERE id = ?', id);
    if (!row) return null;
    return {
      id: row.id as string,
      secretHash: row.secret_hash as Buffer,
      cohortId: row.cohort_id as string,
      kind: row.kind as CohortTokenKind,
      holderId: (row.holder_id as string | null) ?? null,
    };
  }

  async addCohortToken(token: CohortTokenRecord): Promise<void> {
    this.insertToken(token);
  }

  async deleteTokensOf(holderId: string, kinds: CohortTokenKind[]): Promise<void> {
    for (const kind of kinds) this.sql.run('DELETE FROM cohort_tokens WHERE holder_id = ? AND kind = ?', holderId, kind);
  }

  async addMeeting(m: MeetingRecord): Promise<void> {
    this.sql.run(
      'INSERT INTO meetings (session_id, cohort_id, community_id, idx, starts_at, length_minutes, finished_at, template) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      m.sessionId, m.cohortId, m.communityId, m.index, m.startsAt, m.lengthMinutes, m.finishedAt, m.template ?? null,
    );
  }

  async listMeetings(cohortId: string): Promise<MeetingRecord[]> {
    return this.sql.all('SELECT * FROM meetings WHERE cohort_id = ? AND parent_session_id IS NULL ORDER BY starts_at, idx', cohortId).map(toMeeting);
  }

  async addBreakout(m: MeetingRecord, memberIds: readonly string[]): Promise<void> {
    this.addBreakoutTx(m, memberIds);
  }

  async listBreakouts(parentSessionId: string): Promise<MeetingRecord[]> {
    return this.sql.all('SELECT * FROM meetings WHERE parent_session_id = ? ORDER BY rowid', parentSessionId).map(toMeeting);
  }

  async listBreakoutMembers(sessionId: string): Promise<string[]> {
    return this.sql.all(
      'SELECT bm.member_id FROM breakout_members bm JOIN cohort_members c ON c.id = bm.member_id WHERE bm.session_id = ? ORDER BY c.created_at, c.rowid',
      sessionId,
    ).map((r) => str(r.member_id));
  }

  async findBreakoutOf(parentSessionId: string, memberId: string): Promise<MeetingRecord | null> {
    const row = this.sql.get(
      'SELECT m.* FROM meetings m JOIN breakout_members bm ON bm.session_id = m.session_id WHERE m.parent_session_id = ? AND bm.member_id = ? ORDER BY m.rowid DESC LIMIT 1',
      parentSessionId,
      memberId,
    );
    return row ? toMeeting(row) : null;
  }

  async getMeeting(sessionId: string): Promise<MeetingRecord | null> {
    const row = this.sql.get('SELECT * FROM meetings WHERE session_id = ?', sessionId);
    return row ? toMeeting(row) : null;
  }

  async finishMeeting(sessionId: string, at: number): Promise<boolean> {
    return this.sql.run('UPDATE meetings SET finished_at = ? WHERE session_id = ? AND finished_at IS NULL', at, sessionId).changes > 0;
  }

  async addMeetingMember(link: MeetingMemberRecord): Promise<void> {
    this.sql.run('INSERT INTO meeting_members (participant_id, session_id, member_id) VALUES (?, ?, ?)', link.participantId, link.sessionId, link.memberId);
  }

  async findMeetingMember(sessionId: string, memberId: string): Promise<MeetingMemberRecord | null> {
    const row = this.sql.get('SELECT * FROM meeting_members WHERE session_id = ? AND member_id = ?', sessionId, memberId);
    return row ? toMeetingMember(row) : null;
  }

  async listMeetingMembers(cohortId: string): Promise<MeetingMemberRecord[]> {
    return this.sql.all(
      'SELECT mm.* FROM meeting_members mm JOIN meetings m ON m.session_id = mm.session_id WHERE m.cohort_id = ?',
      cohortId,
    ).map(toMeetingMember);
  }

  async addQuestionVersion(v: QuestionVersionRecord): Promise<void> {
    this.sql.run(
      'INSERT INTO question_versions (id, cohort_id, community_id, version, text, reason, session_id, created_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      v.id, v.cohortId, v.communityId, v.version, v.text, v.reason, v.sessionId, v.createdAt, v.source ? JSON.stringify(v.source) : null,
    );
  }

  async listQuestionVersions(cohortId: string): Promise<QuestionVersionRecord[]> {
    return this.sql.all('SELECT * FROM question_versions WHERE cohort_id = ? ORDER BY created_at, rowid', cohortId).map(toQuestion);
  }

  async updateQuestionSource(id: string, source: QuestionSource | null): Promise<void> {
    this.sql.run('UPDATE question_versions SET source = ? WHERE id = ?', source ? JSON.stringify(source) : null, id);
  }

  async addCommitment(c: CommitmentRecord): Promise<void> {
    this.sql.run(
      'INSERT INTO year_commitments (id, cohort_id, community_id, member_id, session_id, action, notice, partner, due, status, created_at, reviewed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      c.id, c.cohortId, c.communityId, c.memberId, c.sessionId, c.action, c.notice, c.partner, c.due, c.status, c.createdAt, c.reviewedAt,
    );
  }

  async listCommitments(cohortId: string): Promise<CommitmentRecord[]> {
    return this.sql.all('SELECT * FROM year_commitments WHERE cohort_id = ? ORDER BY created_at, rowid', cohortId).map(toCommitment);
  }

  async getCommitment(id: string): Promise<CommitmentRecord | null> {
    const row = this.sql.get('SELECT * FROM year_commitments WHERE id = ?', id);
    return row ? toCommitment(row) : null;
  }

  async setCommitmentStatus(id: string, status: CommitmentStatus, reviewedAt: number | null): Promise<void> {
    this.sql.run('UPDATE year_commitments SET status = ?, reviewed_at = ? WHERE id = ?', status, reviewedAt, id);
  }

  async deleteCommitment(id: string): Promise<void> {
    this.sql.run('DELETE FROM year_commitments WHERE id = ?', id);
  }

  async deleteCommitmentsOf(memberId: string): Promise<void> {
    this.sql.run('DELETE FROM year_commitments WHERE member_id = ?', memberId);
  }
}

const str = (v: unknown) => v as string;
const num = (v: unknown) => v as number;
const maybeNum = (v: unknown) => (v === null || v === undefined ? null : (v as number));

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
    communityId: (r.community_id as string | null) ?? null, createdAt: num(r.created_at), removedAt: maybeNum(r.removed_at),
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
    sessionId: str(r.session_id), cohortId: str(r.cohort_id), communityId: (r.community_id as string | null) ?? null,
    index: num(r.idx), startsAt: str(r.starts_at), lengthMinutes: num(r.length_minutes) as MeetingLength, finishedAt: maybeNum(r.finished_at),
    template: (TEMPLATE_IDS as readonly unknown[]).includes(r.template) ? (r.template as TemplateId) : null,
    // Only a group carries these, so a meeting of its own reads as it did before groups.
    ...(r.parent_session_id ? { parentSessionId: str(r.parent_session_id), breakoutName: str(r.breakout_name ?? ''), coachId: (r.coach_id as string | null) ?? null } : {}),
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
    id: str(r.id), cohortId: str(r.cohort_id), communityId: (r.community_id as string | null) ?? null, memberId: str(r.member_id),
    sessionId: str(r.session_id), action: str(r.action), notice: str(r.notice), partner: str(r.partner), due: str(r.due),
    status: r.status as CommitmentStatus, createdAt: num(r.created_at), reviewedAt: maybeNum(r.reviewed_at),
  };
}
