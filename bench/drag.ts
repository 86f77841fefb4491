import type { Page } from '@playwright/test';
import { performance } from 'node:perf_hooks';
import { FACILITATOR_ACTOR, type Board, type BoardOrigin } from '../shared/board/Board.ts';
import { NOTE_SIZE } from '../shared/board/noteSize.ts';
import { CATEGORY_IDS } from '../shared/protocol/categories.ts';
import { facilitatorCommands, launchChromium, participantContext, participantUrl } from './browser.ts';
import { BenchClient } from './clients.ts';
import { createSession, joinSession } from './http.ts';
import { seedBoard } from './seedBoard.ts';
import { startOurs } from './servers.ts';
import { round, sleep, summarize, waitFor, type Summary } from './stats.ts';

/**
 * The drags measured, each on its own server and page:
 * - `sort`: a note from the tray into a category column of the sort board.
 * - `sort-clusters`: the sort board with 40 clusters (10 per category); a note
 *   sorted into a category is dragged over its column's stacks and dropped on one.
 * - `free-zoomed`: the free board (root causes after the reveal), zoomed out to
 *   50% with its own buttons; a note is dragged across it (it sends its moves to
 *   the others as it travels, as it does in a meeting).
 * Clusters live on the sort board, pan and zoom on the free board: no view has both.
 */
export type DragCase = 'sort' | 'sort-clusters' | 'free-zoomed';
export const DRAG_CASES: readonly DragCase[] = ['sort', 'sort-clusters', 'free-zoomed'];

export interface DragResult {
  case: DragCase;
  notes: number;
  step: string;
  /** Clusters on the board (shown on the sort board only). */
  clusters: number;
  /** The board's zoom while dragging (1 where the view has no zoom). */
  zoom: number;
  moves: number;
  /** Intervals between animation frames while dragging (requestAnimationFrame timestamps), ms. */
  frames: Summary;
  /** Frames that took longer than 1.5 refresh intervals (25 ms): dropped at least one frame. */
  longFrames: number;
  /** pointermove events whose handling to next paint took over 16 ms (Event Timing API). */
  slowPointerEvents: number;
  slowestPointerEventMs: number;
  /** Long animation frames (over 50 ms, Long Animation Frames API) during the drag. */
  longAnimationFrames: number;
  /** How long each page.mouse.move took to be acknowledged by the page, median, ms. */
  moveAckMs: number;
  /** Whether the drop did what it should, as the server has it (another client sees the note in the column, in the cluster, at its new place). */
  landed: boolean;
}

/**
 * Runs in the page. A string, because tsx (esbuild with keepNames) would wrap
 * named functions in a helper the page does not have.
 */
const RECORDER = `(() => {
  const bench = { frames: [], running: true, slow: [], loaf: [] };
  window.__bench = bench;
  let last = null;
  const tick = (t) => {
    if (last !== null) bench.frames.push(t - last);
    last = t;
    if (bench.running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.name === 'pointermove') bench.slow.push(entry.duration);
  }).observe({ type: 'event', durationThreshold: 16 });
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) bench.loaf.push(entry.duration);
    }).observe({ type: 'long-animation-frame' });
  } catch {}
})()`;

declare global {
  interface Window {
    __bench?: { frames: number[]; running: boolean; slow: number[]; loaf: number[] };
  }
}

const NOTE_TEXT = (i: number) => `Cause ${i + 1}: schedules leave no time for family conversations`;
const CLUSTERS_PER_CATEGORY = 10;
const CLUSTER_SIZE = 4;
const LOOSE_PER_CATEGORY = 10;
const FREE_ZOOM = 0.5;

/**
 * A participant drags a note on a board holding `notes` notes, in Chromium,
 * at a mouse rate of about 120 Hz; frame intervals come from
 * requestAnimationFrame timestamps taken in the page during the drag.
 */
