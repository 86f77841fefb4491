import type { Role } from '../../shared/events.ts';
import type { ControlState } from '../../shared/protocol/control.ts';
import type { MeetingLength } from '../../shared/protocol/steps.ts';

export interface SessionRecord {
  id: string;
  title: string;
  lengthMinutes: MeetingLength;
  joinCode: string;
  createdAt: number;
  control: ControlState;
}

export interface ParticipantRecord {
  id: string;
  sessionId: string;
  name: string;
  createdAt: number;
}

/** A stored credential: the token's public id and a hash of its secret part. */
export interface TokenRecord {
  id: string;
  secretHash: Buffer;
  sessionId: string;
  role: Role;
  participantId: string | null;
}

export interface StoredDoc {
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
}

/**
 * Everything the server persists. Implementations are synchronous so that an
 * update is durable before it is relayed (see sync/Room.ts).
 */
export interface Store {
  createSession(session: SessionRecord, tokens: TokenRecord[]): void;
  getSession(id: string): SessionRecord | null;
  findSessionByJoinCode(joinCode: string): SessionRecord | null;
  saveControl(sessionId: string, control: ControlState): void;
  /** Deletes the session and everything of it, leaving none of its text on disk. */
  deleteSession(id: string): boolean;

  addParticipant(participant: ParticipantRecord, token: TokenRecord): void;
  listParticipants(sessionId: string): ParticipantRecord[];
  getParticipant(id: string): ParticipantRecord | null;
  findToken(id: string): TokenRecord | null;
  addToken(token: TokenRecord): void;

  loadDoc(docName: string): StoredDoc;
  /** Appends one update to the document's log. */
  appendUpdate(sessionId: string, docName: string, update: Uint8Array): void;
  /** Appends several updates, in order, in one transaction: one commit (one fsync) for all. */
  appendUpdates(entries: ReadonlyArray<{ sessionId: string; docName: string; update: Uint8Array }>): void;
  /** Replaces the document's log and snapshot with one snapshot, atomically. */
  compactDoc(sessionId: string, docName: string, snapshot: Uint8Array): void;

  close(): void;
}
