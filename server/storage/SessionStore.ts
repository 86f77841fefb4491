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
  /** The cohort staff or member it was minted for (server/year), so it can be revoked with their link. */
  holderId?: string | null;
}

/** Another writer saved first every time a change was tried. */
export class ControlChangedMeanwhile extends Error {
  constructor() {
    super('The meeting changed at the same moment. Try again.');
    this.name = 'ControlChangedMeanwhile';
  }
}

/** Another session holds the join code: the caller draws a new one. */
export type CreateSessionOutcome = 'created' | 'join-code-taken';

/** Sessions, the people in them, their tokens and each session's control state. */
export interface SessionStore {
  createSession(session: SessionRecord, tokens: TokenRecord[]): Promise<CreateSessionOutcome>;
  getSession(id: string): Promise<SessionRecord | null>;
  findSessionByJoinCode(joinCode: string): Promise<SessionRecord | null>;
  /**
   * Compare-and-set: stores `control` only if the stored state's version is
   * still `expectedVersion`. False means someone changed it first (or the
   * session is gone): re-read and decide again.
   */
  saveControl(sessionId: string, control: ControlState, expectedVersion: number): Promise<boolean>;
  /**
   * Runs `decide` on the stored session and stores the state it returns (if
   * any), so that no other change comes in between: PostgreSQL holds the
   * session's row lock from the read to the commit (several processes wait
   * their turn); SQLite, one process, saves compare-and-set and decides again
   * from the state that won if another writer saved first (at most 8 times,
   * then ControlChangedMeanwhile). Null if there is no such session.
   */
  changeControl<T>(sessionId: string, decide: (session: SessionRecord) => Promise<{ save: ControlState | null; value: T }>): Promise<T | null>;
  /**
   * Deletes the session and everything of it (people, tokens, its documents'
   * logs and snapshots), leaving none of its text on disk. False if there was none.
   */
  deleteSession(id: string): Promise<boolean>;

  addParticipant(participant: ParticipantRecord, token: TokenRecord): Promise<void>;
  /** In joining order. */
  listParticipants(sessionId: string): Promise<ParticipantRecord[]>;
  getParticipant(id: string): Promise<ParticipantRecord | null>;
  findToken(id: string): Promise<TokenRecord | null>;
  addToken(token: TokenRecord): Promise<void>;
  /** Revokes every session token minted for a cohort's staff or member `holderId`. */
  deleteTokensOfHolder(holderId: string): Promise<void>;
  /**
   * Deletes a participant with their tokens and their link to a cohort member
   * (a removed member's): their name leaves the roster. Their documents are the caller's.
   */
  deleteParticipant(id: string): Promise<void>;
  /** Renames a participant (a removed member's, anonymised). */
  renameParticipant(id: string, name: string): Promise<void>;
}
