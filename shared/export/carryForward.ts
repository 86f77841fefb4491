import type { CategoryId } from '../protocol/categories.ts';
import type { InquiryData, InquiryQuestion } from './jsonSchema.ts';

/**
 * Next month's meeting continues the inquiry on a new board. The people on it
 * have new participant ids, so carried-over commitments cannot belong to
 * anyone there: they are authored by marker actors `carried-1`, `carried-2`, …
 * (docs/export-format.md), which nobody can sign in as.
 */
export const CARRIED_ACTOR_PREFIX = 'carried-';

export function carriedActor(index: number): string {
  return `${CARRIED_ACTOR_PREFIX}${index + 1}`;
}

export function isCarriedActor(authorId: string): boolean {
  return authorId.startsWith(CARRIED_ACTOR_PREFIX);
}

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
