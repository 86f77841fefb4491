import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Browser, type Page } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';
import type { CommandResult } from '../../shared/events.ts';
import Database from 'better-sqlite3';
import { STEPS, type StepId } from '../../shared/protocol/steps.ts';

/** Composable steps for the end-to-end specs: each does what a person would. */

export interface Meeting {
  facilitator: Page;
  joinCode: string;
  sessionUrl: string;
}

export async function createSession(browser: Browser, title = 'Equity CoP, March'): Promise<Meeting> {
  const facilitator = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await facilitator.goto('/');
  await facilitator.getByLabel('Title').fill(title);
  await facilitator.getByRole('button', { name: 'Create session' }).click();
  await facilitator.waitForURL(/\/facilitate$/);
  // A new browser sees the first-run guide; the specs start from a facilitator who knows the tool (facilitator.spec.ts checks the guide).
  await dismissGuide(facilitator);
  const joinCode = (await facilitator.getByTestId('join-code').textContent())?.trim() ?? '';
  expect(joinCode).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
  return { facilitator, joinCode, sessionUrl: facilitator.url() };
}

/** Closes the facilitator's first-run guide (shown once per browser). */
export async function dismissGuide(facilitator: Page): Promise<void> {
  await facilitator.getByTestId('facilitator-guide').getByRole('button', { name: 'Got it' }).click();
  await expect(facilitator.getByTestId('facilitator-guide')).toHaveCount(0);
}

/** A phone-sized touch screen. */
export const PHONE = { width: 375, height: 812 } as const;

