import { z } from 'zod';
import { LIMITS } from '../board/schema.ts';
import { MigrationSequence, VersionError } from '../MigrationSequence.ts';
import { CATEGORY_IDS } from '../protocol/categories.ts';
import { MEETING_LENGTHS } from '../protocol/steps.ts';
import { COMMITMENT_STATUSES, LIMITS_YEAR } from './api.ts';
import { DECISIONS, LIMITS_LOG, staffMaySee, VISIBILITIES } from './practiceLog.ts';
import { LIMITS_PULSE } from './pulse.ts';
import { FACETS, MIN_FLOOR, SCALE_MAX, SCALE_MIN } from './pulseInstrument.ts';
import { dateSchema, localDateTimeSchema } from './series.ts';

/**
 * The year's portfolio as data: what every portfolio format renders, and the
 * JSON export itself (docs/export-format.md, "The year's portfolio"). A
 * community portfolio (for the cohort's staff) holds its question's lineage,
 * its meetings and its commitments with how they ended; a member portfolio
 * (for that member alone) holds their meetings, their own commitments and
 * their community's question. Each holds its part of the practice log: a
 * member's every entry of theirs with its notes; a community's the entries
 * its members shared with it or the cohort, without notes. Each holds the
 * trust pulse's closed windows as their stored results, never an answer: the
 * community's own figures where the server kept them, else the cohort's. One schema
 * validates what we write and parses what comes back as `from` on POST
 * /api/cohorts, so a year can be carried into the next from its own files.
 */
export const PORTFOLIO_FORMAT = 'howmight.portfolio';

/**
 * How a portfolio of an earlier version becomes one of today's. A change an
 * older reader could misread adds the next step (as for the inquiry export,
 * shared/export/jsonSchema.ts); steps are never edited once shipped.
 */
export const PORTFOLIO_MIGRATIONS = new MigrationSequence<Record<string, unknown>>('portfolio export', 1, [
  // Before the practice log there was none to export: last year's files read as having an empty one.
  { version: 2, name: 'the practice log', up: (v) => ({ ...v, log: [] }) },
  // Before the trust pulse reached the portfolios there was none in them: earlier files read as having no windows.
  { version: 3, name: 'the trust pulse', up: (v) => ({ ...v, pulse: [] }) },
]);
export const PORTFOLIO_VERSION = PORTFOLIO_MIGRATIONS.current;

/** Enough for a full year: every member's commitment at every meeting, each carried once. */
export const PORTFOLIO_LIMITS = {
  meetings: LIMITS_YEAR.meetingsPerCohort,
  questionVersions: LIMITS_YEAR.meetingsPerCohort,
  commitments: LIMITS_YEAR.membersPerCohort * LIMITS_YEAR.meetingsPerCohort,
  /** Every member's entries, the most each may keep: a community's can be no more, a member's are far fewer. */
  logEntries: LIMITS_LOG.entriesPerMember * LIMITS_YEAR.membersPerCohort,
} as const;

/** A person's name, or null when the export leaves names out. */
const person = z.string().min(1).max(LIMITS.nameText).nullable();
const timestamp = z.iso.datetime();
const index = z.number().int().min(1).max(LIMITS_YEAR.meetingsPerCohort);
/** A commitment's words: a meeting's sticky note, or the longer text "adapt" opens the next one with (PracticeLog.nextCommitment). */
const commitmentText = z.string().max(Math.max(LIMITS.noteText, LIMITS_LOG.fieldChars));
const logField = z.string().max(LIMITS_LOG.fieldChars);

/** Which meeting something happened in: the community's Nth, or the cohort's Nth meeting of everyone together. */
export const portfolioMeetingRefSchema = z.object({
  cohortWide: z.boolean(),
  index,
  startsAt: localDateTimeSchema,
});

