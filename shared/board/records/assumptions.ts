import { z } from 'zod';
import { BoardError, type BoardOrigin } from '../DocCollections.ts';
import type { OwnedRecordStore, RecordType } from './RecordType.ts';
import type { storySchema } from './stories.ts';
import { base, FIXED_FIELDS, id, text, TEXT_LIMITS } from './fields.ts';

export const ASSUMPTION_STATUSES = ['holds', 'doubtful', 'to test'] as const;
export type AssumptionStatus = (typeof ASSUMPTION_STATUSES)[number];

/** An assumption a pair finds in a shared story, and what they make of it. */
export const assumptionSchema = z.object({
  ...base,
  storyId: id,
  text: text(TEXT_LIMITS.noteText),
  status: z.enum(ASSUMPTION_STATUSES),
});
export type Assumption = z.infer<typeof assumptionSchema>;

/** The collections these commands touch. */
type Store = OwnedRecordStore<{ stories: typeof storySchema; assumptions: typeof assumptionSchema }>;

export const assumptions = {
  schema: assumptionSchema,
  rule: {
    kind: 'assumption',
    creators: 'anyone',
    shared: [],
    partnerFields: ['status'],
    immutable: [...FIXED_FIELDS, 'storyId'],
    quota: 50,
  },
  commands: (board: Store) => ({
    addAssumption(origin: BoardOrigin, storyId: string, text: string, status: AssumptionStatus = 'to test'): string {
      if (!board.get('stories', storyId)) throw new BoardError('That story is not shared.');
      return board.insert('assumptions', origin, { authorId: origin.actor, storyId, text, status, createdAt: Date.now() });
    },
    /** Either partner may mark an assumption. */
    markAssumption(origin: BoardOrigin, id: string, status: AssumptionStatus): void {
      board.update('assumptions', origin, id, { status });
    },
    editAssumption(origin: BoardOrigin, id: string, text: string): void {
      board.update('assumptions', origin, id, { text });
    },
    removeAssumption(origin: BoardOrigin, id: string): void {
      board.remove('assumptions', origin, id);
    },
  }),
} satisfies RecordType<Store>;
