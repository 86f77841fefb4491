import { io, type Socket } from 'socket.io-client';
import { getContext, setContext } from 'svelte';
import type {
  ClientToServerEvents,
  CommandResult,
  Problem,
  RosterEntry,
  ServerToClientEvents,
  Welcome,
} from '../../shared/events.ts';
import { remainingMs, type Command, type ControlState } from '../../shared/protocol/control.ts';

export type LinkStatus = 'connecting' | 'online' | 'reconnecting' | 'refused';

/**
 * The control plane seen from the browser: who I am, where the meeting is,
 * who is here. The server is the authority; this only mirrors it.
 */
export class Session {
  welcome = $state<Welcome | null>(null);
  control = $state<ControlState | null>(null);
  roster = $state<RosterEntry[]>([]);
  status = $state<LinkStatus>('connecting');
  problem = $state<Problem | null>(null);
  /** Server clock minus ours, so every screen shows the same timer. */
  clockOffset = $state(0);
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;

  constructor(token: string) {
    this.socket = io({ auth: { token }, transports: ['websocket'], reconnectionDelayMax: 5000 });
    this.socket.on('welcome', (welcome) => {
      this.welcome = welcome;
      this.control = welcome.control;
      this.clockOffset = welcome.serverTime - Date.now();
      this.status = 'online';
    });
    this.socket.on('control', ({ control, serverTime }) => {
      if (!this.control || control.version >= this.control.version) this.control = control;
      this.clockOffset = serverTime - Date.now();
    });
    this.socket.on('roster', (roster) => (this.roster = roster));
    this.socket.on('problem', (problem) => (this.problem = problem));
    this.socket.on('disconnect', () => {
      if (this.status !== 'refused') this.status = 'reconnecting';
    });
    this.socket.on('connect_error', (err) => {
      if (err.message === 'unauthorized') {
        this.status = 'refused';
        this.socket.disconnect();
      } else {
        this.status = 'reconnecting';
      }
    });
  }

  get role() {
    return this.welcome?.role ?? null;
  }

  /** A participant's display name (or "Facilitator"). */
  nameOf(id: string): string {
    if (id === 'facilitator') return 'Facilitator';
    return this.roster.find((p) => p.participantId === id)?.name ?? 'Someone';
  }

  get online(): RosterEntry[] {
    return this.roster.filter((p) => p.online);
  }

  /** Milliseconds left on the step timer at the local time `now`. */
  remaining(now: number): number {
    return this.control ? remainingMs(this.control.timer, now + this.clockOffset) : 0;
  }

  command(command: Command): Promise<CommandResult> {
    return new Promise((resolve) => {
      this.socket.timeout(10_000).emit('command', command, (err: Error | null, result?: CommandResult) => {
        if (err || !result) {
          resolve({ ok: false, error: { code: 'rejected', message: 'The server did not answer. Try again.' } });
        } else {
          if (result.ok && (!this.control || result.control.version >= this.control.version)) this.control = result.control;
          if (!result.ok) this.problem = result.error;
          resolve(result);
        }
      });
    });
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
}

const KEY = Symbol('session');
export const setSession = (session: Session) => setContext(KEY, session);
export const getSession = () => getContext<Session>(KEY);