export const portfolioMeetingSchema = z.object({
  cohortWide: z.boolean(),
  index,
  title: z.string().max(LIMITS_YEAR.cohortName + 40),
  startsAt: localDateTimeSchema,
  lengthMinutes: z.union(MEETING_LENGTHS.map((n) => z.literal(n))),
  /** When the facilitator finished it (its question and commitments were then carried); null while planned or running. */
  finishedAt: timestamp.nullable(),
  /** How many members entered it. */
  attendance: z.number().int().nonnegative().max(LIMITS_YEAR.membersPerCohort),
  /** A member portfolio: whether this member came. Null in a community portfolio. */
  attended: z.boolean().nullable(),
});

export const portfolioSourceSchema = z.object({
  /** The HMW draft's category, when it had one. */
  category: z.enum(CATEGORY_IDS).nullable(),
  /** The label of the cluster it was drafted from, when it had one. */
  cluster: z.string().max(LIMITS.clusterLabel).nullable(),
  /** The sticky notes it came from; an author is a member's name, "A former member", or null when names are left out. */
  notes: z.array(z.object({ text: z.string().max(LIMITS.noteText), author: person })).max(LIMITS.itemsPerBoard),
});

export const portfolioQuestionSchema = z.object({
  version: z.number().int().min(1).max(PORTFOLIO_LIMITS.questionVersions),
  text: z.string().min(1).max(Math.max(LIMITS_YEAR.question, LIMITS.shortText)),
  reason: z.string().max(Math.max(LIMITS_YEAR.reason, LIMITS_YEAR.cohortName + 40)),
  /** The meeting it was made in; null when it was made between meetings or carried from last year. */
  meeting: portfolioMeetingRefSchema.nullable(),
  createdAt: timestamp,
  /** Version 1 made in a meeting: the draft and the notes it came from. */
  source: portfolioSourceSchema.nullable(),
});

export const portfolioCommitmentSchema = z.object({
  owner: person,
  action: commitmentText,
  /** What the owner expected to notice: their prediction. */
  notice: commitmentText,
  /** Free text naming a person: null when names are left out, or none was given. */
  partner: person,
  due: dateSchema.nullable(),
  status: z.enum(COMMITMENT_STATUSES),
  /** The meeting it was made in (a carried one: the meeting it was carried into). */
  madeIn: portfolioMeetingRefSchema.nullable(),
  createdAt: timestamp,
  /** When its owner marked it done, carried or dropped. */
  reviewedAt: timestamp.nullable(),
});

/** A note on a log entry, from someone it was shared with (or its author). Only in its author's own portfolio. */
export const portfolioLogNoteSchema = z.object({
  author: person,
  text: z.string().min(1).max(LIMITS_LOG.noteChars),
  createdAt: timestamp,
});

/** A practice log entry (shared/year/practiceLog.ts): what was tried between meetings and what came of it. */
export const portfolioLogEntrySchema = z.object({
  author: person,
  createdAt: timestamp,
  /** The commitment it follows: the action and its prediction; null when it follows none. */
  commitment: z.object({ action: commitmentText, notice: commitmentText }).nullable(),
  tried: logField,
  what: logField,
  /** What actually happened, against the prediction. */
  actual: logField,
  soWhat: logField,
  nowWhat: logField,
  decision: z.enum(DECISIONS).nullable(),
  /** Whom its author shared it with (a peer is not named: that is the author's and the peer's to know). */
  visibility: z.enum(VISIBILITIES),
  /** Every note on it in a member portfolio; always empty in a community portfolio. */
  notes: z.array(portfolioLogNoteSchema).max(LIMITS_LOG.notesPerEntry),
});

/** One facet's figure as the server computed it when the window closed (shared/year/pulseResults.ts). */
export const portfolioPulseFigureSchema = z.object({
  mean: z.number().min(SCALE_MIN).max(SCALE_MAX),
  /** How many answered the facet's items. */
  n: z.number().int().min(MIN_FLOOR).max(LIMITS_YEAR.membersPerCohort),
  /** Standard deviation of the respondents' facet scores. */
  sd: z.number().min(0).max(SCALE_MAX),
  /** Share of item answers scored 6 after reversing, 0 to 1. */
  strongly: z.number().min(0).max(1),
});