export async function drag(clientDir: string, kind: DragCase, notes: number, moves: number, log: (line: string) => void): Promise<DragResult> {
  const server = await startOurs({ clientDir });
  const browser = await launchChromium();
  const seeder: BenchClient[] = [];
  try {
    const session = await createSession(server.baseUrl, `Drag bench (${kind})`);
    const me = await joinSession(server.baseUrl, session.joinCode, 'Dana');
    const free = kind === 'free-zoomed';
    // As in a meeting: the root causes revealed (the server takes notes on the board only after it), then sorting.
    const reveal = [{ type: 'goto', step: 'causes' }, { type: 'reveal' }];
    await facilitatorCommands(server.baseUrl, session.facilitatorToken, free ? reveal : [...reveal, { type: 'goto', step: 'sort' }]);

    // The group's notes (and, for the clusters case, its sorting and stacks), stored
    // before anyone opens the board; the writer then syncs it to check the drop.
    const ids: string[] = [];
    let clusters = 0;
    await seedBoard(server, session.id, (board, origin) => {
      for (let i = 0; i < notes; i++) {
        // The free board's notes on a grid that keeps them apart; the sort board does not draw x and y.
        const [x, y] = free ? [(i % 25) * (NOTE_SIZE.width + 12), Math.floor(i / 25) * (NOTE_SIZE.height + 12)] : [(i % 25) * 90, Math.floor(i / 25) * 70];
        ids.push(board.addNote(origin, { text: NOTE_TEXT(i), x, y }));
      }
      if (kind === 'sort-clusters') clusters = cluster(board, origin, ids);
    });
    const writer = new BenchClient({ yjsUrl: server.yjsUrl, room: session.id, token: session.facilitatorToken, actor: FACILITATOR_ACTOR });
    seeder.push(writer);
    await writer.ready();
    if (writer.board.noteCount !== notes) throw new Error(`drag (${kind}): the server holds ${writer.board.noteCount} notes, expected ${notes}`);

    const context = await participantContext(browser, session, me, 'Dana');
    const page = await context.newPage();
    await page.goto(participantUrl(server.baseUrl, session));
    // The sort board holds every note; the free board draws those in view, and counts them all in its toolbar.
    const shown = page.locator(free ? '[data-testid="board-viewport"] [data-note-id]' : '[data-column] [data-note-id]');
    const counted = page.locator('.count', { hasText: `${notes} notes` });
    const loaded = await waitFor(async () => (free ? (await counted.count()) === 1 && (await shown.count()) > 0 : (await shown.count()) === notes), 30_000, 250);
    if (!loaded) throw new Error(`drag (${kind}): the board shows ${await shown.count()} notes, expected ${free ? `a count of ${notes}` : notes}`);
    let zoom = 1;
    if (free) zoom = await zoomTo(page, FREE_ZOOM);
    await sleep(1000);

    // Where the mouse goes down and where it lets go, in the window's px.
    let from: { x: number; y: number };
    let to: { x: number; y: number };
    let check: () => Promise<boolean>;
    const column = CATEGORY_IDS[1]!;
    const centre = (box: { x: number; y: number; width: number; height: number }) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 });
    if (kind === 'sort') {
      const note = page.locator('[data-column="tray"] [data-note-id]').first();
      const noteId = await note.getAttribute('data-note-id');
      from = centre((await note.boundingBox())!);
      const box = (await page.locator(`[data-column="${column}"]`).boundingBox())!;
      to = { x: box.x + box.width / 2, y: box.y + Math.min(200, box.height / 2) };
      check = async () => writer.note(noteId!)?.category === column;
    } else if (kind === 'sort-clusters') {
      // The column's first loose note onto its first stack, below it; the column scrolls inside itself, so both are in view.
      const loose = page.locator(`[data-column="${column}"] [data-note-id]:not([data-cluster-id] [data-note-id])`);
      const noteId = await loose.first().getAttribute('data-note-id');
      from = centre((await loose.first().boundingBox())!);
      const target = page.locator(`[data-column="${column}"] [data-cluster-id]`).first();
      const clusterId = await target.getAttribute('data-cluster-id');
      const box = (await target.boundingBox())!;
      // The stack's head (its label), which is the cluster's own and not one of its notes.
      to = { x: box.x + box.width / 2, y: box.y + 12 };
      if (to.y > 860) throw new Error(`drag (${kind}): the target cluster is below the window (y ${Math.round(to.y)})`);
      check = async () => writer.note(noteId!)?.clusterId === clusterId;
    } else {
      const note = page.locator('[data-testid="board-viewport"] [data-note-id]').first();
      const noteId = (await note.getAttribute('data-note-id'))!;
      const before = writer.note(noteId)!;
      from = centre((await note.boundingBox())!);
      const board = (await page.getByTestId('board-viewport').boundingBox())!;
      to = { x: board.x + board.width * 0.6, y: board.y + board.height * 0.6 };
      check = async () => {
        const after = writer.note(noteId);
        return !!after && after.x !== before.x && after.y !== before.y;
      };
    }

    await page.evaluate(RECORDER);
    const { x: x0, y: y0 } = from;
    const { x: x1, y: y1 } = to;
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    // Wander there and back a little so the drag lasts, then drop on the target.
    const acks: number[] = [];
    for (let i = 1; i <= moves; i++) {
      const f = i / moves;
      const wobble = Math.sin(f * Math.PI * 6) * 40;
      const t0 = performance.now();
      await page.mouse.move(x0 + (x1 - x0) * f, y0 + (y1 - y0) * f + wobble);
      acks.push(performance.now() - t0);
      await sleep(8);
    }
    await page.mouse.up();
    await sleep(100);
    const recorded = await page.evaluate(() => {
      const bench = window.__bench!;
      bench.running = false;
      return { frames: bench.frames, slow: bench.slow, loaf: bench.loaf };
    });
    const landed = await waitFor(check, 3000, 50);
    if (!landed) log(`  drag (${kind}): warning: the drop did not land\n${server.output()}`);
    await context.close();
    return {
      case: kind,
      notes,
      step: free ? 'causes' : 'sort',
      clusters,
      zoom,
      moves,
      frames: summarize(recorded.frames.map((f) => round(f, 2))),
      longFrames: recorded.frames.filter((f) => f > 25).length,
      slowPointerEvents: recorded.slow.length,
      slowestPointerEventMs: recorded.slow.length ? Math.max(...recorded.slow) : 0,
      longAnimationFrames: recorded.loaf.length,
      moveAckMs: round(summarize(acks).p50, 1),
      landed,
    };
  } finally {
    for (const c of seeder) c.close();
    await browser.close();
    await server.stop();
  }
}

