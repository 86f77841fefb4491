import { io, type Socket } from 'socket.io-client';
import { YEAR_NAMESPACE, type YearClientEvents, type YearServerEvents } from '../../shared/year/practiceLog.ts';

export type YearSocket = Socket<YearServerEvents, YearClientEvents>;

/**
 * The member's push channel (server/year/yearSocket.ts): the personal key
 * rides in the handshake, never the URL; WebSocket only. It reconnects by
 * itself after a dropped network; `onconnect` runs on every connect, so the
 * page can send its outbox and catch up on what it missed while away.
 */
export function connectYearSocket(token: string, onconnect: () => void): YearSocket {
  const socket: YearSocket = io(YEAR_NAMESPACE, { auth: { token }, transports: ['websocket'] });
  socket.on('connect', onconnect);
  return socket;
}
