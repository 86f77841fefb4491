/** A note's size on the board in px: the app draws it, and the reveal lays notes out on a grid of it. */
export const NOTE_SIZE = { width: 168, height: 128 } as const;
