import { z } from 'zod';
import type { BoardOrigin } from '../DocCollections.ts';
import type { OwnedRecordStore, RecordType } from './RecordType.ts';

import { base, FIXED_FIELDS, text } from './fields.ts';

export const STORY_LIMITS = { storyField: 1250 } as const;

export const STORY_FIELDS = ['who', 'what', 'did', 'ended'] as const;
export type StoryField = (typeof STORY_FIELDS)[number];
/** A story's own fields, the same in its private draft (records/storyDrafts.ts). */
export const storyFields = {
  who: text(STORY_LIMITS.storyField),
  what: text(STORY_LIMITS.storyField),
  did: text(STORY_LIMITS.storyField),
  ended: text(STORY_LIMITS.storyField),
};
export type StoryText = Pick<Story, StoryField>;

/** A story on the shared board: only ever written there by its author's "share". */
export const storySchema = z.object({ ...base, ...storyFields });
export type Story = z.infer<typeof storySchema>;

/** The author's shared story: one per author. */
export function storyOf(board: Store, authorId: string): Story | null {
  return board.list('stories').find((s) => s.authorId === authorId) ?? null;
}

/** The collections these commands touch. */
type Store = OwnedRecordStore<{ stories: typeof storySchema }>;

export const stories = {
  schema: storySchema,
  rule: { kind: 'story', creators: 'anyone', shared: [], partnerFields: [], immutable: FIXED_FIELDS, quota: 1 },
  commands: (board: Store) => ({
    /** Puts the author's story on the shared board (or updates it): one story per author. */
    shareStory(origin: BoardOrigin, draft: StoryText): string {
      const existing = storyOf(board, origin.actor);
      const fields = { who: draft.who, what: draft.what, did: draft.did, ended: draft.ended };
      if (existing) {
        board.update('stories', origin, existing.id, fields);
        return existing.id;
      }
      return board.insert('stories', origin, { authorId: origin.actor, createdAt: Date.now(), ...fields });
    },
    unshareStory(origin: BoardOrigin): void {
      const story = storyOf(board, origin.actor);
      if (story) board.remove('stories', origin, story.id);
    },
    storyOf(authorId: string): Story | null {
      return storyOf(board, authorId);
    },
  }),
} satisfies RecordType<Store>;
