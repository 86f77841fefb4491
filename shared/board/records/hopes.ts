import { z } from 'zod';
import type { BoardOrigin } from '../DocCollections.ts';
import type { OwnedRecordStore, RecordType } from './RecordType.ts';

import { base, FIXED_FIELDS, text, TEXT_LIMITS } from './fields.ts';

/** What a participant hopes the meeting gives them, said at the open. */
export const hopeSchema = z.object({ ...base, text: text(TEXT_LIMITS.shortText) });
export type Hope = z.infer<typeof hopeSchema>;

/** The collections these commands touch. */
type Store = OwnedRecordStore<{ hopes: typeof hopeSchema }>;

export const hopes = {
  schema: hopeSchema,
  rule: { kind: 'hope', creators: 'anyone', shared: [], partnerFields: [], immutable: FIXED_FIELDS, quota: 5 },
  commands: (board: Store) => ({
    addHope(origin: BoardOrigin, text: string): string {
      return board.insert('hopes', origin, { authorId: origin.actor, text: text.trim(), createdAt: Date.now() });
    },
    removeHope(origin: BoardOrigin, id: string): void {
      board.removeOwn('hopes', origin, id);
    },
  }),
} satisfies RecordType<Store>;
