import { Board } from '../../shared/board/Board.ts';
import { PrivateBoard } from '../../shared/board/PrivateBoard.ts';
import { privateDocName } from '../../shared/board/schema.ts';
import type { Store } from '../store/Store.ts';
import type { Rooms } from '../sync/Rooms.ts';

const SERVER = { actor: 'server' };

/**
 * The reveal: every participant's private root-cause drafts move onto the
 * shared board at once, present or not. Drafts are added under their author's
 * id and then removed from the private document, so nothing is revealed twice.
 */
export function revealDrafts(store: Store, rooms: Rooms, sessionId: string): number {
  let revealed = 0;
  for (const participant of store.listParticipants(sessionId)) {
    const privateName = privateDocName(sessionId, participant.id);
    const drafts = rooms.withDoc(privateName, sessionId, (room) => new PrivateBoard(room.doc).causeDrafts());
    if (drafts.length === 0) continue;
    rooms.withDoc(sessionId, sessionId, (room) => new Board(room.doc).revealDrafts(SERVER, participant.id, drafts));
    rooms.withDoc(privateName, sessionId, (room) =>
      new PrivateBoard(room.doc).clearCauseDrafts(SERVER, drafts.map((d) => d.id)),
    );
    revealed += drafts.length;
  }
  return revealed;
}
