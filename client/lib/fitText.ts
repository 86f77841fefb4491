/**
 * A note's type size: the largest of `max` down to `min` px at which `text` fits the
 * height `room`; at `min` the caller lets the note grow instead, so no text is cut.
 * `text` is the paragraph itself, sized by its content (scrollHeight is its full height).
 */
export function fitText(text: HTMLElement, room: number, max: number, min: number): number {
  let size = max;
  for (; size > min; size -= 0.5) {
    text.style.fontSize = `${size}px`;
    if (text.scrollHeight <= room && text.scrollWidth <= text.clientWidth) return size;
  }
  text.style.fontSize = `${min}px`;
  return min;
}

/** Screens: notes' text shrinks from 16 px to 13 px before the note grows. */
export const NOTE_TYPE = { max: 16, min: 13 } as const;
