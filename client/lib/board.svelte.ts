import { createContext } from 'svelte';
import type * as Y from 'yjs';
import { Board, BoardError, type BoardChanges, type BoardOrigin } from '../../shared/board/Board.ts';
import { OwnHistory } from '../../shared/board/OwnHistory.ts';
import { PrivateBoard } from '../../shared/board/PrivateBoard.ts';
import { byCreation } from '../../shared/board/byCreation.ts';
import { boardRef, draftsRef, encodeDocRef } from '../../shared/board/DocRef.ts';
import { ANONYMOUS_ACTOR, personOrigin } from '../../shared/board/origins.ts';
import type { AnonymousNoteResult } from '../../shared/events.ts';
import { newId } from '../../shared/ids.ts';
import type { AnonymousNoteRequest } from '../../shared/protocol/anonymousNote.ts';
import {
  COLLECTION_NAMES,
  type CardDraft,
  type CauseDraft,
  type Collection,
  type RecordOf,
  type StoryDraft,
} from '../../shared/board/schema.ts';
import type { ControlState } from '../../shared/protocol/control.ts';
import { STEPS } from '../../shared/protocol/steps.ts';
import { NotSavedList, type NotSavedItem } from './NotSavedList.svelte.ts';
import { notTaken, type Snapshot } from './notTaken.ts';
import { retryCommand } from './retryCommand.ts';
import { closeCause } from '../../shared/closeCodes.ts';
import type { SyncStatus } from './OfflineDoc.svelte.ts';
import { SyncedDoc } from './SyncedDoc.svelte.ts';
import { hasUnsent, unsentOnto } from './unsentOnto.ts';

export type { SyncStatus };

export interface LiveBoardOptions {
  sessionId: string;
  token: string;
  /** Who edits from this browser (participant id, or 'facilitator'). */
  actor: string;
  readOnly: boolean;
  /** Participants also sync their private drafts document. */
  participantId?: string;
}

type Lists = { [C in Collection]: Array<RecordOf<C>> };

/** Anonymous mode: how long typing pauses before one's note text goes to the server. */
const TYPING_PAUSE_MS = 300;

/** The pause before reconnecting after the server closed for too many messages (longer than its refusal back-off's first step). */
const SLOW_DOWN_MS = 5_000;

/**
 * The one bridge between the board documents and Svelte. It exposes every
 * collection as reactive lists and runs Board commands for components, which
 * never touch yjs themselves. Its documents may be replaced underneath (after
 * a refused update); components keep the same LiveBoard throughout.
 */
export class LiveBoard {
  #lists = $state.raw<Lists>(emptyLists());
  #storyDraft = $state.raw<StoryDraft | null>(null);
  #causeDrafts = $state.raw<CauseDraft[]>([]);
  #cardDrafts = $state.raw<CardDraft[]>([]);
  /** Anonymous mode: the notes on the board this participant wrote, as only their private document says. */
  #anonymousMine = $state.raw<ReadonlySet<string>>(new Set());
  /** Anonymous mode: the text typed into one's own notes that the server has not echoed yet. */
  #typed = $state.raw<ReadonlyMap<string, string>>(new Map());
  readonly #typing = new Map<string, ReturnType<typeof setTimeout>>();
  /** Set by openSession: the server writes anonymous notes (Session.anonymousNote). */
  anonymousNote: ((request: AnonymousNoteRequest) => Promise<AnonymousNoteResult>) | null = null;
  #error = $state<string | null>(null);
  #refusal = $state<string | null>(null);
  #elsewhere = $state(false);
  /** The last control state seen, for drafts that arrive after the reveal. */
  #control: ControlState | null = null;

  readonly actor: string;
  readonly readOnly: boolean;
  /** The origin of what this person does here: their undo history tracks it. */
  readonly origin: BoardOrigin;
  /** The same actor for what the app writes on its own (late drafts going up), which undo must not take back. */
  readonly #automatic: BoardOrigin;
  #history: OwnHistory;
  #canUndo = $state(false);
  #canRedo = $state(false);
  #shared = $state.raw<SyncedDoc>() as SyncedDoc;
  #private = $state.raw<SyncedDoc | null>(null);
  #board: Board;
  #mine: PrivateBoard | null = null;
  #cleanups: Array<() => void> = [];
  readonly #sharedNotSaved: NotSavedList;
  readonly #privateNotSaved: NotSavedList | null;
  readonly #abort = new AbortController();

