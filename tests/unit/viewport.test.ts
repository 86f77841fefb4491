import { describe, expect, it } from 'vitest';
import { clamp, drawnRect, fit, fitWidth, pan, toBoard, union, visibleRect, zoomAt, zoomCentre, zoomStep, freeSpot, makeRoom, overlaps, ZOOM, ZOOM_STEPS, FIT_PADDING, type Rect } from '../../client/lib/viewport.ts';

const board: Rect = { minX: 20, minY: 20, maxX: 1124, maxY: 600 };
const inside = (inner: Rect, outer: Rect) =>
  inner.minX >= outer.minX - 1e-9 && inner.minY >= outer.minY - 1e-9 && inner.maxX <= outer.maxX + 1e-9 && inner.maxY <= outer.maxY + 1e-9;

describe('fit', () => {
  it('shows all of the content, centred, within the padding', () => {
    for (const size of [{ width: 1200, height: 700 }, { width: 343, height: 520 }, { width: 3000, height: 2000 }]) {
      const view = fit(board, size);
      const shown = visibleRect(view, size);
      expect(inside(board, shown)).toBe(true);
      const left = board.minX * view.zoom + view.x;
      const right = size.width - (board.maxX * view.zoom + view.x);
      expect(left).toBeCloseTo(right);
      expect(left).toBeGreaterThanOrEqual(FIT_PADDING - 1e-9);
    }
  });

  it('does not blow a small board up past 100% unless asked', () => {
    expect(fit({ minX: 0, minY: 0, maxX: 100, maxY: 100 }, { width: 1000, height: 1000 }).zoom).toBe(1);
    expect(fit({ minX: 0, minY: 0, maxX: 100, maxY: 100 }, { width: 1000, height: 1000 }, 2).zoom).toBe(2);
  });

  it('never zooms out past the minimum', () => {
    expect(fit({ minX: 0, minY: 0, maxX: 100_000, maxY: 100 }, { width: 300, height: 300 }).zoom).toBe(ZOOM.min);
  });
});

describe('fitWidth', () => {
  it('fits a laptop-wide viewport to the notes’ width', () => {
    const view = fitWidth(board, { width: 1200, height: 600 });
    expect(view.zoom).toBe(1);
    expect(board.minX * view.zoom + view.x).toBeCloseTo(FIT_PADDING);
    const narrower = fitWidth(board, { width: 1000, height: 600 });
    expect(narrower.zoom).toBeCloseTo((1000 - 2 * FIT_PADDING) / (board.maxX - board.minX));
    expect(board.minX * narrower.zoom + narrower.x).toBeCloseTo(FIT_PADDING);
  });

  it('stops at the readable zoom on a phone and starts at the top left', () => {
    const view = fitWidth(board, { width: 343, height: 500 });
    expect(view.zoom).toBe(ZOOM.readable);
    expect(board.minX * view.zoom + view.x).toBeCloseTo(FIT_PADDING);
    expect(board.minY * view.zoom + view.y).toBeCloseTo(FIT_PADDING);
  });
});

describe('zoomAt', () => {
  it('keeps the board point under the pointer in place', () => {
    const view = { x: 30, y: -40, zoom: 0.8 };
    const at = { x: 210, y: 155 };
    const before = toBoard(view, at);
    const after = toBoard(zoomAt(view, at, 1.7), at);
    expect(after.x).toBeCloseTo(before.x);
    expect(after.y).toBeCloseTo(before.y);
  });

  it('clamps the zoom and then still keeps the point', () => {
    const view = { x: 0, y: 0, zoom: 2 };
    const zoomed = zoomAt(view, { x: 100, y: 100 }, 10);
    expect(zoomed.zoom).toBe(ZOOM.max);
    expect(toBoard(zoomed, { x: 100, y: 100 }).x).toBeCloseTo(50);
    expect(zoomAt({ x: 0, y: 0, zoom: 0.12 }, { x: 0, y: 0 }, 0.1).zoom).toBe(ZOOM.min);
  });

  it('zooms in and out about the centre as inverse steps', () => {
    const size = { width: 800, height: 600 };
    const view = { x: 12, y: 34, zoom: 1 };
    expect(zoomCentre(view, size, 1).zoom).toBe(1.25);
    const back = zoomCentre(zoomCentre(view, size, 1), size, -1);
    expect(back.x).toBeCloseTo(view.x);
    expect(back.y).toBeCloseTo(view.y);
    expect(back.zoom).toBeCloseTo(1);
  });
});

describe('zoomStep', () => {
  it('steps to round zooms from anywhere, and stops at the ends', () => {
    expect(zoomStep(1, -1)).toBe(0.9);
    expect(zoomStep(0.8, -1)).toBe(0.75);
    expect(zoomStep(0.8, 1)).toBe(0.9);
    expect(zoomStep(0.6, -1)).toBe(0.5);
    expect(zoomStep(ZOOM.max, 1)).toBe(ZOOM.max);
    expect(zoomStep(ZOOM.min, -1)).toBe(ZOOM.min);
    expect(ZOOM_STEPS[0]).toBe(ZOOM.min);
    expect(ZOOM_STEPS[ZOOM_STEPS.length - 1]).toBe(ZOOM.max);
  });
});

