import { io, type Socket } from 'socket.io-client';
import { YEAR_NAMESPACE, type YearClientEvents, type YearServerEvents } from '../../shared/year/practiceLog.ts';

export type YearSocket = Socket<YearServerEvents, YearClientEvents>;

/**
 * The member's push channel (server/year/yearSocket.ts): the personal key
 * rides in the handshake, never the URL; WebSocket only. It reconnects by
 * itself after a dropped network; `onreconnect` runs on every connect after
 * the first, so the page can send its outbox and catch up.
 */
export function connectYearSocket(token: string, onreconnect: () => void): YearSocket {
  const socket: YearSocket = io(YEAR_NAMESPACE, { auth: { token }, transports: ['websocket'] });
  let connected = false;
  socket.on('connect', () => {
    if (connected) onreconnect();
    connected = true;
  });
  return socket;
}
