import type { NoteColor } from '../../shared/board/schema.ts';

/**
 * The paint of a note colour. The names are NOTE_COLORS (shared/board/schema.ts),
 * the values app.css's `--note-<colour>` variables, so neither is listed again here.
 */
export function noteBackground(color: NoteColor): string {
  return `var(--note-${color})`;
}
