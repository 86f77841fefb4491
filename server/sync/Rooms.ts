import { encodeDocRef, type DocRef, type DocRefOf } from '../../shared/board/DocRef.ts';
import { describeDocLoad } from '../../shared/board/migrateDoc.ts';
import type { DocumentLog } from '../storage/DocumentLog.ts';
import type { GuardContext } from './WriteGuard.ts';
import { DEFAULT_ROOM_OPTIONS, Room, RoomLoadError, type ConnectionGrant, type RoomOptions } from './Room.ts';
import { AppendQueue } from './AppendQueue.ts';
import { RefusalBackoff } from './RefusalBackoff.ts';
import type { RoomSocket } from './RoomSocket.ts';
import { closeWith } from '../../shared/closeCodes.ts';
import { connectionOf } from '../../shared/board/origins.ts';
import type { Bus, PeerUpdate } from '../bus/Bus.ts';

export interface RoomsOptions extends RoomOptions {
  maxConnectionsPerRoom: number;
  /** Slots of each board kept for the facilitator's and the projector's links. */
  reservedConnections: number;
  /** Connections one token may hold on one document; a newer one evicts the oldest. */
  maxConnectionsPerToken: number;
  /** Ping interval; also the longest a socket goes without a message from the room. */
  heartbeatMs: number;
  /**
   * Per-connection message budget. Typing sends one update per keystroke and
   * a reconnect a handful of messages; the burst is large because a client
   * sends one message per local transaction, and a quick series of board
   * actions (or a test adding hundreds of notes) comes in a rush. A socket
   * that spends it all is closed (4429).
   */
  messagesPerSecond: number;
  messageBurst: number;
  /** First wait after a refusal before the same token may reconnect (doubling, up to a minute). */
  refusalBackoffMs: number;
  /** How long after a room loads its records are checked against their schema and the count logged. */
  inspectAfterMs: number;
  /** With several processes: how often each loaded document's applied seq is compared with the log's head (a bus message lost is read back). */
  peerCheckMs: number;
}

export const DEFAULT_ROOMS_OPTIONS: RoomsOptions = {
  ...DEFAULT_ROOM_OPTIONS,
  maxConnectionsPerRoom: 60,
  reservedConnections: 6,
  maxConnectionsPerToken: 3,
  heartbeatMs: 12_000,
  messagesPerSecond: 200,
  messageBurst: 1000,
  refusalBackoffMs: 1000,
  inspectAfterMs: 2000,
  peerCheckMs: 5000,
};

/** The session was deleted while one of its rooms loaded. */
class SessionDroppedError extends Error {}

/**
 * The rooms held in memory. A room is loaded from the log by its first
 * connection and unloaded (after a final compaction) when its last one
 * leaves. Loads and unloads in flight are tracked by name, so two connects
 * share one load and a connect during an unload waits for it to finish.
 */
export class Rooms {
  private readonly rooms = new Map<string, Room>();
  /** Rooms on their way in or out; a name is in at most one of the three maps. */
  private readonly loading = new Map<string, { sessionId: string; room: Promise<Room> }>();
  private readonly unloading = new Map<string, Promise<void>>();
  private readonly heartbeat: NodeJS.Timeout;
  /** Tokens whose last update was refused wait before they may reconnect. */
  readonly backoff: RefusalBackoff;
  /** One group commit for every room of the process. */
  private readonly appends: AppendQueue;
  /** Connects and edits between acquiring a room and joining or leaving it: it stays loaded meanwhile. */
  private readonly holds = new Map<string, number>();
  /** Sessions deleted while one of their rooms was loading: that room must not open. */
  private readonly dropped = new Set<string>();
  /** Each loaded room's bus subscription, to end with it. */
  private readonly subscriptions = new Map<Room, PeerUpdate>();
  private readonly peerCheck: NodeJS.Timeout | null = null;
  /**
   * Told after every change to a loaded drafts document, and whether a
   * connection made it: the facilitator's silent-writing counts and the
   * anonymous mode's late drafts. Boards are not watched, so their updates cost nothing more.
   */
  onDraftsChanged: (ref: DocRefOf<'drafts'>, byConnection: boolean) => void = () => {};

