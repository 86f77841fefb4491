import * as Y from 'yjs';
import { newId } from '../ids.ts';
import { LIMITS, MAPS, newNoteSchema, noteSchema, type NewNote, type Note } from './schema.ts';

/** Who made a change; passed as the Yjs transaction origin. */
export interface BoardOrigin {
  readonly actor: string;
}

export interface BoardChange {
  /** Ids of notes added, changed or removed. */
  readonly notes: ReadonlySet<string>;
  readonly local: boolean;
}

export class BoardError extends Error {}

type RecordMap = Y.Map<unknown>;

/**
 * The one typed wrapper over a session's Y.Doc. Commands are named by intent
 * and run in a single transaction; records are validated when read, so a
 * malformed record from a faulty client is skipped rather than rendered.
 */
export class Board {
  readonly doc: Y.Doc;
  private readonly notesMap: Y.Map<RecordMap>;

  constructor(doc: Y.Doc) {
    this.doc = doc;
    this.notesMap = doc.getMap(MAPS.notes);
  }

  notes(): Note[] {
    const out: Note[] = [];
    for (const id of this.notesMap.keys()) {
      const note = this.note(id);
      if (note) out.push(note);
    }
    return out.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  note(id: string): Note | null {
    const record = this.notesMap.get(id);
    if (!(record instanceof Y.Map)) return null;
    const parsed = noteSchema.safeParse({ ...record.toJSON(), id });
    return parsed.success ? parsed.data : null;
  }

  get noteCount(): number {
    return this.notesMap.size;
  }

  addNote(origin: BoardOrigin, input: NewNote): string {
    const parsed = newNoteSchema.safeParse(input);
    if (!parsed.success) throw new BoardError(`Invalid note: ${parsed.error.issues[0]?.message ?? 'bad input'}`);
    if (this.notesMap.size >= LIMITS.itemsPerBoard) {
      throw new BoardError(`This board is full (${LIMITS.itemsPerBoard} notes).`);
    }
    const noteId = newId();
    const record = new Y.Map<unknown>();
    this.doc.transact(() => {
      this.notesMap.set(noteId, record);
      record.set('authorId', origin.actor);
      record.set('text', parsed.data.text);
      record.set('x', parsed.data.x);
      record.set('y', parsed.data.y);
      record.set('color', parsed.data.color ?? 'yellow');
      record.set('createdAt', Date.now());
    }, origin);
    return noteId;
  }

  editNote(origin: BoardOrigin, noteId: string, text: string): void {
    if (text.length > LIMITS.noteText) throw new BoardError(`A note holds at most ${LIMITS.noteText} characters.`);
    const record = this.record(noteId);
    if (record.get('text') === text) return;
    this.doc.transact(() => record.set('text', text), origin);
  }

  moveNote(origin: BoardOrigin, noteId: string, x: number, y: number): void {
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new BoardError('A note needs a finite position.');
    const record = this.record(noteId);
    const clamp = (v: number) => Math.round(Math.max(-LIMITS.boardExtent, Math.min(LIMITS.boardExtent, v)));
    this.doc.transact(() => {
      record.set('x', clamp(x));
      record.set('y', clamp(y));
    }, origin);
  }

  deleteNote(origin: BoardOrigin, noteId: string): void {
    if (!this.notesMap.has(noteId)) return;
    this.doc.transact(() => this.notesMap.delete(noteId), origin);
  }

  /** Calls back after every transaction that touched the board, with what changed. */
  observe(callback: (change: BoardChange) => void): () => void {
    const handler = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>, tx: Y.Transaction) => {
      const notes = new Set<string>();
      for (const event of events) {
        if (event.target === this.notesMap) {
          for (const key of (event as Y.YMapEvent<unknown>).keysChanged) notes.add(key);
        } else {
          const key = event.path[0];
          if (typeof key === 'string') notes.add(key);
        }
      }
      if (notes.size > 0) callback({ notes, local: tx.local });
    };
    this.notesMap.observeDeep(handler);
    return () => this.notesMap.unobserveDeep(handler);
  }

  private record(noteId: string): RecordMap {
    const record = this.notesMap.get(noteId);
    if (!(record instanceof Y.Map)) throw new BoardError(`No note ${noteId} on this board.`);
    return record;
  }
}
