import { Board } from '../../shared/board/Board.ts';
import { boardRef } from '../../shared/board/DocRef.ts';
import { buildInquiryData } from '../../shared/export/inquiryData.ts';
import type { InquiryData } from '../../shared/export/jsonSchema.ts';
import type { SessionStore } from '../storage/SessionStore.ts';
import type { Rooms } from '../sync/Rooms.ts';

export interface LoadOptions {
  names: boolean;
  /** Set for a participant's reduced brief. */
  participantId?: string | null;
  now?: number;
}

/**
 * Reads a session's brief from the store and its shared board, live or not.
 * Only the shared board is read: private drafts live in other documents.
 * Returns null when the session does not exist.
 */
export async function loadInquiry(sessions: SessionStore, rooms: Rooms, sessionId: string, options: LoadOptions): Promise<InquiryData | null> {
  const session = await sessions.getSession(sessionId);
  if (!session) return null;
  const participants = await sessions.listParticipants(sessionId);
  return rooms.withDoc(boardRef(sessionId), (room) =>
    buildInquiryData(
      { board: new Board(room.doc), control: session.control, session, participants },
      { names: options.names, participantId: options.participantId ?? null, now: options.now ?? Date.now() },
    ),
  );
}
