import { Board } from '../../shared/board/Board.ts';
import { boardRef } from '../../shared/board/DocRef.ts';
import { carriedOrigin, FACILITATOR_ACTOR, personOrigin } from '../../shared/board/origins.ts';
import type { CarryForwardPlan } from '../../shared/export/carryForward.ts';
import type { ControlService } from '../control/ControlService.ts';
import type { Rooms } from '../sync/Rooms.ts';

/**
 * Seeds a new session from last meeting's export: the anchor questions go on
 * the board as the facilitator's questions and are marked final, the heaviest
 * category is set, and the commitments come over under marker actors
 * (shared/board/origins.ts). Runs before anyone can connect.
 */
export async function carryForward(control: ControlService, rooms: Rooms, sessionId: string, plan: CarryForwardPlan): Promise<void> {
  const facilitator = personOrigin(FACILITATOR_ACTOR);
  const questionIds = await rooms.withDoc(boardRef(sessionId), (room) => {
    const board = new Board(room.doc);
    const ids: string[] = [];
    // One transaction: the board gets its starting state as a single update.
    room.doc.transact(() => {
      for (const q of plan.questions) ids.push(board.addQuestion(facilitator, q.text, q.category));
      plan.commitments.forEach((c, i) => board.saveCommitment(carriedOrigin(i), c));
    }, facilitator);
    return ids;
  });
  await control.edit(sessionId, (state) => ({ ...state, heaviest: plan.heaviest, finalQuestionIds: questionIds }));
}
