import type { Board } from '../../shared/board/Board.ts';
import { isCarriedActor } from '../../shared/board/origins.ts';
import type { ControlState } from '../../shared/protocol/control.ts';
import type { QuestionSource } from '../../shared/year/api.ts';

export interface Harvest {
  /** The meeting's first final question, with the cluster or category it came from. */
  question: { text: string; source: QuestionSource } | null;
  /** Today's commitments (not those carried onto the board), by author participant. */
  commitments: Array<{ participantId: string; action: string; notice: string; partner: string; due: string }>;
}

/**
 * What a finished meeting leaves for the year, read from its board: the final
 * question with its lineage (the HMW draft, its cluster or category, and that
 * cluster's or category's notes), and each person's commitment.
 * `authorName` turns a participant id into the name the lineage keeps.
 */
export function harvestBoard(board: Board, control: ControlState, authorName: (participantId: string) => string | null): Harvest {
  const questions = new Map(board.list('questions').map((q) => [q.id, q]));
  const final = control.finalQuestionIds.map((id) => questions.get(id)).find((q) => q !== undefined) ?? null;
  let question: Harvest['question'] = null;
  if (final) {
    const cluster = final.clusterId ? board.get('clusters', final.clusterId) : null;
    const notes = board
      .notes()
      .filter((n) => (cluster ? n.clusterId === cluster.id : final.category !== null && n.category === final.category))
      .filter((n) => n.copyOf === null)
      .map((n) => ({ text: n.text, author: authorName(n.authorId) }));
    question = {
      text: final.text,
      source: { questionId: final.id, category: final.category, cluster: cluster?.label ?? null, notes },
    };
  }
  const commitments = board
    .list('commitments')
    .filter((c) => !isCarriedActor(c.authorId) && c.action.trim() !== '')
    .map((c) => ({ participantId: c.authorId, action: c.action, notice: c.notice, partner: c.partner, due: c.date }));
  return { question, commitments };
}
