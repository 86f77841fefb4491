import { z } from 'zod';
import { CATEGORY_IDS } from '../protocol/categories.ts';

/**
 * The board document's layout. Only shared/board touches the Y.Doc's maps;
 * everything else goes through the Board and PrivateBoard wrappers.
 * docs/board-schema.md describes the same layout for integrations.
 */
export const LIMITS = {
  noteText: 500,
  shortText: 300,
  storyField: 1250,
  nameText: 80,
  itemsPerBoard: 2000,
  boardExtent: 10_000,
  notesPerQuestion: 50,
} as const;

export const NOTE_COLORS = ['yellow', 'pink', 'blue', 'green', 'orange', 'purple'] as const;
export type NoteColor = (typeof NOTE_COLORS)[number];
/** A new note's colour unless its author picks one, and every revealed draft's. */
export const DEFAULT_NOTE_COLOR: NoteColor = 'yellow';

export const ASSUMPTION_STATUSES = ['holds', 'doubtful', 'to test'] as const;
export type AssumptionStatus = (typeof ASSUMPTION_STATUSES)[number];

const id = z.string().min(1).max(64);
const coordinate = z.number().finite().min(-LIMITS.boardExtent).max(LIMITS.boardExtent);
const time = z.number().int().nonnegative();
const text = (max: number) => z.string().max(max);
const base = { id, authorId: id, createdAt: time };

export const normSchema = z.object({ ...base, text: text(LIMITS.shortText) });
export const hopeSchema = z.object({ ...base, text: text(LIMITS.shortText) });

export const STORY_FIELDS = ['who', 'what', 'did', 'ended'] as const;
export type StoryField = (typeof STORY_FIELDS)[number];
const storyFields = {
  who: text(LIMITS.storyField),
  what: text(LIMITS.storyField),
  did: text(LIMITS.storyField),
  ended: text(LIMITS.storyField),
};
/** A story on the shared board: only ever written there by its author's "share". */
export const storySchema = z.object({ ...base, ...storyFields });

export const needSchema = z.object({ ...base, storyId: id.nullable(), text: text(LIMITS.noteText) });

export const assumptionSchema = z.object({
  ...base,
  storyId: id,
  text: text(LIMITS.noteText),
  status: z.enum(ASSUMPTION_STATUSES),
});

export const noteSchema = z.object({
  ...base,
  text: text(LIMITS.noteText),
  x: coordinate,
  y: coordinate,
  color: z.enum(NOTE_COLORS),
  storyId: id.nullable().default(null),
  category: z.enum(CATEGORY_IDS).nullable().default(null),
  /** Set on a copy made to sort a note into a second category. */
  copyOf: id.nullable().default(null),
});

export const questionSchema = z.object({
  ...base,
  text: text(LIMITS.shortText),
  category: z.enum(CATEGORY_IDS).nullable(),
  noteIds: z.array(id).max(LIMITS.notesPerQuestion),
});

export const voteSchema = z.object({ ...base, questionId: id });

export const commitmentSchema = z.object({
  ...base,
  action: text(LIMITS.noteText),
  notice: text(LIMITS.noteText),
  partner: text(LIMITS.nameText),
  date: z.string().max(10).regex(/^(\d{4}-\d{2}-\d{2})?$/),
});

/** Every shared collection: top-level map name → record schema. */
export const COLLECTIONS = {
  norms: normSchema,
  hopes: hopeSchema,
  stories: storySchema,
  needs: needSchema,
  assumptions: assumptionSchema,
  notes: noteSchema,
  questions: questionSchema,
  votes: voteSchema,
  commitments: commitmentSchema,
} as const;
export type Collection = keyof typeof COLLECTIONS;
export const COLLECTION_NAMES = Object.keys(COLLECTIONS) as Collection[];
export type RecordOf<C extends Collection> = z.infer<(typeof COLLECTIONS)[C]>;

export type Norm = RecordOf<'norms'>;
export type Hope = RecordOf<'hopes'>;
export type Story = RecordOf<'stories'>;
export type Need = RecordOf<'needs'>;
export type Assumption = RecordOf<'assumptions'>;
export type Note = RecordOf<'notes'>;
export type Question = RecordOf<'questions'>;
export type Vote = RecordOf<'votes'>;
export type Commitment = RecordOf<'commitments'>;

export const newNoteSchema = z.object({
  text: text(LIMITS.noteText),
  x: coordinate,
  y: coordinate,
  color: z.enum(NOTE_COLORS).optional(),
  storyId: id.nullable().optional(),
});
export type NewNote = z.infer<typeof newNoteSchema>;

/** The private document each participant has: drafts nobody else receives. */
export const PRIVATE_COLLECTIONS = {
  storyDrafts: z.object({ ...base, ...storyFields }),
  causeDrafts: z.object({ ...base, text: text(LIMITS.noteText), storyId: id.nullable() }),
} as const;
export type PrivateCollection = keyof typeof PRIVATE_COLLECTIONS;
export type StoryDraft = z.infer<(typeof PRIVATE_COLLECTIONS)['storyDrafts']>;
export type CauseDraft = z.infer<(typeof PRIVATE_COLLECTIONS)['causeDrafts']>;

/** The private document's name on the sync server. */
export function privateDocName(sessionId: string, participantId: string): string {
  return `${sessionId}.private.${participantId}`;
}
