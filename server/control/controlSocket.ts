import type { Server, Socket } from 'socket.io';
import type {
  AnonymousNoteResult,
  ClientToServerEvents,
  CommandResult,
  DraftProgressReport,
  ServerToClientEvents,
  SocketData,
} from '../../shared/events.ts';
import type { Problem } from '../../shared/problem.ts';
import type { ControlState } from '../../shared/protocol/control.ts';
import { verifyToken } from '../auth/tokens.ts';
import { TokenBucket } from '../limits/TokenBucket.ts';
import type { SessionRecord, SessionStore } from '../storage/SessionStore.ts';
import type { CommandOutcome, ControlService } from './ControlService.ts';
import { GUESS_WINDOW_MS } from '../sessions/JoinGuesses.ts';
import type { SessionService } from '../sessions/SessionService.ts';
import type { Presence } from './Presence.ts';
import type { DraftProgress } from './DraftProgress.ts';
import type { AnonymousNotes } from './anonymousNotes.ts';

export type ControlServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type ControlSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/**
 * Per-socket event budget. A facilitator clicking fast sends a few commands a
 * second; past the budget events are refused with a rate-limited problem, and
 * a socket that keeps going long after is disconnected.
 */
export interface ControlLimits {
  eventsPerSecond: number;
  eventBurst: number;
  /** Refused events in a row after which the socket is dropped. */
  refusalsBeforeDisconnect: number;
  /** Sockets one token may hold; a newer one closes the oldest (a person has a laptop, a phone, a tab). */
  socketsPerToken: number;
  /** At most one roster broadcast per session this often. */
  rosterCoalesceMs: number;
}

export const DEFAULT_CONTROL_LIMITS: ControlLimits = {
  eventsPerSecond: 20,
  eventBurst: 40,
  refusalsBeforeDisconnect: 200,
  socketsPerToken: 3,
  rosterCoalesceMs: 150,
};

interface Deps {
  sessions: SessionStore;
  /** Mints the projector's link. */
  service: SessionService;
  /** Wrong join codes from this session's network, for the facilitator's welcome. */
  guessesFor?: (sessionId: string) => number;
  control: ControlService;
  /** Participants' own anonymous notes (the causes step's anonymous mode). */
  anonymousNotes?: AnonymousNotes;
  presence: Presence;
  /** Silent-writing counts for the facilitator; told when the roster or the step changes. */
  draftProgress?: DraftProgress;
  /** Told of every command that changed a session's state (a plenary's groups follow its step). */
  onChanged?: (sessionId: string, state: ControlState) => void;
  now?: () => number;
  limits?: ControlLimits;
}

/** The socket.io room of a session's facilitator sockets. */
const facilitatorsOf = (sessionId: string) => `${sessionId}:facilitators`;

const TOO_MANY_SOCKETS = (max: number) =>
  ({
    code: 'rejected',
    message: `This link is open in more than ${max} tabs or devices, so the oldest was closed. Reload to use it here.`,
  }) as const;

const RATE_LIMITED = { code: 'rate-limited', message: 'Too many commands at once. Wait a moment and try again.' } as const;

/** A refused handshake: socket.io hands the client `message` and `data`, so both carry the problem. */
const UNAUTHORIZED = () =>
  Object.assign(new Error('unauthorized'), {
    data: { code: 'unauthorized', message: 'The session token is missing, malformed or unknown.' } satisfies Problem,
  });

