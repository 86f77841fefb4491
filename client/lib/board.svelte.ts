import { getContext, setContext } from 'svelte';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { Board, BoardError, type BoardChanges, type BoardOrigin } from '../../shared/board/Board.ts';
import { PrivateBoard } from '../../shared/board/PrivateBoard.ts';
import { byCreation } from '../../shared/board/byCreation.ts';
import {
  COLLECTION_NAMES,
  privateDocName,
  type CauseDraft,
  type Collection,
  type RecordOf,
  type StoryDraft,
} from '../../shared/board/schema.ts';

export type SyncStatus = 'connecting' | 'connected' | 'disconnected';

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

/**
 * One synced Y.Doc: server sync plus (unless read-only) an IndexedDB copy for
 * offline work. It counts the changes made here that the server has not had
 * yet; the count lives in localStorage so it survives a reload while offline.
 */
class SyncedDoc {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  pending = $state(0);
  private readonly local: IndexeddbPersistence | null;
  private readonly pendingKey: string;

  constructor(name: string, token: string, keepLocalCopy: boolean) {
    this.pendingKey = `howmight.pending.${name}`;
    this.pending = Number(localStorage.getItem(this.pendingKey)) || 0;
    this.local = keepLocalCopy ? new IndexeddbPersistence(`howmight.${name}`, this.doc) : null;
    const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`;
    this.provider = new WebsocketProvider(wsBase, name, this.doc, { params: { token }, maxBackoffTime: 5000 });
    this.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      const local = typeof origin === 'object' && origin !== null && 'actor' in origin;
      if (!local || (navigator.onLine && this.provider.wsconnected && this.provider.synced)) return;
      this.pending++;
      localStorage.setItem(this.pendingKey, String(this.pending));
    });
    this.provider.on('sync', (synced: boolean) => {
      if (!synced) return;
      this.pending = 0;
      localStorage.removeItem(this.pendingKey);
    });
    this.watchNetwork();
  }

  /**
   * The browser says when the network goes: drop the socket at once rather than
   * write into a dead one, and on return reconnect, which runs a full sync both ways.
   */
  private readonly onOffline = () => this.provider.disconnect();
  private readonly onOnline = () => {
    this.provider.disconnect();
    this.provider.connect();
  };

  watchNetwork(): void {
    addEventListener('offline', this.onOffline);
    addEventListener('online', this.onOnline);
    if (!navigator.onLine) this.onOffline();
  }

  /** Forgets this device's copy (the session was deleted). */
  async forget(): Promise<void> {
    localStorage.removeItem(this.pendingKey);
    await this.local?.clearData();
  }

  destroy(): void {
    removeEventListener('offline', this.onOffline);
    removeEventListener('online', this.onOnline);
    this.provider.destroy();
    void this.local?.destroy();
    this.doc.destroy();
  }
}

/**
 * The one bridge between the board documents and Svelte. It exposes every
 * collection as reactive lists and runs Board commands for components, which
 * never touch yjs themselves.
 */
export class LiveBoard {
  lists = $state.raw<Lists>(emptyLists());
  storyDraft = $state.raw<StoryDraft | null>(null);
  causeDrafts = $state.raw<CauseDraft[]>([]);
  status = $state<SyncStatus>('connecting');
  synced = $state(false);
  error = $state<string | null>(null);
  /** The last command's refusal (a full board, a text too long), for the UI to show. */
  refusal = $state<string | null>(null);

  readonly actor: string;
  readonly readOnly: boolean;
  readonly origin: BoardOrigin;
  private readonly shared: SyncedDoc;
  private readonly privateDoc: SyncedDoc | null;
  private readonly board: Board;
  private readonly mine: PrivateBoard | null;
  private readonly cleanups: Array<() => void> = [];

  constructor({ sessionId, token, actor, readOnly, participantId }: LiveBoardOptions) {
    this.actor = actor;
    this.readOnly = readOnly;
    this.origin = { actor };
    this.shared = new SyncedDoc(sessionId, token, !readOnly);
    this.board = new Board(this.shared.doc);
    this.cleanups.push(this.board.observe((changes) => this.refresh(changes)));

    const provider = this.shared.provider;
    provider.on('status', ({ status }) => (this.status = status));
    provider.on('sync', (synced: boolean) => {
      this.synced = synced;
      if (synced) this.error = null;
    });
    provider.on('connection-close', (event) => {
      if (event?.code === 4500) this.error = 'This board could not be loaded from the server. Your own copy is kept.';
      if (event?.code === 4410) void this.forgetEverything();
      // The server refused a change: say why. The provider stops retrying after this close.
      if (event?.code === 4400) this.error = `${event.reason || 'A change was refused by the server.'} Reload the page to carry on.`;
      if (event?.code === 4429) this.error = 'Too many changes at once: slow down a moment. Reconnecting…';
    });

    if (participantId) {
      this.privateDoc = new SyncedDoc(privateDocName(sessionId, participantId), token, true);
      this.mine = new PrivateBoard(this.privateDoc.doc);
      this.cleanups.push(this.mine.observe(() => this.refreshDrafts()));
    } else {
      this.privateDoc = null;
      this.mine = null;
    }
  }

  get notes() {
    return this.lists.notes;
  }

  /** Changes made on this device that have not reached the server yet. */
  get pending(): number {
    return this.shared.pending + (this.privateDoc?.pending ?? 0);
  }

  /** The session was deleted: stop syncing and drop this device's copies, so nothing can bring it back. */
  async forgetEverything(): Promise<void> {
    this.error = 'This session was deleted. Its board is gone from this device too.';
    this.shared.provider.disconnect();
    this.privateDoc?.provider.disconnect();
    await Promise.all([this.shared.forget(), this.privateDoc?.forget()]);
  }

  /** Runs a Board command as this browser's actor; a refusal is shown, not thrown. */
  act<T>(command: (board: Board, origin: BoardOrigin) => T): T | undefined {
    return this.guard(() => command(this.board, this.origin));
  }

  /** Runs a command on this participant's private drafts. */
  draft<T>(command: (mine: PrivateBoard, origin: BoardOrigin) => T): T | undefined {
    const mine = this.mine;
    if (!mine) return undefined;
    return this.guard(() => command(mine, this.origin));
  }

  isMine(record: { authorId: string }): boolean {
    return record.authorId === this.actor;
  }

  // Shorthands the sticky-note board uses.
  addNote(input: Parameters<Board['addNote']>[1]): string | undefined {
    return this.act((b, o) => b.addNote(o, input));
  }
  editNote(id: string, text: string): void {
    this.act((b, o) => b.editNote(o, id, text));
  }
  moveNote(id: string, x: number, y: number): void {
    this.act((b, o) => b.moveNote(o, id, x, y));
  }
  deleteNote(id: string): void {
    this.act((b, o) => b.deleteNote(o, id));
  }

  destroy(): void {
    for (const cleanup of this.cleanups) cleanup();
    this.shared.destroy();
    this.privateDoc?.destroy();
  }

  private guard<T>(fn: () => T): T | undefined {
    try {
      this.refusal = null;
      return fn();
    } catch (err) {
      if (!(err instanceof BoardError)) throw err;
      this.refusal = err.message;
      return undefined;
    }
  }

  /** Records by id per collection, so a change re-reads (and re-validates) only what it touched. */
  private readonly records = new Map<Collection, Map<string, { id: string; createdAt: number }>>();

  private refresh(changes: BoardChanges): void {
    const next = { ...this.lists };
    for (const [name, ids] of changes) {
      const byId = this.records.get(name) ?? new Map<string, { id: string; createdAt: number }>();
      this.records.set(name, byId);
      for (const id of ids) {
        const record = this.board.get(name, id);
        if (record) byId.set(id, record);
        else byId.delete(id);
      }
      // The same order as Board.list, so the screen and the exports agree.
      const sorted = [...byId.values()].sort(byCreation);
      (next as Record<Collection, unknown>)[name] = sorted;
    }
    this.lists = next;
  }

  private refreshDrafts(): void {
    if (!this.mine) return;
    this.storyDraft = this.mine.storyDraft();
    this.causeDrafts = this.mine.causeDrafts();
  }
}

function emptyLists(): Lists {
  return Object.fromEntries(COLLECTION_NAMES.map((name) => [name, []])) as unknown as Lists;
}

const KEY = Symbol('board');
export const setBoard = (board: LiveBoard) => setContext(KEY, board);
export const getBoard = () => getContext<LiveBoard>(KEY);
