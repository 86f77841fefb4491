import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { DOC_KINDS } from '../../shared/board/docKinds.ts';
import { encodeDocRef, type DocRef } from '../../shared/board/DocRef.ts';
import { invalidRecords, migrateDoc, type DocLoad, type DocMigration } from '../../shared/board/migrateDoc.ts';
import { connectionOf, connectionOrigin, isPeerOrigin, PEER_ORIGIN, SERVER_ORIGIN } from '../../shared/board/origins.ts';
import { MAX_DOC_BYTES, STEP_GRACE_MS } from '../../shared/board/writeRules.ts';
import { closeWith } from '../../shared/closeCodes.ts';
import { TokenBucket } from '../limits/TokenBucket.ts';
import type { DocumentLog, StoredDocument } from '../storage/DocumentLog.ts';
import type { AppendQueue } from './AppendQueue.ts';
import { CommittedBytes } from './CommittedBytes.ts';
import { PeerFeed } from './PeerFeed.ts';
import type { RoomSocket } from './RoomSocket.ts';
import { DEFAULT_SCAN_LIMITS, type ScanLimits } from './scanUpdate.ts';
import { MissingDependencies, WriteGuard, WriteRefusal, type GuardContext, type Writer } from './WriteGuard.ts';
import { EMPTY_AWARENESS, encodeSyncStep1, encodeSyncStep2, encodeUpdate, MESSAGE, SYNC } from './messages.ts';

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
  /** With several processes: how long a gap in a document's seqs waits for the bus before it is read from the log. */
  peerGapWaitMs: number;
  /** A room nobody has needed the document of is decoded this long after it opened, or after it last sent its stored bytes (see Room). */
  decodeIdleMs: number;
}

export const DEFAULT_ROOM_OPTIONS: RoomOptions = {
  compactAfter: 500,
  maxAwarenessBytes: 1024,
  cpuMsPerSecond: 100,
  cpuBurstMs: 1000,
  maxDocBytes: MAX_DOC_BYTES,
  scanLimits: DEFAULT_SCAN_LIMITS,
  stepGraceMs: STEP_GRACE_MS,
  peerGapWaitMs: 30,
  decodeIdleMs: 200,
};

/** Where a room sends what it committed, for the other processes holding the document (null with one process). */
export type PublishCommitted = ((seq: number, update: Uint8Array) => void) | null;

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
  openedAt: number;
  cpu: TokenBucket;
  /**
   * Until the client answers the server's sync step 1, updates that build on
   * changes the server lacks wait here: a client back from an outage (or from a
   * process that died) may send a new edit before the ones it still holds,
   * which its sync step 2 brings. Null once that answer came.
   */
  held: Uint8Array[] | null;
  heldBytes: number;
}

/** At most this much waits for a connection's sync step 2 (a few edits typed during a reconnect). */
const MAX_HELD = { updates: 64, bytes: 256 * 1024 } as const;

export class RoomLoadError extends Error {}

/** A frame this room will not accept; the connection that sent it is closed. */
export class BadMessageError extends Error {}

/** A well-formed update its writer may not make; the message says why. */
export class RejectedUpdateError extends BadMessageError {}

/** A connection that spent its budget of server time. */
export class OverBudgetError extends Error {}

/**
 * One live document: the Y.Doc and the sockets syncing it. Every update a
 * writer sends is appended to the store before it is relayed, so nothing
 * anyone has seen can be lost to a crash.
 *
 * The stored bytes are decoded into the Y.Doc when something first needs
 * the document (a write, a client that holds part of it, another process's
 * update), and otherwise `decodeIdleMs` after the room opened or last sent
 * them, as they are, to a client that holds nothing (CommittedBytes). That
 * client spends about as long applying them as the server spends decoding
 * them (tens of milliseconds for a full board); done at once, the two
 * compete for the machine's cores, and the client's load took half as long
 * again (BENCHMARKS.md, "cold load").
 */
