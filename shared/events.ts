import type { ControlState } from './protocol/control.ts';
import type { MeetingLength } from './protocol/steps.ts';
import type { CommandProblemCode, Problem as ProblemOf } from './problem.ts';

/** socket.io event contracts, typed once for server and client. */

export type Role = 'facilitator' | 'participant' | 'projector';

export interface RosterEntry {
  participantId: string;
  name: string;
  online: boolean;
}

export interface Welcome {
  role: Role;
  sessionId: string;
  title: string;
  joinCode: string;
  lengthMinutes: MeetingLength;
  /** Present for participants: who this browser is. */
  me: { participantId: string; name: string } | null;
  control: ControlState;
  /** Server clock, so clients can show the same timer whatever their clock says. */
  serverTime: number;
}

export interface ControlUpdate {
  control: ControlState;
  serverTime: number;
}

/** Facilitators only: wrong join codes tried from the network their participants joined from. */
export interface JoinGuessReport {
  wrongCodes: number;
  minutes: number;
}

/**
 * Facilitators only, during silent writing: how many of the people here have
 * written at least one note, and how many notes are drafted. Counts, never text.
 */
export interface DraftProgressReport {
  /** Participants present now, plus anyone who has written and left. */
  people: number;
  writers: number;
  notes: number;
}

/** A command's or the control socket's refusal; shared/problem.ts holds the whole vocabulary. */
export type Problem = ProblemOf<CommandProblemCode>;

export type AnonymousNoteResult = { ok: true } | { ok: false; error: Problem };

export type CommandResult = { ok: true; control: ControlState } | { ok: false; error: Problem };

export interface ServerToClientEvents {
  welcome: (welcome: Welcome) => void;
  control: (update: ControlUpdate) => void;
  roster: (roster: RosterEntry[]) => void;
  problem: (problem: Problem) => void;
  /**
   * The facilitator deleted this session: its data is gone, the socket is
   * about to be closed, and the client should drop any cached copy (IndexedDB).
   */
  sessionDeleted: () => void;
  /** To facilitators: someone on the school's network is guessing join codes (see server/sessions/JoinGuesses.ts). */
  joinGuesses: (report: JoinGuessReport) => void;
  /** To facilitators, in the causes step before the reveal (server/control/DraftProgress.ts). */
  draftProgress: (report: DraftProgressReport) => void;
}

export interface ClientToServerEvents {
  /** The payload is validated on the server; see commandSchema. */
  command: (command: unknown, ack: (result: CommandResult) => void) => void;
  /**
   * Participants, in the causes step's anonymous mode: add, edit or delete one
   * of their own anonymous notes, which the server writes for them (the
   * payload is validated on the server; see anonymousNoteRequestSchema).
   */
  anonymousNote: (request: unknown, ack: (result: AnonymousNoteResult) => void) => void;
  /** Facilitator only: mints a fresh read-only projector link. */
  projectorLink: (ack: (result: { url: string } | null) => void) => void;
}

/** What the server keeps on each authenticated socket. */
export interface SocketData {
  sessionId: string;
  role: Role;
  participantId: string | null;
  name: string | null;
}
