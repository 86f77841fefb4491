import { Board } from '../../shared/board/Board.ts';
import { boardRef } from '../../shared/board/DocRef.ts';
import { paths, type JoinSessionResponse } from '../../shared/api.ts';
import { suggestedTemplate, templatePlan, type MeetingPlan, type TemplateId } from '../../shared/protocol/agendas.ts';
import { initialControl, minutesOf } from '../../shared/protocol/control.ts';
import type { MeetingLength, StepId } from '../../shared/protocol/steps.ts';
import {
  FORMER_MEMBER,
  type AgendaShape,
  LIMITS_YEAR,
  type CommitmentView,
  type MeetingView,
  type MemberHome,
  type ReviewOutcome,
  type SessionYear,
} from '../../shared/year/api.ts';
import { seriesDates } from '../../shared/year/series.ts';
import type { Grant } from '../auth/tokens.ts';
import { mintToken, randomId } from '../auth/tokens.ts';
import type { ControlService } from '../control/ControlService.ts';
import type { CarryForwardPlan } from '../../shared/export/carryForward.ts';
import type { SessionService } from '../sessions/SessionService.ts';
import type { CohortRecord, CohortStore, CommunityRecord, MeetingMemberRecord, MeetingRecord } from '../storage/CohortStore.ts';
import type { SessionStore } from '../storage/SessionStore.ts';
import type { Rooms } from '../sync/Rooms.ts';
import { YearError, type MemberGrant, type StaffGrant } from './CohortService.ts';
import { renderCalendar } from './calendar.ts';
import { harvestBoard, type Harvest } from './harvest.ts';
import { meetingTitle, views } from './views.ts';

export interface MeetingDeps {
  cohorts: CohortStore;
  sessions: SessionStore;
  sessionService: SessionService;
  rooms: Rooms;
  control: ControlService;
  /** Seeds a new board (server/sessions/carryForward.ts). */
  carryForward: (sessionId: string, plan: CarryForwardPlan) => Promise<void>;
  now?: () => number;
}

/**
 * The year's meetings: each is a session linked to its cohort and community.
 * Creating one seeds its board with the community's current question and its
 * members' open commitments; finishing one carries what it made (version 1 of
 * the question, today's commitments) into the year and schedules the next
 * meeting of the series. Members enter with their personal link, as the same
 * person every month.
 */
export class MeetingService {
  private readonly cohorts: CohortStore;
  private readonly now: () => number;

  constructor(private readonly deps: MeetingDeps) {
    this.cohorts = deps.cohorts;
    this.now = deps.now ?? Date.now;
  }

  async createMeeting(
    { cohort }: StaffGrant,
    body: { communityId: string | null; startsAt: string; lengthMinutes?: MeetingLength; template?: TemplateId },
  ): Promise<MeetingView> {
    const community = body.communityId ? await this.communityOf(cohort.id, body.communityId) : null;
    const meetings = await this.cohorts.listMeetings(cohort.id);
    if (meetings.length >= LIMITS_YEAR.meetingsPerCohort) throw new YearError(409, `A cohort has at most ${LIMITS_YEAR.meetingsPerCohort} meetings.`);
    if (body.startsAt.slice(0, 10) > cohort.endsOn) throw new YearError(400, `The school year ends on ${cohort.endsOn}; pick an earlier date.`);
    const index = 1 + meetings.filter((m) => m.communityId === (community?.id ?? null)).length;
    const lengthMinutes = body.lengthMinutes ?? community?.lengthMinutes ?? cohort.lengthMinutes;
    const title = meetingTitle(community, cohort.name, index);
    const { template, plan } = meetingPlan(body.template, community?.agenda ?? null, index, lengthMinutes);
    const { session } = await this.deps.sessionService.create(title, lengthMinutes);
    const meeting: MeetingRecord = {
      sessionId: session.id,
      cohortId: cohort.id,
      communityId: community?.id ?? null,
      index,
      startsAt: body.startsAt,
      lengthMinutes,
      finishedAt: null,
      template,
    };
    await this.cohorts.addMeeting(meeting);
    // It starts on its plan: the first step, its time box paused. Members come in
    // with their personal links; the join code is for guests, once the facilitator opens joining.
    const start = initialControl(lengthMinutes, plan.steps, plan.minutes);
    await this.deps.control.edit(session.id, (state) => ({
      ...state,
      step: start.step,
      agenda: start.agenda,
      minutes: start.minutes,
      timer: start.timer,
      joining: false,
    }));
    if (community) {
      const plan = await this.carriedInto(cohort, community, meetings);
      if (plan.questions.length || plan.commitments.length || plan.heaviest) await this.deps.carryForward(session.id, plan);
    }
    return views.meeting(meeting, title, []);
  }