export class Room {
  #doc: Y.Doc | null = null;
  /** The bytes read from the log, until they are decoded. */
  #stored: StoredDocument | null;
  #loaded: DocMigration | null = null;
  /** Sockets that joined before the document was decoded: its sync step 1 is sent once it is. */
  #awaitingStepOne: RoomSocket[] = [];
  private readonly conns = new Map<RoomSocket, Connection>();
  /** Updates queued for the log and not committed yet, and their bytes. */
  private uncommittedRows = 0;
  private uncommittedBytes = 0;
  /**
   * Sync step 1s waiting for the queued updates to commit: their answer is
   * encoded from the document, which must hold nothing uncommitted when it is.
   */
  private awaitingCommit: Array<{ ws: RoomSocket; stateVector: Uint8Array }> = [];
  /** The document's committed updates in seq order, this process's and any other's: `applied` is what a snapshot taken now covers. */
  private readonly feed: PeerFeed;
  private compacting: Promise<void> | null = null;
  #destroyed = false;
  /** The decode nobody asked for yet, `decodeIdleMs` after the room opened or last sent its stored bytes. */
  #idleDecode: NodeJS.Timeout | null = null;
  /** Stored bytes being written to clients that hold nothing: the idle decode waits for them. */
  #storedInFlight = 0;
  private guard: WriteGuard | null = null;
  /** What the log holds, as bytes: a client with nothing is sent these, not a new encoding of the doc. */
  private readonly atRest: CommittedBytes;

  /** Reads the document from the log and builds its room; throws RoomLoadError if the stored bytes do not make a document. */
  static async load(
    ref: DocRef,
    documents: DocumentLog,
    options: RoomOptions,
    context: () => GuardContext,
    /** Shared by every room of the process, so one commit covers a whole turn's updates. */
    appends: AppendQueue,
    publish: PublishCommitted = null,
  ): Promise<Room> {
    return new Room(ref, await documents.load(encodeDocRef(ref)), documents, options, context, appends, publish);
  }

  /** The document's wire name (shared/board/DocRef.ts), which the store keys it by. */
  readonly name: string;
  readonly sessionId: string;

  constructor(
    readonly ref: DocRef,
    stored: StoredDocument,
    private readonly documents: DocumentLog,
    private readonly options: RoomOptions,
    private readonly context: () => GuardContext,
    private readonly appends: AppendQueue,
    private readonly publish: PublishCommitted = null,
  ) {
    const name = encodeDocRef(ref);
    this.name = name;
    this.sessionId = ref.sessionId;
    this.#stored = stored;
    this.atRest = new CommittedBytes(stored);
    this.feed = new PeerFeed(stored.updates.at(-1)?.seq ?? stored.snapshotSeq, {
      apply: (seq, update) => {
        if (this.applyPeer(update)) this.atRest.committed(seq, update);
      },
      applySnapshot: (seq, snapshot) => {
        if (this.applyPeer(snapshot)) this.atRest.compacted(snapshot, seq);
      },
      read: (afterSeq) => documents.loadSince(name, afterSeq),
      log: (message) => this.log(`${name}: ${message}`),
      gapWaitMs: options.peerGapWaitMs,
    });
    this.decodeLater();
  }

