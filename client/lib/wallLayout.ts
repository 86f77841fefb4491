/**
 * The projector's flow layout of the free board: notes packed into columns sized to
 * the wall, at a text size readable from the back of the room, onto as many pages as
 * it takes. Nothing is scaled down to fit; what does not fit goes to the next page.
 */

import { wrappedLines } from '../../shared/board/noteSize.ts';

export interface WallItem {
  /** Measured height in px at the width of `span` columns. */
  height: number;
  /** How many columns the item spans (a long note spans more so it fits a page). */
  span: number;
}

export interface WallPlace {
  page: number;
  column: number;
  top: number;
}

export interface WallLayout {
  places: WallPlace[];
  pages: number;
}

/** The narrowest column the wall uses: at 24 px that is about twenty characters a line. */
export const WALL_MIN_COLUMN = 300;
export const WALL_GAP = 16;

/** How many columns of at least WALL_MIN_COLUMN fit in `width`. */
export function wallColumns(width: number, min = WALL_MIN_COLUMN, gap = WALL_GAP): number {
  return Math.max(1, Math.floor((width + gap) / (min + gap)));
}

/**
 * Packs items in order, each onto the first page with room for it, into the columns
 * where it sits highest; an item that fits nowhere opens a new page. An item taller
 * than a page still gets a fresh page (the caller widens it first: see `span`).
 */
export function packWall(items: WallItem[], columns: number, pageHeight: number, gap = WALL_GAP): WallLayout {
  const places: WallPlace[] = [];
  // Each page's column bottoms; an item goes onto the first page with room for it.
  const pages: number[][] = [];
  const spotOn = (bottoms: number[], span: number) => {
    let choice = { column: 0, top: Number.POSITIVE_INFINITY };
    for (let c = 0; c + span <= columns; c++) {
      const top = Math.max(...bottoms.slice(c, c + span));
      if (top < choice.top) choice = { column: c, top };
    }
    return choice;
  };
  // Each page's lowest column bottom: no item sits higher, so a page whose lowest is too
  // high for an item is passed over without a search (a full wall has a hundred pages).
  const lowest: number[] = [];
  for (const item of items) {
    const span = Math.max(1, Math.min(columns, item.span));
    let page = pages.findIndex((bottoms, p) => lowest[p]! + item.height <= pageHeight && spotOn(bottoms, span).top + item.height <= pageHeight);
    // Nothing has room: a fresh page.
    if (page < 0) {
      page = pages.push(new Array<number>(columns).fill(0)) - 1;
      lowest.push(0);
    }
    const bottoms = pages[page]!;
    const spot = spotOn(bottoms, span);
    places.push({ page, column: spot.column, top: spot.top });
    for (let c = spot.column; c < spot.column + span; c++) bottoms[c] = spot.top + item.height + gap;
    lowest[page] = Math.min(...bottoms);
  }
  return { places, pages: Math.max(1, pages.length) };
}

/** Reading order on the wall follows the board: top to bottom in bands, then left to right. */
export function wallOrder<T extends { x: number; y: number }>(notes: T[], band = 64): T[] {
  return [...notes].sort((a, b) => Math.floor(a.y / band) - Math.floor(b.y / band) || a.x - b.x);
}

/**
 * The wall's note box, in px, as WallBoard's CSS draws it (keep the two in step):
 * padding, the text at 26 px with line-height 1.3, the author line at 24 px below it.
 */
export const WALL_NOTE = { padX: 29, padY: 18, line: 34, author: 34, charWidth: 14 } as const;

/**
 * About how tall a note is on the wall at `width` px, erring tall (a wide average
 * character), for placing a note before it has been drawn and measured.
 */
export function estimateWallHeight(text: string, width: number, withAuthor: boolean): number {
  const perLine = Math.max(1, Math.floor((width - WALL_NOTE.padX) / WALL_NOTE.charWidth));
  return WALL_NOTE.padY + wrappedLines(text, perLine) * WALL_NOTE.line + (withAuthor ? WALL_NOTE.author : 0);
}
