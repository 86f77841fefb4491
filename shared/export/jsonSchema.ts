import { z } from 'zod';
import { CARD_TONES } from '../board/records/cards.ts';
import { ASSUMPTION_STATUSES, LIMITS } from '../board/schema.ts';
import { CATEGORY_IDS } from '../protocol/categories.ts';
import { MAX_VOTES_PER_PERSON } from '../protocol/control.ts';
import { PROTOCOL_IDS } from '../protocol/protocols/index.ts';
import { MEETING_LENGTHS, STEP_IDS } from '../protocol/steps.ts';
import { MigrationSequence, VersionError } from '../MigrationSequence.ts';

/**
 * The inquiry brief as data: what every export format renders, and the JSON
 * export itself (docs/export-format.md). One schema validates what we write
 * and parses what comes back as `from` on POST /api/sessions, so an export
 * can always be imported. Limits mirror the board's so carried-over records
 * fit on a new board.
 */
export const INQUIRY_FORMAT = 'howmight.inquiry';

/**
 * How an export of an earlier version becomes one of today's, so last year's
 * file still carries an inquiry forward. Version 1 is the format this file
 * describes; a change a version 1 reader could misread adds the next step,
 * which turns the older shape into the newer one (docs/export-format.md).
 */
export const INQUIRY_MIGRATIONS = new MigrationSequence<Record<string, unknown>>('inquiry export', 1, []);
export const INQUIRY_VERSION = INQUIRY_MIGRATIONS.current;

const id = z.string().min(1).max(64);
const text = (max: number) => z.string().max(max);
/** A display name, or null when the export leaves names out. */
const author = z.string().max(LIMITS.nameText).nullable();
const category = z.enum(CATEGORY_IDS);
const many = <T extends z.ZodType>(item: T) => z.array(item).max(LIMITS.itemsPerBoard);

export const inquiryQuestionSchema = z.object({
  id,
  text: text(LIMITS.shortText),
  category: category.nullable(),
  noteIds: z.array(id).max(LIMITS.notesPerQuestion),
  /** The cluster the question came from; absent in exports from before clusters. */
  clusterId: id.nullable().default(null),
  votes: z.number().int().nonnegative(),
  author,
});

export const inquiryCategorySchema = z.object({
  id: category,
  title: z.string().max(40),
  count: z.number().int().nonnegative(),
});

export const inquiryNoteSchema = z.object({
  id,
  text: text(LIMITS.noteText),
  category: category.nullable(),
  storyId: id.nullable(),
  copyOf: id.nullable(),
  /** The cluster the note is stacked in (one of `clusters`); absent in exports from before clusters. */
  clusterId: id.nullable().default(null),
  author,
});

/** A stack of notes in one category that say the same thing; only clusters that hold notes are exported. */
export const inquiryClusterSchema = z.object({
  id,
  label: text(LIMITS.clusterLabel),
  category,
  count: z.number().int().nonnegative(),
});

export const inquiryStorySchema = z.object({
  id,
  who: text(LIMITS.storyField),
  what: text(LIMITS.storyField),
  did: text(LIMITS.storyField),
  ended: text(LIMITS.storyField),
  author,
});

export const inquiryNeedSchema = z.object({ id, text: text(LIMITS.noteText), storyId: id.nullable(), author });

export const inquiryAssumptionSchema = z.object({
  id,
  text: text(LIMITS.noteText),
  status: z.enum(ASSUMPTION_STATUSES),
  storyId: id,
  author,
});

export const inquiryCommitmentSchema = z.object({
  id,
  action: text(LIMITS.noteText),
  notice: text(LIMITS.noteText),
  /** Free text naming a person, so null when names are left out (or none was given). */
  partner: z.string().min(1).max(LIMITS.nameText).nullable(),
  date: z.iso.date().nullable(),
  author,
  /** Brought over from an earlier meeting's export rather than made in this one. */
  carriedOver: z.boolean(),
});

/** One step of the meeting's agenda, in order, with this meeting's time box. */
export const inquiryAgendaStepSchema = z.object({
  step: z.enum(STEP_IDS),
  title: z.string().max(80),
  /** The block it belongs to (agendas.ts blockOf): "Open", "Consultancy", "Equity inquiry"… */
  block: z.string().max(80),
  minutes: z.number().int().min(0).max(180),
});

/** A card a protocol step wrote: a success, a question, a note to the presenter, feedback. */
export const inquiryCardSchema = z.object({
  id,
  step: z.enum(STEP_IDS),
  tone: z.enum(CARD_TONES).nullable(),
  category: category.nullable(),
  text: text(LIMITS.noteText),
  author,
  /** Addressed to the presenter: theirs, in a community brief only if they shared their notes. */
  toPresenter: z.boolean(),
});

/** What one protocol run left: its presenter, their focusing question, its cards in the order written. */
export const inquiryProtocolSchema = z.object({
  protocol: z.enum(PROTOCOL_IDS),
  title: z.string().max(80),
  /** The presenter's name; null when the protocol has none, none was chosen, or names are left out. */
  presenter: author,
  focus: text(LIMITS.shortText).nullable(),
  cards: many(inquiryCardSchema),
});

