import type { MeetingLength } from '../../shared/protocol/steps.ts';
import type { TemplateId } from '../../shared/protocol/agendas.ts';
import type { AgendaShape, CommitmentStatus, QuestionSource, StaffRole } from '../../shared/year/api.ts';
import type { Series } from '../../shared/year/series.ts';

export interface CohortRecord {
  id: string;
  name: string;
  startsOn: string;
  endsOn: string;
  lengthMinutes: MeetingLength;
  joinCode: string;
  createdAt: number;
}

export interface StaffRecord {
  id: string;
  cohortId: string;
  name: string;
  role: StaffRole;
  createdAt: number;
}

export interface MemberRecord {
  id: string;
  cohortId: string;
  name: string;
  challenge: string;
  communityId: string | null;
  createdAt: number;
  /** Set when the member was removed and what they wrote kept, anonymised. */
  removedAt: number | null;
}

export interface CommunityRecord {
  id: string;
  cohortId: string;
  name: string;
  challenge: string;
  series: Series | null;
  lengthMinutes: MeetingLength;
  createdAt: number;
  /** The shape its next meetings start from (setCommunityAgenda); absent or null: none kept. */
  agenda?: AgendaShape | null;
}

/** What a cohort token opens: the staff page, a member's home, a member's calendar feed, or (join~) nothing but a join. */
export type CohortTokenKind = 'staff' | 'member' | 'calendar' | 'join';

export interface CohortTokenRecord {
  id: string;
  secretHash: Buffer;
  cohortId: string;
  kind: CohortTokenKind;
  /** The staff or member id it belongs to; null for the join secret. */
  holderId: string | null;
}

export interface MeetingRecord {
  sessionId: string;
  cohortId: string;
  communityId: string | null;
  index: number;
  startsAt: string;
  lengthMinutes: MeetingLength;
  finishedAt: number | null;
  /** The template it was planned with; absent or null: made before templates. */
  template?: TemplateId | null;
  /** A breakout group of a cohort meeting: the plenary's session (absent: a meeting of its own). */
  parentSessionId?: string;
  breakoutName?: string;
  /** The coach given this group's controls, if any. */
  coachId?: string | null;
}

export interface QuestionVersionRecord {
  id: string;
  cohortId: string;
  communityId: string;
  version: number;
  text: string;
  reason: string;
  sessionId: string;
  createdAt: number;
  source: QuestionSource | null;
}

export interface CommitmentRecord {
  id: string;
  cohortId: string;
  communityId: string | null;
  memberId: string;
  sessionId: string;
  action: string;
  notice: string;
  partner: string;
  due: string;
  status: CommitmentStatus;
  createdAt: number;
  reviewedAt: number | null;
}

/** A member's participant in one session: how one identity spans the year's boards. */
export interface MeetingMemberRecord {
  participantId: string;
  sessionId: string;
  memberId: string;
}

/**
 * The year's data: cohorts and everything in them. Deleting a cohort deletes
 * every row of it; the sessions of its meetings are deleted by the caller first.
 */
export interface CohortStore {
  createCohort(cohort: CohortRecord, staff: StaffRecord, tokens: CohortTokenRecord[]): Promise<'created' | 'join-code-taken'>;
  getCohort(id: string): Promise<CohortRecord | null>;
  findCohortByJoinCode(joinCode: string): Promise<CohortRecord | null>;
  listCohortsEndedBefore(date: string): Promise<CohortRecord[]>;
  deleteCohort(id: string): Promise<boolean>;

  addStaff(staff: StaffRecord, token: CohortTokenRecord): Promise<void>;
  listStaff(cohortId: string): Promise<StaffRecord[]>;
  getStaff(id: string): Promise<StaffRecord | null>;
  deleteStaff(id: string): Promise<void>;

  addMember(member: MemberRecord, token: CohortTokenRecord): Promise<void>;
  /** Current members (removed ones left out), in joining order. */
  listMembers(cohortId: string): Promise<MemberRecord[]>;
  getMember(id: string): Promise<MemberRecord | null>;
  placeMember(memberId: string, communityId: string | null): Promise<void>;
  /** Keeps the row (its authorship in lineage and commitments) under `name`, marked removed. */
  anonymiseMember(memberId: string, name: string, at: number): Promise<void>;
  deleteMember(memberId: string): Promise<void>;

  addCommunity(community: CommunityRecord): Promise<void>;
  listCommunities(cohortId: string): Promise<CommunityRecord[]>;
  getCommunity(id: string): Promise<CommunityRecord | null>;
  /** Name, challenge, series and length; the agenda only through setCommunityAgenda. */
  updateCommunity(community: CommunityRecord): Promise<void>;
  /** Keeps (or with null forgets) the community's default meeting shape; refuses one that fails agendaShapeSchema. */
  setCommunityAgenda(communityId: string, agenda: AgendaShape | null): Promise<void>;
  deleteCommunity(id: string): Promise<void>;

  findCohortToken(id: string): Promise<CohortTokenRecord | null>;
  addCohortToken(token: CohortTokenRecord): Promise<void>;
  /** Revokes every token of `holderId` of the given kinds. */
  deleteTokensOf(holderId: string, kinds: CohortTokenKind[]): Promise<void>;

  addMeeting(meeting: MeetingRecord): Promise<void>;
  /** The cohort's meetings, breakout groups left out (listBreakouts has those). */
  listMeetings(cohortId: string): Promise<MeetingRecord[]>;
  /** A group of a plenary (`parentSessionId` set) with who is in it, in one transaction. */
  addBreakout(group: MeetingRecord, memberIds: readonly string[]): Promise<void>;
  /** A plenary's groups, oldest first. */
  listBreakouts(parentSessionId: string): Promise<MeetingRecord[]>;
  listBreakoutMembers(sessionId: string): Promise<string[]>;
  /** The member's group among the plenary's groups sent out last (the newest that holds them). */
  findBreakoutOf(parentSessionId: string, memberId: string): Promise<MeetingRecord | null>;
  getMeeting(sessionId: string): Promise<MeetingRecord | null>;
  finishMeeting(sessionId: string, at: number): Promise<boolean>;

  addMeetingMember(link: MeetingMemberRecord): Promise<void>;
  findMeetingMember(sessionId: string, memberId: string): Promise<MeetingMemberRecord | null>;
  listMeetingMembers(cohortId: string): Promise<MeetingMemberRecord[]>;

  addQuestionVersion(version: QuestionVersionRecord): Promise<void>;
  listQuestionVersions(cohortId: string): Promise<QuestionVersionRecord[]>;
  updateQuestionSource(id: string, source: QuestionSource | null): Promise<void>;

  addCommitment(commitment: CommitmentRecord): Promise<void>;
  listCommitments(cohortId: string): Promise<CommitmentRecord[]>;
  getCommitment(id: string): Promise<CommitmentRecord | null>;
  setCommitmentStatus(id: string, status: CommitmentStatus, reviewedAt: number | null): Promise<void>;
  deleteCommitment(id: string): Promise<void>;
  deleteCommitmentsOf(memberId: string): Promise<void>;
}
