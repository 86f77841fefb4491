import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { parseDocRef } from '../../shared/board/DocRef.ts';
import { verifyToken } from '../auth/tokens.ts';
import type { Store } from '../store/Store.ts';
import type { Rooms } from './Rooms.ts';
import { accessToDoc } from './docAccess.ts';

export const YJS_PREFIX = '/yjs/';

export interface YjsUpgradeOptions {
  store: Store;
  rooms: Rooms;
  maxPayload: number;
  isAllowedOrigin: (req: IncomingMessage) => boolean;
}

/**
 * Handles HTTP upgrades under /yjs/<docName>?token=…: authenticates before the
 * WebSocket exists, so a refused client never reaches a room. Returns false
 * for paths it does not own.
 */
export function createYjsUpgrade(options: YjsUpgradeOptions) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload, perMessageDeflate: false });

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
    const access = ref && accessToDoc(verifyToken(options.store, url.searchParams.get('token')), ref);
    if (!ref || !access) {
      refuse(socket, 401, 'Unauthorized');
      return true;
    }
    const wait = options.rooms.backoff.waitMs(access.tokenId);
    if (wait > 0) {
      refuse(socket, 429, 'Too Many Requests', { 'Retry-After': String(Math.ceil(wait / 1000)) });
      return true;
    }
    wss.handleUpgrade(req, socket, head, (ws) => options.rooms.connect(ref, ws, access));
    return true;
  };

  return { handle, close: () => wss.close() };
}

function refuse(socket: Duplex, status: number, text: string, headers: Record<string, string> = {}): void {
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.end(`HTTP/1.1 ${status} ${text}\r\n${extra}Connection: close\r\nContent-Length: 0\r\n\r\n`);
}
