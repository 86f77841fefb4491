import { z } from 'zod';
import type { BoardOrigin } from '../DocCollections.ts';
import type { RecordStore, RecordType } from './RecordType.ts';

import { CARD_TONES, type CardTone } from './cards.ts';
import { base, FIXED_FIELDS, text, TEXT_LIMITS } from './fields.ts';

/**
 * Warm or cool feedback written in silence (Tuning's examine step), in the
 * writer's private document: nobody else receives it until the facilitator's
 * reveal moves it onto the board as a card addressed to the presenter.
 */
export const cardDraftSchema = z.object({ ...base, text: text(TEXT_LIMITS.noteText), tone: z.enum(CARD_TONES) });
export type CardDraft = z.infer<typeof cardDraftSchema>;

type Store = RecordStore<{ cardDrafts: typeof cardDraftSchema }>;

export const cardDrafts = {
  schema: cardDraftSchema,
  // Quotas keep a reveal within the board's room.
  rule: { kind: null, creators: 'anyone', shared: [], partnerFields: [], immutable: FIXED_FIELDS, quota: 30 },
  commands: (drafts: Store) => ({
    cardDrafts(): CardDraft[] {
      return drafts.list('cardDrafts');
    },
    addCardDraft(origin: BoardOrigin, fields: { text: string; tone: CardTone }): string {
      return drafts.insert('cardDrafts', origin, { authorId: origin.actor, createdAt: Date.now(), text: fields.text.trim(), tone: fields.tone });
    },
    editCardDraft(origin: BoardOrigin, id: string, patch: { text?: string; tone?: CardTone }): void {
      drafts.update('cardDrafts', origin, id, patch);
    },
    removeCardDraft(origin: BoardOrigin, id: string): void {
      drafts.remove('cardDrafts', origin, id);
    },
    /** Removes the revealed drafts, in one transaction. */
    clearCardDrafts(origin: BoardOrigin, ids: readonly string[]): void {
      drafts.transact(origin, () => {
        for (const id of ids) drafts.remove('cardDrafts', origin, id);
      });
    },
  }),
} satisfies RecordType<Store>;
