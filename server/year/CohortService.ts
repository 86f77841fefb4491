import { normalizeJoinCode } from '../../shared/api.ts';
import { nameClash } from '../../shared/names.ts';
import {
  FORMER_MEMBER,
  LIMITS_YEAR,
  yearPaths,
  type CohortOverview,
  type CommunityBody,
  type CreateCohortBody,
  type EditCommunityBody,
  type InviteStaffBody,
  type StaffRole,
} from '../../shared/year/api.ts';
import type { CarriedCommunity } from '../../shared/year/portfolioCarry.ts';
import { randomId } from '../auth/tokens.ts';
import type { CohortRecord, CohortStore, CommunityRecord, MemberRecord, StaffRecord } from '../storage/CohortStore.ts';
import type { SessionStore } from '../storage/SessionStore.ts';
import { randomJoinCode } from '../sessions/SessionService.ts';
import { mintCohortJoinSecret, mintCohortToken, verifyCohortJoinSecret, verifyCohortToken } from './cohortTokens.ts';
import { meetingTitle, views } from './views.ts';
import { deletionDate } from './retention.ts';
import { DEFAULT_COHORT_RETENTION_DAYS } from '../config.ts';

/** A refusal the routes turn into a problem answer. */
export class YearError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export interface StaffGrant {
  cohort: CohortRecord;
  staff: StaffRecord;
}

export interface MemberGrant {
  cohort: CohortRecord;
  member: MemberRecord;
}

/** Two weeks before the school year's last day, the cohort page asks to export and delete. */
export const ENDING_SOON_DAYS = 14;

/**
 * A cohort and the people in it: its staff (facilitators and coaches), its
 * members (one identity each for the year) and its communities of practice.
 * Meetings are MeetingService's. Knows nothing of HTTP.
 */
export class CohortService {
  constructor(
    private readonly cohorts: CohortStore,
    private readonly sessions: SessionStore,
    private readonly now: () => number = Date.now,
    /** COHORT_RETENTION_DAYS: how long after its last day a cohort is kept (server/year/retention.ts deletes it). */
    private readonly retentionDays: number = DEFAULT_COHORT_RETENTION_DAYS,
    /** Ends a member's open sockets once their session keys are revoked (closeMemberSockets.ts); tests may leave it out. */
    private readonly closeSockets: (cohortId: string, memberId: string, message: string) => Promise<void> = async () => {},
  ) {}

  /** A new cohort; `carried` communities (from last year's portfolios) start with their question's last version as version 1. */
  async create(body: CreateCohortBody & { lengthMinutes: CohortRecord['lengthMinutes']; yourName: string }, carried: CarriedCommunity[] = []) {
    const id = randomId(12);
    const staffId = randomId(9);
    const staffToken = mintCohortToken(id, 'staff', staffId);
    const join = mintCohortJoinSecret(id);
    for (let attempt = 0; ; attempt++) {
      const cohort: CohortRecord = {
        id,
        name: body.name,
        startsOn: body.startsOn,
        endsOn: body.endsOn,
        lengthMinutes: body.lengthMinutes,
        joinCode: randomJoinCode(),
        createdAt: this.now(),
      };
      const staff: StaffRecord = { id: staffId, cohortId: id, name: body.yourName, role: 'facilitator', createdAt: this.now() };
      const outcome = await this.cohorts.createCohort(cohort, staff, [staffToken.record, join.record]);
      if (outcome === 'created') {
        await this.carryCommunities(cohort, carried);
        return { cohort, staffToken: staffToken.token, joinSecret: join.secret };
      }
      if (attempt >= 5) throw new Error('Could not find a free cohort join code.');
    }
  }