  /** What a new meeting of `community` starts with: its current question, its members' open commitments, last meeting's heaviest category. */
  private async carriedInto(cohort: CohortRecord, community: CommunityRecord, earlier: MeetingRecord[]): Promise<CarryForwardPlan> {
    const [versions, commitments, members] = await Promise.all([
      this.cohorts.listQuestionVersions(cohort.id),
      this.cohorts.listCommitments(cohort.id),
      this.cohorts.listMembers(cohort.id),
    ]);
    const current = versions.filter((v) => v.communityId === community.id).at(-1);
    const inCommunity = new Set(members.filter((m) => m.communityId === community.id).map((m) => m.id));
    const last = earlier.filter((m) => m.communityId === community.id).at(-1);
    let heaviest: CarryForwardPlan['heaviest'] = null;
    if (last) {
      await this.deps.control.load(last.sessionId);
      heaviest = this.deps.control.current(last.sessionId)?.heaviest ?? null;
    }
    return {
      questions: current ? [{ text: current.text, category: current.source?.category as CarryForwardPlan['heaviest'] ?? null }] : [],
      heaviest,
      commitments: commitments
        .filter((c) => c.status === 'open' && inCommunity.has(c.memberId))
        .map((c) => ({ action: c.action, notice: c.notice, partner: c.partner, date: c.due })),
    };
  }

  /**
   * Ends a meeting for the year: version 1 of the question when the community
   * has none, each member's commitment, and the next meeting of the series.
   * Finishing twice changes nothing the second time.
   */
  async finishMeeting(grant: StaffGrant, sessionId: string): Promise<{ next: MeetingView | null }> {
    const { cohort } = grant;
    const meeting = await this.meetingOf(cohort.id, sessionId);
    if (meeting.parentSessionId) throw new YearError(409, 'This is a group of a cohort meeting: finish the plenary.');
    if (meeting.finishedAt !== null) return { next: null };
    // A cohort meeting's groups finish with it: what they decided comes home too (YEAR.md 4, engine piece 8).
    const groups = await this.cohorts.listBreakouts(sessionId);
    const boards = [meeting, ...groups];
    const today = new Set(boards.map((b) => b.sessionId));
    const allLinks = await this.cohorts.listMeetingMembers(cohort.id);
    const members = new Map((await this.cohorts.listMembers(cohort.id)).map((m) => [m.id, m]));
    const harvests: Array<{ board: MeetingRecord; harvest: Harvest; memberOf: Map<string, string> }> = [];
    for (const board of boards) {
      const memberOf = new Map(allLinks.filter((l) => l.sessionId === board.sessionId).map((l) => [l.participantId, l.memberId]));
      await this.deps.control.load(board.sessionId);
      const control = this.deps.control.current(board.sessionId);
      if (!control) {
        if (board === meeting) throw new YearError(404, 'That meeting is gone.');
        continue;
      }
      const harvest = await this.deps.rooms.withDoc(boardRef(board.sessionId), (room) =>
        harvestBoard(new Board(room.doc), control, (participantId) => {
          const memberId = memberOf.get(participantId);
          return memberId ? (members.get(memberId)?.name ?? FORMER_MEMBER) : null;
        }),
      );
      harvests.push({ board, harvest, memberOf });
    }
    if (!(await this.cohorts.finishMeeting(sessionId, this.now()))) return { next: null };
    const now = this.now();
    // A community's first final question becomes its version 1: from its own meeting, or from its group of a cohort meeting.
    for (const { board, harvest } of harvests) {
      if (!board.communityId || !harvest.question) continue;
      const versions = (await this.cohorts.listQuestionVersions(cohort.id)).filter((v) => v.communityId === board.communityId);
      if (versions.length > 0) continue;
      await this.cohorts.addQuestionVersion({
        id: randomId(9),
        cohortId: cohort.id,
        communityId: board.communityId,
        version: 1,
        text: harvest.question.text,
        reason: board.parentSessionId ? `The final question of its group in cohort meeting ${meeting.index}.` : `The final question of meeting ${meeting.index}.`,
        sessionId: board.sessionId,
        createdAt: now,
        source: harvest.question.source,
      });
    }
    for (const { board, harvest, memberOf } of harvests) {
      for (const made of harvest.commitments) {
        const memberId = memberOf.get(made.participantId);
        if (!memberId || !members.has(memberId)) continue;
        const open = (await this.cohorts.listCommitments(cohort.id)).find((c) => c.memberId === memberId && c.status === 'open');
        // At most one open commitment each: today's (in the plenary or a group) replaces one made or carried today, and closes one never reviewed.
        if (open && today.has(open.sessionId)) await this.cohorts.deleteCommitment(open.id);
        else if (open) await this.cohorts.setCommitmentStatus(open.id, 'unreviewed', null);
        await this.cohorts.addCommitment({
          id: randomId(9),
          cohortId: cohort.id,
          // A group's commitment goes home to its maker's community; the plenary's stays as it was made.
          communityId: board.parentSessionId ? (board.communityId ?? members.get(memberId)!.communityId) : meeting.communityId,
          memberId,
          sessionId: board.sessionId,
          action: made.action,
          notice: made.notice,
          partner: made.partner,
          due: made.due,
          status: 'open',
          createdAt: now,
          reviewedAt: null,
        });
      }
    }
    return { next: await this.scheduleNext(grant, meeting) };
  }