  constructor(
    private readonly documents: DocumentLog,
    readonly options: RoomsOptions = DEFAULT_ROOMS_OPTIONS,
    private readonly log: (message: string) => void = () => {},
    /** The session's control state, for the lock, the step and voting; read from memory on every update. */
    private readonly context: (sessionId: string) => GuardContext = () => ({ control: null, now: Date.now() }),
    /** Runs before a session's room loads, so `context` can answer from memory (the control state's cache). */
    private readonly prepare: (sessionId: string) => Promise<void> = async () => {},
    /**
     * With several processes (docs/SCALEOUT.md): what each room commits goes
     * out on the bus, and what the others commit comes in, applied in seq order.
     */
    private readonly bus: Bus | null = null,
  ) {
    this.backoff = new RefusalBackoff(options.refusalBackoffMs);
    this.appends = new AppendQueue(documents);
    this.heartbeat = setInterval(() => {
      for (const room of this.rooms.values()) room.heartbeat(options.heartbeatMs);
    }, options.heartbeatMs);
    this.heartbeat.unref();
    if (bus) {
      this.peerCheck = setInterval(() => void this.compareHeads(), options.peerCheckMs);
      this.peerCheck.unref();
    }
  }

  /** Every loaded room reads what other processes committed that it has not applied (after the bus was away: messages may be lost). */
  catchUpAll(): void {
    for (const room of this.rooms.values()) void room.catchUp();
  }

  /** Reads back, for every loaded room, what another process committed and the bus never delivered. */
  private async compareHeads(): Promise<void> {
    const rooms = [...this.rooms.values()];
    if (rooms.length === 0) return;
    let heads: Map<string, number>;
    try {
      heads = await this.documents.heads(rooms.map((room) => room.name));
    } catch (err) {
      this.log(`comparing heads failed: ${(err as Error).message}`);
      return;
    }
    for (const room of rooms) {
      const head = heads.get(room.name);
      if (head !== undefined) room.headIs(head);
    }
  }

  get size(): number {
    return this.rooms.size;
  }

  get(name: string): Room | undefined {
    return this.rooms.get(name);
  }

  /**
   * Joins the socket to the document's room, loading it if needed. Resolves
   * with the room, or null if the socket was refused (and closed) or went
   * away while the room loaded.
   */
  async connect(ref: DocRef, ws: RoomSocket, grant: ConnectionGrant): Promise<Room | null> {
    const name = encodeDocRef(ref);
    let room: Room;
    try {
      room = await this.acquire(ref);
    } catch (err) {
      if (err instanceof SessionDroppedError) {
        ws.close(...closeWith('sessionDeleted'));
        return null;
      }
      // Never kept in the map: a room that failed to load is never compacted,
      // so nothing is written over the stored bytes.
      this.log(err instanceof RoomLoadError ? err.message : `loading ${name} failed: ${(err as Error).message}`);
      ws.close(...closeWith('loadFailed'));
      return null;
    }
    // Another process may have committed what this one has not applied yet; a
    // client coming from there must find it here before it syncs, or what it
    // sends back would build on records this room lacks.
    if (this.bus) await room.catchUp();
    if (!ws.isOpen) {
      this.release(name);
      return null;
    }
    // The token's oldest connections give way first, so a reload or a second tab never locks its owner out.
    const own = room.connectionsOf(grant.tokenId);
    for (const old of own.slice(0, Math.max(0, own.length - this.options.maxConnectionsPerToken + 1))) {
      room.remove(old);
      old.close(...closeWith('replaced'));
    }
    const ordinaryCap = this.options.maxConnectionsPerRoom - this.options.reservedConnections;
    if (room.connectionCount >= this.options.maxConnectionsPerRoom || (!grant.reserved && room.ordinaryCount >= ordinaryCap)) {
      ws.close(...closeWith('roomFull'));
      this.release(name);
      return null;
    }
    room.add(ws, grant);
    this.release(name);
    return room;
  }

