import type { CardTone } from '../../../shared/board/records/cards.ts';
import type { CategoryId } from '../../../shared/protocol/categories.ts';
import { STEPS, type StepId } from '../../../shared/protocol/steps.ts';
import type { LiveBoard } from '../../lib/board.svelte.ts';

export interface NewCard {
  text: string;
  step: StepId;
  tone: CardTone | null;
  toPresenter: string | null;
  category?: CategoryId | null;
}

/** Whether cards at `step` are written in silence: kept in the writer's private document until the reveal. */
export function writtenInSilence(step: StepId): boolean {
  return STEPS[step].groupMode === 'silent writing, then reveal';
}

/**
 * Writes one card, for every step that takes them. At a step of silent
 * writing (Tuning's examine) it is a draft in the writer's private document,
 * which nobody else receives; the facilitator's reveal puts every draft on
 * the board at once, addressed to the presenter (server/control/revealCards.ts).
 * Returns whether it was written.
 */
export function writeCard(board: LiveBoard, card: NewCard): boolean {
  if (writtenInSilence(card.step)) {
    return board.draft((mine, o) => mine.addCardDraft(o, { text: card.text, tone: card.tone ?? 'warm' })) !== undefined;
  }
  return board.act((b, o) => b.addCard(o, card)) !== undefined;
}