  /** Carried questions belong to no meeting of the new year: their session id is empty, as for a revision made before any meeting. */
  private async carryCommunities(cohort: CohortRecord, carried: CarriedCommunity[]): Promise<void> {
    for (const c of carried.slice(0, LIMITS_YEAR.communitiesPerCohort)) {
      const community: CommunityRecord = {
        id: randomId(9),
        cohortId: cohort.id,
        name: c.name,
        challenge: c.challenge,
        series: null,
        lengthMinutes: cohort.lengthMinutes,
        createdAt: this.now(),
      };
      await this.cohorts.addCommunity(community);
      if (!c.question) continue;
      await this.cohorts.addQuestionVersion({
        id: randomId(9),
        cohortId: cohort.id,
        communityId: community.id,
        version: 1,
        text: c.question.text,
        reason: c.question.reason,
        sessionId: '',
        createdAt: this.now(),
        source: null,
      });
    }
  }

  /** The cohort a staff token opens, if it is this cohort's. */
  async staffGrant(token: unknown, cohortId: string): Promise<StaffGrant | null> {
    const grant = await verifyCohortToken(this.cohorts, token, ['staff']);
    if (!grant || grant.cohortId !== cohortId) return null;
    const [cohort, staff] = await Promise.all([this.cohorts.getCohort(cohortId), this.cohorts.getStaff(grant.holderId)]);
    return cohort && staff ? { cohort, staff } : null;
  }

  /** The member a personal link opens (any cohort: the link names it). */
  async memberGrant(token: unknown): Promise<MemberGrant | null> {
    const grant = await verifyCohortToken(this.cohorts, token, ['member']);
    if (!grant) return null;
    const member = await this.cohorts.getMember(grant.holderId);
    if (!member || member.removedAt !== null) return null;
    const cohort = await this.cohorts.getCohort(member.cohortId);
    return cohort ? { cohort, member } : null;
  }

  /** A member's calendar feed key; minting one revokes the one before. */
  async calendarFeed({ cohort, member }: MemberGrant): Promise<string> {
    await this.cohorts.deleteTokensOf(member.id, ['calendar']);
    const token = mintCohortToken(cohort.id, 'calendar', member.id);
    await this.cohorts.addCohortToken(token.record);
    return token.token;
  }

  /** The member whose calendar feed `token` reads. */
  async calendarGrant(token: unknown): Promise<MemberGrant | null> {
    const grant = await verifyCohortToken(this.cohorts, token, ['calendar']);
    const member = grant ? await this.cohorts.getMember(grant.holderId) : null;
    if (!member || member.removedAt !== null) return null;
    const cohort = await this.cohorts.getCohort(member.cohortId);
    return cohort ? { cohort, member } : null;
  }

  async overview({ cohort, staff: you }: StaffGrant): Promise<CohortOverview> {
    const [staff, members, communities, meetings, links, questions, commitments, allMembers] = await Promise.all([
      this.cohorts.listStaff(cohort.id),
      this.cohorts.listMembers(cohort.id),
      this.cohorts.listCommunities(cohort.id),
      this.cohorts.listMeetings(cohort.id),
      this.cohorts.listMeetingMembers(cohort.id),
      this.cohorts.listQuestionVersions(cohort.id),
      this.cohorts.listCommitments(cohort.id),
      this.membersById(cohort.id),
    ]);
    const communityById = new Map(communities.map((c) => [c.id, c]));
    return {
      cohort: views.cohort(cohort),
      joinCode: cohort.joinCode,
      staff: staff.map((s) => ({ id: s.id, name: s.name, role: s.role, you: s.id === you.id })),
      you: { id: you.id, role: you.role },
      members: members.map(views.member),
      communities: communities.map(views.community),
      meetings: meetings.map((m) =>
        views.meeting(m, meetingTitle(m.communityId ? (communityById.get(m.communityId) ?? null) : null, cohort.name, m.index), links),
      ),
      questions: questions.map(views.question),
      commitments: commitments.map((c) => views.commitment(c, allMembers.get(c.memberId)?.name ?? FORMER_MEMBER)),
      endingSoon: isEndingSoon(cohort, this.now()),
      retentionDays: this.retentionDays,
      deletesOn: deletionDate(cohort.endsOn, this.retentionDays),
    };
  }