export const inquiryNormSchema = z.object({ id, text: text(LIMITS.shortText) });
export const inquiryHopeSchema = z.object({ id, text: text(LIMITS.shortText), author });

export const inquirySchema = z
  .object({
    format: z.literal(INQUIRY_FORMAT),
    version: z.literal(INQUIRY_VERSION),
    exportedAt: z.iso.datetime(),
    /** `participant`: the reduced brief a participant may download (final questions, own commitment). */
    scope: z.enum(['full', 'participant']),
    names: z.boolean(),
    session: z.object({
      title: z.string().trim().min(1).max(120),
      date: z.iso.date(),
      lengthMinutes: z.union(MEETING_LENGTHS.map((n) => z.literal(n))),
      step: z.enum(STEP_IDS),
    }),
    heaviest: category.nullable(),
    votesPerPerson: z.number().int().min(1).max(MAX_VOTES_PER_PERSON),
    finalQuestionIds: z.array(id).max(LIMITS.itemsPerBoard),
    questions: many(inquiryQuestionSchema),
    categories: z.array(inquiryCategorySchema).max(CATEGORY_IDS.length),
    notes: many(inquiryNoteSchema),
    clusters: many(inquiryClusterSchema).default([]),
    stories: many(inquiryStorySchema),
    needs: many(inquiryNeedSchema),
    assumptions: many(inquiryAssumptionSchema),
    commitments: many(inquiryCommitmentSchema),
    norms: many(inquiryNormSchema),
    hopes: many(inquiryHopeSchema),
    /** Absent in exports from before agendas: they read as empty. */
    agenda: z.array(inquiryAgendaStepSchema).max(STEP_IDS.length).default([]),
    protocols: z.array(inquiryProtocolSchema).max(PROTOCOL_IDS.length).default([]),
  })
  .superRefine((data, ctx) => {
    const questionIds = new Set(data.questions.map((q) => q.id));
    data.finalQuestionIds.forEach((qid, i) => {
      if (!questionIds.has(qid)) {
        ctx.addIssue({ code: 'custom', path: ['finalQuestionIds', i], message: `names no question in questions (${qid})` });
      }
    });
  });

export type InquiryData = z.infer<typeof inquirySchema>;
export type InquiryQuestion = z.infer<typeof inquiryQuestionSchema>;
export type InquiryCategory = z.infer<typeof inquiryCategorySchema>;
export type InquiryNote = z.infer<typeof inquiryNoteSchema>;
export type InquiryStory = z.infer<typeof inquiryStorySchema>;
export type InquiryNeed = z.infer<typeof inquiryNeedSchema>;
export type InquiryAssumption = z.infer<typeof inquiryAssumptionSchema>;
export type InquiryCommitment = z.infer<typeof inquiryCommitmentSchema>;
export type InquiryAgendaStep = z.infer<typeof inquiryAgendaStepSchema>;
export type InquiryCard = z.infer<typeof inquiryCardSchema>;
export type InquiryProtocol = z.infer<typeof inquiryProtocolSchema>;

export type ParsedInquiry = { ok: true; data: InquiryData } | { ok: false; error: string };

/**
 * Reads an inquiry export, answering in words a facilitator can act on. The
 * format and version are checked first so a foreign file, or one from a newer
 * server, gets that message rather than a list of field errors; an export of
 * an earlier version is migrated to today's before it is validated. `label`
 * prefixes field paths.
 */
export function parseInquiry(raw: unknown, label = 'from', migrations = INQUIRY_MIGRATIONS): ParsedInquiry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, error: `${label} must be a Howmight inquiry export (a JSON object).` };
  }
  const { format, version } = raw as { format?: unknown; version?: unknown };
  if (format !== INQUIRY_FORMAT) {
    return { ok: false, error: `${label} is not a Howmight inquiry export: format must be "${INQUIRY_FORMAT}".` };
  }
  let migrated: Record<string, unknown>;
  try {
    migrated = { ...migrations.migrate({ ...(raw as Record<string, unknown>) }, version), version: migrations.current };
  } catch (err) {
    if (!(err instanceof VersionError)) {
      // A step met an older file that is not what that version wrote: the file's fault, not the server's.
      return { ok: false, error: `${label} could not be read as export version ${JSON.stringify(version)}: ${(err as Error).message}` };
    }
    const known = migrations.base === migrations.current ? `version ${migrations.current}` : `versions ${migrations.base} to ${migrations.current}`;
    const advice = err.newer ? ' It comes from a newer Howmight: update this server to import it.' : '';
    return { ok: false, error: `${label} has export version ${JSON.stringify(version ?? null)}; this server reads ${known}.${advice}` };
  }
  const parsed = inquirySchema.safeParse(migrated);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issue = parsed.error.issues[0];
  const where = [label, ...(issue?.path ?? [])].join('.');
  return { ok: false, error: `${where}: ${issue?.message ?? 'invalid'}` };
}