  /** The socket closed: the room is unloaded once nobody is left in it. */
  disconnect(name: string, room: Room, ws: RoomSocket): void {
    room.remove(ws);
    this.unloadIfIdle(name, room);
  }

  /**
   * Runs `edit` on a document whether or not anyone has it open: on the live
   * room if there is one (so its clients see the change), else on a room
   * loaded for the purpose and unloaded again. Edits are persisted as usual.
   */
  async withDoc<T>(ref: DocRef, edit: (room: Room) => T): Promise<T> {
    const name = encodeDocRef(ref);
    const room = await this.acquire(ref);
    try {
      return edit(room);
    } finally {
      // Unloading compacts, which commits the edit first.
      this.release(name);
      if (this.rooms.get(name) !== room) await this.unloading.get(name);
    }
  }

  /**
   * Commits and relays every queued update. A server edit whose result the
   * control plane announces next (the reveal) awaits it, so clients receive
   * the documents' change before the state that says it happened.
   */
  flush(): Promise<void> {
    return this.appends.flush();
  }

  /** Closes the sockets of every room whose name belongs to a session, without saving. */
  dropSession(sessionId: string): void {
    this.appends.discardSession(sessionId);
    for (const [name, room] of this.rooms) {
      if (room.sessionId !== sessionId) continue;
      this.rooms.delete(name);
      room.destroy(...closeWith('sessionDeleted'));
      this.endSubscription(room);
    }
    for (const entry of this.loading.values()) if (entry.sessionId === sessionId) this.dropped.add(sessionId);
  }

  /**
   * Closes one document's room without saving and forgets it, so the caller
   * can delete the stored document (a removed member's private drafts): a
   * load or unload in flight finishes first, queued updates are dropped.
   */
  async dropDocument(ref: DocRef, code: number, reason: string): Promise<void> {
    const name = encodeDocRef(ref);
    await this.loading.get(name)?.room.catch(() => undefined);
    await this.unloading.get(name);
    this.appends.discardDocument(name);
    const room = this.rooms.get(name);
    if (!room) return;
    this.rooms.delete(name);
    room.destroy(code, reason);
    this.endSubscription(room);
  }

  /**
   * Closes a participant's sync sockets in their session: their board
   * connections and their private drafts document's. With their tokens
   * revoked first, they cannot come back.
   */
  disconnectParticipant(sessionId: string, participantId: string, code: number, reason: string): void {
    const board = this.rooms.get(encodeDocRef({ kind: 'board', sessionId }));
    const drafts = this.rooms.get(encodeDocRef({ kind: 'drafts', sessionId, participantId }));
    const sockets = [...(board?.connectionsOfActor(participantId) ?? []), ...(drafts ? drafts.connectionsOfActor(participantId) : [])];
    for (const ws of sockets) ws.close(code, reason);
  }

  /** Flushes every room to the store and closes its sockets (graceful shutdown). */
  async closeAll(): Promise<void> {
    clearInterval(this.heartbeat);
    if (this.peerCheck) clearInterval(this.peerCheck);
    await Promise.allSettled([...this.loading.values()].map((entry) => entry.room));
    const names = [...this.rooms.keys()];
    await Promise.all(names.map((name) => this.unload(name, ...closeWith('restart'))));
    await Promise.all([...this.unloading.values()]);
  }

  /**
   * The live room, the one loading, or a new load; an unload in flight
   * finishes first. Holds the room until `release`.
   */
  private async acquire(ref: DocRef): Promise<Room> {
    const name = encodeDocRef(ref);
    this.holds.set(name, (this.holds.get(name) ?? 0) + 1);
    try {
      return await this.find(name, ref);
    } catch (err) {
      this.holds.set(name, this.holds.get(name)! - 1);
      if (this.holds.get(name) === 0) this.holds.delete(name);
      throw err;
    }
  }

