import { closeWith } from '../../shared/closeCodes.ts';
import type { ControlServer } from '../control/controlSocket.ts';
import type { CohortStore, MeetingMemberRecord } from '../storage/CohortStore.ts';
import type { Rooms } from '../sync/Rooms.ts';

export interface SocketDeps {
  cohorts: CohortStore;
  rooms: Rooms;
  io: ControlServer;
}

/**
 * Closes a member's open control and board sockets in one meeting, telling
 * them why; 44xx, so a board client does not retry. Revoking a key stops new
 * connections; this ends the ones already open (a lost laptop's, say).
 */
export async function closeParticipantSockets(deps: Omit<SocketDeps, 'cohorts'>, link: MeetingMemberRecord, message: string): Promise<void> {
  for (const socket of await deps.io.in(link.sessionId).fetchSockets()) {
    if (socket.data.participantId !== link.participantId) continue;
    socket.emit('problem', { code: 'forbidden', message });
    socket.disconnect(true);
  }
  deps.rooms.disconnectParticipant(link.sessionId, link.participantId, ...closeWith('forbidden', message));
}

/** The same in every meeting of the cohort the member has been in. */
export async function closeMemberSockets(deps: SocketDeps, cohortId: string, memberId: string, message: string): Promise<void> {
  const links = (await deps.cohorts.listMeetingMembers(cohortId)).filter((l) => l.memberId === memberId);
  for (const link of links) await closeParticipantSockets(deps, link, message);
}
