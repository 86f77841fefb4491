import { z } from 'zod';
import type { BoardOrigin } from '../DocCollections.ts';
import type { RecordStore, RecordType } from './RecordType.ts';

import { base, FIXED_FIELDS, id, text, TEXT_LIMITS } from './fields.ts';

/** A root cause written in silence; the reveal moves it onto the board as a note. */
export const causeDraftSchema = z.object({ ...base, text: text(TEXT_LIMITS.noteText), storyId: id.nullable() });
export type CauseDraft = z.infer<typeof causeDraftSchema>;

/** The collections these commands touch. */
type Store = RecordStore<{ causeDrafts: typeof causeDraftSchema }>;

export const causeDrafts = {
  schema: causeDraftSchema,
  // Quotas keep a reveal within the board's room.
  rule: { kind: null, creators: 'anyone', shared: [], partnerFields: [], immutable: FIXED_FIELDS, quota: 50 },
  commands: (drafts: Store) => ({
    causeDrafts(): CauseDraft[] {
      return drafts.list('causeDrafts');
    },
    addCauseDraft(origin: BoardOrigin, text: string, storyId: string | null): string {
      return drafts.insert('causeDrafts', origin, { authorId: origin.actor, text, storyId, createdAt: Date.now() });
    },
    editCauseDraft(origin: BoardOrigin, id: string, text: string): void {
      drafts.update('causeDrafts', origin, id, { text });
    },
    removeCauseDraft(origin: BoardOrigin, id: string): void {
      drafts.remove('causeDrafts', origin, id);
    },
    /** Removes every cause draft (after they were revealed), in one transaction. */
    clearCauseDrafts(origin: BoardOrigin, ids: readonly string[]): void {
      drafts.transact(origin, () => {
        for (const id of ids) drafts.remove('causeDrafts', origin, id);
      });
    },
  }),
} satisfies RecordType<Store>;
