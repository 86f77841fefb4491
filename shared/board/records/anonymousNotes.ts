import { z } from 'zod';
import type { BoardOrigin } from '../DocCollections.ts';
import type { RecordStore, RecordType } from './RecordType.ts';

import { base, FIXED_FIELDS } from './fields.ts';

/**
 * A note its writer put on the board anonymously, as only their private
 * drafts document records it: keyed by the note's id on the board. The server
 * writes these (authored by the server actor); the writer's browser reads them
 * to show "You" and to offer edit and delete, which go through the server.
 * Nobody else syncs this document, and its owner cannot add, change or remove
 * an entry (a claim on someone else's note), so the server can trust it.
 */
export const anonymousNoteSchema = z.object({ ...base });
export type AnonymousNote = z.infer<typeof anonymousNoteSchema>;

/** The most anonymous notes one person may hold (the same as attributed notes, notes.ts). */
export const ANONYMOUS_NOTE_QUOTA = 150;

/** The collections these commands touch. */
type Store = RecordStore<{ anonymousNotes: typeof anonymousNoteSchema }>;

export const anonymousNotes = {
  schema: anonymousNoteSchema,
  // The owner's own connection may write nothing here: creators 'facilitator', and no facilitator opens a drafts document.
  rule: { kind: null, creators: 'facilitator', shared: [], partnerFields: [], immutable: [...FIXED_FIELDS], quota: 0 },
  commands: (drafts: Store) => ({
    /** The ids of the notes on the board this person wrote anonymously. */
    anonymousNoteIds(): string[] {
      return drafts.list('anonymousNotes').map((n) => n.id);
    },
    ownsAnonymousNote(noteId: string): boolean {
      return drafts.get('anonymousNotes', noteId) !== null;
    },
    /** Server only: records that the note `noteId` on the board is this person's. */
    claimAnonymousNote(origin: BoardOrigin, noteId: string): void {
      drafts.insert('anonymousNotes', origin, { authorId: origin.actor, createdAt: Date.now() }, noteId);
    },
    /** Server only: the note left the board. */
    releaseAnonymousNote(origin: BoardOrigin, noteId: string): void {
      drafts.remove('anonymousNotes', origin, noteId);
    },
  }),
} satisfies RecordType<Store>;