  /** The series' next meeting after `after`, unless one is already planned or the year is over. */
  private async scheduleNext(grant: StaffGrant, after: MeetingRecord): Promise<MeetingView | null> {
    if (!after.communityId) return null;
    const community = await this.cohorts.getCommunity(after.communityId);
    if (!community?.series) return null;
    const meetings = await this.cohorts.listMeetings(grant.cohort.id);
    if (meetings.some((m) => m.communityId === community.id && m.startsAt > after.startsAt)) return null;
    const nextDay = addDays(after.startsAt.slice(0, 10), 1);
    const [startsAt] = seriesDates(community.series, nextDay, grant.cohort.endsOn, 1);
    if (!startsAt) return null;
    return this.createMeeting(grant, { communityId: community.id, startsAt, lengthMinutes: community.lengthMinutes });
  }

  /** A facilitator key for one meeting, minted for this staff member (removing them revokes it). */
  async facilitate({ cohort, staff }: StaffGrant, sessionId: string): Promise<{ url: string; token: string }> {
    const meeting = await this.meetingOf(cohort.id, sessionId);
    // A group's controls go to its coach and to the facilitators, and to no other coach.
    if (meeting.parentSessionId && staff.role === 'coach' && meeting.coachId !== staff.id) {
      throw new YearError(403, 'Another coach has this group’s controls; a coach runs only their own group.');
    }
    const minted = mintToken(sessionId, 'facilitator');
    minted.record.holderId = staff.id;
    await this.deps.sessions.addToken(minted.record);
    return { url: `${paths.facilitator(sessionId)}#${minted.token}`, token: minted.token };
  }

  /** Brings a member into a meeting of their community (or a cohort-wide one) with no code, as the same person every time. */
  async enter({ cohort, member }: MemberGrant, sessionId: string): Promise<JoinSessionResponse> {
    const meeting = await this.cohorts.getMeeting(sessionId);
    if (!meeting || meeting.cohortId !== cohort.id) throw new YearError(404, 'No such meeting in your cohort.');
    // A group is reached from its plenary, and only by its own members (BreakoutService.enter).
    if (meeting.parentSessionId) throw new YearError(403, 'This is a group of a cohort meeting: you go to yours from the plenary.');
    if (meeting.communityId !== null && meeting.communityId !== member.communityId) {
      throw new YearError(403, "This meeting is another community's. Your home lists yours.");
    }
    let link = await this.cohorts.findMeetingMember(sessionId, member.id);
    if (!link) {
      const participantId = randomId(9);
      const first = mintToken(sessionId, 'participant', participantId);
      first.record.holderId = member.id;
      await this.deps.sessions.addParticipant({ id: participantId, sessionId, name: member.name, createdAt: this.now() }, first.record);
      link = { participantId, sessionId, memberId: member.id };
      await this.cohorts.addMeetingMember(link);
      return { sessionId, participantId, participantToken: first.token };
    }
    const token = mintToken(sessionId, 'participant', link.participantId);
    token.record.holderId = member.id;
    await this.deps.sessions.addToken(token.record);
    return { sessionId, participantId: link.participantId, participantToken: token.token };
  }

