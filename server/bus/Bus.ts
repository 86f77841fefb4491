/** A committed update as the bus carries it: its place in its document's log and its bytes. */
export type PeerUpdate = (seq: number, update: Uint8Array) => void;

/** What one process tells the others about a session outside its documents. */
export type SessionNotice =
  /** Its control state was saved at this version: a process holding an older copy reads it again. */
  | { type: 'control'; sessionId: string; version: number }
  /** It was deleted: a process holding its rooms closes them. */
  | { type: 'deleted'; sessionId: string };

/**
 * The fast, lossy fan-out between server processes (docs/SCALEOUT.md §1):
 * committed updates of each document, and notices about sessions. Nothing on
 * it is the only copy of anything: a message lost costs latency, because a
 * receiver notices the gap in seqs (or the periodic comparison of heads does)
 * and reads what it lacks from the database.
 */
export interface Bus {
  /** This process's id on the bus (a receiver drops its own notices). */
  readonly processId: string;
  /** Starts delivering a document's updates; resolves once subscribed (or after a short wait while the bus is down). */
  subscribe(docName: string, onUpdate: PeerUpdate): Promise<void>;
  /** Stops them, if `onUpdate` is still the document's subscriber (a later load of the same document may have replaced it). */
  unsubscribe(docName: string, onUpdate: PeerUpdate): void;
  /** Sends a committed update; never throws, never waits. */
  publish(docName: string, seq: number, update: Uint8Array): void;
  notify(notice: SessionNotice): void;
  /** Told of every other process's notice. */
  onNotice: (notice: SessionNotice) => void;
  /** Told when the bus is back after an outage: messages may have been lost meanwhile. */
  onReconnect: () => void;
  /** Whether messages are flowing now (for /healthz). */
  readonly connected: boolean;
  close(): Promise<void>;
}
