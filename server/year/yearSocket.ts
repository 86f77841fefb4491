import type { Namespace, Server } from 'socket.io';
import { YEAR_NAMESPACE, type YearClientEvents, type YearServerEvents } from '../../shared/year/practiceLog.ts';
import type { CohortService } from './CohortService.ts';

/** What the server sends a member's open home page, by member id. */
export interface YearNotifier {
  toMembers<E extends keyof YearServerEvents>(memberIds: readonly string[], event: E, ...args: Parameters<YearServerEvents[E]>): void;
  /** Ends a removed member's open pages at once, telling them why. */
  closeMember(memberId: string, message: string): Promise<void>;
}

/** Sockets one member may hold open (a laptop, a phone, a few tabs); the oldest goes first. */
export const YEAR_SOCKETS_PER_MEMBER = 8;

const roomOf = (memberId: string) => `member:${memberId}`;

/**
 * The year's push channel: a socket.io namespace a member's home page opens
 * with their personal key in the handshake's `auth` (never the URL). It only
 * listens: writes go over HTTP, which answers each one, and the server sends
 * here what reached the member (an entry shared with them, a note on theirs).
 * Each socket is in its member's room and nothing else, so an emit to a room
 * reaches that member's pages and no one else's.
 */
export function attachYearSocket(io: Server, cohorts: CohortService): YearNotifier {
  const year = io.of(YEAR_NAMESPACE) as unknown as Namespace<YearClientEvents, YearServerEvents, Record<string, never>, { memberId: string }>;
  year.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    cohorts
      .memberGrant(token)
      .then((grant) => {
        if (!grant) {
          return next(Object.assign(new Error('unauthorized'), { data: { code: 'unauthorized', message: 'This needs your personal link.' } }));
        }
        socket.data = { memberId: grant.member.id };
        next();
      })
      .catch((err: Error) => {
        console.error(`[howmight] authenticating a year socket failed: ${err.message}`);
        next(new Error('server error'));
      });
  });
  year.on('connection', (socket) => {
    const room = roomOf(socket.data.memberId);
    void socket.join(room);
    const open = year.adapter.rooms.get(room);
    if (open && open.size > YEAR_SOCKETS_PER_MEMBER) {
      const oldest = [...open].find((id) => id !== socket.id);
      year.sockets.get(oldest!)?.disconnect(true);
    }
    // Nothing is taken from a member here: any event is ignored.
  });

  return {
    toMembers(memberIds, event, ...args) {
      if (memberIds.length === 0) return;
      (year.to(memberIds.map(roomOf)).emit as (event: string, ...rest: unknown[]) => boolean)(event, ...args);
    },
    async closeMember(memberId, message) {
      for (const socket of await year.in(roomOf(memberId)).fetchSockets()) {
        socket.emit('problem', { code: 'forbidden', message });
        socket.disconnect(true);
      }
    },
  };
}