/**
 * A closed trust pulse window: its stored results (never an answer), one
 * group's figures per facet asked. `group` says whose: the community's own
 * when the server kept them for it, else the whole cohort's.
 */
export const portfolioPulseSchema = z.object({
  label: z.string().min(1).max(LIMITS_PULSE.label),
  closedAt: timestamp,
  floor: z.number().int().min(MIN_FLOOR).max(LIMITS_PULSE.maxFloor),
  /** The cohort's respondents; null when fewer than the floor answered. */
  respondents: z.number().int().min(MIN_FLOOR).max(LIMITS_YEAR.membersPerCohort).nullable(),
  /** Members of the cohort when it closed. */
  members: z.number().int().nonnegative().max(LIMITS_YEAR.membersPerCohort),
  /** What the facilitators changed because of it. */
  notes: z.string().max(LIMITS_PULSE.notes),
  /** The facet with the lowest cohort mean among those shown. */
  weakest: z.enum(FACETS).nullable(),
  instrument: z.object({ version: z.number().int().min(1), label: z.string().max(300) }),
  group: z.enum(['community', 'cohort']),
  /** Facet → figure, for the facets the window asked; null where it is not shown (fewer than the floor). */
  facets: z.partialRecord(z.enum(FACETS), portfolioPulseFigureSchema.nullable()),
});

export const portfolioSchema = z
  .object({
    format: z.literal(PORTFOLIO_FORMAT),
    version: z.literal(PORTFOLIO_VERSION),
    exportedAt: timestamp,
    /** `community`: a community's year, for the cohort's staff; `member`: one member's own year, for them alone. */
    scope: z.enum(['community', 'member']),
    names: z.boolean(),
    cohort: z.object({ name: z.string().trim().min(1).max(LIMITS_YEAR.cohortName), startsOn: dateSchema, endsOn: dateSchema }),
    /** A member not (yet) placed in a community has none. */
    community: z.object({ name: z.string().trim().min(1).max(LIMITS_YEAR.communityName), challenge: z.string().max(LIMITS_YEAR.challenge) }).nullable(),
    /** A member portfolio: whose it is. */
    member: z.object({ name: person, challenge: z.string().max(LIMITS_YEAR.challenge) }).nullable(),
    /** The community's inquiry question, every version, oldest first. */
    questions: z.array(portfolioQuestionSchema).max(PORTFOLIO_LIMITS.questionVersions),
    meetings: z.array(portfolioMeetingSchema).max(PORTFOLIO_LIMITS.meetings),
    commitments: z.array(portfolioCommitmentSchema).max(PORTFOLIO_LIMITS.commitments),
    /** Practice log entries, oldest first: the member's own (scope member), or those shared with the community or wider (scope community). */
    log: z.array(portfolioLogEntrySchema).max(PORTFOLIO_LIMITS.logEntries),
    /** The trust pulse's closed windows, oldest first. */
    pulse: z.array(portfolioPulseSchema).max(LIMITS_PULSE.windowsPerCohort),
  })
  .superRefine((data, ctx) => {
    if (data.scope === 'community' && data.community === null) {
      ctx.addIssue({ code: 'custom', path: ['community'], message: 'a community portfolio names its community' });
    }
    if (data.scope === 'community' && data.member !== null) {
      ctx.addIssue({ code: 'custom', path: ['member'], message: 'a community portfolio is nobody’s own: member must be null' });
    }
    if (data.scope === 'member' && data.member === null) {
      ctx.addIssue({ code: 'custom', path: ['member'], message: 'a member portfolio names its member' });
    }
    // Staff may read an entry only once it was shared with the community or wider, and never the notes on it (YEAR.md 7).
    if (data.scope === 'community') {
      data.log.forEach((entry, i) => {
        if (!staffMaySee(entry.visibility)) {
          ctx.addIssue({ code: 'custom', path: ['log', i, 'visibility'], message: 'a community portfolio holds only entries shared with the community or the cohort' });
        }
        if (entry.notes.length > 0) ctx.addIssue({ code: 'custom', path: ['log', i, 'notes'], message: 'a community portfolio holds no notes on entries' });
      });
    }
    // A figure of fewer answers than its window's floor is never shown anywhere: written by a bug, it would not leave the server.
    data.pulse.forEach((w, i) => {
      if (w.respondents !== null && w.respondents < w.floor) ctx.addIssue({ code: 'custom', path: ['pulse', i, 'respondents'], message: 'fewer respondents than the floor are never counted' });
      for (const [facet, figure] of Object.entries(w.facets)) {
        if (figure && figure.n < w.floor) ctx.addIssue({ code: 'custom', path: ['pulse', i, 'facets', facet], message: 'a figure of fewer answers than the floor is never shown' });
      }
    });
    data.questions.forEach((q, i) => {
      const previous = data.questions[i - 1];
      if (previous && q.version <= previous.version) {
        ctx.addIssue({ code: 'custom', path: ['questions', i, 'version'], message: 'question versions must go up, oldest first' });
      }
    });
  });

