import type { CardTone } from '../../../shared/board/records/cards.ts';
import type { CategoryId } from '../../../shared/protocol/categories.ts';
import type { StepId } from '../../../shared/protocol/steps.ts';
import type { LiveBoard } from '../../lib/board.svelte.ts';

export interface NewCard {
  text: string;
  step: StepId;
  tone: CardTone | null;
  toPresenter: string | null;
  category?: CategoryId | null;
}

/**
 * Writes one card, for every step that takes them. The seam for Tuning's
 * silent writing: once private drafts land, a card written at tuningExamine
 * goes to PrivateBoard.addCardDraft(origin, {text, tone}) (via board.draft)
 * and reaches the board at the facilitator's reveal; until then it goes
 * straight onto the board, addressed to the presenter. Returns whether it was written.
 */
export function writeCard(board: LiveBoard, card: NewCard): boolean {
  return board.act((b, o) => b.addCard(o, card)) !== undefined;
}
