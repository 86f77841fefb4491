import { z } from 'zod';
import type { BoardOrigin } from '../DocCollections.ts';
import type { OwnedRecordStore, RecordType } from './RecordType.ts';
import type { storySchema } from './stories.ts';
import { base, FIXED_FIELDS, id, text, TEXT_LIMITS } from './fields.ts';
import { storyOf } from './stories.ts';

/** What the person in a story needed, tied to its author's shared story if there is one. */
export const needSchema = z.object({ ...base, storyId: id.nullable(), text: text(TEXT_LIMITS.noteText) });
export type Need = z.infer<typeof needSchema>;

/** The collections these commands touch. */
type Store = OwnedRecordStore<{ needs: typeof needSchema; stories: typeof storySchema }>;

export const needs = {
  schema: needSchema,
  rule: { kind: 'need', creators: 'anyone', shared: [], partnerFields: [], immutable: [...FIXED_FIELDS, 'storyId'], quota: 30 },
  commands: (board: Store) => ({
    addNeed(origin: BoardOrigin, text: string): string {
      return board.insert('needs', origin, {
        authorId: origin.actor,
        storyId: storyOf(board, origin.actor)?.id ?? null,
        text,
        createdAt: Date.now(),
      });
    },
    editNeed(origin: BoardOrigin, id: string, text: string): void {
      board.updateOwn('needs', origin, id, { text });
    },
    removeNeed(origin: BoardOrigin, id: string): void {
      board.removeOwn('needs', origin, id);
    },
  }),
} satisfies RecordType<Store>;