  private release(name: string): void {
    const left = (this.holds.get(name) ?? 1) - 1;
    if (left > 0) this.holds.set(name, left);
    else this.holds.delete(name);
    const room = this.rooms.get(name);
    if (room) this.unloadIfIdle(name, room);
  }

  private async find(name: string, ref: DocRef): Promise<Room> {
    const { sessionId } = ref;
    for (;;) {
      const live = this.rooms.get(name);
      if (live) return live;
      const loading = this.loading.get(name);
      if (loading) return loading.room;
      const unloading = this.unloading.get(name);
      if (!unloading) break;
      await unloading;
    }
    const room = this.load(ref);
    this.loading.set(name, { sessionId, room });
    try {
      const loaded = await room;
      if (this.dropped.has(sessionId)) {
        loaded.destroy(...closeWith('sessionDeleted'));
        this.endSubscription(loaded);
        throw new SessionDroppedError(sessionId);
      }
      this.rooms.set(name, loaded);
      return loaded;
    } finally {
      this.loading.delete(name);
      if (![...this.loading.values()].some((entry) => entry.sessionId === sessionId)) this.dropped.delete(sessionId);
    }
  }

  private async load(ref: DocRef): Promise<Room> {
    const { sessionId } = ref;
    await this.prepare(sessionId);
    const name = encodeDocRef(ref);
    // Subscribe, then load, then apply what came meanwhile (docs/SCALEOUT.md §3): nothing committed in between is missed.
    let loaded: Room | null = null;
    const early: Array<[number, Uint8Array]> = [];
    const onPeer: PeerUpdate = (seq, update) => (loaded ? loaded.receivePeer(seq, update) : early.push([seq, update]));
    const bus = this.bus;
    if (bus) await bus.subscribe(name, onPeer);
    let room: Room;
    try {
      room = await Room.load(ref, this.documents, this.options, () => this.context(sessionId), this.appends, bus && ((seq, update) => bus.publish(name, seq, update)));
    } catch (err) {
      bus?.unsubscribe(name, onPeer);
      throw err;
    }
    loaded = room;
    if (bus) this.subscriptions.set(room, onPeer);
    room.log = this.log;
    for (const [seq, update] of early) room.receivePeer(seq, update);
    if (ref.kind === 'drafts') {
      room.doc.on('update', (_update: Uint8Array, origin: unknown) => this.onDraftsChanged(ref, connectionOf(origin) !== null));
    }
    // Counting parses every record: it waits until the meeting's first syncs are done.
    setTimeout(() => {
      if (room.destroyed) return;
      const found = describeDocLoad(room.inspect());
      if (found) this.log(`loaded ${name}: ${found}`);
    }, this.options.inspectAfterMs).unref();
    room.onFailure = (message) => {
      this.log(message);
      if (this.rooms.get(name) === room) this.rooms.delete(name);
      this.endSubscription(room);
    };
    return room;
  }

  /** Unloads the room once no socket is in it and nobody is about to join or edit it. */
  private unloadIfIdle(name: string, room: Room): void {
    if (room.connectionCount === 0 && !this.holds.has(name) && this.rooms.get(name) === room) void this.unload(name);
  }

  private endSubscription(room: Room): void {
    const onPeer = this.subscriptions.get(room);
    if (!onPeer) return;
    this.subscriptions.delete(room);
    this.bus!.unsubscribe(room.name, onPeer);
  }

  private unload(name: string, code?: number, reason?: string): Promise<void> {
    const room = this.rooms.get(name);
    if (!room) return this.unloading.get(name) ?? Promise.resolve();
    this.rooms.delete(name);
    const done = (async () => {
      try {
        await room.compact();
      } catch (err) {
        // The log still holds every committed update; the snapshot can wait for the next load.
        this.log(`compacting ${name} failed: ${(err as Error).message}`);
      }
      room.destroy(code, reason);
      this.endSubscription(room);
    })().finally(() => {
      if (this.unloading.get(name) === done) this.unloading.delete(name);
    });
    this.unloading.set(name, done);
    return done;
  }
}
