/**
 * Notes' type size: the largest of `max` down to `min` px at which a note's
 * text fits the height `room`; at `min` the note grows instead, so no text is
 * cut. `text` is the paragraph itself, sized by its content (scrollHeight is
 * its full height).
 *
 * Fitting reads layout after writing a size. Done note by note, each read
 * lays out the whole board again (2,000 notes: millions of note layouts); so
 * every note asked for in one frame is fitted together, just before it is
 * painted: all sizes written, then all read, one layout per half-pixel step.
 */
interface Fit {
  room: number;
  max: number;
  min: number;
}

const waiting = new Map<HTMLElement, Fit>();
let frame: number | null = null;

/** Fits `text` before the next paint, with every other text asked for meanwhile. */
export function fitTextSoon(text: HTMLElement, room: number, max: number, min: number): void {
  waiting.set(text, { room, max, min });
  frame ??= requestAnimationFrame(fitWaiting);
}

function fitWaiting(): void {
  frame = null;
  let open = [...waiting].filter(([text]) => text.isConnected).map(([text, fit]) => ({ text, ...fit, size: fit.max }));
  waiting.clear();
  for (const job of open) job.text.style.fontSize = `${job.size}px`;
  while (open.length > 0) {
    // Reads only, then writes only: one layout for the whole set.
    const fits = open.map(({ text, room }) => text.scrollHeight <= room && text.scrollWidth <= text.clientWidth);
    const smaller = open.filter((_, i) => !fits[i]);
    for (const job of smaller) {
      job.size = Math.max(job.min, job.size - 0.5);
      job.text.style.fontSize = `${job.size}px`;
    }
    // At the smallest size the note grows: nothing more to read.
    open = smaller.filter((job) => job.size > job.min);
  }
}

/** Screens: notes' text shrinks from 16 px to 13 px before the note grows. */
export const NOTE_TYPE = { max: 16, min: 13 } as const;