export type PortfolioData = z.infer<typeof portfolioSchema>;
export type PortfolioMeeting = z.infer<typeof portfolioMeetingSchema>;
export type PortfolioMeetingRef = z.infer<typeof portfolioMeetingRefSchema>;
export type PortfolioQuestion = z.infer<typeof portfolioQuestionSchema>;
export type PortfolioCommitment = z.infer<typeof portfolioCommitmentSchema>;
export type PortfolioLogEntry = z.infer<typeof portfolioLogEntrySchema>;
export type PortfolioLogNote = z.infer<typeof portfolioLogNoteSchema>;
export type PortfolioPulse = z.infer<typeof portfolioPulseSchema>;
export type PortfolioPulseFigure = z.infer<typeof portfolioPulseFigureSchema>;
export type PortfolioScope = PortfolioData['scope'];

export type ParsedPortfolio = { ok: true; data: PortfolioData } | { ok: false; error: string };

/**
 * Reads a portfolio export, answering in words a facilitator can act on. The
 * format and version are checked first, so a meeting brief, a foreign file or
 * one from a newer server gets that message rather than a list of field
 * errors. `label` prefixes field paths ("from", "from[2]").
 */
export function parsePortfolio(raw: unknown, label = 'from', migrations = PORTFOLIO_MIGRATIONS): ParsedPortfolio {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, error: `${label} must be a Howmight portfolio export (a JSON object).` };
  }
  const { format, version } = raw as { format?: unknown; version?: unknown };
  if (format === 'howmight.inquiry') {
    return { ok: false, error: `${label} is a meeting's inquiry brief, not a portfolio: export the community's portfolio from the cohort page.` };
  }
  if (format !== PORTFOLIO_FORMAT) {
    return { ok: false, error: `${label} is not a Howmight portfolio export: format must be "${PORTFOLIO_FORMAT}".` };
  }
  let migrated: Record<string, unknown>;
  try {
    migrated = { ...migrations.migrate({ ...(raw as Record<string, unknown>) }, version), version: migrations.current };
  } catch (err) {
    if (!(err instanceof VersionError)) {
      return { ok: false, error: `${label} could not be read as portfolio version ${JSON.stringify(version)}: ${(err as Error).message}` };
    }
    const known = migrations.base === migrations.current ? `version ${migrations.current}` : `versions ${migrations.base} to ${migrations.current}`;
    const advice = err.newer ? ' It comes from a newer Howmight: update this server to read it.' : '';
    return { ok: false, error: `${label} has portfolio version ${JSON.stringify(version ?? null)}; this server reads ${known}.${advice}` };
  }
  const parsed = portfolioSchema.safeParse(migrated);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  const where = [label, ...(issue?.path ?? [])].map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
  return { ok: false, error: `${where}: ${issue?.message ?? 'invalid'}` };
}

/** The version a community's question is at now: the highest. */
export function currentQuestion(data: PortfolioData): PortfolioQuestion | null {
  return data.questions.reduce<PortfolioQuestion | null>((best, q) => (best === null || q.version > best.version ? q : best), null);
}
