import { z } from 'zod';
import { BOARD_EXTENT, NOTE_COLORS } from '../board/records/notes.ts';
import { TEXT_LIMITS } from '../board/records/fields.ts';

/**
 * What a participant asks the server to do with their own anonymous notes
 * (the causes step's anonymous mode). Their device never writes these notes
 * itself: its Yjs client id would tie them to everything else it wrote. The
 * server checks the note is theirs (their private drafts document says so)
 * and writes as the anonymous marker (server/control/anonymousNotes.ts).
 */
/** A note id as newId makes them (shared/ids.ts). */
const noteId = z.string().regex(/^[A-Za-z0-9]{8,64}$/);
const coordinate = z.number().finite().min(-BOARD_EXTENT).max(BOARD_EXTENT);

export const anonymousNoteRequestSchema = z.discriminatedUnion('action', [
  /** A new note, with an id its writer chose so the screen can open it for editing at once. */
  z.strictObject({ action: z.literal('add'), id: noteId, x: coordinate, y: coordinate, color: z.enum(NOTE_COLORS).optional() }),
  z.strictObject({ action: z.literal('edit'), id: noteId, text: z.string().max(TEXT_LIMITS.noteText) }),
  z.strictObject({ action: z.literal('delete'), id: noteId }),
  /**
   * "My device still holds drafts after the reveal": the server reveals what it
   * has of them. (It also does so whenever the drafts document changes; this
   * covers drafts that reached it just as the reveal was being decided.)
   */
  z.strictObject({ action: z.literal('revealLate') }),
]);
export type AnonymousNoteRequest = z.infer<typeof anonymousNoteRequestSchema>;
