import type * as Y from 'yjs';
import type { z } from 'zod';
import type { CategoryId } from '../protocol/categories.ts';
import { BoardError, DocCollections, type BoardOrigin, type ChangeSet } from './DocCollections.ts';
import {
  COLLECTIONS,
  DEFAULT_NOTE_COLOR,
  LIMITS,
  newNoteSchema,
  type AssumptionStatus,
  type CauseDraft,
  type Collection,
  type Commitment,
  type NewNote,
  type Note,
  type RecordOf,
  type StoryDraft,
} from './schema.ts';
import { NOTE_SIZE } from './noteSize.ts';
import { votesLeft } from './votes.ts';

export { BoardError, type BoardOrigin } from './DocCollections.ts';

export type BoardChanges = ChangeSet<typeof COLLECTIONS>;

/** The facilitator's actor id: may tidy up anyone's records. */
export const FACILITATOR_ACTOR = 'facilitator';

const REVEAL_ROWS = Math.floor((LIMITS.boardExtent - 20 - NOTE_SIZE.height) / (NOTE_SIZE.height + 16));

function clampToBoard(v: number): number {
  return Math.round(Math.max(-LIMITS.boardExtent, Math.min(LIMITS.boardExtent, v)));
}

/**
 * The one typed wrapper over a session's shared Y.Doc. Commands are named by
 * intent and run in one transaction each, with the actor as origin.
 */
export class Board {
  readonly doc: Y.Doc;
  private readonly records: DocCollections<typeof COLLECTIONS>;

