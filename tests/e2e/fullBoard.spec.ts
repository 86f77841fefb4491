import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { FACILITATOR_ACTOR } from '../../shared/board/Board.ts';
import { NOTE_SIZE } from '../../shared/board/noteSize.ts';
import { createSession, joinAs, openFreeBoard, openProjector, violations } from './helpers.ts';
import { board } from './yearSetup.ts';

/**
 * A full free board draws only the notes in view (and a margin): a board of
 * hundreds of notes paints as fast as a small one. Nothing is out of reach for
 * that: a pan brings the far notes in, the note with the focus stays while the
 * board moves under it, Tab walks on to the next note and the board pans to it,
 * each note says its place among all, and "Fit all" and the
 * List layout show every one. The projector's wall holds one page of them in
 * the page, and its pages, turned one by one, show every note once.
 */

const NOTES = 600;
const COLUMNS = 30;
const GAP = 12;
const seeded = (i: number) => `Seeded cause ${i + 1} about family outreach`;

async function seedNotes(facilitator: Page): Promise<void> {
  const sessionId = new URL(facilitator.url()).pathname.split('/')[2]!;
  const token = await facilitator.evaluate((id) => JSON.parse(localStorage.getItem(`howmight.facilitator.${id}`) ?? '{}').token as string, sessionId);
  const client = await board(sessionId, token);
  try {
    const origin = { actor: FACILITATOR_ACTOR };
    // A hundred notes an update: the server refuses an update of more than 1,650 changes.
    for (let from = 0; from < NOTES; from += 100) {
      client.board.doc.transact(() => {
        for (let i = from; i < from + 100; i++) {
          client.board.addNote(origin, { text: seeded(i), x: (i % COLUMNS) * (NOTE_SIZE.width + GAP), y: Math.floor(i / COLUMNS) * (NOTE_SIZE.height + GAP) });
        }
      }, origin);
    }
    await expect(facilitator.getByText(`${NOTES} notes`)).toBeVisible();
  } finally {
    client.close();
  }
}

const drawnCount = (page: Page) => page.locator('.surface [data-note-id]').count();
const noteBody = (page: Page, i: number) => page.getByRole('button', { name: `Note by Facilitator: ${seeded(i)}`, exact: true });

test('a full board draws what is in view; pans, the focus, "Fit all" and the list still reach every note', async ({ browser }) => {
  test.setTimeout(120_000);
  const { facilitator, joinCode } = await createSession(browser);
  const ana = await joinAs(browser, joinCode, 'Ana');
  const projector = await openProjector(facilitator);
  await openFreeBoard(facilitator, [ana, projector]);
  await seedNotes(facilitator);

  await expect(ana.getByText(`${NOTES} notes`)).toBeVisible();
  await expect(noteBody(ana, 0)).toBeVisible();
  const first = await drawnCount(ana);
  expect(first).toBeGreaterThan(COLUMNS / 4);
  expect(first).toBeLessThan(NOTES / 4);
  // Each drawn note says where it stands among all of them.
  const item = ana.locator('.surface [data-note-id]').first();
  await expect(item).toHaveAttribute('aria-setsize', String(NOTES));
  await expect(item).toHaveAttribute('aria-posinset', '1');

  // The focus is on the first note; the wheel pans the board far down under it.
  await noteBody(ana, 0).focus();
  const frame = (await ana.getByTestId('board-viewport').boundingBox())!;
  await ana.mouse.move(frame.x + frame.width / 2, frame.y + frame.height / 2);
  const row = 17;
  for (let k = 0; k < 10; k++) await ana.mouse.wheel(0, 160);
  const far = row * COLUMNS + 2;
  await expect(noteBody(ana, far)).toBeVisible();
  // The notes between are gone from the page; the focused one is kept, with the focus, and
  // so is the next one, for Tab.
  await expect(noteBody(ana, 2)).toHaveCount(0);
  await expect(noteBody(ana, 1)).toHaveCount(1);
  await expect(noteBody(ana, 0)).toBeFocused();
  expect(await drawnCount(ana)).toBeLessThan(NOTES / 4);
  expect(await violations(ana)).toEqual([]);
  await ana.screenshot({ path: 'test-results/fullBoard/panned-1280.png' });

  // Tab walks on from the focused note to the next, out of view up there: the board pans to it.
  const inView = (i: number) =>
    noteBody(ana, i).evaluate((body) => {
      const note = body.closest('.note')!.getBoundingClientRect();
      const frame = document.querySelector('[data-testid="board-viewport"]')!;
      const box = frame.getBoundingClientRect();
      // Focus may scroll an overflow: hidden box by itself; the board is moved only by its own view.
      return note.top >= box.top && note.bottom <= box.bottom && note.left >= box.left && note.right <= box.right && frame.scrollTop === 0 && frame.scrollLeft === 0;
    });
  await ana.keyboard.press('Tab');
  await expect(noteBody(ana, 1)).toBeFocused();
  await expect.poll(() => inView(1)).toBe(true);
  await expect(noteBody(ana, far)).toHaveCount(0);
  await ana.keyboard.press('Shift+Tab');
  await expect(noteBody(ana, 0)).toBeFocused();
  await expect.poll(() => inView(0)).toBe(true);

  // Fit all shows every note at once, so every one is drawn.
  await ana.getByRole('button', { name: 'Fit all' }).click();
  await expect(ana.locator('.surface [data-note-id]')).toHaveCount(NOTES);
  // The List layout holds every note in reading order.
  await ana.getByRole('button', { name: 'List', exact: true }).click();
  await expect(ana.locator('.list [data-note-id]')).toHaveCount(NOTES);
});

test('the wall pages a full board: one page in the page, every note on exactly one page', async ({ browser }) => {
  test.setTimeout(120_000);
  const { facilitator } = await createSession(browser);
  const projector = await openProjector(facilitator);
  await openFreeBoard(facilitator, [projector]);
  await seedNotes(facilitator);

  await expect(projector.getByTestId('wall-count')).toHaveText(`${NOTES} notes`);
  // Every note measured out of sight, and let go again.
  await expect(projector.locator('.wall .note.away')).toHaveCount(0, { timeout: 30_000 });
  const pager = projector.getByTestId('wall-page');
  const pages = Number((await pager.textContent())!.match(/of (\d+)/)![1]);
  expect(pages).toBeGreaterThan(5);
  // Turning by hand restarts the page clock, so none turns by itself mid-walk.
  await projector.getByRole('button', { name: 'Previous page' }).click();
  await projector.getByRole('button', { name: 'Next page' }).click();
  await expect(pager).toHaveText(`Page 1 of ${pages}`);
  const seen: string[] = [];
  for (let p = 1; p <= pages; p++) {
    await expect(pager).toHaveText(`Page ${p} of ${pages}`);
    const shown = await projector.locator('.wall .note').evaluateAll((notes) => notes.map((n) => n.querySelector('.text')!.textContent!));
    expect(shown.length).toBeLessThan(NOTES / 5);
    seen.push(...shown);
    if (p < pages) await projector.getByRole('button', { name: 'Next page' }).click();
  }
  expect(seen.length).toBe(NOTES);
  expect(new Set(seen).size).toBe(NOTES);
  await projector.screenshot({ path: 'test-results/fullBoard/wall-last-page.png' });
});
