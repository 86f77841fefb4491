import { z } from 'zod';
import type { BoardOrigin } from '../DocCollections.ts';
import type { RecordStore, RecordType } from './RecordType.ts';

import { base, FIXED_FIELDS } from './fields.ts';
import { storyFields, type StoryText } from './stories.ts';

/** The story as its author writes it, in their private document; sharing copies it to `stories`. */
export const storyDraftSchema = z.object({ ...base, ...storyFields });
export type StoryDraft = z.infer<typeof storyDraftSchema>;

/** The collections these commands touch. */
type Store = RecordStore<{ storyDrafts: typeof storyDraftSchema }>;

export const storyDrafts = {
  schema: storyDraftSchema,
  rule: { kind: null, creators: 'anyone', shared: [], partnerFields: [], immutable: FIXED_FIELDS, quota: 1 },
  commands: (drafts: Store) => ({
    storyDraft(): StoryDraft | null {
      return drafts.list('storyDrafts')[0] ?? null;
    },
    saveStoryDraft(origin: BoardOrigin, draft: StoryText): void {
      // Only the story's own fields: a caller may pass a whole draft record (id, author, time), which are not its to change.
      const fields = { who: draft.who, what: draft.what, did: draft.did, ended: draft.ended };
      const existing = drafts.list('storyDrafts')[0];
      if (existing) drafts.update('storyDrafts', origin, existing.id, fields);
      else drafts.insert('storyDrafts', origin, { authorId: origin.actor, createdAt: Date.now(), ...fields });
    },
  }),
} satisfies RecordType<Store>;
