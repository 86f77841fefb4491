import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { Board, type BoardOrigin } from '../shared/board/Board.ts';
import type { Note } from '../shared/board/schema.ts';
import { onRemoteNoteChange } from './clients.ts';
import type { LiveClient } from './liveLoad.ts';

/**
 * A minimal Hocuspocus client: one document over one `ws` socket, for the
 * cluster benchmark (@hocuspocus/provider is not installed, and the stock
 * y-websocket provider cannot speak this protocol). Hocuspocus frames every
 * message as varString(document name) ‖ varUint(type) ‖ body, and a document
 * opens only after an Auth message; read from @hocuspocus/server 3.4.4
 * (ClientConnection.ts, MessageReceiver.ts, OutgoingMessage.ts) and
 * @hocuspocus/common (auth.ts):
 * - on open: Auth (2), Token (0), varString(token), here empty (the bench
 *   server has no onAuthenticate hook), then Sync (0) with SyncStep1;
 * - the server answers Authenticated, its SyncStep2 (as Sync) and its own
 *   SyncStep1 (as SyncReply, 4), which gets our SyncStep2; synced once the
 *   server's SyncStep2 has been applied;
 * - local updates go out as Sync with a y-protocols Update; the server's
 *   SyncStatus (8) acknowledgements and Awareness (1) messages are ignored.
 * No awareness, no reconnect.
 */
const MESSAGE = { Sync: 0, Awareness: 1, Auth: 2, SyncReply: 4, Close: 7, SyncStatus: 8 } as const;
const AUTH = { Token: 0, PermissionDenied: 1, Authenticated: 2 } as const;

export interface HocuspocusClientOptions {
  /** ws://host:port/any/path?query: Hocuspocus takes any path; the query shows in nginx's access log. */
  url: string;
  /** The document name. */
  room: string;
  actor: string;
}

export class HocuspocusClient implements LiveClient {
  readonly doc = new Y.Doc();
  readonly board = new Board(this.doc);
  readonly origin: BoardOrigin;
  private readonly ws: WebSocket;
  private readonly pending: Uint8Array[] = [];
  private synced = false;
  private authenticated = false;
  private readonly waiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = [];
  private failure: Error | null = null;

  constructor(readonly options: HocuspocusClientOptions) {
    this.origin = { actor: options.actor };
    this.ws = new WebSocket(options.url);
    this.ws.binaryType = 'nodebuffer';
    this.ws.on('open', () => {
      this.ws.send(this.frame(MESSAGE.Auth, (e) => {
        encoding.writeVarUint(e, AUTH.Token);
        encoding.writeVarString(e, '');
      }));
      this.ws.send(this.frame(MESSAGE.Sync, (e) => syncProtocol.writeSyncStep1(e, this.doc)));
      for (const message of this.pending.splice(0)) this.ws.send(message);
    });
    this.ws.on('message', (data: Buffer) => this.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)));
    this.ws.on('error', (err) => this.fail(err));
    this.ws.on('close', (code, reason) => this.fail(new Error(`${options.room}: socket closed (${code} ${reason.toString()})`)));
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this) return;
      this.send(this.frame(MESSAGE.Sync, (e) => syncProtocol.writeUpdate(e, update)));
    });
  }

  private frame(type: number, body: (encoder: encoding.Encoder) => void): Uint8Array {
    const encoder = encoding.createEncoder();
    encoding.writeVarString(encoder, this.options.room);
    encoding.writeVarUint(encoder, type);
    body(encoder);
    return encoding.toUint8Array(encoder);
  }

  private send(message: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(message);
    else if (this.ws.readyState === WebSocket.CONNECTING) this.pending.push(message);
  }

  private receive(data: Uint8Array): void {
    const decoder = decoding.createDecoder(data);
    decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE.Sync || type === MESSAGE.SyncReply) {
      const reply = encoding.createEncoder();
      encoding.writeVarString(reply, this.options.room);
      encoding.writeVarUint(reply, MESSAGE.Sync);
      const empty = encoding.length(reply);
      const syncType = syncProtocol.readSyncMessage(decoder, reply, this.doc, this);
      if (encoding.length(reply) > empty) this.send(encoding.toUint8Array(reply));
      if (syncType === syncProtocol.messageYjsSyncStep2) {
        this.synced = true;
        this.settle();
      }
    } else if (type === MESSAGE.Auth) {
      const auth = decoding.readVarUint(decoder);
      if (auth === AUTH.Authenticated) {
        this.authenticated = true;
        this.settle();
      } else if (auth === AUTH.PermissionDenied) {
        this.fail(new Error(`${this.options.room}: permission denied: ${decoding.readVarString(decoder)}`));
      }
    } else if (type === MESSAGE.Close) {
      this.fail(new Error(`${this.options.room}: closed by the server: ${decoding.readVarString(decoder)}`));
    }
  }

  private settle(): void {
    if (!this.synced || !this.authenticated) return;
    for (const w of this.waiters.splice(0)) w.resolve();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiters.splice(0)) w.reject(err);
  }

  /** Resolves once authenticated and synced. */
  async ready(timeoutMs = 30_000): Promise<void> {
    if (this.synced && this.authenticated) return;
    if (this.failure) throw this.failure;
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        this.waiters.push({ resolve, reject });
        timer = setTimeout(() => reject(new Error(`Hocuspocus client for ${this.options.room} not ready after ${timeoutMs} ms`)), timeoutMs);
      });
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

  onRemoteNoteChange(callback: (ids: Set<string>) => void): void {
    onRemoteNoteChange(this.doc, callback);
  }

  close(): void {
    this.failure ??= new Error('closed');
    this.ws.close();
    this.doc.destroy();
  }
}
