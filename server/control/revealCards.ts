import { Board, BoardError } from '../../shared/board/Board.ts';
import { boardRef, draftsRef } from '../../shared/board/DocRef.ts';
import { PrivateBoard } from '../../shared/board/PrivateBoard.ts';
import { SERVER_ORIGIN } from '../../shared/board/origins.ts';
import { COLLECTION_NAMES, LIMITS, type CardDraft } from '../../shared/board/schema.ts';
import type { SessionStore } from '../storage/SessionStore.ts';
import type { Rooms } from '../sync/Rooms.ts';

/** The step whose silent feedback the reveal shows, and which the cards name as where they were written. */
const WRITTEN_AT = 'tuningExamine' as const;

/**
 * Tuning's reveal: every participant's silent warm and cool drafts move onto
 * the board at once as their cards, addressed to the presenter. Planned
 * before anything is written, like the root causes' reveal
 * (revealDrafts.ts): if the board has no room, nothing moves and the
 * facilitator is told why; the drafts are removed only after the cards are up.
 */
export async function revealCards(sessions: SessionStore, rooms: Rooms, sessionId: string, presenterId: string | null): Promise<number> {
  const plan: Array<{ participantId: string; drafts: CardDraft[] }> = [];
  for (const participant of await sessions.listParticipants(sessionId)) {
    const drafts = await rooms.withDoc(draftsRef(sessionId, participant.id), (room) => new PrivateBoard(room.doc).cardDrafts());
    if (drafts.some((d) => d.text.trim())) plan.push({ participantId: participant.id, drafts });
  }
  const waiting = plan.reduce((n, p) => n + p.drafts.filter((d) => d.text.trim()).length, 0);
  if (waiting === 0) return 0;
  await rooms.withDoc(boardRef(sessionId), (room) => {
    const used = COLLECTION_NAMES.reduce((n, name) => n + room.doc.getMap(name).size, 0);
    const free = LIMITS.itemsPerBoard - used;
    if (waiting > free) throw new BoardError(`the board has room for ${free} more cards and ${waiting} drafts are waiting; remove some records first`);
    const board = new Board(room.doc);
    room.doc.transact(() => {
      for (const { participantId, drafts } of plan) board.revealCardDrafts(SERVER_ORIGIN, participantId, drafts, WRITTEN_AT, presenterId);
    }, SERVER_ORIGIN);
  });
  for (const { participantId, drafts } of plan) {
    await rooms.withDoc(draftsRef(sessionId, participantId), (room) => {
      new PrivateBoard(room.doc).clearCardDrafts(SERVER_ORIGIN, drafts.map((d) => d.id));
    });
  }
  // Drafts' removal reaches the writers before the state says "revealed".
  await rooms.flush();
  return waiting;
}
