import { verifyToken } from '../auth/tokens.ts';
import type { ControlService } from '../control/ControlService.ts';
import type { ControlServer } from '../control/controlSocket.ts';
import type { Presence } from '../control/Presence.ts';
import type { DraftProgress } from '../control/DraftProgress.ts';
import type { SessionStore } from '../storage/SessionStore.ts';
import type { Rooms } from '../sync/Rooms.ts';
import type { Bus } from '../bus/Bus.ts';

export type DeleteOutcome = 'deleted' | 'unauthorized' | 'forbidden';

export interface DeletionDeps {
  sessions: SessionStore;
  rooms: Rooms;
  presence: Presence;
  control: ControlService;
  io: ControlServer;
  draftProgress?: DraftProgress;
  /** A cohort meeting's breakout groups, sessions of their own that go with their plenary. */
  groupsOf?: (sessionId: string) => Promise<string[]>;
  /** With several processes: the others close their rooms of the session too. */
  bus?: Bus | null;
}

/** Deletes a session for its facilitator: the key must be the facilitator's of this session (purgeSession does the rest). */
export async function deleteSession(deps: DeletionDeps, sessionId: string, token: unknown): Promise<DeleteOutcome> {
  const grant = await verifyToken(deps.sessions, token);
  if (!grant) return 'unauthorized';
  if (grant.role !== 'facilitator' || grant.sessionId !== sessionId) return 'forbidden';
  await purgeSession(deps, sessionId);
  return 'deleted';
}

/**
 * Deletes a session for good, for whoever may (its facilitator, a cohort's
 * deletion, the retention sweep): live documents are closed without a final
 * save (a save would write the board back), the rows go (everything else
 * cascades from the session), the store scrubs the freed pages, and every
 * socket of the session is told and disconnected. Tokens go with the rows, so
 * a client holding a cached copy can no longer connect to push it back.
 */
export async function purgeSession(deps: DeletionDeps, sessionId: string): Promise<void> {
  for (const group of (await deps.groupsOf?.(sessionId)) ?? []) await purgeSession(deps, group);
  deps.rooms.dropSession(sessionId);
  await deps.sessions.deleteSession(sessionId);
  deps.bus?.notify({ type: 'deleted', sessionId });
  deps.presence.forget(sessionId);
  deps.control.forget(sessionId);
  deps.draftProgress?.forget(sessionId);
  deps.io.to(sessionId).emit('sessionDeleted');
  // A server-side disconnect: socket.io clients do not try to reconnect after it.
  deps.io.in(sessionId).disconnectSockets();
}
