import { z } from 'zod';
import type { BoardOrigin } from '../DocCollections.ts';
import type { OwnedRecordStore, RecordType } from './RecordType.ts';

import { base, FIXED_FIELDS, text, TEXT_LIMITS } from './fields.ts';

export const COMMITMENT_LIMITS = { nameText: 80 } as const;

/** What a participant will try before the next meeting, and with whom. */
export const commitmentSchema = z.object({
  ...base,
  action: text(TEXT_LIMITS.noteText),
  notice: text(TEXT_LIMITS.noteText),
  partner: text(COMMITMENT_LIMITS.nameText),
  date: z.string().max(10).regex(/^(\d{4}-\d{2}-\d{2})?$/),
});
export type Commitment = z.infer<typeof commitmentSchema>;

/** The collections these commands touch. */
type Store = OwnedRecordStore<{ commitments: typeof commitmentSchema }>;

export const commitments = {
  schema: commitmentSchema,
  rule: { kind: 'commitment', creators: 'anyone', shared: [], partnerFields: [], immutable: FIXED_FIELDS, quota: 1 },
  commands: (board: Store) => ({
    /** One commitment per author: saves over the previous one. */
    saveCommitment(origin: BoardOrigin, fields: Pick<Commitment, 'action' | 'notice' | 'partner' | 'date'>): string {
      const existing = board.list('commitments').find((c) => c.authorId === origin.actor);
      if (existing) {
        board.update('commitments', origin, existing.id, fields);
        return existing.id;
      }
      return board.insert('commitments', origin, { authorId: origin.actor, createdAt: Date.now(), ...fields });
    },
  }),
} satisfies RecordType<Store>;
