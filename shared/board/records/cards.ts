import { z } from 'zod';
import { CATEGORY_IDS, type CategoryId } from '../../protocol/categories.ts';
import { STEP_IDS, type StepId } from '../../protocol/stepIds.ts';
import type { BoardOrigin } from '../DocCollections.ts';
import type { OwnedRecordStore, RecordType } from './RecordType.ts';

import { base, FIXED_FIELDS, id, text, TEXT_LIMITS } from './fields.ts';

export const CARD_TONES = ['warm', 'cool'] as const;
export type CardTone = (typeof CARD_TONES)[number];

/**
 * What a protocol's steps write (YEAR.md 4): a success, a clarifying or
 * probing question, a note to the presenter, warm or cool feedback, a
 * condition sorted into a category. `step` says where it was written;
 * `toPresenter` makes it the presenter's: it is in their own export and, in
 * the community brief, only if they share their notes (records/focus.ts).
 */
export const cardSchema = z.object({
  ...base,
  text: text(TEXT_LIMITS.noteText),
  step: z.enum(STEP_IDS),
  tone: z.enum(CARD_TONES).nullable().default(null),
  toPresenter: id.nullable().default(null),
  category: z.enum(CATEGORY_IDS).nullable().default(null),
});
export type Card = z.infer<typeof cardSchema>;

type Store = OwnedRecordStore<{ cards: typeof cardSchema }>;

export const cards = {
  schema: cardSchema,
  rule: {
    kind: 'card',
    creators: 'anyone',
    // Sorting a condition is the group's, as sorting a note is.
    shared: ['category'],
    partnerFields: [],
    immutable: [...FIXED_FIELDS, 'step', 'toPresenter'],
    quota: 60,
    stepField: 'step',
    presenterField: 'toPresenter',
  },
  commands: (board: Store) => ({
    addCard(
      origin: BoardOrigin,
      fields: { text: string; step: StepId; tone?: CardTone | null; toPresenter?: string | null; category?: CategoryId | null },
    ): string {
      return board.insert('cards', origin, {
        authorId: origin.actor,
        createdAt: Date.now(),
        text: fields.text.trim(),
        step: fields.step,
        tone: fields.tone ?? null,
        toPresenter: fields.toPresenter ?? null,
        category: fields.category ?? null,
      });
    },
    editCard(origin: BoardOrigin, cardId: string, patch: { text?: string; tone?: CardTone | null }): void {
      board.updateOwn('cards', origin, cardId, { ...patch, ...(patch.text !== undefined ? { text: patch.text.trim() } : {}) });
    },
    sortCard(origin: BoardOrigin, cardId: string, category: CategoryId | null): void {
      board.update('cards', origin, cardId, { category });
    },
    removeCard(origin: BoardOrigin, cardId: string): void {
      board.removeOwn('cards', origin, cardId);
    },
    /** The reveal (server only): one writer's silent warm and cool drafts become their cards, addressed to the presenter. */
    revealCardDrafts(origin: BoardOrigin, authorId: string, drafts: ReadonlyArray<{ text: string; tone: CardTone }>, step: StepId, toPresenter: string | null): string[] {
      return drafts
        .filter((d) => d.text.trim())
        .map((d) =>
          board.insert('cards', origin, { authorId, createdAt: Date.now(), text: d.text.trim(), step, tone: d.tone, toPresenter, category: null }),
        );
    },
  }),
} satisfies RecordType<Store>;