describe('clamp', () => {
  const size = { width: 800, height: 500 };

  it('stops a large board from being panned out of the viewport', () => {
    const view = clamp(pan({ x: 0, y: 0, zoom: 1 }, 5000, 5000), board, size);
    // The board's top left corner is held at the padding.
    expect(board.minX + view.x).toBeCloseTo(FIT_PADDING);
    expect(board.minY + view.y).toBeCloseTo(FIT_PADDING);
    const other = clamp(pan({ x: 0, y: 0, zoom: 1 }, -5000, -5000), board, size);
    expect(board.maxX + other.x).toBeCloseTo(size.width - FIT_PADDING);
    expect(board.maxY + other.y).toBeCloseTo(size.height - FIT_PADDING);
  });

  it('keeps a small board wholly inside', () => {
    const small: Rect = { minX: 0, minY: 0, maxX: 200, maxY: 100 };
    for (const [dx, dy] of [[-900, 0], [900, 0], [0, 900], [0, -900]] as const) {
      const view = clamp(pan({ x: 100, y: 100, zoom: 1 }, dx, dy), small, size);
      expect(inside(small, visibleRect(view, size))).toBe(true);
    }
  });

  it('leaves a view that is already fine alone', () => {
    const view = { x: -100, y: -50, zoom: 1 };
    expect(clamp(view, board, size)).toEqual(view);
  });
});

describe('union', () => {
  it('holds every rectangle, and is null for none', () => {
    expect(union([])).toBeNull();
    expect(union([{ minX: 0, minY: 5, maxX: 10, maxY: 10 }, { minX: -3, minY: 6, maxX: 4, maxY: 40 }])).toEqual({ minX: -3, minY: 5, maxX: 10, maxY: 40 });
  });
});

describe('freeSpot', () => {
  const note = { width: 168, height: 128 };
  const shown: Rect = { minX: 0, minY: 0, maxX: 1000, maxY: 600 };
  const rectAt = (p: { x: number; y: number }, h = note.height): Rect => ({ minX: p.x, minY: p.y, maxX: p.x + note.width, maxY: p.y + h });
  const overlaps = (a: Rect, b: Rect) => a.minX < b.maxX && b.minX < a.maxX && a.minY < b.maxY && b.minY < a.maxY;

  it('puts notes one after another into what one sees, none on another', () => {
    const taken: Rect[] = [];
    for (let i = 0; i < 8; i++) {
      const spot = rectAt(freeSpot(shown, taken, note));
      expect(taken.some((t) => overlaps(t, spot))).toBe(false);
      expect(spot.minX >= shown.minX && spot.maxX <= shown.maxX && spot.minY >= shown.minY && spot.maxY <= shown.maxY).toBe(true);
      taken.push(spot);
    }
  });

  it('works in any part of the board, and steers clear of a tall note', () => {
    const far: Rect = { minX: 3000, minY: -500, maxX: 3600, maxY: 0 };
    const tall = { minX: 3200, minY: -500, maxX: 3368, maxY: 0 };
    const spot = rectAt(freeSpot(far, [tall], note));
    expect(overlaps(spot, tall)).toBe(false);
    expect(spot.minX).toBeGreaterThanOrEqual(far.minX);
  });

  it('falls back to the middle when the view is full', () => {
    const full = [{ minX: -10, minY: -10, maxX: 2000, maxY: 2000 }];
    expect(freeSpot(shown, full, note)).toEqual({ x: 416, y: 236 });
  });
});

describe('makeRoom', () => {
  const at = (x: number, y: number, h = 128): Rect => ({ minX: x, minY: y, maxX: x + 168, maxY: y + h });

  it('moves what a grown note now covers below it, and what those then cover', () => {
    const before = at(20, 20);
    const after = at(20, 20, 400);
    const others = [
      { id: 'below', rect: at(20, 164) },
      { id: 'further', rect: at(40, 308) },
      { id: 'beside', rect: at(204, 164) },
      { id: 'far below', rect: at(20, 2000) },
    ];
    const moves = makeRoom(before, after, others);
    expect(moves).toEqual([
      { id: 'below', y: 436 },
      { id: 'further', y: 580 },
    ]);
  });

  it('leaves things alone when the note did not grow, or already covered them', () => {
    expect(makeRoom(at(0, 0), at(0, 0), [{ id: 'a', rect: at(0, 100) }])).toEqual([]);
    expect(makeRoom(at(0, 0), at(0, 0, 300), [{ id: 'under', rect: at(0, 100) }, { id: 'above', rect: at(0, -50) }])).toEqual([]);
  });
});

describe('drawnRect', () => {
  it('is what one sees and the margin around it, in screen px whatever the zoom', () => {
    const size = { width: 800, height: 600 };
    for (const zoom of [0.25, 1, 2]) {
      const view = { x: -300, y: 120, zoom };
      const shown = visibleRect(view, size);
      const drawn = drawnRect(view, size, 100);
      expect(inside(shown, drawn)).toBe(true);
      expect((drawn.maxX - drawn.minX) * zoom).toBeCloseTo(size.width + 200);
      expect((drawn.maxY - drawn.minY) * zoom).toBeCloseTo(size.height + 200);
      expect(drawn.minX).toBeCloseTo(shown.minX - 100 / zoom);
    }
  });

  it('takes in a note just past the edge and leaves out one further off', () => {
    const size = { width: 800, height: 600 };
    const view = { x: 0, y: 0, zoom: 1 };
    const drawn = drawnRect(view, size, 100);
    const note = (x: number): Rect => ({ minX: x, minY: 0, maxX: x + 168, maxY: 128 });
    expect(overlaps(note(850), drawn)).toBe(true);
    expect(overlaps(note(-250), drawn)).toBe(true);
    expect(overlaps(note(900), drawn)).toBe(false);
    expect(overlaps(note(-268), drawn)).toBe(false);
  });
});
