import type {
  CohortSummary,
  CommitmentView,
  CommunityView,
  MeetingView,
  MemberView,
  QuestionVersionView,
} from '../../shared/year/api.ts';
import type {
  CohortRecord,
  CommitmentRecord,
  CommunityRecord,
  MeetingMemberRecord,
  MeetingRecord,
  MemberRecord,
  QuestionVersionRecord,
} from '../storage/CohortStore.ts';

/** Stored rows as the routes answer them: the mapping in one place, so no route leaks a column by accident. */
export const views = {
  cohort: (c: CohortRecord): CohortSummary => ({ id: c.id, name: c.name, startsOn: c.startsOn, endsOn: c.endsOn, lengthMinutes: c.lengthMinutes }),
  member: (m: MemberRecord): MemberView => ({ id: m.id, name: m.name, challenge: m.challenge, communityId: m.communityId, joinedAt: m.createdAt }),
  community: (c: CommunityRecord): CommunityView => ({ id: c.id, name: c.name, challenge: c.challenge, series: c.series, lengthMinutes: c.lengthMinutes, agenda: c.agenda ?? null }),
  meeting: (m: MeetingRecord, title: string, links: MeetingMemberRecord[]): MeetingView => ({
    sessionId: m.sessionId,
    communityId: m.communityId,
    index: m.index,
    title,
    startsAt: m.startsAt,
    lengthMinutes: m.lengthMinutes,
    finishedAt: m.finishedAt,
    attendance: links.filter((l) => l.sessionId === m.sessionId).length,
    template: m.template ?? null,
  }),
  question: (q: QuestionVersionRecord): QuestionVersionView => ({
    id: q.id,
    communityId: q.communityId,
    version: q.version,
    text: q.text,
    reason: q.reason,
    sessionId: q.sessionId,
    createdAt: q.createdAt,
    source: q.source,
  }),
  commitment: (c: CommitmentRecord, owner: string): CommitmentView => ({
    id: c.id,
    communityId: c.communityId,
    memberId: c.memberId,
    owner,
    sessionId: c.sessionId,
    action: c.action,
    notice: c.notice,
    partner: c.partner,
    due: c.due,
    status: c.status,
    createdAt: c.createdAt,
    reviewedAt: c.reviewedAt,
  }),
};

/** A meeting's title, as its session is named. */
export function meetingTitle(community: { name: string } | null, cohortName: string, index: number): string {
  return community ? `${community.name} · Meeting ${index}` : `${cohortName} · Cohort meeting ${index}`;
}
