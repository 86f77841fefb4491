/**
 * Pan and zoom of the sticky-note board, as plain math so it can be tested alone.
 *
 * A view maps board coordinates to screen coordinates inside the board's viewport:
 * screen = board * zoom + (x, y). Every function returns a new view.
 */

export interface View {
  x: number;
  y: number;
  zoom: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** A rectangle in board coordinates. */
export interface Rect {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export const ZOOM = {
  /** "Fit all" may go this far out to show a very full board at once. */
  min: 0.1,
  max: 2.5,
  /**
   * The view opens fitted to the notes' width but never below this: a note's
   * smallest text (13 px) stays about 10 px on screen; below it people pan.
   */
  readable: 0.75,
} as const;

/** The zooms "Zoom in" and "Zoom out" step through, so the percentages stay round. */
export const ZOOM_STEPS = [0.1, 0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1, 1.25, 1.5, 2, 2.5] as const;

/** The next step up (+1) or down (-1) from any zoom, even one between steps. */
export function zoomStep(zoom: number, direction: 1 | -1): number {
  const steps = direction > 0 ? ZOOM_STEPS : [...ZOOM_STEPS].reverse();
  return steps.find((s) => (direction > 0 ? s > zoom + 1e-3 : s < zoom - 1e-3)) ?? steps[steps.length - 1]!;
}

/** Screen pixels kept between the notes and the viewport's edge when fitting. */
export const FIT_PADDING = 16;

export function clampZoom(zoom: number, min: number = ZOOM.min, max: number = ZOOM.max): number {
  return Math.min(max, Math.max(min, zoom));
}

/** The whole of `content` in view, centred, no closer than `max`. */
export function fit(content: Rect, size: Size, max = 1, padding = FIT_PADDING): View {
  const w = Math.max(1, content.maxX - content.minX);
  const h = Math.max(1, content.maxY - content.minY);
  const zoom = clampZoom(Math.min((size.width - 2 * padding) / w, (size.height - 2 * padding) / h, max));
  return {
    zoom,
    x: (size.width - w * zoom) / 2 - content.minX * zoom,
    y: Math.min(padding, (size.height - h * zoom) / 2) - content.minY * zoom,
  };
}

/**
 * The view a board opens with: the notes' full width if that stays readable (never
 * past 100%), else the readable zoom; from the top left corner either way, so the
 * view holds still while someone moves a note (people pan for the rest).
 */
export function fitWidth(content: Rect, size: Size, padding = FIT_PADDING): View {
  const w = Math.max(1, content.maxX - content.minX);
  const zoom = clampZoom((size.width - 2 * padding) / w, ZOOM.readable, 1);
  return { zoom, x: padding - content.minX * zoom, y: padding - content.minY * zoom };
}

/** Zooms by `factor` keeping the board point under `at` (screen) where it is. */
export function zoomAt(view: View, at: Point, factor: number): View {
  const zoom = clampZoom(view.zoom * factor);
  const k = zoom / view.zoom;
  return { zoom, x: at.x - (at.x - view.x) * k, y: at.y - (at.y - view.y) * k };
}

/** Zooms about the middle of the viewport to the next step (buttons and keys). */
export function zoomCentre(view: View, size: Size, direction: 1 | -1): View {
  return zoomAt(view, { x: size.width / 2, y: size.height / 2 }, zoomStep(view.zoom, direction) / view.zoom);
}

/** Moves the board by a screen distance. */
export function pan(view: View, dx: number, dy: number): View {
  return { ...view, x: view.x + dx, y: view.y + dy };
}

/**
 * Keeps the content from leaving the viewport: content smaller than the viewport
 * stays wholly inside it, larger content always covers it (less `padding`).
 */
export function clamp(view: View, content: Rect, size: Size, padding = FIT_PADDING): View {
  const axis = (offset: number, min: number, max: number, length: number) => {
    const a = padding - min * view.zoom;
    const b = length - padding - max * view.zoom;
    return Math.min(Math.max(a, b), Math.max(Math.min(a, b), offset));
  };
  return {
    zoom: view.zoom,
    x: axis(view.x, content.minX, content.maxX, size.width),
    y: axis(view.y, content.minY, content.maxY, size.height),
  };
}

/** The board point under a screen point. */
export function toBoard(view: View, at: Point): Point {
  return { x: (at.x - view.x) / view.zoom, y: (at.y - view.y) / view.zoom };
}

/** The part of the board the viewport shows. */
export function visibleRect(view: View, size: Size): Rect {
  const topLeft = toBoard(view, { x: 0, y: 0 });
  const bottomRight = toBoard(view, { x: size.width, y: size.height });
  return { minX: topLeft.x, minY: topLeft.y, maxX: bottomRight.x, maxY: bottomRight.y };
}

/**
 * The part of the board worth drawing: what the viewport shows and `margin` screen px
 * around it, so a note half in view is whole and the next frame of a pan has its
 * notes already there.
 */
export function drawnRect(view: View, size: Size, margin: number): Rect {
  const shown = visibleRect(view, size);
  const by = margin / view.zoom;
  return { minX: shown.minX - by, minY: shown.minY - by, maxX: shown.maxX + by, maxY: shown.maxY + by };
}

/** The same zoom, moved so `rect`'s centre is in the middle of the viewport. */
export function centreOn(view: View, size: Size, rect: Rect): View {
  const cx = (rect.minX + rect.maxX) / 2;
  const cy = (rect.minY + rect.maxY) / 2;
  return { zoom: view.zoom, x: size.width / 2 - cx * view.zoom, y: size.height / 2 - cy * view.zoom };
}

/** The smallest rectangle holding all of them; null for none. */
export function union(rects: Rect[]): Rect | null {
  if (rects.length === 0) return null;
  return {
    minX: Math.min(...rects.map((r) => r.minX)),
    minY: Math.min(...rects.map((r) => r.minY)),
    maxX: Math.max(...rects.map((r) => r.maxX)),
    maxY: Math.max(...rects.map((r) => r.maxY)),
  };
}

/**
 * Where a new note of `size` goes: the free spot nearest the middle of what one sees,
 * on a grid from its top left corner, clear of the notes already there (with `gap`).
 * When the view is full it goes in the middle anyway.
 */
export function freeSpot(shown: Rect, taken: Rect[], size: Size, gap = 16): Point {
  const middle = { x: (shown.minX + shown.maxX - size.width) / 2, y: (shown.minY + shown.maxY - size.height) / 2 };
  const clear = (x: number, y: number) =>
    taken.every((t) => x + size.width + gap <= t.minX || x >= t.maxX + gap || y + size.height + gap <= t.minY || y >= t.maxY + gap);
  let best: Point | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let y = shown.minY + gap; y + size.height <= shown.maxY - gap; y += (size.height + gap) / 2) {
    for (let x = shown.minX + gap; x + size.width <= shown.maxX - gap; x += (size.width + gap) / 2) {
      const distance = Math.hypot(x - middle.x, y - middle.y);
      if (distance < bestDistance && clear(x, y)) {
        best = { x, y };
        bestDistance = distance;
      }
    }
  }
  const spot = best ?? middle;
  return { x: Math.round(spot.x), y: Math.round(spot.y) };
}

export function sameView(a: View, b: View): boolean {
  return Math.abs(a.x - b.x) < 0.01 && Math.abs(a.y - b.y) < 0.01 && Math.abs(a.zoom - b.zoom) < 1e-6;
}

export function overlaps(a: Rect, b: Rect): boolean {
  return a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY;
}

/**
 * A note grew from `before` to `after` (its text got longer): the notes it now covers
 * beneath it move down just below it, and any they in turn cover after them. Notes it
 * already covered, or that start above it, stay where they are. Returns their new y.
 */
export function makeRoom(before: Rect, after: Rect, others: Array<{ id: string; rect: Rect }>, gap = 16): Array<{ id: string; y: number }> {
  if (after.maxY <= before.maxY) return [];
  const blockers: Rect[] = [after];
  const moves: Array<{ id: string; y: number }> = [];
  for (const { id, rect } of [...others].sort((a, b) => a.rect.minY - b.rect.minY)) {
    if (rect.minY < before.minY || overlaps(rect, before)) continue;
    const height = rect.maxY - rect.minY;
    let spot = rect;
    // Down past whatever it lands on, until it lands clear.
    for (let hits = blockers.filter((b) => overlaps(spot, b)); hits.length > 0; hits = blockers.filter((b) => overlaps(spot, b))) {
      const y = Math.round(Math.max(...hits.map((b) => b.maxY)) + gap);
      spot = { ...rect, minY: y, maxY: y + height };
    }
    if (spot === rect) continue;
    moves.push({ id, y: spot.minY });
    blockers.push(spot);
  }
  return moves;
}
