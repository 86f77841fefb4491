import { io, type Socket } from 'socket.io-client';
import { createContext } from 'svelte';
import type { AnonymousNoteRequest } from '../../shared/protocol/anonymousNote.ts';
import type {
  AnonymousNoteResult,
  ClientToServerEvents,
  CommandResult,
  DraftProgressReport,
  JoinGuessReport,
  Problem,
  RosterEntry,
  ServerToClientEvents,
  Welcome,
} from '../../shared/events.ts';
import { bearerHeader } from '../../shared/bearer.ts';
import { FACILITATOR_ACTOR } from '../../shared/board/Board.ts';
import { ANONYMOUS_ACTOR } from '../../shared/board/origins.ts';
import { newId } from '../../shared/ids.ts';
import type { Problem as HandshakeProblem } from '../../shared/problem.ts';
import { STEP_GRACE_MS } from '../../shared/board/writeRules.ts';
import { controlStateSchema, namesOnWall, remainingMs, stepStillOpen, type Command, type ControlState } from '../../shared/protocol/control.ts';
import { STEP_IDS, STEPS, type ArtifactKind } from '../../shared/protocol/steps.ts';
import { problemOf } from './api.ts';

export type LinkStatus = 'connecting' | 'online' | 'reconnecting' | 'refused' | 'deleted';

export interface SessionOptions {
  /** Where to keep the last known state, so a reload while offline still shows the step. */
  cacheKey?: string | null;
  /** Facilitator and projector: the join secret their link carried, for every QR code they show. */
  joinSecret?: string;
  /** Called with every newer control state: the one from the cache, the server's, a command's answer. */
  onControl?: (control: ControlState) => void;
}

/**
 * The control plane seen from the browser: who I am, where the meeting is,
 * who is here. The server is the authority; this only mirrors it.
 */
export class Session {
  #welcome = $state<Welcome | null>(null);
  #control = $state<ControlState | null>(null);
  #roster = $state<RosterEntry[]>([]);
  #status = $state<LinkStatus>('connecting');
  #problem = $state<Problem | null>(null);
  #joinGuesses = $state<JoinGuessReport | null>(null);
  #draftProgress = $state<DraftProgressReport | null>(null);
  /** Server clock minus ours, so every screen shows the same timer. */
  #clockOffset = $state(0);
  readonly joinSecret: string | undefined;
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;

  private readonly cacheKey: string | null;
  readonly #onControl: ((control: ControlState) => void) | undefined;

