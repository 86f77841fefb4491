import type * as Y from 'yjs';
import { DocCollections, type ChangeSet } from './DocCollections.ts';
import type { CommandsOf } from './records/RecordType.ts';
import { PRIVATE_COLLECTIONS, PRIVATE_RECORDS } from './schema.ts';

export type PrivateChanges = ChangeSet<typeof PRIVATE_COLLECTIONS>;

/** The private document's collections as its record files' commands see them. */
export type PrivateStore = DocCollections<typeof PRIVATE_COLLECTIONS>;

type PrivateCommands = CommandsOf<typeof PRIVATE_RECORDS>;

// The draft record files' commands (saveStoryDraft, addCauseDraft, …) are PrivateBoard's own methods.
export interface PrivateBoard extends PrivateCommands {}

/**
 * A participant's private document: their story draft and their silent-writing
 * root causes. It syncs only with its author's browser (and the server), so a
 * draft never reaches anyone else before it is shared or revealed.
 */
export class PrivateBoard {
  private readonly records: PrivateStore;

  constructor(readonly doc: Y.Doc) {
    this.records = new DocCollections(doc, PRIVATE_COLLECTIONS);
    for (const record of Object.values(PRIVATE_RECORDS)) Object.assign(this, record.commands(this.records));
  }

  observe(callback: (changes: PrivateChanges, local: boolean) => void): () => void {
    return this.records.observe(callback);
  }
}