  constructor({ sessionId, token, actor, readOnly, participantId }: LiveBoardOptions) {
    this.actor = actor;
    this.readOnly = readOnly;
    this.origin = personOrigin(actor);
    this.#automatic = personOrigin(actor);
    const boardName = encodeDocRef(boardRef(sessionId));
    this.#shared = new SyncedDoc(boardName, token, !readOnly);
    this.#sharedNotSaved = new NotSavedList(boardName);
    this.#board = this.#attachShared(this.#shared);
    this.#history = this.#trackHistory(this.#shared);
    if (participantId) {
      const name = encodeDocRef(draftsRef(sessionId, participantId));
      this.#private = new SyncedDoc(name, token, true);
      this.#privateNotSaved = new NotSavedList(name);
      this.#mine = this.#attachPrivate(this.#private);
    } else {
      this.#privateNotSaved = null;
    }
  }

  get lists(): Lists {
    return this.#lists;
  }
  get storyDraft(): StoryDraft | null {
    return this.#storyDraft;
  }
  get causeDrafts(): CauseDraft[] {
    return this.#causeDrafts;
  }

  /** Tuning's feedback written in silence: only this participant has it until the reveal. */
  get cardDrafts(): CardDraft[] {
    return this.#cardDrafts;
  }
  get status(): SyncStatus {
    return this.#shared.status;
  }
  get synced(): boolean {
    return this.#shared.synced;
  }
  get error(): string | null {
    return this.#error;
  }
  /** The last command's refusal (a full board, a text too long), for the UI to show. */
  get refusal(): string | null {
    return this.#refusal;
  }
  /** This link was opened in another window, which took over the board. */
  get elsewhere(): boolean {
    return this.#elsewhere;
  }

  get notes() {
    const typed = this.#typed;
    if (typed.size === 0) return this.#lists.notes;
    return this.#lists.notes.map((note) => (typed.has(note.id) ? { ...note, text: typed.get(note.id)! } : note));
  }

  /** Changes made on this device that have not reached the server yet. */
  get pending(): number {
    return this.#shared.pending + (this.#private?.pending ?? 0);
  }

