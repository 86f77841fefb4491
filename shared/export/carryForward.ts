import type { CategoryId } from '../protocol/categories.ts';
import type { InquiryData, InquiryQuestion } from './jsonSchema.ts';

// The marker actors of carried-over commitments are transaction origins of the server's own.
export { CARRIED_ACTOR_PREFIX, carriedActor, isCarriedActor } from '../board/origins.ts';

export interface CarryForwardPlan {
  /** The anchor (final) questions, in the order the facilitator marked them. */
  questions: Array<{ text: string; category: CategoryId | null }>;
  heaviest: CategoryId | null;
  commitments: Array<{ action: string; notice: string; partner: string; date: string }>;
}

/**
 * What a new board takes from an export: the anchor questions, the heaviest
 * category and this meeting's commitments. Commitments that were themselves
 * carried over are left behind, so they do not pile up month after month.
 */
export function carryForwardPlan(data: InquiryData): CarryForwardPlan {
  const byId = new Map(data.questions.map((q) => [q.id, q]));
  const finals = data.finalQuestionIds.map((id) => byId.get(id)).filter((q): q is InquiryQuestion => !!q);
  return {
    questions: finals.map((q) => ({ text: q.text, category: q.category })),
    heaviest: data.heaviest,
    commitments: data.commitments
      .filter((c) => !c.carriedOver)
      .map((c) => ({ action: c.action, notice: c.notice, partner: c.partner ?? '', date: c.date ?? '' })),
  };
}