  /** A member marks their open commitment; "carried" keeps it open for the next meeting. */
  async review({ cohort, member }: MemberGrant, commitmentId: string, status: ReviewOutcome): Promise<CommitmentView> {
    const commitment = await this.cohorts.getCommitment(commitmentId);
    if (!commitment || commitment.memberId !== member.id || commitment.cohortId !== cohort.id) {
      throw new YearError(404, 'No such commitment of yours.');
    }
    if (commitment.status !== 'open') throw new YearError(409, `That commitment was already marked ${commitment.status}.`);
    const now = this.now();
    await this.cohorts.setCommitmentStatus(commitment.id, status, now);
    if (status === 'carried') {
      const current = await this.currentMeeting(cohort.id, member.communityId);
      await this.cohorts.addCommitment({
        ...commitment,
        id: randomId(9),
        sessionId: current?.sessionId ?? commitment.sessionId,
        status: 'open',
        createdAt: now,
        reviewedAt: null,
      });
    }
    return views.commitment({ ...commitment, status, reviewedAt: now }, member.name);
  }

  /** The meeting a review happens in: the community's earliest one not finished yet. */
  private async currentMeeting(cohortId: string, communityId: string | null): Promise<MeetingRecord | null> {
    const meetings = await this.cohorts.listMeetings(cohortId);
    return meetings.find((m) => m.finishedAt === null && m.communityId === communityId) ?? null;
  }

  async reviseQuestion({ cohort }: StaffGrant, communityId: string, text: string, reason: string) {
    await this.communityOf(cohort.id, communityId);
    const versions = (await this.cohorts.listQuestionVersions(cohort.id)).filter((v) => v.communityId === communityId);
    const meeting = (await this.currentMeeting(cohort.id, communityId)) ?? (await this.cohorts.listMeetings(cohort.id)).filter((m) => m.communityId === communityId).at(-1);
    const record = {
      id: randomId(9),
      cohortId: cohort.id,
      communityId,
      version: (versions.at(-1)?.version ?? 0) + 1,
      text,
      reason,
      sessionId: meeting?.sessionId ?? '',
      createdAt: this.now(),
      source: null,
    };
    await this.cohorts.addQuestionVersion(record);
    return views.question(record);
  }

  /** The question and year facts a session's views pin; null for a standalone session. */
  async sessionYear(grant: Grant): Promise<SessionYear | null> {
    const meeting = await this.cohorts.getMeeting(grant.sessionId);
    if (!meeting) return null;
    const cohort = await this.cohorts.getCohort(meeting.cohortId);
    if (!cohort) return null;
    const community = meeting.communityId ? await this.cohorts.getCommunity(meeting.communityId) : null;
    const versions = community ? (await this.cohorts.listQuestionVersions(cohort.id)).filter((v) => v.communityId === community.id) : [];
    const current = versions.at(-1);
    let openCommitments: CommitmentView[] = [];
    let presented: string[] = [];
    if (grant.role !== 'projector' && community) {
      const [commitments, members, links, meetings] = await Promise.all([
        this.cohorts.listCommitments(cohort.id),
        this.cohorts.listMembers(cohort.id),
        this.cohorts.listMeetingMembers(cohort.id),
        this.cohorts.listMeetings(cohort.id),
      ]);
      // Marks made since the community's previous meeting finished belong to this one's review.
      const since = Math.max(0, ...meetings.filter((m) => m.communityId === community.id && m.index < meeting.index).map((m) => m.finishedAt ?? 0));
      const names = new Map(members.map((m) => [m.id, m.name]));
      const me = grant.role === 'participant' ? links.find((l) => l.participantId === grant.participantId)?.memberId : undefined;
      openCommitments = commitments
        .filter((c) => c.sessionId !== meeting.sessionId && c.communityId === community.id)
        .filter((c) => c.status === 'open' || (c.status !== 'unreviewed' && (c.reviewedAt ?? 0) >= since))
        .filter((c) => grant.role === 'facilitator' || c.memberId === me)
        .map((c) => views.commitment(c, names.get(c.memberId) ?? FORMER_MEMBER));
      if (grant.role === 'facilitator') {
        const earlier = meetings.filter((m) => m.communityId === community.id && m.index < meeting.index).sort((a, b) => a.index - b.index);
        presented = await this.presentersOf(earlier, links, new Map(members.filter((m) => m.communityId === community.id).map((m) => [m.id, m.name])));
      }
    }
    return {
      cohortId: cohort.id,
      cohortName: cohort.name,
      communityId: community?.id ?? null,
      communityName: community?.name ?? null,
      index: meeting.index,
      question: current ? { version: current.version, text: current.text } : null,
      openCommitments,
      template: meeting.template ?? null,
      defaultAgenda: grant.role === 'facilitator' ? (community?.agenda ?? null) : null,
      presented,
    };
  }

