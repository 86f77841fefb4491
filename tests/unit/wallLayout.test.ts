import { describe, expect, it } from 'vitest';
import { estimateWallHeight, packWall, wallColumns, wallOrder, WALL_GAP, WALL_NOTE } from '../../client/lib/wallLayout.ts';

const item = (height: number, span = 1) => ({ height, span });

describe('wallColumns', () => {
  it('fits as many columns of the minimum width as the wall allows, at least one', () => {
    expect(wallColumns(1872)).toBe(5);
    expect(wallColumns(1318)).toBe(4);
    expect(wallColumns(200)).toBe(1);
  });
});

describe('packWall', () => {
  it('fills the lowest column first and stays on one page while things fit', () => {
    const layout = packWall([item(100), item(50), item(30), item(40)], 2, 400);
    expect(layout.pages).toBe(1);
    expect(layout.places.map((p) => p.column)).toEqual([0, 1, 1, 1]);
    expect(layout.places[2]!.top).toBe(50 + WALL_GAP);
    expect(layout.places[3]!.top).toBe(50 + 30 + 2 * WALL_GAP);
  });

  it('starts a new page for what does not fit, and never lets an item cross the page bottom', () => {
    const items = Array.from({ length: 9 }, () => item(120));
    const height = 300;
    const layout = packWall(items, 2, height);
    expect(layout.pages).toBe(3);
    layout.places.forEach((p, i) => expect(p.top + items[i]!.height).toBeLessThanOrEqual(height));
    expect(layout.places.filter((p) => p.page === 0)).toHaveLength(4);
  });

  it('places a spanning item over free columns side by side', () => {
    const layout = packWall([item(100), item(60, 2), item(10)], 3, 500);
    expect(layout.places[1]).toEqual({ page: 0, column: 1, top: 0 });
    expect(layout.places[2]).toEqual({ page: 0, column: 1, top: 60 + WALL_GAP });
  });

  it('starts an item taller than a page at the top of a fresh page, and fills earlier pages first', () => {
    const layout = packWall([item(50), item(900), item(50)], 2, 400);
    expect(layout.places.map((p) => p.page)).toEqual([0, 1, 0]);
    expect(layout.places[1]!.top).toBe(0);
  });

  it('lets a small item fill the room a big one left on an earlier page', () => {
    const layout = packWall([item(300), item(300), item(200), item(80)], 2, 400);
    expect(layout.places.map((p) => p.page)).toEqual([0, 0, 1, 0]);
  });
});

describe('wallOrder', () => {
  it('reads the board in bands, top to bottom, then left to right', () => {
    const notes = [{ x: 400, y: 10 }, { x: 20, y: 300 }, { x: 20, y: 30 }];
    expect(wallOrder(notes)).toEqual([{ x: 20, y: 30 }, { x: 400, y: 10 }, { x: 20, y: 300 }]);
  });
});

describe('estimateWallHeight', () => {
  it('grows by a line per column width of text and per paragraph, and by the author line', () => {
    const one = estimateWallHeight('Short', 320, false);
    expect(one).toBe(WALL_NOTE.padY + WALL_NOTE.line);
    expect(estimateWallHeight('Short', 320, true)).toBe(one + WALL_NOTE.author);
    expect(estimateWallHeight('Short\nand more', 320, false)).toBe(one + WALL_NOTE.line);
    const long = 'x'.repeat(200);
    expect(estimateWallHeight(long, 320, false)).toBeGreaterThan(estimateWallHeight(long, 640, false));
    expect(estimateWallHeight(long, 640, false)).toBeGreaterThanOrEqual(one);
  });
});
