import { z } from 'zod';
import type { CategoryId } from '../../protocol/categories.ts';
import { CATEGORY_IDS } from '../../protocol/categories.ts';
import { BoardError, type BoardOrigin } from '../DocCollections.ts';
import { estimateNoteHeight, NOTE_SIZE } from '../noteSize.ts';
import type { OwnedRecordStore, RecordType } from './RecordType.ts';

import type { CauseDraft } from './causeDrafts.ts';
import { base, FIXED_FIELDS, id, text, TEXT_LIMITS } from './fields.ts';

/** How far from the origin a note may sit, either way (px). */
export const BOARD_EXTENT = 10_000;

export const NOTE_COLORS = ['yellow', 'pink', 'blue', 'green', 'orange', 'purple'] as const;
export type NoteColor = (typeof NOTE_COLORS)[number];
/** A new note's colour unless its author picks one, and every revealed draft's. */
export const DEFAULT_NOTE_COLOR: NoteColor = 'yellow';

/**
 * The reveal's grid: six columns, so a laptop sees every column at a readable zoom
 * (boards revealed earlier with eight keep their positions), from a 20 px margin.
 */
export const REVEAL_GRID = { columns: 6, margin: 20, gap: 16 } as const;
const COLUMN_STEP = NOTE_SIZE.width + REVEAL_GRID.gap;

const coordinate = z.number().finite().min(-BOARD_EXTENT).max(BOARD_EXTENT);

/** A root cause on the board: revealed from a silent draft, then moved and sorted by anyone. */
export const noteSchema = z.object({
  ...base,
  text: text(TEXT_LIMITS.noteText),
  x: coordinate,
  y: coordinate,
  color: z.enum(NOTE_COLORS),
  storyId: id.nullable().default(null),
  category: z.enum(CATEGORY_IDS).nullable().default(null),
  /** Set on a copy made to sort a note into a second category. */
  copyOf: id.nullable().default(null),
  /** The cluster (./clusters.ts) this note is stacked in, which is in the note's category; null when on its own. */
  clusterId: id.nullable().default(null),
});
export type Note = z.infer<typeof noteSchema>;

/** What a writer gives to add a note; the rest is filled in. */
export const newNoteSchema = z.object({
  text: text(TEXT_LIMITS.noteText),
  x: coordinate,
  y: coordinate,
  color: z.enum(NOTE_COLORS).optional(),
  storyId: id.nullable().optional(),
});
export type NewNote = z.infer<typeof newNoteSchema>;

function clampToBoard(v: number): number {
  return Math.round(Math.max(-BOARD_EXTENT, Math.min(BOARD_EXTENT, v)));
}

/** The collections these commands touch. */
type Store = OwnedRecordStore<{ notes: typeof noteSchema }>;

export const notes = {
  schema: noteSchema,
  rule: {
    kind: 'note',
    creators: 'anyone',
    shared: ['x', 'y', 'category', 'clusterId'],
    partnerFields: [],
    immutable: [...FIXED_FIELDS, 'copyOf'],
    quota: 150,
    copies: true,
    references: [{ field: 'clusterId', collection: 'clusters', sameField: 'category' }],
  },
  commands: (board: Store) => ({
    /** `id` is the server's, for an anonymous note whose id its writer chose (server/control/anonymousNotes.ts). */
    addNote(origin: BoardOrigin, input: NewNote, id?: string): string {
      const parsed = newNoteSchema.safeParse(input);
      if (!parsed.success) throw new BoardError(`Invalid note: ${parsed.error.issues[0]?.message ?? 'bad input'}`);
      if (id !== undefined && board.get('notes', id)) throw new BoardError('A note with that id exists.');
      return board.insert('notes', origin, {
        authorId: origin.actor,
        text: parsed.data.text,
        x: parsed.data.x,
        y: parsed.data.y,
        color: parsed.data.color ?? DEFAULT_NOTE_COLOR,
        storyId: parsed.data.storyId ?? null,
        category: null,
        copyOf: null,
        clusterId: null,
        createdAt: Date.now(),
      }, id);
    },

    editNote(origin: BoardOrigin, id: string, text: string): void {
      if (text.length > TEXT_LIMITS.noteText) throw new BoardError(`A note holds at most ${TEXT_LIMITS.noteText} characters.`);
      board.updateOwn('notes', origin, id, { text });
    },

    /** Anyone may move any note. */
    moveNote(origin: BoardOrigin, id: string, x: number, y: number): void {
      if (!Number.isFinite(x) || !Number.isFinite(y)) throw new BoardError('A note needs a finite position.');
      board.update('notes', origin, id, { x: clampToBoard(x), y: clampToBoard(y) });
    },

    deleteNote(origin: BoardOrigin, id: string): void {
      board.removeOwn('notes', origin, id);
    },

    /** Anyone may sort any note; null puts it back in the tray. A note sorted elsewhere leaves its cluster. */
    sortNote(origin: BoardOrigin, id: string, category: CategoryId | null): void {
      const note = board.get('notes', id);
      if (note && note.category === category) return;
      board.update('notes', origin, id, { category, clusterId: null });
    },

    /** Copies a note into a second category; returns the copy's id. */
    duplicateNote(origin: BoardOrigin, id: string, category: CategoryId): string {
      const note = board.get('notes', id);
      if (!note) throw new BoardError('That note is gone.');
      return board.insert('notes', origin, {
        ...note,
        x: clampToBoard(note.x + 24),
        y: clampToBoard(note.y + 24),
        category,
        copyOf: note.copyOf ?? note.id,
        clusterId: null,
        createdAt: Date.now(),
      });
    },

    /**
     * Adds revealed drafts to the board in one transaction, laid out in a grid.
     * `anonymousAt` reveals them anonymously: no story link (a story names its
     * teller) and that time as every note's creation, not the draft's, so
     * neither can be matched to a person; the caller gives the author marker.
     */
    revealDrafts(origin: BoardOrigin, authorId: string, drafts: CauseDraft[], anonymousAt?: number): string[] {
      const ids: string[] = [];
      board.transact(origin, () => {
        // Each column's bottom, from the notes already in it (a later reveal goes under them).
        const bottoms = new Array<number>(REVEAL_GRID.columns).fill(REVEAL_GRID.margin);
        for (const note of board.list('notes')) {
          const column = Math.round((note.x - REVEAL_GRID.margin) / COLUMN_STEP);
          if (column < 0 || column >= REVEAL_GRID.columns) continue;
          bottoms[column] = Math.max(bottoms[column]!, note.y + estimateNoteHeight(note.text) + REVEAL_GRID.gap);
        }
        for (const draft of drafts) {
          if (!draft.text.trim()) continue;
          // Into the shortest column, so long notes do not cover the ones below them;
          // a column that would run off the board starts again at the top.
          const column = bottoms.indexOf(Math.min(...bottoms));
          const height = estimateNoteHeight(draft.text);
          let y = bottoms[column]!;
          if (y + height > BOARD_EXTENT) y = REVEAL_GRID.margin;
          bottoms[column] = y + height + REVEAL_GRID.gap;
          ids.push(
            board.insert('notes', origin, {
              authorId,
              text: draft.text,
              x: REVEAL_GRID.margin + column * COLUMN_STEP,
              y,
              color: DEFAULT_NOTE_COLOR,
              storyId: anonymousAt === undefined ? draft.storyId : null,
              category: null,
              copyOf: null,
              clusterId: null,
              createdAt: anonymousAt ?? draft.createdAt,
            }),
          );
        }
      });
      return ids;
    },
  }),
} satisfies RecordType<Store>;
