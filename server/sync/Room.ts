import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { WebSocket } from 'ws';
import { COLLECTIONS, LIMITS, PRIVATE_COLLECTIONS } from '../../shared/board/schema.ts';
import { BOARD_RULES, MAX_DOC_BYTES, PRIVATE_RULES, STEP_GRACE_MS } from '../../shared/board/writeRules.ts';
import { CLOSE } from '../../shared/closeCodes.ts';
import { TokenBucket } from '../limits/TokenBucket.ts';
import type { Store } from '../store/Store.ts';
import { AppendQueue } from './AppendQueue.ts';
import { DEFAULT_SCAN_LIMITS, type ScanLimits } from './scanUpdate.ts';
import { WriteGuard, WriteRefusal, type GuardContext, type Writer } from './WriteGuard.ts';
import { encodeAwareness, encodeSyncStep1, encodeSyncStep2, encodeUpdate, MESSAGE, SYNC } from './messages.ts';

export interface RoomOptions {
  /** Compact the update log into a snapshot once it holds this many rows. */
  compactAfter: number;
  /**
   * Largest presence (awareness) message read. Nobody's presence is relayed:
   * the app shows none, and each relayed state would be multiplied by every
   * reader; the message is still read (stock clients send one) and dropped.
   */
  maxAwarenessBytes: number;
  /** Per-connection budget of server time spent checking and applying its updates. */
  cpuMsPerSecond: number;
  cpuBurstMs: number;
  /** Most bytes a document may hold in storage (shared/board/writeRules.ts). */
  maxDocBytes: number;
  scanLimits: ScanLimits;
  /** How long a step still takes participants' writes after the facilitator moved on. */
  stepGraceMs: number;
}

export const DEFAULT_ROOM_OPTIONS: RoomOptions = {
  compactAfter: 500,
  maxAwarenessBytes: 1024,
  cpuMsPerSecond: 100,
  cpuBurstMs: 1000,
  maxDocBytes: MAX_DOC_BYTES,
  scanLimits: DEFAULT_SCAN_LIMITS,
  stepGraceMs: STEP_GRACE_MS,
};

/** What one connection may do, from its token. */
export interface ConnectionGrant {
  /** The projector: receives everything, writes nothing. */
  readOnly: boolean;
  writer: Writer;
  /** The token's public id: connections are counted and evicted per token. */
  tokenId: string;
  /** Facilitator and projector connections may use the slots kept for them. */
  reserved: boolean;
}

interface Connection extends ConnectionGrant {
  /** When the server last sent this socket a message (ms). */
  lastSent: number;
  alive: boolean;
  openedAt: number;
  cpu: TokenBucket;
}

export class RoomLoadError extends Error {}

/** A frame this room will not accept; the connection that sent it is closed. */
export class BadMessageError extends Error {}

/** A well-formed update its writer may not make; the message says why. */
export class RejectedUpdateError extends BadMessageError {}

/** A connection that spent its budget of server time. */
export class OverBudgetError extends Error {}

/**
 * One live document: the Y.Doc, its awareness, and the sockets syncing it.
 * Every update a writer sends is appended to the store before it is relayed,
 * so nothing anyone has seen can be lost to a crash.
 */
export class Room {
  readonly doc = new Y.Doc();
  /** Kept empty: presence is not relayed (see RoomOptions.maxAwarenessBytes). */
  readonly awareness: awarenessProtocol.Awareness;
  private readonly conns = new Map<WebSocket, Connection>();
  private logRows: number;
  /** Bytes the document takes in storage: the snapshot plus the log since. */
  private storedBytes: number;
  private destroyed = false;
  private readonly guard: WriteGuard;
  private readonly keepAlive: Uint8Array;

