/**
 * All a room sees of a connection. The transport (sync/yjsUpgrade.ts) adapts
 * a WebSocket to it and keeps the rest (frames, pings, close events) to itself.
 */
export interface RoomSocket {
  /** `flushed` runs once the message has left the process (or the socket failed). */
  send(message: Uint8Array, flushed?: () => void): void;
  close(code: number, reason: string): void;
  readonly isOpen: boolean;
}
