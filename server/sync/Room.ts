import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import { COLLECTIONS, LIMITS, PRIVATE_COLLECTIONS } from '../../shared/board/schema.ts';
import type { Store } from '../store/Store.ts';
import { UpdateValidator } from './UpdateValidator.ts';
import { encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate, MESSAGE, SYNC } from './messages.ts';

export interface RoomOptions {
  /** Compact the update log into a snapshot once it holds this many rows. */
  compactAfter: number;
  /** How long awareness changes wait to be sent together. */
  awarenessBatchMs: number;
  /** How long pure keep-alive renewals of awareness wait (must stay well under 30 s). */
  awarenessRenewalMs: number;
  /**
   * Largest awareness message accepted. Presence is a name, a colour and a
   * cursor (well under 1 KiB), and every accepted message is relayed to the
   * whole room, so a large one would be multiplied by every reader.
   */
  maxAwarenessBytes: number;
}

export const DEFAULT_ROOM_OPTIONS: RoomOptions = {
  compactAfter: 500,
  awarenessBatchMs: 50,
  awarenessRenewalMs: 10_000,
  maxAwarenessBytes: 16 * 1024,
};

interface Connection {
  readOnly: boolean;
  /** When the server last sent this socket a message (ms). */
  lastSent: number;
  /** Awareness client ids this connection has announced, removed when it leaves. */
  awarenessIds: Set<number>;
  alive: boolean;
}

export class RoomLoadError extends Error {}

/** A frame this room will not accept; the connection that sent it is closed. */
export class BadMessageError extends Error {}

/** A well-formed update whose result breaks the board's schema or limits; the message says why. */
export class RejectedUpdateError extends BadMessageError {}

/**
 * One live document: the Y.Doc, its awareness, and the sockets syncing it.
 * Every update a writer sends is appended to the store before it is relayed,
 * so nothing anyone has seen can be lost to a crash.
 */
export class Room {
  readonly doc = new Y.Doc();
  readonly awareness: awarenessProtocol.Awareness;
  private readonly conns = new Map<WebSocket, Connection>();
  private logRows: number;
  private pendingAwareness = new Set<number>();
  private awarenessTimer: NodeJS.Timeout | null = null;
  private awarenessTimerDue = 0;
  private destroyed = false;
  private readonly validator: UpdateValidator;

  constructor(
    readonly name: string,
    readonly sessionId: string,
    private readonly store: Store,
    private readonly options: RoomOptions = DEFAULT_ROOM_OPTIONS,
  ) {
    const stored = store.loadDoc(name);
    try {
      Y.transact(this.doc, () => {
        if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot);
        for (const update of stored.updates) Y.applyUpdate(this.doc, update);
      });
      // The log only ever holds integrated updates, in order: anything left
      // waiting for missing pieces means the stored bytes are damaged, and
      // compacting this partial document would overwrite what is still there.
      if (this.doc.store.pendingStructs || this.doc.store.pendingDs) throw new Error('the stored updates do not fit together');
    } catch (err) {
      this.doc.destroy();
      throw new RoomLoadError(`Stored document ${name} could not be read: ${(err as Error).message}`);
    }
    this.logRows = stored.updates.length;
    const schemas = name === sessionId ? COLLECTIONS : PRIVATE_COLLECTIONS;
    this.validator = new UpdateValidator(this.doc, schemas, LIMITS.itemsPerBoard);
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.awareness.setLocalState(null);
    this.doc.on('update', this.onDocUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  add(ws: WebSocket, readOnly: boolean): void {
    this.conns.set(ws, { readOnly, awarenessIds: new Set(), alive: true, lastSent: Date.now() });
    this.send(ws, encodeSyncStep1(this.doc));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) this.send(ws, encodeAwareness(this.awareness, states));
  }