  constructor(doc: Y.Doc) {
    this.doc = doc;
    this.records = new DocCollections(doc, COLLECTIONS);
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

  // ---- open
  addNorm(origin: BoardOrigin, text: string): string {
    return this.insert('norms', origin, { authorId: origin.actor, text: text.trim(), createdAt: Date.now() });
  }

  editNorm(origin: BoardOrigin, id: string, text: string): void {
    this.records.update('norms', origin, id, { text });
  }

  removeNorm(origin: BoardOrigin, id: string): void {
    this.records.remove('norms', origin, id);
  }

  addHope(origin: BoardOrigin, text: string): string {
    return this.insert('hopes', origin, { authorId: origin.actor, text: text.trim(), createdAt: Date.now() });
  }

  removeHope(origin: BoardOrigin, id: string): void {
    this.removeOwn('hopes', origin, id);
  }

  // ---- story
  /** Puts the author's story on the shared board (or updates it): one story per author. */
  shareStory(origin: BoardOrigin, draft: Pick<StoryDraft, 'who' | 'what' | 'did' | 'ended'>): string {
    const existing = this.storyOf(origin.actor);
    const fields = { who: draft.who, what: draft.what, did: draft.did, ended: draft.ended };
    if (existing) {
      this.records.update('stories', origin, existing.id, fields);
      return existing.id;
    }
    return this.insert('stories', origin, { authorId: origin.actor, createdAt: Date.now(), ...fields });
  }

  unshareStory(origin: BoardOrigin): void {
    const story = this.storyOf(origin.actor);
    if (story) this.records.remove('stories', origin, story.id);
  }

  storyOf(authorId: string): RecordOf<'stories'> | null {
    return this.list('stories').find((s) => s.authorId === authorId) ?? null;
  }

  // ---- need
  addNeed(origin: BoardOrigin, text: string): string {
    return this.insert('needs', origin, {
      authorId: origin.actor,
      storyId: this.storyOf(origin.actor)?.id ?? null,
      text,
      createdAt: Date.now(),
    });
  }

  editNeed(origin: BoardOrigin, id: string, text: string): void {
    this.updateOwn('needs', origin, id, { text });
  }

  removeNeed(origin: BoardOrigin, id: string): void {
    this.removeOwn('needs', origin, id);
  }

  // ---- assumptions
  addAssumption(origin: BoardOrigin, storyId: string, text: string, status: AssumptionStatus = 'to test'): string {
    if (!this.get('stories', storyId)) throw new BoardError('That story is not shared.');
    return this.insert('assumptions', origin, { authorId: origin.actor, storyId, text, status, createdAt: Date.now() });
  }

  /** Either partner may mark an assumption. */
  markAssumption(origin: BoardOrigin, id: string, status: AssumptionStatus): void {
    this.records.update('assumptions', origin, id, { status });
  }

  editAssumption(origin: BoardOrigin, id: string, text: string): void {
    this.records.update('assumptions', origin, id, { text });
  }

  removeAssumption(origin: BoardOrigin, id: string): void {
    this.records.remove('assumptions', origin, id);
  }

  // ---- notes (root causes)
  addNote(origin: BoardOrigin, input: NewNote): string {
    const parsed = newNoteSchema.safeParse(input);
    if (!parsed.success) throw new BoardError(`Invalid note: ${parsed.error.issues[0]?.message ?? 'bad input'}`);
    return this.insert('notes', origin, {
      authorId: origin.actor,
      text: parsed.data.text,
      x: parsed.data.x,
      y: parsed.data.y,
      color: parsed.data.color ?? DEFAULT_NOTE_COLOR,
      storyId: parsed.data.storyId ?? null,
      category: null,
      copyOf: null,
      createdAt: Date.now(),
    });
  }

  editNote(origin: BoardOrigin, id: string, text: string): void {
    if (text.length > LIMITS.noteText) throw new BoardError(`A note holds at most ${LIMITS.noteText} characters.`);
    this.updateOwn('notes', origin, id, { text });
  }

  /** Anyone may move any note. */
  moveNote(origin: BoardOrigin, id: string, x: number, y: number): void {
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new BoardError('A note needs a finite position.');
    this.records.update('notes', origin, id, { x: clampToBoard(x), y: clampToBoard(y) });
  }

  deleteNote(origin: BoardOrigin, id: string): void {
    this.removeOwn('notes', origin, id);
  }

  /** Anyone may sort any note; null puts it back in the tray. */
  sortNote(origin: BoardOrigin, id: string, category: CategoryId | null): void {
    this.records.update('notes', origin, id, { category });
  }

  /** Copies a note into a second category; returns the copy's id. */
  duplicateNote(origin: BoardOrigin, id: string, category: CategoryId): string {
    const note = this.get('notes', id);
    if (!note) throw new BoardError('That note is gone.');
    return this.insert('notes', origin, {
      ...note,
      x: clampToBoard(note.x + 24),
      y: clampToBoard(note.y + 24),
      category,
      copyOf: note.copyOf ?? note.id,
      createdAt: Date.now(),
    });
  }

  /** Adds revealed drafts to the board in one transaction, laid out in a grid. */
  revealDrafts(origin: BoardOrigin, authorId: string, drafts: CauseDraft[]): string[] {
    const ids: string[] = [];
    this.records.transact(origin, () => {
      let slot = this.noteCount;
      for (const draft of drafts) {
        if (!draft.text.trim()) continue;
        // Eight to a row; rows wrap back to the top rather than run off the board.
        const column = slot % 8;
        const row = Math.floor(slot / 8) % REVEAL_ROWS;
        slot++;
        ids.push(
          this.insert('notes', origin, {
            authorId,
            text: draft.text,
            x: 20 + column * (NOTE_SIZE.width + 16),
            y: 20 + row * (NOTE_SIZE.height + 16),
            color: DEFAULT_NOTE_COLOR,
            storyId: draft.storyId,
            category: null,
            copyOf: null,
            createdAt: draft.createdAt,
          }),
        );
      }
    });
    return ids;
  }

  // ---- how might we
  addQuestion(origin: BoardOrigin, text: string, category: CategoryId | null, noteIds: string[] = []): string {
    return this.insert('questions', origin, { authorId: origin.actor, text, category, noteIds, createdAt: Date.now() });
  }

  editQuestion(origin: BoardOrigin, id: string, patch: { text?: string; category?: CategoryId | null; noteIds?: string[] }): void {
    this.updateOwn('questions', origin, id, patch);
  }

  removeQuestion(origin: BoardOrigin, id: string): void {
    this.removeOwn('questions', origin, id);
  }

  castVote(origin: BoardOrigin, questionId: string, votesPerPerson: number): string {
    if (!this.get('questions', questionId)) throw new BoardError('That question is gone.');
    if (votesLeft(this.list('votes'), origin.actor, votesPerPerson) <= 0) {
      throw new BoardError(`You have used all ${votesPerPerson} of your votes.`);
    }
    return this.insert('votes', origin, { authorId: origin.actor, questionId, createdAt: Date.now() });
  }

  retractVote(origin: BoardOrigin, questionId: string): void {
    const mine = this.list('votes').filter((v) => v.authorId === origin.actor && v.questionId === questionId);
    const last = mine.at(-1);
    if (last) this.records.remove('votes', origin, last.id);
  }

  // ---- commit
  /** One commitment per author: saves over the previous one. */
  saveCommitment(origin: BoardOrigin, fields: Pick<Commitment, 'action' | 'notice' | 'partner' | 'date'>): string {
    const existing = this.list('commitments').find((c) => c.authorId === origin.actor);
    if (existing) {
      this.records.update('commitments', origin, existing.id, fields);
      return existing.id;
    }
    return this.insert('commitments', origin, { authorId: origin.actor, createdAt: Date.now(), ...fields });
  }

  // ---- helpers
  private insert<C extends Collection>(collection: C, origin: BoardOrigin, fields: Omit<z.input<(typeof COLLECTIONS)[C]>, 'id'>): string {
    let total = 0;
    for (const name of Object.keys(COLLECTIONS) as Collection[]) total += this.records.size(name);
    if (total >= LIMITS.itemsPerBoard) throw new BoardError(`This board is full (${LIMITS.itemsPerBoard} items).`);
    return this.records.insert(collection, origin, fields);
  }

  private updateOwn<C extends Collection>(collection: C, origin: BoardOrigin, id: string, patch: object): void {
    this.assertOwner(collection, origin, id);
    this.records.update(collection, origin, id, patch as never);
  }

  private removeOwn(collection: Collection, origin: BoardOrigin, id: string): void {
    if (!this.get(collection, id)) return;
    this.assertOwner(collection, origin, id);
    this.records.remove(collection, origin, id);
  }

  private assertOwner(collection: Collection, origin: BoardOrigin, id: string): void {
    const record = this.get(collection, id);
    if (!record) throw new BoardError(`Nothing to change: that ${collection.replace(/s$/, '')} is gone.`);
    if (record.authorId !== origin.actor && origin.actor !== FACILITATOR_ACTOR) {
      throw new BoardError('Only its author can change that.');
    }
  }
}
