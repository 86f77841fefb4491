import { z } from 'zod';
import type { CategoryId } from '../../protocol/categories.ts';
import { CATEGORY_IDS } from '../../protocol/categories.ts';
import type { BoardOrigin } from '../DocCollections.ts';
import type { OwnedRecordStore, RecordType } from './RecordType.ts';

import { base, FIXED_FIELDS, id, text, TEXT_LIMITS } from './fields.ts';

export const QUESTION_LIMITS = { notesPerQuestion: 50 } as const;

/** A "how might we" question, drawn from some of the notes. */
export const questionSchema = z.object({
  ...base,
  text: text(TEXT_LIMITS.shortText),
  category: z.enum(CATEGORY_IDS).nullable(),
  noteIds: z.array(id).max(QUESTION_LIMITS.notesPerQuestion),
  /** The cluster of notes (./clusters.ts) the question came from, if any. */
  clusterId: id.nullable().default(null),
});
export type Question = z.infer<typeof questionSchema>;

/** The collections these commands touch. */
type Store = OwnedRecordStore<{ questions: typeof questionSchema }>;

export const questions = {
  schema: questionSchema,
  rule: {
    kind: 'question',
    creators: 'anyone',
    shared: [],
    partnerFields: [],
    immutable: FIXED_FIELDS,
    quota: 20,
    references: [{ field: 'clusterId', collection: 'clusters' }],
  },
  commands: (board: Store) => ({
    addQuestion(origin: BoardOrigin, text: string, category: CategoryId | null, noteIds: string[] = [], clusterId: string | null = null): string {
      return board.insert('questions', origin, { authorId: origin.actor, text, category, noteIds, clusterId, createdAt: Date.now() });
    },
    editQuestion(origin: BoardOrigin, id: string, patch: { text?: string; category?: CategoryId | null; noteIds?: string[]; clusterId?: string | null }): void {
      board.updateOwn('questions', origin, id, patch);
    },
    removeQuestion(origin: BoardOrigin, id: string): void {
      board.removeOwn('questions', origin, id);
    },
  }),
} satisfies RecordType<Store>;
