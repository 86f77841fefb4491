/** A note's size on the board in px: the app draws it, and the reveal lays notes out on a grid of it. */
export const NOTE_SIZE = { width: 168, height: 128 } as const;

/**
 * About how tall a note with `text` is drawn (px), erring tall: its type shrinks to
 * 13 px and then the note grows (client/components/StickyNote.svelte). The reveal lays
 * notes out with it so a long one does not cover the note below it.
 */
export function estimateNoteHeight(text: string): number {
  // At 13 px a note's line holds about 19 characters once words wrap; 16 leaves room.
  const perLine = 16;
  const lineHeight = 17;
  const chrome = 40;
  return Math.max(NOTE_SIZE.height, chrome + wrappedLines(text, perLine) * lineHeight);
}

/** How many lines `text` takes at about `perLine` characters a line: each paragraph at least one. */
export function wrappedLines(text: string, perLine: number): number {
  return text.split('\n').reduce((sum, paragraph) => sum + Math.max(1, Math.ceil(paragraph.length / perLine)), 0);
}
