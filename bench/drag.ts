import { chromium } from '@playwright/test';
import { io } from 'socket.io-client';
import { FACILITATOR_ACTOR } from '../shared/board/Board.ts';
import { CATEGORY_IDS } from '../shared/protocol/categories.ts';
import { BenchClient } from './clients.ts';
import { createSession, joinSession } from './http.ts';
import { startOurs } from './servers.ts';
import { performance } from 'node:perf_hooks';
import { round, sleep, summarize, waitFor, type Summary } from './stats.ts';

export interface DragResult {
  notes: number;
  step: string;
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

/**
 * A participant drags a note across the sort board holding `notes` notes, in
 * Chromium, at a mouse rate of about 120 Hz; frame intervals come from
 * requestAnimationFrame timestamps taken in the page during the drag.
 */
export async function drag(clientDir: string, notes: number, moves: number, log: (line: string) => void): Promise<DragResult> {
  const server = await startOurs({ clientDir });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const seeder: BenchClient[] = [];
  try {
    const session = await createSession(server.baseUrl, 'Drag bench');
    const me = await joinSession(server.baseUrl, session.joinCode, 'Dana');

    // The facilitator moves the meeting to the sort step.
    const facilitator = io(server.baseUrl, { auth: { token: session.facilitatorToken }, transports: ['websocket'], forceNew: true });
    await new Promise<void>((resolve, reject) => {
      facilitator.once('welcome', () => resolve());
      facilitator.once('connect_error', reject);
    });
    const ack = await facilitator.timeout(10_000).emitWithAck('command', { type: 'goto', step: 'sort' });
    if (!(ack as { ok?: boolean }).ok) throw new Error(`drag: goto sort refused: ${JSON.stringify(ack)}`);
    facilitator.disconnect();

    // Another participant's notes, added one by one as they would be.
    const writer = new BenchClient({ yjsUrl: server.yjsUrl, room: session.id, token: session.facilitatorToken, actor: FACILITATOR_ACTOR });
    seeder.push(writer);
    await writer.ready();
    for (let i = 0; i < notes; i++) {
      writer.addNote(`Cause ${i + 1}: schedules leave no time for family conversations`, (i % 25) * 90, Math.floor(i / 25) * 70);
    }
    await sleep(500);

    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    await context.addInitScript(
      ([key, value]) => localStorage.setItem(key!, value!),
      [`howmight.participant.${session.id}`, JSON.stringify({ token: me.participantToken, participantId: me.participantId, name: 'Dana' })],
    );
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/s/${session.id}`);
    const tray = page.locator('[data-column="tray"] [data-note-id]');
    const loaded = await waitFor(async () => (await tray.count()) === notes, 30_000, 250);
    if (!loaded) throw new Error(`drag: the sort board shows ${await tray.count()} notes, expected ${notes}`);
    await sleep(1000);

    const from = (await tray.first().boundingBox())!;
    const to = (await page.locator(`[data-column="${CATEGORY_IDS[1]}"]`).boundingBox())!;
    await page.evaluate(RECORDER);
    const x0 = from.x + from.width / 2;
    const y0 = from.y + from.height / 2;
    const x1 = to.x + to.width / 2;
    const y1 = to.y + Math.min(200, to.height / 2);
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    // Wander there and back a little so the drag lasts, then drop in the target column.
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
    const sortedInto = await page.locator(`[data-testid="count-${CATEGORY_IDS[1]}"]`).textContent();
    if (sortedInto?.trim() !== '1') log(`  drag: warning: the note did not land in ${CATEGORY_IDS[1]} (count ${sortedInto})`);
    await context.close();
    return {
      notes,
      step: 'sort',
      moves,
      frames: summarize(recorded.frames.map((f) => round(f, 2))),
      longFrames: recorded.frames.filter((f) => f > 25).length,
      slowPointerEvents: recorded.slow.length,
      slowestPointerEventMs: recorded.slow.length ? Math.max(...recorded.slow) : 0,
      longAnimationFrames: recorded.loaf.length,
      moveAckMs: round(summarize(acks).p50, 1),
    };
  } finally {
    for (const c of seeder) c.close();
    await browser.close();
    await server.stop();
  }
}
