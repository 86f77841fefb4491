import { z } from 'zod';
import type { BoardOrigin } from '../DocCollections.ts';
import type { BoardStore } from '../Board.ts';
import type { RecordType } from './RecordType.ts';
import { base, FIXED_FIELDS, id, text, TEXT_LIMITS } from './fields.ts';
import { storyOf } from './stories.ts';

/** What the person in a story needed, tied to its author's shared story if there is one. */
export const needSchema = z.object({ ...base, storyId: id.nullable(), text: text(TEXT_LIMITS.noteText) });
export type Need = z.infer<typeof needSchema>;

export const needs = {
  schema: needSchema,
  rule: { kind: 'need', creators: 'anyone', shared: [], partnerFields: [], immutable: [...FIXED_FIELDS, 'storyId'], quota: 30 },
  commands: (board: BoardStore) => ({
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
} satisfies RecordType<BoardStore>;