  /** (Re)starts the wait before the decode nobody has asked for. */
  private decodeLater(): void {
    if (this.#idleDecode) clearTimeout(this.#idleDecode);
    this.#idleDecode = setTimeout(() => this.decodeWhenIdle(), this.options.decodeIdleMs);
  }

  /** The decode nobody waits for: not while stored bytes are still going out to a client (their flush restarts the wait). */
  private decodeWhenIdle(): void {
    this.#idleDecode = null;
    if (this.#destroyed || this.#doc || this.#storedInFlight > 0) return;
    try {
      this.decode();
    } catch {
      // decode() has closed the room and reported why.
    }
  }

  /** The live document, decoded from the stored bytes on first use. Throws RoomLoadError if they do not make one. */
  get doc(): Y.Doc {
    return this.#doc ?? this.decode();
  }

  private decode(): Y.Doc {
    const stored = this.#stored;
    if (!stored) throw new RoomLoadError(`Stored document ${this.name} could not be read: the room is closed`);
    this.#stored = null;
    if (this.#idleDecode) clearTimeout(this.#idleDecode);
    this.#idleDecode = null;
    const doc = new Y.Doc();
    try {
      Y.transact(doc, () => {
        if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
        for (const { update } of stored.updates) Y.applyUpdate(doc, update);
      });
      // The log only ever holds integrated updates, in order: anything left
      // waiting for missing pieces means the stored bytes are damaged, and
      // compacting this partial document would overwrite what is still there.
      if (doc.store.pendingStructs || doc.store.pendingDs) throw new Error('the stored updates do not fit together');
      this.guard = new WriteGuard(doc, DOC_KINDS[this.ref.kind], this.options.scanLimits);
      doc.on('update', this.onDocUpdate);
      this.#doc = doc;
      // Before any write is taken, and stored like any change: a document from a newer server throws, and the room closes.
      this.#loaded = migrateDoc(doc, DOC_KINDS[this.ref.kind].document, SERVER_ORIGIN);
    } catch (err) {
      const error = new RoomLoadError(`Stored document ${this.name} could not be read: ${(err as Error).message}`);
      this.#doc = null;
      doc.destroy();
      this.onFailure?.(error.message);
      this.destroy(...closeWith('loadFailed'));
      throw error;
    }
    const waiting = this.#awaitingStepOne;
    this.#awaitingStepOne = [];
    for (const ws of waiting) if (this.conns.has(ws)) this.send(ws, encodeSyncStep1(doc));
    return doc;
  }

  /** What loading found: the schema version, and a migration if one ran. */
  get loaded(): DocMigration {
    if (!this.#doc) this.decode();
    return this.#loaded!;
  }

  /** The loaded migration plus the records that fail their schema (a full parse of the document: call it off the sync path). */
  inspect(): DocLoad {
    return { ...this.loaded, invalid: invalidRecords(this.doc, DOC_KINDS[this.ref.kind].document) };
  }

  /** Whether the stored bytes have been decoded into the live document yet. */
  get decoded(): boolean {
    return this.#doc !== null;
  }

  /** Set once the room closed its sockets and freed its document. */
  get destroyed(): boolean {
    return this.#destroyed;
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  /** Connections open with this token, oldest first. */
  connectionsOf(tokenId: string): RoomSocket[] {
    return [...this.conns].filter(([, c]) => c.tokenId === tokenId).sort((a, b) => a[1].openedAt - b[1].openedAt).map(([ws]) => ws);
  }

  /** Connections writing as `actor` (a participant id), whichever token they came with. */
  connectionsOfActor(actor: string): RoomSocket[] {
    return [...this.conns].filter(([, c]) => c.writer.actor === actor).map(([ws]) => ws);
  }

  /** Connections that do not use the reserved slots. */
  get ordinaryCount(): number {
    let n = 0;
    for (const conn of this.conns.values()) if (!conn.reserved) n++;
    return n;
  }

  add(ws: RoomSocket, grant: ConnectionGrant): void {
    const now = Date.now();
    this.conns.set(ws, {
      ...grant,
      lastSent: now,
      openedAt: now,
      cpu: new TokenBucket(this.options.cpuMsPerSecond, this.options.cpuBurstMs),
      held: grant.readOnly ? null : [],
      heldBytes: 0,
    });
    if (this.#doc) this.send(ws, encodeSyncStep1(this.#doc));
    else this.#awaitingStepOne.push(ws);
  }

  remove(ws: RoomSocket): void {
    this.conns.delete(ws);
  }

  /** Handles one frame from a socket; throws BadMessageError on anything malformed. */
  receive(ws: RoomSocket, data: Uint8Array): void {
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
          this.send(ws, EMPTY_AWARENESS);
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

  private receiveSync(ws: RoomSocket, conn: Connection, decoder: decoding.Decoder): void {
    const subtype = decoding.readVarUint(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    switch (subtype) {
      case SYNC.step1:
        if (isEmptyStateVector(payload)) this.sendStored(ws, conn);
        else if (this.uncommittedRows > 0) this.awaitingCommit.push({ ws, stateVector: payload });
        else this.send(ws, encodeSyncStep2(this.doc, payload));
        break;
      case SYNC.step2: {
        // A read-only link (the projector) still receives everything but never writes.
        if (conn.readOnly) break;
        const held = conn.held;
        conn.held = null;
        this.write(ws, conn, payload);
        // What it sent first, now that what it built on is here; still missing, it is refused.
        for (const update of held ?? []) this.write(ws, conn, update);
        break;
      }
      case SYNC.update:
        if (conn.readOnly) break;
        this.write(ws, conn, payload);
        break;
      default:
        throw new BadMessageError(`unknown sync message ${subtype}`);
    }
  }

  /** Checks an update against the writer's rights, applies it, and puts right anything it left broken. */
  private write(ws: RoomSocket, conn: Connection, update: Uint8Array): void {
    const started = performance.now();
    const persistedBefore = this.persistMs;
    let refusal: unknown = null;
    try {
      if (!this.#doc) this.decode();
      const guard = this.guard!;
      let writes;
      try {
        writes = guard.check(update, conn.writer, { ...this.context(), stepGraceMs: this.options.stepGraceMs });
      } catch (err) {
        if (err instanceof MissingDependencies && this.hold(conn, update)) return;
        if (err instanceof WriteRefusal) throw new RejectedUpdateError(`Update refused: ${err.message}`);
        throw err;
      }
      if (writes.length === 0 && update.length <= 2) return;
      if (this.storedBytes + update.length > this.options.maxDocBytes && writes.some((w) => w.fields.size > 0 || w.created)) {
        // The log counts every edit; a snapshot holds only what is live. What a compaction
        // would leave decides; the compaction itself runs behind, as the log is written.
        const live = Y.encodeStateAsUpdate(this.doc).length;
        if (live + update.length > this.options.maxDocBytes) {
          throw new RejectedUpdateError(`Update refused: the board holds at most ${Math.round(this.options.maxDocBytes / 1_048_576)} MB`);
        }
        this.compactBehind();
      }
      const before = guard.snapshot(writes);
      Y.applyUpdate(this.doc, update, connectionOrigin(ws));
      if (this.doc.store.pendingStructs || this.doc.store.pendingDs) {
        // The guard refuses updates with missing pieces; this is a second net, never reached in tests.
        this.doc.store.pendingStructs = null;
        this.doc.store.pendingDs = null;
        throw new RejectedUpdateError('Update refused: it builds on changes this server never received');
      }
      const undone = guard.verify(writes, before, SERVER_ORIGIN);
      if (undone) throw new RejectedUpdateError(`Update refused: ${undone}`);
    } catch (err) {
      refusal = err;
    }
    // Refused or not, the time was spent on this connection's behalf; storing and relaying are not its doing.
    const withinBudget = conn.cpu.spend(performance.now() - started - (this.persistMs - persistedBefore));
    if (refusal) throw refusal;
    if (!withinBudget) throw new OverBudgetError('Too much work from this connection; slow down.');
  }

  /** Sends a client that holds nothing what the log holds; a room not decoded yet waits `decodeIdleMs` more once that has gone out. */
  private sendStored(ws: RoomSocket, conn: Connection): void {
    const messages = this.atRest.forEmptyClient();
    // It holds nothing the server could lack: it needs no sync step 1 of the server's, and
    // nothing it sends waits for an answer to one (whatever it writes from now on comes as updates).
    conn.held = null;
    this.#awaitingStepOne = this.#awaitingStepOne.filter((waiting) => waiting !== ws);
    if (this.#doc) {
      for (const message of messages) this.send(ws, message);
      return;
    }
    this.#storedInFlight++;
    const sent = () => {
      this.#storedInFlight--;
      if (!this.#destroyed && !this.#doc) this.decodeLater();
    };
    const last = messages.length - 1;
    messages.forEach((message, i) => this.send(ws, message, i === last ? sent : undefined));
  }

  /** Keeps an update for after the connection's sync step 2, if it has not sent one yet and there is room. */
  private hold(conn: Connection, update: Uint8Array): boolean {
    const held = conn.held;
    if (!held || held.length >= MAX_HELD.updates || conn.heldBytes + update.length > MAX_HELD.bytes) return false;
    held.push(update);
    conn.heldBytes += update.length;
    return true;
  }

  /**
   * Sends an empty awareness message to any socket the room has been quiet to:
   * y-websocket clients reconnect after 30 s without a message, and a projector
   * alone on a board would otherwise hear nothing. (Pings are the transport's.)
   */
  heartbeat(quietMs: number): void {
    const now = Date.now();
    for (const [ws, conn] of this.conns) if (now - conn.lastSent >= quietMs) this.send(ws, EMPTY_AWARENESS);
  }

  /** Bytes the document takes in storage: the snapshot plus the log since. */
  private get storedBytes(): number {
    return this.atRest.snapshotBytes + this.atRest.rowBytes + this.uncommittedBytes;
  }

  /**
   * Another process committed `seq` (from the bus): applied once every lower
   * seq is, and relayed to this room's sockets. Decodes the document if needed.
   */
  receivePeer(seq: number, update: Uint8Array): void {
    if (this.#destroyed) return;
    this.feed.peer(seq, update);
  }

  /** Applies whatever the log holds past what this room has applied (another process's commits the bus lost or has not delivered yet). */
  catchUp(): Promise<void> {
    return this.#destroyed ? Promise.resolve() : this.feed.catchUp();
  }

  /** The log's head seq, from the periodic comparison: reads what is missing, if anything. */
  headIs(seq: number): void {
    if (!this.#destroyed) this.feed.behind(seq);
  }

  /**
   * Applies bytes another process committed; false if the room could not take
   * them. Called from the bus and from reads of the log, where nothing may
   * throw: a room whose stored bytes do not decode has closed itself and
   * said why, and an update that does not apply is reported and skipped.
   */
  private applyPeer(update: Uint8Array): boolean {
    if (this.#destroyed) return false;
    try {
      Y.applyUpdate(this.doc, update, PEER_ORIGIN);
      return true;
    } catch (err) {
      if (!(err instanceof RoomLoadError)) this.log(`${this.name}: an update from another process did not apply: ${(err as Error).message}`);
      return false;
    }
  }

  /** Every row up to this seq is in the document. */
  get appliedSeq(): number {
    return this.feed.applied;
  }

  /**
   * Writes the whole document as one snapshot covering every committed row,
   * and deletes exactly those rows. Queued appends are committed first, so a
   * compaction on unload leaves an empty log; an update that arrives while it
   * runs keeps its row (its seq is past the snapshot's).
   */
  compact(): Promise<void> {
    if (this.#destroyed || this.logRows === 0) return Promise.resolve();
    this.compacting ??= (async () => {
      try {
        await this.appends.flush();
        // Only rows every lower seq of which is applied here: another process's row this one lacks must not be deleted.
        const uptoSeq = this.feed.applied;
        if (this.#destroyed || uptoSeq <= this.atRest.snapshotSeq) return;
        const snapshot = Y.encodeStateAsUpdate(this.doc);
        await this.documents.compact(this.sessionId, this.name, snapshot, uptoSeq);
        this.atRest.compacted(snapshot, uptoSeq);
      } finally {
        this.compacting = null;
      }
    })();
    return this.compacting;
  }

  /** A compaction nobody waits for: a failure loses nothing (the log still holds every row) and is only logged. */
  private compactBehind(): void {
    if (this.compacting) return;
    this.compact().catch((err: Error) => this.log(`compacting ${this.name} failed: ${err.message}`));
  }

  /** Closes every socket with the given code and frees the document; queued appends still commit unless the session is gone. */
  destroy(code = 1001, reason = 'room closed'): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    if (this.#idleDecode) clearTimeout(this.#idleDecode);
    this.#idleDecode = null;
    for (const ws of this.conns.keys()) ws.close(code, reason);
    this.conns.clear();
    this.#awaitingStepOne = [];
    this.awaitingCommit = [];
    this.feed.close();
    this.#stored = null;
    // Closed before it was decoded: whoever still holds the room sees an empty, destroyed document, as after any close.
    this.#doc ??= new Y.Doc();
    this.#doc.destroy();
  }

  /** Rows the log holds past the snapshot, committed or queued. */
  private get logRows(): number {
    return this.atRest.rowCount + this.uncommittedRows;
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (isPeerOrigin(origin)) {
      // Another process committed it: what it changed here goes to every socket of this room, and nothing to the log.
      const message = encodeUpdate(update);
      for (const ws of this.conns.keys()) this.send(ws, message);
      return;
    }
    const started = performance.now();
    this.uncommittedRows++;
    this.uncommittedBytes += update.length;
    // Relayed only once committed (write-through), with the turn's other updates in one commit.
    this.appends.push({
      sessionId: this.sessionId,
      docName: this.name,
      update,
      committed: (seq) => {
        this.settled(update);
        this.atRest.committed(seq, update);
        this.feed.own(seq);
        this.publish?.(seq, update);
        if (this.#destroyed) return;
        const message = encodeUpdate(update);
        const sender = connectionOf(origin);
        for (const ws of this.conns.keys()) if (ws !== sender) this.send(ws, message);
        this.answerAwaitingCommit();
      },
      failed: (err) => {
        this.settled(update);
        this.fail(err);
      },
    });
    if (this.logRows >= this.options.compactAfter) this.compactBehind();
    this.persistMs += performance.now() - started;
  };

  private settled(update: Uint8Array): void {
    this.uncommittedRows--;
    this.uncommittedBytes -= update.length;
  }

  /** Once nothing queued is uncommitted, the sync step 1s that waited are answered from the document. */
  private answerAwaitingCommit(): void {
    if (this.uncommittedRows > 0 || this.awaitingCommit.length === 0) return;
    const waiting = this.awaitingCommit;
    this.awaitingCommit = [];
    for (const { ws, stateVector } of waiting) if (this.conns.has(ws)) this.send(ws, encodeSyncStep2(this.doc, stateVector));
  }

  /**
   * The log could not be written: what this room holds in memory is no longer
   * what is stored. Every socket is closed (1011) and nothing more is relayed;
   * clients reconnect and send what the server lacks once the room loads again.
   */
  private fail(err: Error): void {
    if (this.#destroyed) return;
    this.onFailure?.(`storing an update of ${this.name} failed: ${err.message}`);
    this.destroy(...closeWith('internalError', 'Server error: a change could not be saved.'));
  }

  /** Told when the log cannot be written (Rooms logs it and drops the room). */
  onFailure: ((message: string) => void) | null = null;

  /** Where a compaction running behind reports a failure. */
  log: (message: string) => void = () => {};

  /** Time spent queuing updates for the log and compacting it, which no writer's budget pays for. */
  private persistMs = 0;

  private send(ws: RoomSocket, message: Uint8Array, flushed?: () => void): void {
    if (!ws.isOpen) {
      flushed?.();
      return;
    }
    const conn = this.conns.get(ws);
    if (conn) conn.lastSent = Date.now();
    ws.send(message, flushed);
  }
}

/** A state vector with no client in it: the sync step 1 of a client that holds nothing yet. */
function isEmptyStateVector(stateVector: Uint8Array): boolean {
  return stateVector.length === 1 && stateVector[0] === 0;
}