  constructor(
    readonly name: string,
    readonly sessionId: string,
    private readonly store: Store,
    private readonly options: RoomOptions = DEFAULT_ROOM_OPTIONS,
    private readonly context: () => GuardContext = () => ({ control: null, now: Date.now() }),
    /** Shared by every room of the process, so one commit covers a whole turn's updates. */
    private readonly appends: AppendQueue = new AppendQueue(store),
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
    this.storedBytes = (stored.snapshot?.length ?? 0) + stored.updates.reduce((n, u) => n + u.length, 0);
    const shared = name === sessionId;
    this.guard = new WriteGuard(this.doc, {
      schemas: shared ? COLLECTIONS : PRIVATE_COLLECTIONS,
      rules: shared ? BOARD_RULES : PRIVATE_RULES,
      shared,
      itemCap: LIMITS.itemsPerBoard,
    }, options.scanLimits);
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.awareness.setLocalState(null);
    this.keepAlive = encodeAwareness(this.awareness, []);
    this.doc.on('update', this.onDocUpdate);
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  /** Connections open with this token, oldest first. */
  connectionsOf(tokenId: string): WebSocket[] {
    return [...this.conns].filter(([, c]) => c.tokenId === tokenId).sort((a, b) => a[1].openedAt - b[1].openedAt).map(([ws]) => ws);
  }

  /** Connections that do not use the reserved slots. */
  get ordinaryCount(): number {
    let n = 0;
    for (const conn of this.conns.values()) if (!conn.reserved) n++;
    return n;
  }

  add(ws: WebSocket, grant: ConnectionGrant): void {
    const now = Date.now();
    this.conns.set(ws, {
      ...grant,
      alive: true,
      lastSent: now,
      openedAt: now,
      cpu: new TokenBucket(this.options.cpuMsPerSecond, this.options.cpuBurstMs),
    });
    this.send(ws, encodeSyncStep1(this.doc));
  }

  remove(ws: WebSocket): void {
    this.conns.delete(ws);
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
          break;
        }
        case MESSAGE.queryAwareness:
          this.send(ws, this.keepAlive);
          break;
        case MESSAGE.auth:
          break;
        default:
          throw new BadMessageError(`unknown message type ${type}`);
      }
    } catch (err) {
      if (err instanceof BadMessageError || err instanceof OverBudgetError) throw err;
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
        this.write(ws, conn, payload);
        break;
      default:
        throw new BadMessageError(`unknown sync message ${subtype}`);
    }
  }

  /** Checks an update against the writer's rights, applies it, and puts right anything it left broken. */
  private write(ws: WebSocket, conn: Connection, update: Uint8Array): void {
    const started = performance.now();
    const persistedBefore = this.persistMs;
    let refusal: unknown = null;
    try {
      let writes;
      try {
        writes = this.guard.check(update, conn.writer, { ...this.context(), stepGraceMs: this.options.stepGraceMs });
      } catch (err) {
        if (err instanceof WriteRefusal) throw new RejectedUpdateError(`Update refused: ${err.message}`);
        throw err;
      }
      if (writes.length === 0 && update.length <= 2) return;
      if (this.storedBytes + update.length > this.options.maxDocBytes && writes.some((w) => w.fields.size > 0 || w.created)) {
        // The log counts every edit; a snapshot holds only what is live. Compact once before saying no.
        this.compact();
        if (this.storedBytes + update.length > this.options.maxDocBytes) {
          throw new RejectedUpdateError(`Update refused: the board holds at most ${Math.round(this.options.maxDocBytes / 1_048_576)} MB`);
        }
      }
      const before = this.guard.snapshot(writes);
      Y.applyUpdate(this.doc, update, ws);
      if (this.doc.store.pendingStructs || this.doc.store.pendingDs) {
        // The guard refuses updates with missing pieces; this is a second net, never reached in tests.
        this.doc.store.pendingStructs = null;
        this.doc.store.pendingDs = null;
        throw new RejectedUpdateError('Update refused: it builds on changes this server never received');
      }
      const undone = this.guard.verify(writes, before, SERVER_REPAIR);
      if (undone) throw new RejectedUpdateError(`Update refused: ${undone}`);
    } catch (err) {
      refusal = err;
    }
    // Refused or not, the time was spent on this connection's behalf; storing and relaying are not its doing.
    const withinBudget = conn.cpu.spend(performance.now() - started - (this.persistMs - persistedBefore));
    if (refusal) throw refusal;
    if (!withinBudget) throw new OverBudgetError('Too much work from this connection; slow down.');
  }

  /**
   * Terminates sockets that did not answer the last ping, pings the rest, and
   * sends an empty awareness message to any socket the room has been quiet to:
   * y-websocket clients reconnect after 30 s without a message, and a projector
   * alone on a board would otherwise hear nothing.
   */
  heartbeat(quietMs: number): void {
    const now = Date.now();
    for (const [ws, conn] of this.conns) {
      if (!conn.alive) {
        ws.terminate();
        continue;
      }
      conn.alive = false;
      ws.ping();
      if (now - conn.lastSent >= quietMs) this.send(ws, this.keepAlive);
    }
  }

  pong(ws: WebSocket): void {
    const conn = this.conns.get(ws);
    if (conn) conn.alive = true;
  }

  /** Writes the whole document as one snapshot and clears the update log. */
  compact(): void {
    if (this.destroyed || this.logRows === 0) return;
    // Queued appends go first: the snapshot must not be older than the log it replaces.
    this.appends.flush();
    const snapshot = Y.encodeStateAsUpdate(this.doc);
    this.store.compactDoc(this.sessionId, this.name, snapshot);
    this.logRows = 0;
    this.storedBytes = snapshot.length;
  }

  /** Closes every socket with the given code and frees the document. */
  destroy(code = 1001, reason = 'room closed', flush = true): void {
    if (this.destroyed) return;
    if (flush) this.appends.flush();
    this.destroyed = true;
    for (const ws of this.conns.keys()) ws.close(code, reason);
    this.conns.clear();
    this.awareness.destroy();
    this.doc.destroy();
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    const started = performance.now();
    this.logRows++;
    this.storedBytes += update.length;
    // Relayed only once committed (write-through), with the turn's other updates in one commit.
    this.appends.push({
      sessionId: this.sessionId,
      docName: this.name,
      update,
      committed: () => {
        if (this.destroyed) return;
        const message = encodeUpdate(update);
        for (const ws of this.conns.keys()) if (ws !== origin) this.send(ws, message);
      },
      failed: (err) => this.fail(err),
    });
    if (this.logRows >= this.options.compactAfter) this.compact();
    this.persistMs += performance.now() - started;
  };

  /**
   * The log could not be written: what this room holds in memory is no longer
   * what is stored. Every socket is closed (1011) and nothing more is relayed;
   * clients reconnect and send what the server lacks once the room loads again.
   */
  private fail(err: Error): void {
    if (this.destroyed) return;
    this.onFailure?.(`storing an update of ${this.name} failed: ${err.message}`);
    this.destroy(CLOSE.internalError, 'Server error: a change could not be saved.', false);
  }

  /** Told when the log cannot be written (Rooms logs it and drops the room). */
  onFailure: ((message: string) => void) | null = null;

  /** Time spent queuing updates for the log and compacting it, which no writer's budget pays for. */
  private persistMs = 0;

  private send(ws: WebSocket, message: Uint8Array): void {
    if (ws.readyState !== ws.OPEN) return;
    const conn = this.conns.get(ws);
    if (conn) conn.lastSent = Date.now();
    ws.send(message, (err) => {
      if (err) this.remove(ws);
    });
  }
}

/** The origin of the server's own repair of a record a refused update left broken. */
const SERVER_REPAIR = { actor: 'server' };