  /** Changes the server refused, kept here for their author to copy, retry or dismiss. */
  get notSaved(): readonly NotSavedItem[] {
    return [...this.#sharedNotSaved.items, ...(this.#privateNotSaved?.items ?? [])];
  }

  dismissNotSaved(key: string): void {
    this.#sharedNotSaved.dismiss(key);
    this.#privateNotSaved?.dismiss(key);
  }

  /** Whether "Try again" can write this item once more (there is a command for it). */
  canRetry(item: NotSavedItem): boolean {
    return !this.readOnly && retryCommand(item) !== null;
  }

  /** Writes a refused item again through the normal commands; it leaves the list if the command ran. */
  retryNotSaved(item: NotSavedItem): boolean {
    const command = retryCommand(item);
    if (!command) return false;
    const done = command.board ? this.act(command.board) : this.draft(command.mine);
    if (done === undefined) return false;
    this.dismissNotSaved(item.key);
    return true;
  }

  /** "Use here": take the board back from the other window. */
  useHere(): void {
    this.#elsewhere = false;
    this.#error = null;
    this.#shared.resume();
    this.#private?.resume();
  }

  /** The session was deleted: stop syncing and drop this device's copies, so nothing can bring it back. */
  async forgetEverything(): Promise<void> {
    this.#error = 'This session was deleted. Its board is gone from this device too.';
    this.#shared.provider.disconnect();
    this.#private?.provider.disconnect();
    await Promise.all([this.#shared.forget(), this.#private?.forget()]);
  }

  /** Runs a Board command as this browser's actor; a refusal is shown, not thrown. */
  act<T>(command: (board: Board, origin: BoardOrigin) => T): T | undefined {
    return this.#guard(() => command(this.#board, this.origin));
  }

  /** Runs a command on this participant's private drafts. */
  draft<T>(command: (mine: PrivateBoard, origin: BoardOrigin) => T): T | undefined {
    const mine = this.#mine;
    if (!mine) return undefined;
    return this.#guard(() => command(mine, this.origin));
  }

  /** Every newer control state, from Session's handlers (openSession wires the two). */
  followControl(control: ControlState): void {
    this.#control = control;
    this.#putUpRevealedDrafts();
  }

  /** Whether this person has an action of their own to take back, or one taken back to redo. */
  get canUndo(): boolean {
    return this.#canUndo;
  }
  get canRedo(): boolean {
    return this.#canRedo;
  }

  /** Takes back this person's latest board action (never anyone else's). */
  undo(): boolean {
    return !this.readOnly && this.#guard(() => this.#history.undo()) === true;
  }

  redo(): boolean {
    return !this.readOnly && this.#guard(() => this.#history.redo()) === true;
  }

  isMine(record: { id?: string; authorId: string }): boolean {
    if (record.authorId === ANONYMOUS_ACTOR) return record.id !== undefined && this.#anonymousMine.has(record.id);
    return record.authorId === this.actor;
  }

  /** The causes step's anonymous mode is on and the notes are up: this participant's notes go through the server. */
  get #anonymous(): boolean {
    return this.#mine !== null && this.#control?.anonymous === true && this.#control.revealed;
  }

  // Shorthands the sticky-note board uses. In anonymous mode one's own notes are
  // written by the server: this device's Yjs client would otherwise sign them.
  addNote(input: Parameters<Board['addNote']>[1]): string | undefined {
    if (!this.#anonymous) return this.act((b, o) => b.addNote(o, input));
    const id = newId();
    this.#ask({ action: 'add', id, x: Math.round(input.x), y: Math.round(input.y), color: input.color });
    return id;
  }
  editNote(id: string, text: string): void {
    const note = this.#board.note(id);
    if (!note || note.authorId !== ANONYMOUS_ACTOR) {
      this.act((b, o) => b.editNote(o, id, text));
      return;
    }
    if (!this.isMine(note)) {
      this.#refusal = 'Only its author can change that.';
      return;
    }
    // Shown at once; sent when the typing pauses, so a quick typist stays within the server's budget.
    this.#typed = new Map(this.#typed).set(id, text);
    clearTimeout(this.#typing.get(id));
    this.#typing.set(
      id,
      setTimeout(() => {
        this.#typing.delete(id);
        this.#ask({ action: 'edit', id, text }, () => this.#settleTyped(id, true));
      }, TYPING_PAUSE_MS),
    );
  }
  moveNote(id: string, x: number, y: number): void {
    this.act((b, o) => b.moveNote(o, id, x, y));
  }
  deleteNote(id: string): void {
    const note = this.#board.note(id);
    if (note?.authorId === ANONYMOUS_ACTOR) this.#ask({ action: 'delete', id });
    else this.act((b, o) => b.deleteNote(o, id));
  }

  #ask(request: AnonymousNoteRequest, onRefused?: () => void): void {
    const send = this.anonymousNote;
    if (!send) return;
    this.#refusal = null;
    void send(request).then((result) => {
      if (result.ok) return;
      this.#refusal = result.error.message;
      onRefused?.();
    });
  }

  /** Drops the typed text of a note once the board has it (or the server refused it). */
  #settleTyped(id: string, force = false): void {
    const typed = this.#typed.get(id);
    if (typed === undefined || this.#typing.has(id)) return;
    if (!force && this.#board.note(id)?.text !== typed) return;
    const next = new Map(this.#typed);
    next.delete(id);
    this.#typed = next;
  }

  destroy(): void {
    this.#abort.abort(new Error('closed'));
    for (const timer of this.#typing.values()) clearTimeout(timer);
    for (const cleanup of this.#cleanups) cleanup();
    this.#history.destroy();
    this.#shared.destroy();
    this.#private?.destroy();
  }

  #trackHistory(synced: SyncedDoc): OwnHistory {
    const history = new OwnHistory(synced.doc, this.origin);
    const update = () => {
      this.#canUndo = history.canUndo;
      this.#canRedo = history.canRedo;
    };
    history.onChange(update);
    update();
    return history;
  }

  #guard<T>(fn: () => T): T | undefined {
    try {
      this.#refusal = null;
      return fn();
    } catch (err) {
      if (!(err instanceof BoardError)) throw err;
      this.#refusal = err.message;
      return undefined;
    }
  }

  // ---- wiring a document in (at start, and again after a refusal)

  #attachShared(synced: SyncedDoc): Board {
    const board = new Board(synced.doc);
    this.#cleanups.push(board.observe((changes) => this.#refresh(board, changes)));
    const current = () => this.#shared === synced;
    const provider = synced.provider;
    provider.on('sync', (isSynced: boolean) => {
      if (current() && isSynced) this.#error = null;
    });
    provider.on('connection-close', (event) => {
      if (!current() || !event) return;
      const cause = closeCause(event.code);
      if (cause === 'loadFailed') this.#error = 'This board could not be loaded from the server. Your own copy is kept.';
      if (cause === 'sessionDeleted') void this.forgetEverything();
      if (cause === 'tooManyMessages') {
        this.#error = 'Too many changes at once: slow down a moment. Reconnecting in a few seconds…';
        this.#resumeLater(synced, current);
      }
      if (cause === 'roomFull') this.#error = 'This board has as many connections as it can take. Reload the page in a while to try again.';
      if (cause === 'replaced') this.#replaced();
      if (cause === 'badMessage') void this.#refused(synced, event.reason, readBoard, (fresh) => this.#swapShared(fresh), this.#sharedNotSaved);
    });
    return board;
  }

  #attachPrivate(synced: SyncedDoc): PrivateBoard {
    const mine = new PrivateBoard(synced.doc);
    this.#cleanups.push(mine.observe(() => this.#refreshDrafts()));
    synced.provider.on('connection-close', (event) => {
      if (this.#private !== synced || !event) return;
      const cause = closeCause(event.code);
      if (cause === 'replaced') this.#replaced();
      if (cause === 'tooManyMessages') this.#resumeLater(synced, () => this.#private === synced);
      if (cause === 'badMessage' && this.#privateNotSaved) {
        void this.#refused(synced, event.reason, readPrivate, (fresh) => this.#swapPrivate(fresh), this.#privateNotSaved);
      }
    });
    return mine;
  }

  /** The provider never retries after a 44xx close; after "too many messages" the app does, once the pause is over. */
  #resumeLater(synced: SyncedDoc, current: () => boolean): void {
    const timer = setTimeout(() => {
      if (current()) synced.resume();
    }, SLOW_DOWN_MS);
    this.#cleanups.push(() => clearTimeout(timer));
  }

  #replaced(): void {
    this.#elsewhere = true;
    this.#error = 'This board is open in another window.';
  }

  /**
   * The server refused an update of `old`: no later update of its client id
   * can be taken, so start afresh from the server's state, keep what it does
   * not have in the not-saved list, and drop this device's copy of the rest.
   */
  async #refused(old: SyncedDoc, reason: string, read: (doc: Y.Doc) => Snapshot, swap: (fresh: SyncedDoc) => void, list: NotSavedList): Promise<void> {
    if (old.retired) return;
    old.retire();
    this.#error = 'A change was not saved. Loading the board again from the server…';
    let fresh: SyncedDoc;
    try {
      fresh = await old.afresh(this.#abort.signal);
    } catch {
      return; // The view closed while waiting.
    }
    const server = read(fresh.doc);
    const merged = unsentOnto(old.doc, fresh.doc);
    let found = notTaken(read(merged), server, this.actor);
    merged.destroy();
    // A refusal the server had applied and then repaired leaves nothing unsent;
    // then the device's own copy is all there is to compare.
    if (found.length === 0 && !hasUnsent(old.doc, fresh.doc)) found = notTaken(read(old.doc), server, this.actor);
    list.add(found.length > 0 ? found : [{ collection: '', label: 'A change', text: '', record: { id: '', authorId: this.actor } }], reason);
    await old.forget();
    fresh.keepLocally();
    swap(fresh);
    old.destroy();
    this.#error = null;
  }

  #swapShared(fresh: SyncedDoc): void {
    this.#shared = fresh;
    this.#board = this.#attachShared(fresh);
    // The old document's history refers to changes the server never took.
    this.#history.destroy();
    this.#history = this.#trackHistory(fresh);
    this.#records.clear();
    const all: BoardChanges = new Map(COLLECTION_NAMES.map((name) => [name, new Set(this.#board.list(name).map((r) => r.id))]));
    this.#lists = emptyLists();
    this.#refresh(this.#board, all);
  }

  #swapPrivate(fresh: SyncedDoc): void {
    this.#private = fresh;
    this.#mine = this.#attachPrivate(fresh);
    this.#refreshDrafts();
  }

  /** Records by id per collection, so a change re-reads (and re-validates) only what it touched. */
  readonly #records = new Map<Collection, Map<string, { id: string; createdAt: number }>>();

  #refresh(board: Board, changes: BoardChanges): void {
    if (board !== this.#board) return; // a retired document still settling
    const next = { ...this.#lists };
    for (const [name, ids] of changes) {
      const byId = this.#records.get(name) ?? new Map<string, { id: string; createdAt: number }>();
      this.#records.set(name, byId);
      for (const id of ids) {
        const record = board.get(name, id);
        if (record) byId.set(id, record);
        else byId.delete(id);
      }
      // The same order as Board.list, so the screen and the exports agree.
      const sorted = [...byId.values()].sort(byCreation);
      (next as Record<Collection, unknown>)[name] = sorted;
    }
    this.#lists = next;
    for (const id of changes.get('notes') ?? []) this.#settleTyped(id);
  }

  #refreshDrafts(): void {
    if (!this.#mine) return;
    this.#storyDraft = this.#mine.storyDraft();
    this.#causeDrafts = this.#mine.causeDrafts();
    this.#cardDrafts = this.#mine.cardDrafts();
    const anonymous = this.#mine.anonymousNoteIds();
    if (anonymous.length !== this.#anonymousMine.size || anonymous.some((id) => !this.#anonymousMine.has(id))) this.#anonymousMine = new Set(anonymous);
    this.#putUpRevealedDrafts();
  }

  /**
   * Participants: drafts written offline after the reveal, or still held when
   * this device learns of it, go up once the control state says "revealed" in
   * a step run as silent writing then reveal. The server moved every draft it
   * had; this moves what only this device had.
   */
  #putUpRevealedDrafts(): void {
    const control = this.#control;
    // The step whose reveal command moves drafts onto the board (shared/protocol/steps.ts, effects).
    if (!this.#mine || !control?.revealed || STEPS[control.step].effects?.reveal !== 'revealDrafts') return;
    // Anonymous: the server reveals late drafts itself when they reach it (server/control/anonymousNotes.ts);
    // drafts that reached it just as the reveal was decided, it reveals when asked.
    if (control.anonymous) {
      if (this.#causeDrafts.length > 0 && this.#private?.pending === 0) this.#ask({ action: 'revealLate' });
      return;
    }
    // Not inside the drafts' observer, whose transaction is still settling.
    queueMicrotask(() => {
      const drafts = this.#causeDrafts;
      if (drafts.length === 0 || this.#control !== control) return;
      // A draft leaves the private document only once it is on the board: a full board keeps it here.
      const mine = this.#board;
      if (this.#guard(() => mine.revealDrafts(this.#automatic, this.actor, drafts)) === undefined) return;
      this.draft((mine, o) => mine.clearCauseDrafts(o, drafts.map((d) => d.id)));
    });
  }
}

function readBoard(doc: Y.Doc): Snapshot {
  const board = new Board(doc);
  return Object.fromEntries(COLLECTION_NAMES.map((name) => [name, board.list(name)]));
}

function readPrivate(doc: Y.Doc): Snapshot {
  const mine = new PrivateBoard(doc);
  const story = mine.storyDraft();
  return { storyDrafts: story ? [story] : [], causeDrafts: mine.causeDrafts() };
}

function emptyLists(): Lists {
  return Object.fromEntries(COLLECTION_NAMES.map((name) => [name, []])) as unknown as Lists;
}

export const [getBoard, setBoard] = createContext<LiveBoard>();
