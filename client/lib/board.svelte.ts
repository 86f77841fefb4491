import { getContext, setContext } from 'svelte';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { Board, type BoardOrigin } from '../../shared/board/Board.ts';
import type { NewNote, Note } from '../../shared/board/schema.ts';

export type SyncStatus = 'connecting' | 'connected' | 'disconnected';

export interface LiveBoardOptions {
  sessionId: string;
  token: string;
  /** Who edits from this browser (participant id, or 'facilitator'). */
  actor: string;
  readOnly: boolean;
}

/**
 * The one bridge between the board document and Svelte: connects the Y.Doc
 * (server sync, and an IndexedDB copy so work survives being offline), and
 * exposes the records as reactive state. Components use this, never yjs.
 */
export class LiveBoard {
  notes = $state.raw<Note[]>([]);
  status = $state<SyncStatus>('connecting');
  synced = $state(false);
  /** True once the local IndexedDB copy is loaded (or there is none). */
  localReady = $state(false);
  error = $state<string | null>(null);

  readonly actor: string;
  readonly readOnly: boolean;
  private readonly doc = new Y.Doc();
  private readonly board = new Board(this.doc);
  private readonly origin: BoardOrigin;
  private readonly provider: WebsocketProvider;
  private readonly local: IndexeddbPersistence | null;
  private readonly byId = new Map<string, Note>();
  private readonly unobserve: () => void;

  constructor({ sessionId, token, actor, readOnly }: LiveBoardOptions) {
    this.actor = actor;
    this.readOnly = readOnly;
    this.origin = { actor };
    this.unobserve = this.board.observe(({ notes }) => this.refresh(notes));
    this.local = readOnly ? null : new IndexeddbPersistence(`howmight.${sessionId}`, this.doc);
    if (this.local) void this.local.whenSynced.then(() => (this.localReady = true));
    else this.localReady = true;

    const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`;
    this.provider = new WebsocketProvider(wsBase, sessionId, this.doc, { params: { token }, maxBackoffTime: 5000 });
    this.provider.on('status', ({ status }) => (this.status = status));
    this.provider.on('sync', (synced: boolean) => {
      this.synced = synced;
      if (synced) this.error = null;
    });
    this.provider.on('connection-close', (event) => {
      if (event?.code === 4500) this.error = 'This board could not be loaded from the server. Your own copy is kept.';
      if (event?.code === 4410) this.error = 'This session was deleted.';
    });
  }

  addNote(input: NewNote): string {
    return this.board.addNote(this.origin, input);
  }

  editNote(id: string, text: string): void {
    this.board.editNote(this.origin, id, text);
  }

  moveNote(id: string, x: number, y: number): void {
    this.board.moveNote(this.origin, id, x, y);
  }

  deleteNote(id: string): void {
    this.board.deleteNote(this.origin, id);
  }

  isMine(note: Note): boolean {
    return note.authorId === this.actor;
  }

  destroy(): void {
    this.unobserve();
    this.provider.destroy();
    void this.local?.destroy();
    this.doc.destroy();
  }

  private refresh(ids: Iterable<string>): void {
    for (const id of ids) {
      const note = this.board.note(id);
      if (note) this.byId.set(id, note);
      else this.byId.delete(id);
    }
    this.notes = [...this.byId.values()].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }
}

const KEY = Symbol('board');
export const setBoard = (board: LiveBoard) => setContext(KEY, board);
export const getBoard = () => getContext<LiveBoard>(KEY);
