import { z } from 'zod';
import type { BoardOrigin } from '../DocCollections.ts';
import type { OwnedRecordStore, RecordType } from './RecordType.ts';

import { base, FIXED_FIELDS, text, TEXT_LIMITS } from './fields.ts';

/**
 * The presenter's focusing question (Consultancy, Tuning), which every
 * screen shows for the rest of the protocol. Only the meeting's presenter
 * writes it. `shareNotes` is the presenter's choice to put the notes
 * addressed to them in the community brief; until then only they get them.
 */
export const focusSchema = z.object({
  ...base,
  text: text(TEXT_LIMITS.shortText),
  shareNotes: z.boolean().default(false),
});
export type Focus = z.infer<typeof focusSchema>;

type Store = OwnedRecordStore<{ focus: typeof focusSchema }>;

export const focus = {
  schema: focusSchema,
  rule: { kind: 'focus', creators: 'presenter', shared: [], partnerFields: [], immutable: FIXED_FIELDS, quota: 1, authorOnly: { shareNotes: 'only the presenter shares their notes' } },
  commands: (board: Store) => ({
    /** One focusing question per presenter: saves over the previous one. */
    saveFocus(origin: BoardOrigin, value: string): string {
      const existing = board.list('focus').find((f) => f.authorId === origin.actor);
      if (existing) {
        board.updateOwn('focus', origin, existing.id, { text: value.trim() });
        return existing.id;
      }
      return board.insert('focus', origin, { authorId: origin.actor, createdAt: Date.now(), text: value.trim(), shareNotes: false });
    },
    shareNotes(origin: BoardOrigin, focusId: string, share: boolean): void {
      board.updateOwn('focus', origin, focusId, { shareNotes: share });
    },
  }),
} satisfies RecordType<Store>;
