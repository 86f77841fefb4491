import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { Board, type BoardOrigin } from '../shared/board/Board.ts';
import type { Note } from '../shared/board/schema.ts';
import { yjsProtocols } from '../shared/yjsProtocols.ts';

/** Counts frames a group of clients receives from the server. */
export class FrameCounter {
  frames = 0;
  /** Frames by y-websocket message type (0 sync, 1 awareness, …). */
  byType = new Map<number, number>();
  count(data: WebSocket.RawData): void {
    this.frames++;
    const first = Buffer.isBuffer(data) ? data[0] : Array.isArray(data) ? data[0]?.[0] : new Uint8Array(data)[0];
    const type = first ?? -1;
    this.byType.set(type, (this.byType.get(type) ?? 0) + 1);
  }
  reset(): void {
    this.frames = 0;
    this.byType.clear();
  }
}

type Polyfill = NonNullable<ConstructorParameters<typeof WebsocketProvider>[3]>['WebSocketPolyfill'];

/** The `ws` WebSocket, optionally counting every frame it receives. */
function webSocketClass(counter?: FrameCounter): Polyfill {
  if (!counter) return WebSocket as unknown as Polyfill;
  const frames = counter;
  class CountingWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.on('message', (data) => frames.count(data));
    }
  }
  return CountingWebSocket as unknown as Polyfill;
}

/** Calls `callback` with the ids of notes each remote transaction on `doc` touched, found without knowing the document's map names. */
export function onRemoteNoteChange(doc: Y.Doc, callback: (ids: Set<string>) => void): void {
  doc.on('afterTransaction', (tx: Y.Transaction) => {
    if (tx.local) return;
    const ids = new Set<string>();
    for (const [type, keys] of tx.changed) {
      const parentKey = type._item?.parentSub;
      if (parentKey) ids.add(parentKey);
      else for (const key of keys) if (key !== null) ids.add(key);
    }
    if (ids.size > 0) callback(ids);
  });
}

export interface ClientOptions {
  /** ws://host/yjs (ours) or ws://host (reference) */
  yjsUrl: string;
  room: string;
  token?: string;
  /** Connect socket.io too (ours only), with the same token. */
  socketIoUrl?: string;
  counter?: FrameCounter;
  /** Counts engine.io packets (including pings) the socket.io connection receives. */
  ioCounter?: { packets: number };
  actor?: string;
  awarenessState?: Record<string, unknown>;
  doc?: Y.Doc;
}

/** One participant as the bench sees it: a stock y-websocket provider, a Board, and a socket.io connection. */
export class BenchClient {
  readonly doc: Y.Doc;
  readonly board: Board;
  readonly provider: WebsocketProvider;
  readonly origin: BoardOrigin;
  socket: Socket | null = null;
  private synced: Promise<void>;

  constructor(readonly options: ClientOptions) {
    this.doc = options.doc ?? new Y.Doc();
    this.board = new Board(this.doc);
    this.origin = { actor: options.actor ?? `bench-${this.doc.clientID}` };
    this.provider = new WebsocketProvider(options.yjsUrl, options.room, this.doc, {
      protocols: options.token ? yjsProtocols(options.token) : [],
      // A label for nginx's access log, which says which process took each socket (bench/cluster.ts); no secret.
      params: { actor: this.origin.actor },
      WebSocketPolyfill: webSocketClass(options.counter),
      disableBc: true,
      maxBackoffTime: 1000,
    });
    if (options.awarenessState) this.provider.awareness.setLocalState(options.awarenessState);
    this.synced = new Promise<void>((resolve) => {
      if (this.provider.synced) return resolve();
      const onSync = (isSynced: boolean) => {
        if (!isSynced) return;
        this.provider.off('sync', onSync);
        resolve();
      };
      this.provider.on('sync', onSync);
    });
    if (options.socketIoUrl && options.token) {
      this.socket = io(options.socketIoUrl, {
        auth: { token: options.token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      const ioCounter = options.ioCounter;
      if (ioCounter) {
        const manager = this.socket.io;
        manager.on('open', () => manager.engine.on('packet', () => ioCounter.packets++));
      }
    }
  }

  /** Resolves once the document is synced (and socket.io has said welcome, if used). */
  async ready(timeoutMs = 30_000): Promise<void> {
    const waits: Array<Promise<unknown>> = [this.synced];
    const socket = this.socket;
    if (socket) {
      waits.push(
        new Promise<void>((resolve, reject) => {
          socket.once('welcome', () => resolve());
          socket.once('connect_error', (err) => reject(err));
        }),
      );
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`client for ${this.options.room} not ready after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([Promise.all(waits), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  addNote(text: string, x: number, y: number): string {
    return this.board.addNote(this.origin, { text, x, y });
  }

  note(id: string): Note | null {
    return this.board.note(id);
  }

  /** Ids of notes touched by remote transactions, found without knowing the document's map names. */
  onRemoteNoteChange(callback: (ids: Set<string>) => void): void {
    onRemoteNoteChange(this.doc, callback);
  }

  close(): void {
    this.socket?.disconnect();
    this.provider.destroy();
    this.doc.destroy();
  }
}
