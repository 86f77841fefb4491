import { Board } from '../../shared/board/Board.ts';
import { boardRef } from '../../shared/board/DocRef.ts';
import { SERVER_ORIGIN } from '../../shared/board/origins.ts';
import { writtenOf } from '../../shared/year/practiceLog.ts';
import type { CohortStore } from '../storage/CohortStore.ts';
import type { Rooms } from '../sync/Rooms.ts';
import type { PracticeLog } from './PracticeLog.ts';

/**
 * The log round's effect (shared/protocol/monthly.ts): puts on the meeting's
 * board, for each member present, their latest entry shared with the
 * community or the cohort since the community's last meeting, and takes off
 * any that is no longer shared. Nothing narrower ever reaches the board, so
 * no browser in the meeting receives it. A session outside the year has no
 * log: nothing happens.
 */
export async function gatherLog(deps: { cohorts: CohortStore; log: PracticeLog; rooms: Rooms }, sessionId: string): Promise<number> {
  const meeting = await deps.cohorts.getMeeting(sessionId);
  if (!meeting) return 0;
  const links = (await deps.cohorts.listMeetingMembers(meeting.cohortId)).filter((l) => l.sessionId === sessionId);
  const participantOf = new Map(links.map((l) => [l.memberId, l.participantId]));
  const entries = await deps.log.forLogRound(meeting, [...participantOf.keys()]);
  await deps.rooms.withDoc(boardRef(sessionId), (room) => {
    new Board(room.doc).putLogShares(
      SERVER_ORIGIN,
      entries.map((e) => ({
        authorId: participantOf.get(e.authorId)!,
        entryId: e.id,
        ...writtenOf(e),
      })),
    );
  });
  return entries.length;
}