  /** Current members by id; a commitment whose owner is not among them was an anonymised member's. */
  async membersById(cohortId: string): Promise<Map<string, MemberRecord>> {
    return new Map((await this.cohorts.listMembers(cohortId)).map((m) => [m.id, m]));
  }

  // ---- staff

  async inviteStaff({ cohort, staff: by }: StaffGrant, body: InviteStaffBody & { role: StaffRole }): Promise<string> {
    requireFacilitator(by, 'invite people');
    const staff = await this.cohorts.listStaff(cohort.id);
    if (staff.length >= LIMITS_YEAR.staffPerCohort) throw new YearError(409, `A cohort has at most ${LIMITS_YEAR.staffPerCohort} facilitators and coaches.`);
    const record: StaffRecord = { id: randomId(9), cohortId: cohort.id, name: body.name, role: body.role, createdAt: this.now() };
    const token = mintCohortToken(cohort.id, 'staff', record.id);
    await this.cohorts.addStaff(record, token.record);
    return `${yearPaths.cohort(cohort.id)}#${token.token}`;
  }

  async removeStaff({ cohort, staff: by }: StaffGrant, staffId: string): Promise<void> {
    requireFacilitator(by, 'remove people');
    const staff = await this.cohorts.listStaff(cohort.id);
    const target = staff.find((s) => s.id === staffId);
    if (!target) throw new YearError(404, 'No such facilitator or coach in this cohort.');
    if (target.role === 'facilitator' && staff.filter((s) => s.role === 'facilitator').length === 1) {
      throw new YearError(409, 'A cohort needs at least one facilitator: invite another before removing this one.');
    }
    await this.sessions.deleteTokensOfHolder(staffId);
    await this.cohorts.deleteStaff(staffId);
  }

  // ---- members

  async findByJoinCode(joinCode: string): Promise<CohortRecord | null> {
    return this.cohorts.findCohortByJoinCode(normalizeJoinCode(joinCode));
  }

  hasJoinSecret(cohort: CohortRecord, secret: unknown): Promise<boolean> {
    return verifyCohortJoinSecret(this.cohorts, cohort.id, secret);
  }

  async join(cohort: CohortRecord, name: string, challenge: string): Promise<{ member: MemberRecord; token: string }> {
    const members = await this.cohorts.listMembers(cohort.id);
    if (members.length >= LIMITS_YEAR.membersPerCohort) throw new YearError(403, `This cohort is full (${LIMITS_YEAR.membersPerCohort} members). Ask its facilitator.`);
    const clash = nameClash(name, members.map((m) => m.name));
    if (clash === 'reserved') throw new YearError(409, 'That name is reserved for a role (facilitator, coach…). Use your own name.');
    if (clash) throw new YearError(409, 'A member of this cohort already has that name (or one that looks the same). Add an initial or use another name.');
    const member: MemberRecord = { id: randomId(9), cohortId: cohort.id, name, challenge, communityId: null, createdAt: this.now(), removedAt: null };
    const token = mintCohortToken(cohort.id, 'member', member.id);
    await this.cohorts.addMember(member, token.record);
    return { member, token: token.token };
  }

  /** A new personal link; the old one, its calendar feed and the session keys it was given stop working. */
  async reissueMemberLink({ cohort }: StaffGrant, memberId: string): Promise<string> {
    const member = await this.memberOf(cohort.id, memberId);
    await this.cohorts.deleteTokensOf(member.id, ['member', 'calendar']);
    await this.sessions.deleteTokensOfHolder(member.id);
    // A lost laptop still connected loses the meeting now, not at its next reconnect.
    await this.closeSockets(cohort.id, member.id, 'This link was replaced. Open the new personal link your facilitator gave you.');
    const token = mintCohortToken(cohort.id, 'member', member.id);
    await this.cohorts.addCohortToken(token.record);
    return `${yearPaths.member(cohort.id)}#${token.token}`;
  }

