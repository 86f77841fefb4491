import { z } from 'zod';
import { DEVICE_ID_PATTERN, LIMITS_HTTP } from '../api.ts';
import { cleanName, nameKey } from '../names.ts';
import { TEMPLATE_IDS, type TemplateId } from '../protocol/agendas.ts';
import { MEETING_LENGTHS, STEP_IDS, type MeetingLength, type StepId } from '../protocol/stepIds.ts';
import { dateSchema, localDateTimeSchema, seriesSchema, type Series } from './series.ts';

/**
 * The HTTP contract of the year: cohorts, their staff and members,
 * communities of practice, meetings, the inquiry question's versions and the
 * commitments carried between meetings. Cohort links carry a cohort token
 * (server/year/cohortTokens.ts) as `Authorization: Bearer`, never in a URL.
 */

export const LIMITS_YEAR = {
  cohortName: 120,
  challenge: 200,
  communityName: 80,
  question: 400,
  reason: 400,
  membersPerCohort: 60,
  communitiesPerCohort: 12,
  communityMin: 3,
  communityMax: 8,
  staffPerCohort: 10,
  meetingsPerCohort: 200,
} as const;

const text = (field: string, max: number) =>
  z
    .string({ error: `${field} is required` })
    .trim()
    .min(1, `${field} must not be blank`)
    .max(max, `${field} must be at most ${max} characters`);

const personName = (field = 'name') =>
  text(field, LIMITS_HTTP.nameLength)
    .transform(cleanName)
    .refine((name) => nameKey(name) !== '', `${field} must not be blank`);

const lengthMinutes = z.union(
  MEETING_LENGTHS.map((n) => z.literal(n)),
  { error: `lengthMinutes must be one of ${MEETING_LENGTHS.join(', ')}` },
);

const id = z.string().regex(/^[A-Za-z0-9_-]{6,32}$/, 'not an id');

export const createCohortBody = z
  .object({
    name: text('name', LIMITS_YEAR.cohortName),
    startsOn: dateSchema,
    endsOn: dateSchema,
    lengthMinutes: lengthMinutes.default(90),
    /** The creating facilitator's name, as their co-facilitators see it. */
    yourName: personName('yourName'),
    /**
     * Last year's community portfolio JSON, or a list of them: each becomes a
     * community of the new cohort, its question's last version the new
     * version 1. Read with parseCarry (portfolioCarry.ts) at the edge.
     */
    from: z.unknown().optional(),
  })
  .refine((c) => c.endsOn > c.startsOn, { message: 'endsOn must be after startsOn', path: ['endsOn'] });
export type CreateCohortBody = z.input<typeof createCohortBody>;