  constructor(token: string, { cacheKey = null, joinSecret, onControl }: SessionOptions = {}) {
    this.cacheKey = cacheKey;
    this.joinSecret = joinSecret;
    this.#onControl = onControl;
    this.restore();
    this.socket = io({ auth: { token }, transports: ['websocket'], reconnectionDelayMax: 5000 });
    this.socket.on('welcome', (welcome) => {
      this.#welcome = welcome;
      this.#clockOffset = welcome.serverTime - Date.now();
      this.#setControl(welcome.control, true);
      this.#status = 'online';
      this.save();
    });
    this.socket.on('control', ({ control, serverTime }) => {
      this.#setControl(control);
      this.#clockOffset = serverTime - Date.now();
      this.save();
    });
    this.socket.on('roster', (roster) => {
      this.#roster = roster;
      this.save();
    });
    this.socket.on('problem', (problem) => (this.#problem = problem));
    this.socket.on('draftProgress', (report) => (this.#draftProgress = report));
    this.socket.on('joinGuesses', (report) => (this.#joinGuesses = report.wrongCodes > 0 ? report : null));
    this.socket.on('sessionDeleted', () => {
      this.#status = 'deleted';
      if (this.cacheKey) localStorage.removeItem(this.cacheKey);
      this.onDeleted?.();
    });
    this.socket.on('disconnect', () => {
      if (this.#status !== 'refused' && this.#status !== 'deleted') this.#status = 'reconnecting';
    });
    this.socket.on('connect_error', (err) => {
      if ((err as Error & { data?: HandshakeProblem }).data?.code === 'unauthorized') {
        this.#status = 'refused';
        this.socket.disconnect();
      } else {
        this.#status = 'reconnecting';
      }
    });
  }

  get welcome(): Welcome | null {
    return this.#welcome;
  }
  get control(): ControlState | null {
    return this.#control;
  }
  get roster(): RosterEntry[] {
    return this.#roster;
  }
  get status(): LinkStatus {
    return this.#status;
  }
  get problem(): Problem | null {
    return this.#problem;
  }
  /** Facilitators: wrong join codes lately from the network this session's people joined from. */
  get joinGuesses(): JoinGuessReport | null {
    return this.#joinGuesses;
  }
  /** Facilitators, during silent writing: how many have written and how many notes, never what. */
  get draftProgress(): DraftProgressReport | null {
    return this.#draftProgress;
  }
  get clockOffset(): number {
    return this.#clockOffset;
  }

  /**
   * The one way in for a control state. An older version than the one held
   * is stale (a command's answer overtaken by a broadcast) unless `always`:
   * the welcome is the server's word after a reconnect.
   */
  #setControl(control: ControlState, always = false): void {
    if (!always && this.#control && control.version < this.#control.version) return;
    this.#control = control;
    this.#onControl?.(control);
  }

  get role() {
    return this.welcome?.role ?? null;
  }

  /**
   * "Use here": the server closed this window's control socket because the
   * link was opened in more places than it may be, and socket.io does not
   * come back by itself after a server-side disconnect.
   */
  reconnect(): void {
    if (this.status === 'deleted' || this.status === 'refused' || this.socket.connected) return;
    this.socket.connect();
  }

  /** A participant's display name (or "Facilitator"). */
  nameOf(id: string): string {
    if (id === FACILITATOR_ACTOR) return 'Facilitator';
    if (id === ANONYMOUS_ACTOR) return 'Anonymous';
    return this.roster.find((p) => p.participantId === id)?.name ?? 'Someone';
  }

  get online(): RosterEntry[] {
    return this.roster.filter((p) => p.online);
  }

  /**
   * Why a participant may not write `kind` now, in a few words, or null if
   * they may: the same lock, reveal, voting and step rules the sync server
   * enforces (server/sync/WriteGuard.ts). For comfort only: controls are
   * disabled with the reason, and the server still judges every write.
   */
  whyNotWrite(kind: ArtifactKind | 'vote'): string | null {
    const control = this.control;
    if (this.role === 'facilitator' || !control) return null;
    if (this.role === 'projector') return 'The projector only shows the board.';
    if (control.locked) return 'The facilitator has locked the board.';
    if (kind === 'vote') return control.voting.status === 'open' ? null : 'Voting is not open.';
    if (kind === 'note' && !control.revealed) return 'Notes go on the board after the facilitator reveals them.';
    const now = Date.now() + this.clockOffset;
    const open = STEP_IDS.some((step) => STEPS[step].accepts.includes(kind) && stepStillOpen(control, step, now, STEP_GRACE_MS));
    return open ? null : 'The meeting has moved on: this step does not take these now.';
  }

  canWrite(kind: ArtifactKind | 'vote'): boolean {
    return this.whyNotWrite(kind) === null;
  }

  /** Milliseconds left on the step timer at the local time `now`. */
  remaining(now: number): number {
    return this.control ? remainingMs(this.control.timer, now + this.clockOffset) : 0;
  }

  /**
   * Sends a facilitator command, tagged with an id so that a resend after a lost
   * acknowledgement (school Wi-Fi) is recognised and never applied twice.
   */
  async command(command: Command): Promise<CommandResult> {
    const tagged = { ...command, id: command.id ?? newId() };
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await this.sendOnce(tagged);
      if (!result) continue;
      if (result.ok) this.#setControl(result.control);
      this.#problem = result.ok ? null : result.error;
      return result;
    }
    const failed: CommandResult = { ok: false, error: { code: 'rejected', message: 'The server did not answer. Check the connection and try again.' } };
    this.#problem = failed.error;
    return failed;
  }

  private sendOnce(command: Command): Promise<CommandResult | null> {
    return new Promise((resolve) => {
      this.socket.timeout(5_000).emit('command', command, (err: Error | null, result?: CommandResult) => resolve(err || !result ? null : result));
    });
  }

  /** Called when the facilitator deletes the session. */
  onDeleted: (() => void) | null = null;

  /** Facilitator only: deletes the session and everything in it, for good. */
  async deleteSession(sessionId: string, token: string): Promise<string | null> {
    try {
      const res = await fetch(`/api/sessions/${encodeURIComponent(sessionId)}`, {
        method: 'DELETE',
        headers: bearerHeader(token),
      });
      if (res.status === 204) return null;
      return (await problemOf(res))?.message ?? `The server answered ${res.status}.`;
    } catch {
      return 'Cannot reach the server. Try again.';
    }
  }

  /** Participants, anonymous mode: asks the server to add, edit or delete one of this person's anonymous notes. */
  anonymousNote(request: AnonymousNoteRequest): Promise<AnonymousNoteResult> {
    return new Promise((resolve) => {
      this.socket.timeout(5_000).emit('anonymousNote', request, (err: Error | null, result?: AnonymousNoteResult) => {
        resolve(err || !result ? { ok: false, error: { code: 'rejected', message: 'The server did not answer. Check the connection and try again.' } } : result);
      });
    });
  }

  /** Whether the projector shows authors' names at the current step (the facilitator's choice, else the step's default). */
  get namesOnWall(): boolean {
    return this.control ? namesOnWall(this.control, this.control.step) : false;
  }

  /** Asks the server for a fresh projector link (facilitator only). */
  projectorLink(): Promise<string | null> {
    return new Promise((resolve) => {
      this.socket.timeout(10_000).emit('projectorLink', (err: Error | null, result?: { url: string } | null) => {
        resolve(err || !result ? null : result.url);
      });
    });
  }

  destroy(): void {
    this.socket.disconnect();
  }

  private save(): void {
    if (!this.cacheKey || !this.welcome) return;
    const snapshot = { welcome: { ...this.welcome, control: this.control ?? this.welcome.control }, roster: this.roster };
    localStorage.setItem(this.cacheKey, JSON.stringify(snapshot));
  }

  private restore(): void {
    if (!this.cacheKey) return;
    try {
      const snapshot = JSON.parse(localStorage.getItem(this.cacheKey) ?? 'null') as { welcome: Welcome; roster: RosterEntry[] } | null;
      // A state cached by an older version of the app gains the fields added since (the agenda).
      const control = controlStateSchema.safeParse(snapshot?.welcome?.control);
      if (!snapshot || !control.success) return;
      this.#welcome = { ...snapshot.welcome, control: control.data };
      this.#roster = Array.isArray(snapshot.roster) ? snapshot.roster : [];
      this.#setControl(control.data);
    } catch {
      // A damaged cache only costs the offline view; the server sends the truth on connect.
    }
  }
}

export const [getSession, setSession] = createContext<Session>();