  /** Who presented in `earlier` meetings (each one's control state names its presenter), as names of the community's current members, once each. */
  private async presentersOf(earlier: MeetingRecord[], links: MeetingMemberRecord[], names: Map<string, string>): Promise<string[]> {
    const memberOf = new Map(links.map((l) => [l.participantId, l.memberId]));
    const presented: string[] = [];
    for (const m of earlier) {
      const control = this.deps.control.current(m.sessionId) ?? (await this.deps.sessions.getSession(m.sessionId))?.control;
      const memberId = control?.presenterId ? memberOf.get(control.presenterId) : undefined;
      const name = memberId ? names.get(memberId) : undefined;
      if (name && !presented.includes(name)) presented.push(name);
    }
    return presented;
  }

  /**
   * "Keep this shape as the community's default", from inside a meeting with
   * its facilitator key: the meeting's agenda as it is now, with every step's
   * time box written out, becomes what the community's next meetings start on.
   */
  async keepAgendaDefault(grant: Grant, template: TemplateId | undefined): Promise<AgendaShape> {
    if (grant.role !== 'facilitator') throw new YearError(403, 'Only the facilitator can keep the meeting’s shape.');
    const meeting = await this.cohorts.getMeeting(grant.sessionId);
    if (!meeting) throw new YearError(404, 'This session is not a meeting of a cohort, so it has no community to keep a shape for.');
    if (!meeting.communityId) throw new YearError(409, 'A cohort-wide meeting belongs to no community, so there is no community default to keep.');
    await this.deps.control.load(grant.sessionId);
    const control = this.deps.control.current(grant.sessionId);
    if (!control) throw new YearError(404, 'That meeting is gone.');
    const minutes: Partial<Record<StepId, number>> = {};
    for (const step of control.agenda) minutes[step] = minutesOf(step, meeting.lengthMinutes, control.minutes);
    const shape: AgendaShape = {
      template: template ?? meeting.template ?? suggestedTemplate(meeting.index),
      steps: [...control.agenda],
      minutes,
    };
    await this.cohorts.setCommunityAgenda(meeting.communityId, shape);
    return shape;
  }

  /** The staff side of the same: the cohort page (PATCH …/communities/:id) sets or forgets a community's default. */
  async setAgendaDefault({ cohort }: StaffGrant, communityId: string, agenda: AgendaShape | null): Promise<CommunityRecord> {
    const community = await this.communityOf(cohort.id, communityId);
    await this.cohorts.setCommunityAgenda(community.id, agenda);
    return { ...community, agenda };
  }