export async function joinAs(browser: Browser, joinCode: string, name: string, viewport: { width: number; height: number } = { width: 1280, height: 800 }): Promise<Page> {
  const touch = viewport.width < 700;
  const page = await (await browser.newContext({ viewport, hasTouch: touch, isMobile: touch })).newPage();
  await page.goto(`/j/${joinCode}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.waitForURL(/\/s\/[^/]+$/);
  await expectLive(page);
  return page;
}

export async function openProjector(facilitator: Page): Promise<Page> {
  const [projector] = await Promise.all([
    facilitator.waitForEvent('popup'),
    facilitator.getByRole('button', { name: 'Open projector view' }).click(),
  ]);
  await projector.setViewportSize({ width: 1600, height: 900 });
  await expectLive(projector);
  return projector;
}

/** The free sticky-note board is the root-causes step after the reveal. */
export async function openFreeBoard(facilitator: Page, others: Page[]): Promise<void> {
  await facilitator.getByLabel('Jump to step').selectOption('causes');
  await facilitator.getByRole('button', { name: 'Reveal all notes' }).click();
  for (const page of [facilitator, ...others]) await expect(page.getByRole('list', { name: 'Notes' })).toBeAttached();
}

export async function expectLive(page: Page): Promise<void> {
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
}

export async function addNote(page: Page, text: string): Promise<void> {
  await page.getByRole('button', { name: '+ Add note' }).click();
  await page.getByLabel('Note text').fill(text);
  await page.keyboard.press('Escape');
}

export function note(page: Page, text: string) {
  return page.getByRole('listitem').filter({ hasText: text });
}

// ---------------------------------------------------------------- the protocol

export interface Room extends Meeting {
  projector: Page;
  participants: Page[];
}

/** A facilitator, three participants (one on a phone-sized screen) and the projector. */
export async function meetingOfFour(browser: Browser, names = ['Ana', 'Ben', 'Chloe']): Promise<Room> {
  const meeting = await createSession(browser);
  const participants: Page[] = [];
  for (const [i, name] of names.entries()) {
    participants.push(await joinAs(browser, meeting.joinCode, name, i === 2 ? PHONE : undefined));
  }
  const projector = await openProjector(meeting.facilitator);
  return { ...meeting, projector, participants };
}

/** The facilitator jumps to a step; every other screen follows. */
/** Closes every browser of the room; a spec that opened it in `beforeAll` calls this in `afterAll`. */
export async function closeRoom(room: Room | undefined): Promise<void> {
  if (!room) return;
  await Promise.all([room.facilitator, ...room.participants].map((page) => page.context().close()));
}

export async function goToStep(room: Room, step: StepId): Promise<void> {
  await room.facilitator.getByLabel('Jump to step').selectOption(step);
  for (const page of [room.facilitator, room.projector, ...room.participants]) {
    await expect(page.locator(`[data-step="${step}"]`)).toBeVisible();
    await expect(page.getByRole('heading', { name: STEPS[step].title, exact: true }).first()).toBeVisible();
  }
}

export async function shareStory(page: Page, what: string): Promise<void> {
  await page.getByLabel('Who was involved').fill('A family new to the district');
  await page.getByLabel('What happened').fill(what);
  await page.getByLabel('What I did').fill('Sent the usual letter home');
  await page.getByLabel('How it ended').fill('They never came');
  await page.getByRole('button', { name: 'Share with the group' }).click();
  await expect(page.getByText('Shared with the group')).toBeVisible();
}

export async function writeCause(page: Page, text: string): Promise<void> {
  await page.getByRole('button', { name: '+ New note' }).click();
  const draft = page.getByLabel('Root cause note').last();
  await expect(draft).toBeFocused();
  await page.keyboard.type(text);
  await expect(draft).toHaveValue(text);
  // A reveal takes what the server holds: the last keystrokes travel on the
  // participant's own socket, so wait until the server has stored them.
  await storedOnServer(text);
}

/**
 * Resolves once some stored update holds `text`. The server appends every
 * update to its SQLite log before it relays it, so this is "the server has it".
 */
export async function storedOnServer(text: string): Promise<void> {
  const file = path.join(process.env.HOWMIGHT_E2E_DIR!, 'howmight.sqlite');
  const needle = Buffer.from(text);
  await expect
    .poll(() => {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        const log = db.prepare('SELECT count(*) AS n FROM doc_updates WHERE instr(data, ?) > 0').get(needle) as { n: number };
        const snapshots = db.prepare('SELECT count(*) AS n FROM doc_snapshots WHERE instr(data, ?) > 0').get(needle) as { n: number };
        return log.n + snapshots.n;
      } finally {
        db.close();
      }
    }, { message: `the server to store “${text}”` })
    .toBeGreaterThan(0);
}

export async function reveal(room: Room): Promise<void> {
  await room.facilitator.getByRole('button', { name: 'Reveal all notes' }).click();
}

export async function addQuestion(page: Page, text: string): Promise<void> {
  await page.getByLabel('Your “How might we…” question').fill(text);
  await page.getByRole('button', { name: 'Add question' }).click();
  await expect(page.getByText(text).first()).toBeVisible();
}

// ---------------------------------------------------------------- what people see

/**
 * Nothing runs off the page sideways and no text is cut: every line of visible
 * text lies inside each ancestor that hides its overflow, and every text box
 * shows all it holds. On a wall (`wall`), where nobody scrolls, every line is
 * also inside the window and inside every ancestor that would scroll. Returns what is cut, for a readable failure.
 */
export async function whatIsCut(page: Page, { wall = false } = {}): Promise<string[]> {
  return page.evaluate((wall) => {
    const cut: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth + 1) cut.push(`the page is ${root.scrollWidth}px wide in a ${window.innerWidth}px window`);
    // On a wall a box that scrolls is as good as one that clips: nobody scrolls it.
    const hiding = wall ? ['hidden', 'clip', 'auto', 'scroll'] : ['hidden', 'clip'];
    const clips = (el: Element) => {
      const style = getComputedStyle(el);
      return hiding.includes(style.overflowX) || hiding.includes(style.overflowY);
    };
    const inside = (line: DOMRect, box: DOMRect) =>
      line.left >= box.left - 2 && line.right <= box.right + 2 && line.top >= box.top - 2 && line.bottom <= box.bottom + 2;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      const parent = node.parentElement;
      // Screen-reader-only text, and what is kept off screen on purpose (a wall's other pages), are not shown text.
      if (!text || !parent || parent.closest('.visually-hidden, script, style, textarea, option, select, [aria-hidden="true"]')) continue;
      const style = getComputedStyle(parent);
      if (style.visibility === 'hidden' || parent.getClientRects().length === 0) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const lines = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
      for (const line of lines) {
        let clipper: Element | null = null;
        for (let el: Element | null = parent; el && el !== document.body; el = el.parentElement) {
          // A wall's paged list (WallPages) holds its other pages beside the one shown: beside is not cut.
          const paged = el.parentElement?.matches('[data-testid="wall-pages"]') === true;
          const box = el.getBoundingClientRect();
          const within = paged ? line.top >= box.top - 2 && line.bottom <= box.bottom + 2 : inside(line, box);
          if (clips(el) && !within) {
            clipper = el;
            break;
          }
        }
        const offWall = wall && !inside(line, new DOMRect(0, 0, window.innerWidth, window.innerHeight));
        if (clipper || offWall) {
          const where = clipper ? `cut by ${clipper.tagName.toLowerCase()}.${String(clipper.className).split(' ')[0]}` : 'off the wall';
          cut.push(`“${text.slice(0, 50)}” ${where}`);
          break;
        }
      }
    }
    for (const box of document.querySelectorAll('textarea')) {
      if (box.getClientRects().length > 0 && box.value.trim() && box.scrollHeight > box.clientHeight + 2) {
        cut.push(`text box “${box.value.slice(0, 40)}”: ${box.scrollHeight}px of text in ${box.clientHeight}px`);
      }
    }
    return cut;
  }, wall);
}

export async function expectNothingCut(page: Page, where: string, options: { wall?: boolean } = {}): Promise<void> {
  expect(await whatIsCut(page, options), `cut or overflowing on ${where}`).toEqual([]);
}

/** The test server's address (playwright.config.ts starts it on E2E_PORT). */
export const E2E_ORIGIN = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 4173)}`;

/** What axe finds against WCAG 2.1 A and AA, one line per rule, for `expect(…).toEqual([])`. */
export async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

/** A facilitator's control socket from the test itself, for the commands a scenario needs before the browser shows them. */
export async function controlSocket(token: string): Promise<{ run: (command: unknown) => Promise<void>; close: () => void }> {
  const socket: Socket = io(E2E_ORIGIN, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('welcome', () => resolve());
    socket.once('connect_error', reject);
  });
  return {
    run: async (command) => {
      const result = (await socket.timeout(5_000).emitWithAck('command', command)) as CommandResult;
      if (!result.ok) throw new Error(`command refused: ${JSON.stringify(result)}`);
    },
    close: () => socket.disconnect(),
  };
}
