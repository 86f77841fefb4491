import { z } from 'zod';
import type { BoardOrigin } from '../DocCollections.ts';
import type { OwnedRecordStore, RecordType } from './RecordType.ts';

import { base, FIXED_FIELDS, text, TEXT_LIMITS } from './fields.ts';

/** The group's working agreements, written by the facilitator at the open. */
export const normSchema = z.object({ ...base, text: text(TEXT_LIMITS.shortText) });
export type Norm = z.infer<typeof normSchema>;

/** The collections these commands touch. */
type Store = OwnedRecordStore<{ norms: typeof normSchema }>;

export const norms = {
  schema: normSchema,
  rule: { kind: 'norm', creators: 'facilitator', shared: [], partnerFields: [], immutable: FIXED_FIELDS, quota: 30 },
  commands: (board: Store) => ({
    addNorm(origin: BoardOrigin, text: string): string {
      return board.insert('norms', origin, { authorId: origin.actor, text: text.trim(), createdAt: Date.now() });
    },
    editNorm(origin: BoardOrigin, id: string, text: string): void {
      board.update('norms', origin, id, { text });
    },
    removeNorm(origin: BoardOrigin, id: string): void {
      board.remove('norms', origin, id);
    },
  }),
} satisfies RecordType<Store>;
