import type * as Y from 'yjs';
import type { z } from 'zod';
import { BoardError, DocCollections, type BoardOrigin, type ChangeSet } from './DocCollections.ts';
import { FACILITATOR_ACTOR, type ServerOrigin } from './origins.ts';
import type { CommandsOf } from './records/RecordType.ts';
import { BOARD_RECORDS, COLLECTION_NAMES, COLLECTIONS, LIMITS, type Collection, type Note, type RecordOf } from './schema.ts';

export { BoardError, type BoardOrigin } from './DocCollections.ts';

export type BoardChanges = ChangeSet<typeof COLLECTIONS>;

export { FACILITATOR_ACTOR } from './origins.ts';

/**
 * The board's collections as the record files' commands see them: adding
 * keeps the board within its item limit, and the *Own variants let only a
 * record's author (or the facilitator) change or remove it.
 */
export class BoardStore extends DocCollections<typeof COLLECTIONS> {
  override insert<C extends Collection>(collection: C, origin: BoardOrigin, fields: Omit<z.input<(typeof COLLECTIONS)[C]>, 'id'>, id?: string): string {
    let total = 0;
    for (const name of Object.keys(COLLECTIONS) as Collection[]) total += this.size(name);
    if (total >= LIMITS.itemsPerBoard) throw new BoardError(`This board is full (${LIMITS.itemsPerBoard} items).`);
    return super.insert(collection, origin, fields, id);
  }

  updateOwn<C extends Collection>(collection: C, origin: BoardOrigin, id: string, patch: Partial<Omit<z.input<(typeof COLLECTIONS)[C]>, 'id'>>): void {
    this.assertOwner(collection, origin, id);
    this.update(collection, origin, id, patch);
  }

  removeOwn(collection: Collection, origin: BoardOrigin, id: string): void {
    if (!this.get(collection, id)) return;
    this.assertOwner(collection, origin, id);
    this.remove(collection, origin, id);
  }

  private assertOwner(collection: Collection, origin: BoardOrigin, id: string): void {
    const record = this.get(collection, id);
    if (!record) throw new BoardError(`Nothing to change: that ${collection.replace(/s$/, '')} is gone.`);
    if (record.authorId !== origin.actor && origin.actor !== FACILITATOR_ACTOR) {
      throw new BoardError('Only its author can change that.');
    }
  }
}

type BoardCommands = CommandsOf<typeof BOARD_RECORDS>;

// The record files' commands (addNote, sortNote, castVote, …) are Board's own methods.
export interface Board extends BoardCommands {}

/**
 * The one typed wrapper over a session's shared Y.Doc. Commands are named by
 * intent, come from the record files (shared/board/records/*), and run in one
 * transaction each, with the actor as origin.
 */
export class Board {
  readonly doc: Y.Doc;
  private readonly records: BoardStore;

  constructor(doc: Y.Doc) {
    this.doc = doc;
    this.records = new BoardStore(doc, COLLECTIONS);
    for (const record of Object.values(BOARD_RECORDS)) Object.assign(this, record.commands(this.records));
  }

  list<C extends Collection>(collection: C): Array<RecordOf<C>> {
    return this.records.list(collection);
  }

  get<C extends Collection>(collection: C, id: string): RecordOf<C> | null {
    return this.records.get(collection, id);
  }

  observe(callback: (changes: BoardChanges, local: boolean) => void): () => void {
    return this.records.observe(callback);
  }

  /** Stored records that fail their schema, per collection: kept out of every list, but not out of sight. */
  invalidRecords(): Partial<Record<Collection, number>> {
    return this.records.invalidCounts();
  }

  /**
   * Server only: removes every record `which` picks, of every collection, in
   * one transaction (a removed member's words, server/year/removeMember.ts).
   * Returns how many went.
   */
  removeWhere(origin: ServerOrigin, which: (collection: Collection, record: RecordOf<Collection>) => boolean): number {
    let removed = 0;
    this.records.transact(origin, () => {
      for (const collection of COLLECTION_NAMES) {
        for (const record of this.records.list(collection)) {
          if (!which(collection, record)) continue;
          this.records.remove(collection, origin, record.id);
          removed++;
        }
      }
    });
    return removed;
  }

  // ---- notes shorthands
  notes(): Note[] {
    return this.list('notes');
  }

  note(id: string): Note | null {
    return this.get('notes', id);
  }

  get noteCount(): number {
    return this.records.size('notes');
  }
}
