import { z } from 'zod';

/**
 * The building blocks every record file uses, and the text sizes several
 * record types share (a "note's worth" of text is the same on a note, a need,
 * an assumption and a commitment, so a facilitator meets one limit).
 */
export const TEXT_LIMITS = {
  noteText: 500,
  shortText: 300,
} as const;

export const id = z.string().min(1).max(64);
export const time = z.number().int().nonnegative();
export const text = (max: number) => z.string().max(max);

/** Fields fixed when a record is made; nobody changes them afterwards. */
export const FIXED_FIELDS = ['authorId', 'createdAt'] as const;

/** What every record carries: its id (its key in the collection), its author and when it was made. */
export const base = { id, authorId: id, createdAt: time };
