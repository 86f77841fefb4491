import { Board, BoardError } from '../../shared/board/Board.ts';
import { PrivateBoard } from '../../shared/board/PrivateBoard.ts';
import { boardRef, draftsRef, type DocRef } from '../../shared/board/DocRef.ts';
import { SERVER_ORIGIN } from '../../shared/board/origins.ts';
import { COLLECTION_NAMES, LIMITS, type CauseDraft } from '../../shared/board/schema.ts';
import type { SessionStore } from '../storage/SessionStore.ts';
import type { Rooms } from '../sync/Rooms.ts';

/**
 * The reveal: every participant's private root-cause drafts move onto the
 * shared board at once, present or not. It is planned before anything is
 * written: if the board has no room for every draft, nothing moves and the
 * facilitator is told why. The notes then go onto the board in one
 * transaction, and only then are the drafts removed from the private
 * documents, so nothing is revealed twice and nothing is lost.
 */
export async function revealDrafts(sessions: SessionStore, rooms: Rooms, sessionId: string): Promise<number> {
  const plan: Array<{ authorId: string; doc: DocRef; drafts: CauseDraft[] }> = [];
  for (const participant of await sessions.listParticipants(sessionId)) {
    const doc = draftsRef(sessionId, participant.id);
    const drafts = await rooms.withDoc(doc, (room) => new PrivateBoard(room.doc).causeDrafts());
    if (drafts.length > 0) plan.push({ authorId: participant.id, doc, drafts });
  }
  const waiting = plan.reduce((n, p) => n + p.drafts.filter((d) => d.text.trim()).length, 0);
  if (waiting === 0) return 0;
  await rooms.withDoc(boardRef(sessionId), (room) => {
    const used = COLLECTION_NAMES.reduce((n, name) => n + room.doc.getMap(name).size, 0);
    const free = LIMITS.itemsPerBoard - used;
    if (waiting > free) {
      throw new BoardError(`the board has room for ${free} more notes and ${waiting} drafts are waiting; remove some records first`);
    }
    const board = new Board(room.doc);
    room.doc.transact(() => {
      for (const { authorId, drafts } of plan) board.revealDrafts(SERVER_ORIGIN, authorId, drafts);
    }, SERVER_ORIGIN);
  });
  for (const { doc, drafts } of plan) {
    await rooms.withDoc(doc, (room) => new PrivateBoard(room.doc).clearCauseDrafts(SERVER_ORIGIN, drafts.map((d) => d.id)));
  }
  // Participants' apps put any draft they still hold on the board once they see "revealed";
  // the drafts' removal must reach them before that state does.
  await rooms.flush();
  return waiting;
}