  async memberHome({ cohort, member }: MemberGrant): Promise<MemberHome> {
    const [meetings, links, versions, commitments, members] = await Promise.all([
      this.cohorts.listMeetings(cohort.id),
      this.cohorts.listMeetingMembers(cohort.id),
      this.cohorts.listQuestionVersions(cohort.id),
      this.cohorts.listCommitments(cohort.id),
      this.cohorts.listMembers(cohort.id),
    ]);
    const community = member.communityId ? await this.cohorts.getCommunity(member.communityId) : null;
    const mine = meetings.filter((m) => m.communityId === null || m.communityId === member.communityId);
    const attended = new Set(links.filter((l) => l.memberId === member.id).map((l) => l.sessionId));
    const title = (m: MeetingRecord) => meetingTitle(m.communityId ? community : null, cohort.name, m.index);
    const meetingView = (m: MeetingRecord) => views.meeting(m, title(m), links);
    const next = mine.find((m) => m.finishedAt === null) ?? null;
    const lineage = community ? versions.filter((v) => v.communityId === community.id) : [];
    const question = lineage.at(-1);
    const myCommitments = commitments.filter((c) => c.memberId === member.id);
    return {
      cohort: views.cohort(cohort),
      me: { id: member.id, name: member.name, challenge: member.challenge },
      community: community
        ? { ...views.community(community), members: members.filter((m) => m.communityId === community.id).map((m) => m.name) }
        : null,
      nextMeeting: next ? meetingView(next) : null,
      question: question ? views.question(question) : null,
      questions: lineage.map(views.question),
      commitment: myCommitments.filter((c) => c.status === 'open').map((c) => views.commitment(c, member.name))[0] ?? null,
      history: mine
        .filter((m) => m.finishedAt !== null)
        .map((m) => ({ ...meetingView(m), attended: attended.has(m.sessionId) }))
        .reverse(),
      commitments: myCommitments.map((c) => views.commitment(c, member.name)).reverse(),
    };
  }

  /** The member a meeting's participant key belongs to, for reviews made from inside the meeting. */
  async memberOfParticipant(sessionId: string, participantId: string): Promise<MemberGrant | null> {
    const meeting = await this.cohorts.getMeeting(sessionId);
    if (!meeting) return null;
    const link = (await this.cohorts.listMeetingMembers(meeting.cohortId)).find((l) => l.participantId === participantId);
    const member = link ? await this.cohorts.getMember(link.memberId) : null;
    const cohort = await this.cohorts.getCohort(meeting.cohortId);
    return member && cohort && member.removedAt === null ? { cohort, member } : null;
  }

  /** A member's year as a calendar: their meetings so far planned and the rest of their community's series. */
  async calendar({ cohort, member }: MemberGrant, homeUrl: string): Promise<string> {
    const [meetings, links] = await Promise.all([this.cohorts.listMeetings(cohort.id), this.cohorts.listMeetingMembers(cohort.id)]);
    const community = member.communityId ? await this.cohorts.getCommunity(member.communityId) : null;
    const mine = meetings.filter((m) => m.communityId === null || m.communityId === member.communityId);
    return renderCalendar({
      cohort: views.cohort(cohort),
      community: community ? views.community(community) : null,
      meetings: mine.map((m) => views.meeting(m, meetingTitle(m.communityId ? community : null, cohort.name, m.index), links)),
      joinUrl: homeUrl,
      now: this.now(),
    });
  }

  private async communityOf(cohortId: string, communityId: string): Promise<CommunityRecord> {
    const community = await this.cohorts.getCommunity(communityId);
    if (!community || community.cohortId !== cohortId) throw new YearError(404, 'No such community in this cohort.');
    return community;
  }

  private async meetingOf(cohortId: string, sessionId: string): Promise<MeetingRecord> {
    const meeting = await this.cohorts.getMeeting(sessionId);
    if (!meeting || meeting.cohortId !== cohortId) throw new YearError(404, 'No such meeting in this cohort.');
    return meeting;
  }
}

/**
 * What a new meeting starts on: the template asked for; else the community's
 * kept shape; else the year's suggestion for its place in the series.
 */
function meetingPlan(
  asked: TemplateId | undefined,
  kept: AgendaShape | null,
  index: number,
  length: MeetingLength,
): { template: TemplateId; plan: MeetingPlan } {
  if (asked) return { template: asked, plan: templatePlan(asked, length) };
  if (kept) return { template: kept.template, plan: { steps: [...kept.steps], minutes: { ...kept.minutes } } };
  const suggested = suggestedTemplate(index);
  return { template: suggested, plan: templatePlan(suggested, length) };
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

