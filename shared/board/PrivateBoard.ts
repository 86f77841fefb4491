import type * as Y from 'yjs';
import { DocCollections, type BoardOrigin, type ChangeSet } from './DocCollections.ts';
import { PRIVATE_COLLECTIONS, type CauseDraft, type StoryDraft } from './schema.ts';

export type PrivateChanges = ChangeSet<typeof PRIVATE_COLLECTIONS>;

/**
 * A participant's private document: their story draft and their silent-writing
 * root causes. It syncs only with its author's browser (and the server), so a
 * draft never reaches anyone else before it is shared or revealed.
 */
export class PrivateBoard {
  private readonly records: DocCollections<typeof PRIVATE_COLLECTIONS>;

  constructor(readonly doc: Y.Doc) {
    this.records = new DocCollections(doc, PRIVATE_COLLECTIONS);
  }

  observe(callback: (changes: PrivateChanges, local: boolean) => void): () => void {
    return this.records.observe(callback);
  }

  storyDraft(): StoryDraft | null {
    return this.records.list('storyDrafts')[0] ?? null;
  }

  saveStoryDraft(origin: BoardOrigin, draft: Pick<StoryDraft, 'who' | 'what' | 'did' | 'ended'>): void {
    // Only the story's own fields: a caller may pass a whole draft record (id, author, time), which are not its to change.
    const fields = { who: draft.who, what: draft.what, did: draft.did, ended: draft.ended };
    const existing = this.storyDraft();
    if (existing) this.records.update('storyDrafts', origin, existing.id, fields);
    else this.records.insert('storyDrafts', origin, { authorId: origin.actor, createdAt: Date.now(), ...fields });
  }

  causeDrafts(): CauseDraft[] {
    return this.records.list('causeDrafts');
  }

  addCauseDraft(origin: BoardOrigin, text: string, storyId: string | null): string {
    return this.records.insert('causeDrafts', origin, { authorId: origin.actor, text, storyId, createdAt: Date.now() });
  }

  editCauseDraft(origin: BoardOrigin, id: string, text: string): void {
    this.records.update('causeDrafts', origin, id, { text });
  }

  removeCauseDraft(origin: BoardOrigin, id: string): void {
    this.records.remove('causeDrafts', origin, id);
  }

  /** Removes every cause draft (after they were revealed), in one transaction. */
  clearCauseDrafts(origin: BoardOrigin, ids: readonly string[]): void {
    this.records.transact(origin, () => {
      for (const id of ids) this.records.remove('causeDrafts', origin, id);
    });
  }
}