  async memberOf(cohortId: string, memberId: string): Promise<MemberRecord> {
    const member = await this.cohorts.getMember(memberId);
    if (!member || member.cohortId !== cohortId || member.removedAt !== null) throw new YearError(404, 'No such member in this cohort.');
    return member;
  }

  // ---- communities

  async addCommunity({ cohort }: StaffGrant, body: CommunityBody & { challenge: string }): Promise<CommunityRecord> {
    const communities = await this.cohorts.listCommunities(cohort.id);
    if (communities.length >= LIMITS_YEAR.communitiesPerCohort) throw new YearError(409, `A cohort has at most ${LIMITS_YEAR.communitiesPerCohort} communities.`);
    const community: CommunityRecord = {
      id: randomId(9),
      cohortId: cohort.id,
      name: body.name,
      challenge: body.challenge,
      series: null,
      lengthMinutes: cohort.lengthMinutes,
      createdAt: this.now(),
    };
    await this.cohorts.addCommunity(community);
    return community;
  }

  async communityOf(cohortId: string, communityId: string): Promise<CommunityRecord> {
    const community = await this.cohorts.getCommunity(communityId);
    if (!community || community.cohortId !== cohortId) throw new YearError(404, 'No such community in this cohort.');
    return community;
  }

  async editCommunity({ cohort }: StaffGrant, communityId: string, patch: EditCommunityBody): Promise<CommunityRecord> {
    const community = await this.communityOf(cohort.id, communityId);
    const next: CommunityRecord = {
      ...community,
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.challenge !== undefined ? { challenge: patch.challenge } : {}),
      ...(patch.series !== undefined ? { series: patch.series } : {}),
      ...(patch.lengthMinutes !== undefined ? { lengthMinutes: patch.lengthMinutes } : {}),
    };
    await this.cohorts.updateCommunity(next);
    return next;
  }

  async deleteCommunity({ cohort }: StaffGrant, communityId: string): Promise<void> {
    await this.communityOf(cohort.id, communityId);
    const meetings = await this.cohorts.listMeetings(cohort.id);
    if (meetings.some((m) => m.communityId === communityId)) {
      throw new YearError(409, 'This community has met (or has a meeting planned), so its year is kept. Move its members instead.');
    }
    await this.cohorts.deleteCommunity(communityId);
  }

  /**
   * Moves a member into a community (or out of all): at most 8 to a
   * community. Session keys of the old community's boards are revoked, so a
   * member reads only their own community's boards.
   */
  async placeMember({ cohort }: StaffGrant, memberId: string, communityId: string | null): Promise<void> {
    const member = await this.memberOf(cohort.id, memberId);
    if (communityId !== null) {
      await this.communityOf(cohort.id, communityId);
      const members = await this.cohorts.listMembers(cohort.id);
      const size = members.filter((m) => m.communityId === communityId && m.id !== memberId).length;
      if (size >= LIMITS_YEAR.communityMax) throw new YearError(409, `A community has at most ${LIMITS_YEAR.communityMax} members.`);
    }
    if (member.communityId === communityId) return;
    await this.cohorts.placeMember(memberId, communityId);
    if (member.communityId !== null) {
      await this.sessions.deleteTokensOfHolder(memberId);
      await this.closeSockets(cohort.id, memberId, 'You were moved to another community. Open your home page for its meetings.');
    }
  }
}

function requireFacilitator(staff: StaffRecord, what: string): void {
  if (staff.role !== 'facilitator') throw new YearError(403, `Only a facilitator can ${what}; a coach cannot.`);
}

export function isEndingSoon(cohort: CohortRecord, now: number): boolean {
  const soon = new Date(now + ENDING_SOON_DAYS * 86_400_000).toISOString().slice(0, 10);
  return cohort.endsOn <= soon;
}

