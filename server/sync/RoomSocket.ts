/**
 * All a room sees of a connection. The transport (sync/yjsUpgrade.ts) adapts
 * a WebSocket to it and keeps the rest (frames, pings, close events) to itself.
 */
export interface RoomSocket {
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
  readonly isOpen: boolean;
}