export const STAFF_ROLES = ['facilitator', 'coach'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const inviteStaffBody = z.object({
  name: personName(),
  role: z.enum(STAFF_ROLES, { error: 'role must be facilitator or coach' }),
});
export type InviteStaffBody = z.input<typeof inviteStaffBody>;

export const joinCohortBody = z.object({
  joinCode: z.string({ error: 'joinCode is required' }).max(32, 'joinCode is too long'),
  joinSecret: z.string().max(64, 'joinSecret is too long').optional(),
  deviceId: z.string().regex(DEVICE_ID_PATTERN, 'deviceId must be 16 to 64 letters, digits, - or _').optional(),
  name: personName(),
  /** The equity challenge this principal brings, shown beside their name when communities are formed. */
  challenge: z.string().trim().max(LIMITS_YEAR.challenge, `challenge must be at most ${LIMITS_YEAR.challenge} characters`).default(''),
});
export type JoinCohortBody = z.input<typeof joinCohortBody>;

export const lookupCohortBody = joinCohortBody.pick({ joinCode: true, joinSecret: true, deviceId: true });
export type LookupCohortBody = z.input<typeof lookupCohortBody>;

export const communityBody = z.object({
  name: text('name', LIMITS_YEAR.communityName),
  challenge: z.string().trim().max(LIMITS_YEAR.challenge, `challenge must be at most ${LIMITS_YEAR.challenge} characters`).default(''),
});
export type CommunityBody = z.input<typeof communityBody>;

const templateId = z.enum(TEMPLATE_IDS, { error: `template must be one of ${TEMPLATE_IDS.join(', ')}` });
const stepId = z.enum(STEP_IDS, { error: (issue) => `${JSON.stringify(issue.input)} is not a step of Howmight` });

/**
 * A community's default meeting shape: the template it started from, its
 * steps in order and their time boxes. Checked on the way in (PATCH, the
 * in-meeting "keep as default") and again when read back from the database.
 */
export const agendaShapeSchema = z
  .object({
    template: templateId,
    steps: z
      .array(stepId, { error: 'steps must be a list of step ids' })
      .min(1, 'steps must name at least one step')
      .max(STEP_IDS.length, `steps can name at most ${STEP_IDS.length} steps`)
      .refine((steps) => new Set(steps).size === steps.length, 'steps must name each step once'),
    minutes: z
      .partialRecord(stepId, z.number({ error: 'minutes must be whole numbers' }).int('minutes must be whole numbers').min(0, 'minutes must be 0 to 180').max(180, 'minutes must be 0 to 180'))
      .default({}),
  })
  .refine((shape) => Object.keys(shape.minutes).every((step) => shape.steps.includes(step as StepId)), {
    message: 'minutes names a step that is not in steps',
    path: ['minutes'],
  });
export type AgendaShape = z.infer<typeof agendaShapeSchema>;

export const editCommunityBody = z.object({
  name: text('name', LIMITS_YEAR.communityName).optional(),
  challenge: z.string().trim().max(LIMITS_YEAR.challenge).optional(),
  /** The monthly series; null stops it. */
  series: seriesSchema.nullable().optional(),
  lengthMinutes: lengthMinutes.optional(),
  /** The shape its next meetings start from (unless one is scheduled with a template); null forgets it. */
  agenda: agendaShapeSchema.nullable().optional(),
});
export type EditCommunityBody = z.input<typeof editCommunityBody>;

export const placeMemberBody = z.object({ communityId: id.nullable() });
export type PlaceMemberBody = z.input<typeof placeMemberBody>;

export const createMeetingBody = z.object({
  /** null: a cohort-wide meeting, everyone together. */
  communityId: id.nullable(),
  startsAt: localDateTimeSchema,
  lengthMinutes: lengthMinutes.optional(),
  /** The plan it starts on; default: the community's saved shape, else the year's suggestion for its index (suggestedTemplate). */
  template: templateId.optional(),
});
export type CreateMeetingBody = z.input<typeof createMeetingBody>;

export const reviseQuestionBody = z.object({
  text: text('text', LIMITS_YEAR.question),
  reason: text('reason', LIMITS_YEAR.reason),
});
export type ReviseQuestionBody = z.input<typeof reviseQuestionBody>;

/** "Keep this shape as the community's default", from inside a meeting: the template to name it by (default: the meeting's). */
export const keepAgendaBody = z.object({ template: templateId.optional() });
export type KeepAgendaBody = z.input<typeof keepAgendaBody>;

export const REVIEW_OUTCOMES = ['done', 'carried', 'dropped'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];
/** `unreviewed`: its owner made a new commitment without marking this one. */
export const COMMITMENT_STATUSES = ['open', ...REVIEW_OUTCOMES, 'unreviewed'] as const;
export type CommitmentStatus = (typeof COMMITMENT_STATUSES)[number];

export const reviewCommitmentBody = z.object({
  status: z.enum(REVIEW_OUTCOMES, { error: 'status must be done, carried or dropped' }),
});
export type ReviewCommitmentBody = z.input<typeof reviewCommitmentBody>;

/** remove: what they wrote is deleted; anonymise: it stays, signed "A former member". */
export const REMOVAL_MODES = ['remove', 'anonymise'] as const;
export type RemovalMode = (typeof REMOVAL_MODES)[number];
export const removeMemberBody = z.object({ mode: z.enum(REMOVAL_MODES, { error: 'mode must be remove or anonymise' }) });

export const FORMER_MEMBER = 'A former member';

// ---- What the routes answer ----

export interface CohortSummary {
  id: string;
  name: string;
  startsOn: string;
  endsOn: string;
  lengthMinutes: MeetingLength;
}

export interface CreateCohortResponse {
  cohort: CohortSummary;
  /** The secret cohort link's token; shown once, stored as a hash. */
  facilitatorToken: string;
  joinCode: string;
  joinSecret: string;
  urls: { cohort: string; join: string };
}

export interface StaffView {
  id: string;
  name: string;
  role: StaffRole;
  /** The token that made this request belongs to this person. */
  you: boolean;
}

export interface MemberView {
  id: string;
  name: string;
  challenge: string;
  communityId: string | null;
  joinedAt: number;
}

export interface CommunityView {
  id: string;
  name: string;
  challenge: string;
  series: Series | null;
  lengthMinutes: MeetingLength;
  /** The shape its next meetings start from, when the facilitator kept one. */
  agenda: AgendaShape | null;
}

export interface MeetingView {
  sessionId: string;
  communityId: string | null;
  /** 1, 2, 3… within its community (or among the cohort-wide meetings). */
  index: number;
  title: string;
  startsAt: string;
  lengthMinutes: MeetingLength;
  /** Set when the facilitator finished it; its question and commitments were then carried. */
  finishedAt: number | null;
  /** Members who entered it. */
  attendance: number;
  /** The template it was planned with (its facilitator may have reshaped it since); null for a meeting made before templates. */
  template: TemplateId | null;
}

export interface QuestionVersionView {
  id: string;
  communityId: string;
  version: number;
  text: string;
  reason: string;
  /** The meeting it was made in. */
  sessionId: string;
  createdAt: number;
  /** Version 1 only: the HMW draft, category and notes it came from. */
  source: QuestionSource | null;
}

export interface QuestionSource {
  questionId: string;
  category: string | null;
  cluster: string | null;
  /** The notes of its cluster, or of its category when it had none; authors are member names or FORMER_MEMBER. */
  notes: Array<{ text: string; author: string | null }>;
}

export interface CommitmentView {
  id: string;
  communityId: string | null;
  memberId: string;
  owner: string;
  /** The meeting it was made in. */
  sessionId: string;
  action: string;
  /** What the owner expects to notice (their prediction). */
  notice: string;
  partner: string;
  due: string;
  status: CommitmentStatus;
  createdAt: number;
  reviewedAt: number | null;
}

export interface CohortOverview {
  cohort: CohortSummary;
  joinCode: string;
  staff: StaffView[];
  you: { id: string; role: StaffRole };
  members: MemberView[];
  communities: CommunityView[];
  meetings: MeetingView[];
  questions: QuestionVersionView[];
  commitments: CommitmentView[];
  /** The school year ends within two weeks (or has ended): export and delete. */
  endingSoon: boolean;
  /** Days after the last day the cohort is kept (COHORT_RETENTION_DAYS), for exports. */
  retentionDays: number;
  /** The day this cohort and everything in it will be deleted (YYYY-MM-DD, UTC). */
  deletesOn: string;
}

export interface JoinCohortResponse {
  cohortId: string;
  memberId: string;
  memberToken: string;
  /** The personal link: `/m/<cohortId>#<memberToken>`. */
  url: string;
}

export interface LinkResponse {
  url: string;
}

export interface MemberHome {
  cohort: CohortSummary;
  me: { id: string; name: string; challenge: string };
  community: (CommunityView & { members: string[] }) | null;
  nextMeeting: MeetingView | null;
  question: QuestionVersionView | null;
  /** Every version of my community's question, oldest first: its lineage, back to the first meeting's notes. */
  questions: QuestionVersionView[];
  /** My open commitment, if any. */
  commitment: CommitmentView | null;
  /** Meetings I could attend, newest first, with whether I did. */
  history: Array<MeetingView & { attended: boolean }>;
  /** My commitments of the year, newest first. */
  commitments: CommitmentView[];
}

/** What a session's views pin: the community's question and where the meeting sits in the year. */
export interface SessionYear {
  cohortId: string;
  cohortName: string;
  communityId: string | null;
  communityName: string | null;
  index: number;
  question: { version: number; text: string } | null;
  /** Participant: my open commitment from before this meeting; facilitator: all of them. */
  openCommitments: CommitmentView[];
  /** The template it was planned with; null for a meeting made before templates. */
  template: TemplateId | null;
  /** Facilitator only: the community's saved default shape. */
  defaultAgenda: AgendaShape | null;
  /** Facilitator only: members of the community who presented in its earlier meetings this year, oldest first (for rotating the presenter). */
  presented: string[];
}

export const yearPaths = {
  cohort: (cohortId: string) => `/c/${cohortId}`,
  member: (cohortId: string) => `/m/${cohortId}`,
  join: (joinCode: string, joinSecret?: string) => `/cj/${joinCode}${joinSecret ? `#${joinSecret}` : ''}`,
};
