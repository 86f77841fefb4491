import { z } from 'zod';

/**
 * The board document's layout. Only shared/board touches the Y.Doc's maps;
 * everything else goes through the Board wrapper. docs/board-schema.md
 * describes the same layout for integrations.
 */
export const MAPS = {
  notes: 'notes',
} as const;

export const LIMITS = {
  noteText: 500,
  itemsPerBoard: 2000,
  boardExtent: 10_000,
} as const;

export const NOTE_COLORS = ['yellow', 'pink', 'blue', 'green', 'orange', 'purple'] as const;
export type NoteColor = (typeof NOTE_COLORS)[number];

const id = z.string().min(1).max(64);
const coordinate = z.number().finite().min(-LIMITS.boardExtent).max(LIMITS.boardExtent);

export const noteSchema = z.object({
  id,
  authorId: id,
  text: z.string().max(LIMITS.noteText),
  x: coordinate,
  y: coordinate,
  color: z.enum(NOTE_COLORS),
  createdAt: z.number().int().nonnegative(),
});
export type Note = z.infer<typeof noteSchema>;

export const newNoteSchema = noteSchema.pick({ text: true, x: true, y: true }).extend({
  color: z.enum(NOTE_COLORS).optional(),
});
export type NewNote = z.infer<typeof newNoteSchema>;
