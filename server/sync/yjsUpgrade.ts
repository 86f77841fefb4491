import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeDocRef, parseDocRef, type DocRef } from '../../shared/board/DocRef.ts';
import { verifyToken } from '../auth/tokens.ts';
import { TokenBucket } from '../limits/TokenBucket.ts';
import type { SessionStore } from '../storage/SessionStore.ts';
import { BadMessageError, OverBudgetError, RejectedUpdateError, type Room } from './Room.ts';
import { closeWith } from '../../shared/closeCodes.ts';
import { tokenFromProtocols, YJS_PROTOCOL } from '../../shared/yjsProtocols.ts';
import type { Rooms } from './Rooms.ts';
import type { RoomSocket } from './RoomSocket.ts';
import { accessToDoc, type DocAccess } from './docAccess.ts';

export const YJS_PREFIX = '/yjs/';

export interface YjsUpgradeOptions {
  sessions: SessionStore;
  rooms: Rooms;
  maxPayload: number;
  isAllowedOrigin: (req: IncomingMessage) => boolean;
  log?: (message: string) => void;
}

/**
 * Handles HTTP upgrades under /yjs/<docName>, the token in the upgrade's
 * subprotocols (shared/yjsProtocols.ts; a `?token=` in the URL is ignored):
 * authenticates before the WebSocket exists, so a refused client never
 * reaches a room. Returns false for paths it does not own. It owns the
 * WebSocket: frames, the message budget, pings and close codes; the room sees
 * a RoomSocket.
 */
export function createYjsUpgrade(options: YjsUpgradeOptions) {
  const { rooms } = options;
  const log = options.log ?? (() => {});
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxPayload,
    perMessageDeflate: false,
    // The app's subprotocol, never the one that holds the token.
    handleProtocols: (offered) => (offered.has(YJS_PROTOCOL) ? YJS_PROTOCOL : false),
  });

  // Terminates sockets that did not answer the last ping and pings the rest.
  const alive = new Map<WebSocket, boolean>();
  const pings = setInterval(() => {
    for (const [ws, answered] of alive) {
      if (!answered) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, rooms.options.heartbeatMs);
  pings.unref();

  const handle = (req: IncomingMessage, socket: Duplex, head: Buffer): boolean => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(YJS_PREFIX)) return false;
    if (!options.isAllowedOrigin(req)) {
      refuse(socket, 403, 'Forbidden');
      return true;
    }
    let docName: string;
    try {
      docName = decodeURIComponent(url.pathname.slice(YJS_PREFIX.length));
    } catch {
      refuse(socket, 400, 'Bad Request');
      return true;
    }
    // A name that is no document gets the 401 of one the token may not open: the answer tells nobody which names exist.
    const ref = parseDocRef(docName);
    if (!ref) {
      refuse(socket, 401, 'Unauthorized');
      return true;
    }
    verifyToken(options.sessions, tokenFromProtocols(req.headers['sec-websocket-protocol'])).then(
      (grant) => {
        const access = accessToDoc(grant, ref);
        if (!access) return refuse(socket, 401, 'Unauthorized');
        const wait = rooms.backoff.waitMs(access.tokenId);
        if (wait > 0) return refuse(socket, 429, 'Too Many Requests', { 'Retry-After': String(Math.ceil(wait / 1000)) });
        wss.handleUpgrade(req, socket, head, (ws) => wire(ws, ref, access));
      },
      (err: Error) => {
        log(`authenticating a board connection failed: ${err.message}`);
        refuse(socket, 500, 'Internal Server Error');
      },
    );
    return true;
  };

  /** Frames that arrive while the room loads wait, in order, and are handled once it has. */
  const wire = (ws: WebSocket, ref: DocRef, access: DocAccess): void => {
    const docName = encodeDocRef(ref);
    const socket: RoomSocket = {
      send: (message, flushed) =>
        ws.send(message, (err) => {
          if (err) ws.terminate();
          flushed?.();
        }),
      close: (code, reason) => ws.close(code, reason),
      get isOpen() {
        return ws.readyState === ws.OPEN;
      },
    };
    alive.set(ws, true);
    const budget = new TokenBucket(rooms.options.messagesPerSecond, rooms.options.messageBurst);
    let room: Room | null = null;
    let early: Uint8Array[] | null = [];
    // A stock client sends a few small frames, or one large sync step, before its room is ready.
    let earlyBytes = 0;

    const receive = (joined: Room, frame: Uint8Array): void => {
      if (!socket.isOpen) return;
      try {
        joined.receive(socket, frame);
      } catch (err) {
        // Whatever was refused, the same link waits a little longer before each new try.
        if (err instanceof BadMessageError || err instanceof OverBudgetError) rooms.backoff.strike(access.tokenId);
        // The reason names no content and no token: safe for the log, and what an operator needs.
        if (err instanceof RejectedUpdateError || err instanceof OverBudgetError) log(`refused on ${docName}: ${err.message}`);
        if (err instanceof RejectedUpdateError) ws.close(...closeWith('badMessage', closeReason(err.message)));
        else if (err instanceof BadMessageError) ws.close(...closeWith('badMessage'));
        else if (err instanceof OverBudgetError) ws.close(...closeWith('tooManyMessages', closeReason(err.message)));
        else {
          // A failure of ours (the store, say) must not take the process down with it.
          log(`error in ${docName}: ${(err as Error).message}`);
          ws.close(...closeWith('internalError'));
        }
      }
    };

    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!socket.isOpen) return;
      if (!budget.take()) {
        ws.close(...closeWith('tooManyMessages'));
        return;
      }
      if (!isBinary) {
        ws.close(...closeWith('badMessage', 'Expected a binary frame.'));
        return;
      }
      const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (room) return receive(room, frame);
      earlyBytes += frame.byteLength;
      if (earlyBytes > 2 * options.maxPayload) return ws.close(...closeWith('tooManyMessages'));
      early?.push(frame);
    });
    ws.on('pong', () => alive.set(ws, true));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      alive.delete(ws);
      early = null;
      if (room) rooms.disconnect(docName, room, socket);
    });

    void rooms.connect(ref, socket, access).then((joined) => {
      if (!joined) return;
      // Closed while the room was loading: the close event found no room to leave.
      if (!socket.isOpen) return rooms.disconnect(docName, joined, socket);
      room = joined;
      const waiting = early ?? [];
      early = null;
      for (const frame of waiting) receive(joined, frame);
    });
  };

  return {
    handle,
    close: () => {
      clearInterval(pings);
      wss.close();
    },
  };
}

/** Close reasons are limited to 123 bytes by the WebSocket protocol. */
function closeReason(text: string): string {
  return Buffer.byteLength(text) <= 120 ? text : `${Buffer.from(text).subarray(0, 117).toString().replace(/\uFFFD$/, '')}...`;
}

function refuse(socket: Duplex, status: number, text: string, headers: Record<string, string> = {}): void {
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.end(`HTTP/1.1 ${status} ${text}\r\n${extra}Connection: close\r\nContent-Length: 0\r\n\r\n`);
}