/**
 * Sorts notes into every category and stacks most of them, as a group does:
 * per category, loose notes and clusters of a few notes in turn.
 * The rest stay in the tray. Returns the number of clusters.
 */
function cluster(board: Board, origin: BoardOrigin, ids: readonly string[]): number {
  const perCategory = LOOSE_PER_CATEGORY + CLUSTERS_PER_CATEGORY * CLUSTER_SIZE;
  if (ids.length < perCategory * CATEGORY_IDS.length) throw new Error(`drag: ${ids.length} notes are too few for ${CLUSTERS_PER_CATEGORY} clusters per category`);
  let next = 0;
  let made = 0;
  for (const category of CATEGORY_IDS) {
    for (let c = 0; c < CLUSTERS_PER_CATEGORY; c++) {
      // Loose notes and stacks in turn, as a column fills.
      for (let i = 0; i < LOOSE_PER_CATEGORY / CLUSTERS_PER_CATEGORY; i++) board.sortNote(origin, ids[next++]!, category);
      const first = ids[next++]!;
      board.sortNote(origin, first, category);
      for (let n = 1; n < CLUSTER_SIZE; n++) board.groupNotes(origin, ids[next++]!, first);
      made++;
    }
  }
  return made;
}

/** Presses the board's own "Zoom out" / "Zoom in" buttons until it shows `zoom`; returns the zoom it shows. */
async function zoomTo(page: Page, zoom: number): Promise<number> {
  const level = page.getByTestId('zoom-level');
  const read = async () => Number((await level.textContent())!.replace('%', '')) / 100;
  for (let i = 0; i < 12 && Math.abs((await read()) - zoom) > 0.005; i++) {
    await page.getByRole('button', { name: (await read()) > zoom ? 'Zoom out' : 'Zoom in', exact: true }).click();
  }
  const shown = await read();
  if (Math.abs(shown - zoom) > 0.005) throw new Error(`drag: the board shows ${shown * 100}% after zooming, expected ${zoom * 100}%`);
  return shown;
}
