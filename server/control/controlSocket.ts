import type { Server } from 'socket.io';
import type { ClientToServerEvents, CommandResult, ServerToClientEvents, SocketData } from '../../shared/events.ts';
import { paths } from '../../shared/api.ts';
import { mintToken, verifyToken } from '../auth/tokens.ts';
import type { Store } from '../store/Store.ts';
import type { CommandOutcome, ControlService } from './ControlService.ts';
import { LEAVE_GRACE_MS, type Presence } from './Presence.ts';

export type ControlServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

interface Deps {
  store: Store;
  control: ControlService;
  presence: Presence;
  now?: () => number;
}

/** The control plane's transport: authenticate, then parse → call → emit. */
export function attachControl(io: ControlServer, { store, control, presence, now = Date.now }: Deps): { close(): void } {
  const timers = new Set<NodeJS.Timeout>();
  io.use((socket, next) => {
    const grant = verifyToken(store, (socket.handshake.auth as { token?: unknown } | undefined)?.token);
    if (!grant) return next(new Error('unauthorized'));
    const participant = grant.participantId ? store.getParticipant(grant.participantId) : null;
    socket.data = {
      sessionId: grant.sessionId,
      role: grant.role,
      participantId: grant.participantId,
      name: participant?.name ?? null,
    };
    next();
  });

  io.on('connection', (socket) => {
    const { sessionId, role, participantId, name } = socket.data;
    const session = store.getSession(sessionId);
    if (!session) {
      socket.disconnect(true);
      return;
    }
    void socket.join(sessionId);
    if (participantId) presence.arrive(sessionId, participantId);
    const broadcastPresence = () => {
      io.to(sessionId).emit('roster', presence.roster(sessionId));
      const changed = control.presenceChanged(sessionId);
      if (changed) io.to(sessionId).emit('control', { control: changed, serverTime: now() });
    };
    socket.emit('welcome', {
      role,
      sessionId,
      title: session.title,
      joinCode: session.joinCode,
      lengthMinutes: session.lengthMinutes,
      me: participantId && name ? { participantId, name } : null,
      control: session.control,
      serverTime: now(),
    });
    broadcastPresence();

    socket.on('command', (raw, ack) => {
      const reply = typeof ack === 'function' ? ack : undefined;
      let outcome: CommandOutcome;
      try {
        outcome = control.command(sessionId, role, raw);
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
      if (outcome.changed) io.to(sessionId).emit('control', { control: outcome.control, serverTime: now() });
      reply?.({ ok: true, control: outcome.control });
    });

    socket.on('projectorLink', (ack) => {
      if (typeof ack !== 'function') return;
      if (role !== 'facilitator') {
        socket.emit('problem', { code: 'forbidden', message: 'Only the facilitator can open the projector.' });
        ack(null);
        return;
      }
      const minted = mintToken(sessionId, 'projector');
      store.addToken(minted.record);
      ack({ url: `${paths.projector(sessionId)}#${minted.token}` });
    });

    socket.on('disconnect', () => {
      if (!participantId) return;
      presence.leave(sessionId, participantId);
      io.to(sessionId).emit('roster', presence.roster(sessionId));
      // Pairs change only once a leaver has been gone for the grace period.
      const timer = setTimeout(() => {
        timers.delete(timer);
        broadcastPresence();
      }, LEAVE_GRACE_MS + 50);
      timer.unref();
      timers.add(timer);
    });
  });

  return {
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
