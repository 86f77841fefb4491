import type { WebSocket } from 'ws';
import { TokenBucket } from '../limits/TokenBucket.ts';
import type { Store } from '../store/Store.ts';
import type { GuardContext } from './WriteGuard.ts';
import {
  BadMessageError,
  DEFAULT_ROOM_OPTIONS,
  OverBudgetError,
  RejectedUpdateError,
  Room,
  RoomLoadError,
  type ConnectionGrant,
  type RoomOptions,
} from './Room.ts';
import { AppendQueue } from './AppendQueue.ts';
import { RefusalBackoff } from './RefusalBackoff.ts';
import { CLOSE, CLOSE_CAUSES } from '../../shared/closeCodes.ts';

/** WebSocket close codes the sync server uses: shared with the client, which switches on their names. */
export { CLOSE } from '../../shared/closeCodes.ts';

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
};

/** Close reasons are limited to 123 bytes by the WebSocket protocol. */
function closeReason(text: string): string {
  return Buffer.byteLength(text) <= 120 ? text : `${Buffer.from(text).subarray(0, 117).toString().replace(/\uFFFD$/, '')}...`;
}

/**
 * The rooms held in memory. A room is loaded from the store by its first
 * connection and unloaded (after a final compaction) when its last one leaves.
 */
export class Rooms {
  private readonly rooms = new Map<string, Room>();
  private readonly heartbeat: NodeJS.Timeout;
  /** Tokens whose last update was refused wait before they may reconnect. */
  readonly backoff: RefusalBackoff;
  /** One group commit for every room of the process. */
  private readonly appends: AppendQueue;

  constructor(
    private readonly store: Store,
    private readonly options: RoomsOptions = DEFAULT_ROOMS_OPTIONS,
    private readonly log: (message: string) => void = () => {},
    /** The session's control state, for the lock, the step and voting. */
    private readonly context: (sessionId: string) => GuardContext = () => ({ control: null, now: Date.now() }),
  ) {
    this.backoff = new RefusalBackoff(options.refusalBackoffMs);
    this.appends = new AppendQueue(store);
    this.heartbeat = setInterval(() => {
      for (const room of this.rooms.values()) room.heartbeat(options.heartbeatMs);
    }, options.heartbeatMs);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.rooms.size;
  }

  get(name: string): Room | undefined {
    return this.rooms.get(name);
  }

  connect(name: string, sessionId: string, ws: WebSocket, grant: ConnectionGrant): void {
    let room = this.rooms.get(name);
    if (!room) {
      try {
        room = this.load(name, sessionId);
      } catch (err) {
        // Never kept in the map: a room that failed to load is never compacted,
        // so nothing is written over the stored bytes.
        this.log(err instanceof RoomLoadError ? err.message : `loading ${name} failed: ${(err as Error).message}`);
        ws.close(CLOSE.loadFailed, 'This board could not be loaded.');
        return;
      }
      this.rooms.set(name, room);
    }
    // The token's oldest connections give way first, so a reload or a second tab never locks its owner out.
    const own = room.connectionsOf(grant.tokenId);
    for (const old of own.slice(0, Math.max(0, own.length - this.options.maxConnectionsPerToken + 1))) {
      room.remove(old);
      old.close(CLOSE.replaced, 'This link was opened in another window.');
    }
    const ordinaryCap = this.options.maxConnectionsPerRoom - this.options.reservedConnections;
    if (room.connectionCount >= this.options.maxConnectionsPerRoom || (!grant.reserved && room.ordinaryCount >= ordinaryCap)) {
      ws.close(CLOSE.roomFull, CLOSE_CAUSES.roomFull.reason);
      if (room.connectionCount === 0) this.unload(name);
      return;
    }
    const joined = room;
    joined.add(ws, grant);
    const budget = new TokenBucket(this.options.messagesPerSecond, this.options.messageBurst);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (ws.readyState !== ws.OPEN) return;
      if (!budget.take()) {
        ws.close(CLOSE.tooManyMessages, 'Too many messages; slow down.');
        return;
      }
      if (!isBinary) {
        ws.close(CLOSE.badMessage, 'Expected a binary frame.');
        return;
      }
      try {
        joined.receive(ws, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      } catch (err) {
        // Whatever was refused, the same link waits a little longer before each new try.
        if (err instanceof BadMessageError || err instanceof OverBudgetError) this.backoff.strike(grant.tokenId);
        // The reason names no content and no token: safe for the log, and what an operator needs.
        if (err instanceof RejectedUpdateError || err instanceof OverBudgetError) this.log(`refused on ${name}: ${err.message}`);
        if (err instanceof RejectedUpdateError) ws.close(CLOSE.badMessage, closeReason(err.message));
        else if (err instanceof BadMessageError) ws.close(CLOSE.badMessage, 'Malformed message.');
        else if (err instanceof OverBudgetError) ws.close(CLOSE.tooManyMessages, closeReason(err.message));
        else {
          // A failure of ours (the store, say) must not take the process down with it.
          this.log(`error in ${name}: ${(err as Error).message}`);
          ws.close(CLOSE.internalError, 'Server error.');
        }
      }
    });
    ws.on('pong', () => joined.pong(ws));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      joined.remove(ws);
      if (joined.connectionCount === 0) this.unload(name);
    });
  }

  /**
   * Runs `edit` on a document whether or not anyone has it open: on the live
   * room if there is one (so its clients see the change), else on a room
   * loaded for the purpose and unloaded again. Edits are persisted as usual.
   */
  withDoc<T>(name: string, sessionId: string, edit: (room: Room) => T): T {
    const live = this.rooms.get(name);
    if (live) return edit(live);
    const room = this.load(name, sessionId);
    try {
      return edit(room);
    } finally {
      room.compact();
      room.destroy();
    }
  }

  /**
   * Commits and relays every queued update now. A server edit whose result the
   * control plane announces next (the reveal) calls it, so clients receive the
   * documents' change before the state that says it happened.
   */
  flush(): void {
    this.appends.flush();
  }

  /** Closes the sockets of every room whose name belongs to a session, without saving. */
  dropSession(sessionId: string): void {
    this.appends.discardSession(sessionId);
    for (const [name, room] of this.rooms) {
      if (room.sessionId !== sessionId) continue;
      this.rooms.delete(name);
      room.destroy(CLOSE.sessionDeleted, 'This session was deleted.', false);
    }
  }

  /** Flushes every room to the store and closes its sockets (graceful shutdown). */
  closeAll(): void {
    clearInterval(this.heartbeat);
    for (const name of [...this.rooms.keys()]) this.unload(name, CLOSE.restart, 'Server restarting.');
  }

  private load(name: string, sessionId: string): Room {
    const room = new Room(name, sessionId, this.store, this.options, () => this.context(sessionId), this.appends);
    room.onFailure = (message) => {
      this.log(message);
      if (this.rooms.get(name) === room) this.rooms.delete(name);
    };
    return room;
  }

  private unload(name: string, code?: number, reason?: string): void {
    const room = this.rooms.get(name);
    if (!room) return;
    this.rooms.delete(name);
    try {
      room.compact();
    } catch (err) {
      // The log still holds every committed update; the snapshot can wait for the next load.
      this.log(`compacting ${name} failed: ${(err as Error).message}`);
    }
    room.destroy(code, reason);
  }
}