/** The control plane's transport: authenticate, then parse → call → emit. */
export function attachControl(
  io: ControlServer,
  { sessions, service, control, anonymousNotes, presence, draftProgress, guessesFor, onChanged, now = Date.now, limits = DEFAULT_CONTROL_LIMITS }: Deps,
): {
  close(): void;
  reportGuesses(sessionId: string, wrongCodes: number): void;
  reportDraftProgress(sessionId: string, report: DraftProgressReport): void;
  /** Sends a state the server changed itself (a breakout opened or recalled) to the session's sockets. */
  broadcastControl(sessionId: string, state: ControlState): void;
} {
  const broadcastControl = (sessionId: string, state: ControlState) => {
    io.to(sessionId).emit('control', { control: state, serverTime: now() });
  };
  // Set by close(): the sockets' own disconnects during shutdown must not start timers that outlive the store.
  let closed = false;
  const broadcastPresence = async (sessionId: string) => {
    io.to(sessionId).emit('roster', await presence.roster(sessionId));
    draftProgress?.schedule(sessionId);
    const changed = await control.presenceChanged(sessionId);
    if (changed) io.to(sessionId).emit('control', { control: changed, serverTime: now() });
  };
  const broadcastLater = (sessionId: string) => {
    if (closed) return;
    broadcastPresence(sessionId).catch((err: Error) => console.error(`[howmight] presence update failed: ${err.message}`));
  };
  presence.onGraceOver = broadcastLater;

  // A burst of arrivals and departures (a class opening laptops, one token opening
  // 150 sockets) sends each session one roster per ROSTER_COALESCE_MS, trailing, with
  // the state at that moment, rather than one per socket to every socket.
  const rosterTimers = new Map<string, NodeJS.Timeout>();
  const rosterChanged = (sessionId: string) => {
    if (closed || rosterTimers.has(sessionId)) return;
    const timer = setTimeout(() => {
      rosterTimers.delete(sessionId);
      broadcastLater(sessionId);
    }, limits.rosterCoalesceMs);
    timer.unref();
    rosterTimers.set(sessionId, timer);
  };

  // Sockets per token, oldest first: a token may hold socketsPerToken at once.
  const socketsOf = new Map<string, ControlSocket[]>();
  const tokenOf = new WeakMap<ControlSocket, string>();

  // Read by the middleware, so the connection handler has it without waiting (events sent at once are not missed).
  const sessionOf = new WeakMap<ControlSocket, SessionRecord>();

  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    void (async () => {
      const grant = await verifyToken(sessions, token);
      if (!grant) return next(UNAUTHORIZED());
      // The token's public id (before the dot) names it; verified above, so it is a string.
      tokenOf.set(socket, (token as string).split('.')[0]!);
      const participant = grant.participantId ? await sessions.getParticipant(grant.participantId) : null;
      const session = await sessions.getSession(grant.sessionId);
      if (session) sessionOf.set(socket, session);
      socket.data = {
        sessionId: grant.sessionId,
        role: grant.role,
        participantId: grant.participantId,
        name: participant?.name ?? null,
      };
      next();
    })().catch((err: Error) => {
      console.error(`[howmight] authenticating a control socket failed: ${err.message}`);
      next(new Error('server error'));
    });
  });

  io.on('connection', (socket) => {
    const { sessionId, role, participantId, name } = socket.data;
    const session = sessionOf.get(socket);
    // Read once, here: a socket need not hold its own copy of the session (and its control state) while it is open.
    sessionOf.delete(socket);
    if (!session) {
      socket.disconnect(true);
      return;
    }
    const tokenId = tokenOf.get(socket)!;
    const siblings = socketsOf.get(tokenId) ?? [];
    siblings.push(socket);
    socketsOf.set(tokenId, siblings);
    while (siblings.length > limits.socketsPerToken) {
      const oldest = siblings.shift()!;
      oldest.emit('problem', TOO_MANY_SOCKETS(limits.socketsPerToken));
      oldest.disconnect(true);
    }
    void socket.join(sessionId);
    if (role === 'facilitator') void socket.join(facilitatorsOf(sessionId));
    const budget = new TokenBucket(limits.eventsPerSecond, limits.eventBurst);
    let refusals = 0;
    socket.use((packet, next) => {
      if (budget.take()) {
        refusals = 0;
        next();
        return;
      }
      refusals++;
      const ack = packet.at(-1) as unknown;
      if (typeof ack === 'function') ack(packet[0] === 'command' ? { ok: false, error: RATE_LIMITED } : null);
      if (refusals === 1) socket.emit('problem', RATE_LIMITED);
      if (refusals >= limits.refusalsBeforeDisconnect) socket.disconnect(true);
    });
    if (participantId) presence.arrive(sessionId, participantId);
    socket.emit('welcome', {
      role,
      sessionId,
      title: session.title,
      joinCode: session.joinCode,
      lengthMinutes: session.lengthMinutes,
      me: participantId && name ? { participantId, name } : null,
      // The state in memory if a room or a command has it: newer than the one read at the handshake.
      control: newer(control.current(sessionId), session.control),
      serverTime: now(),
    });
    // The newcomer gets the roster at once; everyone else with the next coalesced one.
    presence.roster(sessionId).then(
      (roster) => socket.emit('roster', roster),
      (err: Error) => console.error(`[howmight] reading the roster failed: ${err.message}`),
    );
    rosterChanged(sessionId);
    const wrongCodes = role === 'facilitator' ? (guessesFor?.(sessionId) ?? 0) : 0;
    if (wrongCodes > 0) socket.emit('joinGuesses', { wrongCodes, minutes: GUESS_WINDOW_MS / 60_000 });
    if (role === 'facilitator' && draftProgress) {
      draftProgress.report(sessionId).then(
        (report) => report && socket.emit('draftProgress', report),
        (err: Error) => console.error(`[howmight] counting drafts failed: ${err.message}`),
      );
    }

    socket.on('command', async (raw, ack) => {
      const reply = typeof ack === 'function' ? ack : undefined;
      let outcome: CommandOutcome;
      try {
        outcome = await control.command(sessionId, role, raw, socket.data.participantId ?? null);
      } catch (err) {
        // A fault in one command must not take the meeting down for everyone.
        console.error(`[howmight] command failed in a session: ${(err as Error).message}`);
        outcome = { ok: false, problem: { code: 'rejected', message: 'The server could not do that. Try again.' } };
      }
      if (!outcome.ok) {
        socket.emit('problem', outcome.problem);
        reply?.({ ok: false, error: outcome.problem } satisfies CommandResult);
        return;
      }
      if (outcome.changed) {
        broadcastControl(sessionId, outcome.control);
        draftProgress?.schedule(sessionId);
        onChanged?.(sessionId, outcome.control);
      }
      reply?.({ ok: true, control: outcome.control });
    });

    socket.on('anonymousNote', async (raw, ack) => {
      const reply = typeof ack === 'function' ? ack : undefined;
      let result: AnonymousNoteResult;
      try {
        result = anonymousNotes
          ? await anonymousNotes.request(sessionId, role === 'participant' ? participantId : null, raw)
          : { ok: false, error: { code: 'rejected', message: 'This server keeps no anonymous notes.' } };
      } catch (err) {
        console.error(`[howmight] an anonymous note failed in a session: ${(err as Error).message}`);
        result = { ok: false, error: { code: 'rejected', message: 'The server could not do that. Try again.' } };
      }
      reply?.(result);
    });

    socket.on('projectorLink', async (ack) => {
      if (typeof ack !== 'function') return;
      const link = await service.projectorLink(sessionId, role).catch((err: Error) => {
        console.error(`[howmight] minting a projector link failed: ${err.message}`);
        return { ok: false, problem: { code: 'rejected', message: 'The server could not do that. Try again.' } } as const;
      });
      if (!link.ok) socket.emit('problem', link.problem);
      ack(link.ok ? { url: link.url } : null);
    });

    socket.on('disconnect', () => {
      const left = socketsOf.get(tokenId);
      const at = left?.indexOf(socket) ?? -1;
      if (left && at >= 0) left.splice(at, 1);
      if (left?.length === 0) socketsOf.delete(tokenId);
      if (!participantId) return;
      presence.leave(sessionId, participantId);
      rosterChanged(sessionId);
    });
  });

  return {
    broadcastControl,
    reportDraftProgress(sessionId, report) {
      // Counts only, and only to the facilitators' room: participants and the projector never get them.
      io.to(facilitatorsOf(sessionId)).emit('draftProgress', report);
    },
    reportGuesses(sessionId, wrongCodes) {
      io.to(facilitatorsOf(sessionId)).emit('joinGuesses', { wrongCodes, minutes: GUESS_WINDOW_MS / 60_000 });
    },
    close() {
      closed = true;
      presence.close();
      for (const timer of rosterTimers.values()) clearTimeout(timer);
      rosterTimers.clear();
    },
  };
}

/** Of the state in memory and the one just read, the later: with several processes either may be behind. */
function newer(held: ControlState | null, read: ControlState): ControlState {
  return held && held.version >= read.version ? held : read;
}