  remove(ws: WebSocket): void {
    const conn = this.conns.get(ws);
    if (!conn) return;
    this.conns.delete(ws);
    if (conn.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessIds], null);
    }
  }

  /** Handles one frame from a socket; throws BadMessageError on anything malformed. */
  receive(ws: WebSocket, data: Uint8Array): void {
    const conn = this.conns.get(ws);
    if (!conn) return;
    try {
      const decoder = decoding.createDecoder(data);
      const type = decoding.readVarUint(decoder);
      switch (type) {
        case MESSAGE.sync:
          this.receiveSync(ws, conn, decoder);
          break;
        case MESSAGE.awareness: {
          const update = decoding.readVarUint8Array(decoder);
          if (update.length > this.options.maxAwarenessBytes) throw new RejectedUpdateError('Presence message too large.');
          if (!conn.readOnly) awarenessProtocol.applyAwarenessUpdate(this.awareness, update, ws);
          break;
        }
        case MESSAGE.queryAwareness:
          this.send(ws, encodeAwareness(this.awareness, [...this.awareness.getStates().keys()]));
          break;
        case MESSAGE.auth:
          break;
        default:
          throw new BadMessageError(`unknown message type ${type}`);
      }
    } catch (err) {
      if (err instanceof BadMessageError) throw err;
      throw new BadMessageError((err as Error).message || 'malformed message');
    }
  }

  private receiveSync(ws: WebSocket, conn: Connection, decoder: decoding.Decoder): void {
    const subtype = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    switch (subtype) {
      case SYNC.step1:
        this.send(ws, encodeSyncStep2(this.doc, payload));
        break;
      case SYNC.step2:
      case SYNC.update:
        // A read-only link (the projector) still receives everything but never writes.
        if (conn.readOnly) break;
        {
          const problem = this.validator.check(payload);
          if (problem) throw new RejectedUpdateError(`Update refused: ${problem}`);
        }
        Y.applyUpdate(this.doc, payload, ws);
        break;
      default:
        throw new BadMessageError(`unknown sync message ${subtype}`);
    }
  }

  /**
   * Terminates sockets that did not answer the last ping, pings the rest, and
   * sends an empty awareness message to any socket the room has been quiet to:
   * y-websocket clients reconnect after 30 s without a message, and a projector
   * alone on a board would otherwise hear nothing.
   */
  heartbeat(quietMs: number): void {
    const now = Date.now();
    let keepAlive: Uint8Array | null = null;
    for (const [ws, conn] of this.conns) {
      if (!conn.alive) {
        ws.terminate();
        continue;
      }
      conn.alive = false;
      ws.ping();
      if (now - conn.lastSent >= quietMs) this.send(ws, (keepAlive ??= encodeAwareness(this.awareness, [])));
    }
  }

  pong(ws: WebSocket): void {
    const conn = this.conns.get(ws);
    if (conn) conn.alive = true;
  }

  /** Writes the whole document as one snapshot and clears the update log. */
  compact(): void {
    if (this.destroyed || this.logRows === 0) return;
    this.store.compactDoc(this.sessionId, this.name, Y.encodeStateAsUpdate(this.doc));
    this.logRows = 0;
  }

  /** Closes every socket with the given code and frees the document. */
  destroy(code = 1001, reason = 'room closed'): void {
    if (this.destroyed) return;
    this.flushAwareness();
    this.destroyed = true;
    for (const ws of this.conns.keys()) ws.close(code, reason);
    this.conns.clear();
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer);
    this.awareness.destroy();
    this.validator.destroy();
    this.doc.destroy();
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    // Updates from a socket went through the shadow already; server edits (the reveal) did not.
    if (!this.conns.has(origin as WebSocket)) this.validator.follow(update);
    this.store.appendUpdate(this.sessionId, this.name, update);
    this.logRows++;
    const message = encodeUpdate(update);
    for (const ws of this.conns.keys()) if (ws !== origin) this.send(ws, message);
    if (this.logRows >= this.options.compactAfter) this.compact();
  };

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const conn = typeof origin === 'object' && origin !== null ? this.conns.get(origin as WebSocket) : undefined;
    if (conn) {
      for (const id of added) conn.awarenessIds.add(id);
      for (const id of removed) conn.awarenessIds.delete(id);
    }
    // Every updated client's state is compared (no short-circuit), so each one's last state is on record.
    let changed = removed.length > 0;
    for (const id of [...added, ...updated]) if (this.pendingIsRealChange(id)) changed = true;
    for (const id of [...added, ...updated, ...removed]) this.pendingAwareness.add(id);
    // Real changes (cursors, names, joins) go out within a few tens of ms; pure
    // keep-alive renewals are gathered so an idle room stays quiet.
    this.scheduleAwareness(changed ? this.options.awarenessBatchMs : this.options.awarenessRenewalMs);
  };

  private lastAwarenessJson = new Map<number, string>();

  private pendingIsRealChange(clientId: number): boolean {
    const json = JSON.stringify(this.awareness.getStates().get(clientId) ?? null);
    if (this.lastAwarenessJson.get(clientId) === json) return false;
    this.lastAwarenessJson.set(clientId, json);
    return true;
  }

  private scheduleAwareness(delay: number): void {
    const due = Date.now() + delay;
    if (this.awarenessTimer && this.awarenessTimerDue <= due) return;
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer);
    this.awarenessTimerDue = due;
    this.awarenessTimer = setTimeout(() => this.flushAwareness(), delay);
  }

  private flushAwareness(): void {
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer);
    this.awarenessTimer = null;
    if (this.pendingAwareness.size === 0 || this.destroyed) return;
    const clients = [...this.pendingAwareness];
    this.pendingAwareness.clear();
    for (const id of clients) if (!this.awareness.getStates().has(id)) this.lastAwarenessJson.delete(id);
    const message = encodeAwareness(this.awareness, clients);
    for (const ws of this.conns.keys()) this.send(ws, message);
  }

  private send(ws: WebSocket, message: Uint8Array): void {
    if (ws.readyState !== ws.OPEN) return;
    const conn = this.conns.get(ws);
    if (conn) conn.lastSent = Date.now();
    ws.send(message, (err) => {
      if (err) this.remove(ws);
    });
  }
}
