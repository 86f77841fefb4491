import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { createSession, joinAs, PHONE, shareStory, violations, writeCause } from './helpers.ts';

const SHOTS = 'test-results/facilitator';


/** Every text frame the page's sockets received (socket.io and y-websocket), for searching. */
function recordFrames(page: Page): string[] {
  const frames: string[] = [];
  page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => frames.push(typeof payload === 'string' ? payload : payload.toString('latin1'))));
  return frames;
}

test('a facilitator new to the tool sees the guide once; it closes with Escape or "Got it" and stays closed', async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await page.goto('/');
  await page.getByLabel('Title').fill('First time here');
  await page.getByRole('button', { name: 'Create session' }).click();
  await page.waitForURL(/\/facilitate$/);

  const guide = page.getByRole('dialog', { name: 'New here? How a session runs' });
  await expect(guide).toBeVisible();
  await expect(guide).toBeFocused();
  for (const topic of [/projector is the wall/, /join from their own device/, /You move the meeting/]) await expect(guide.getByText(topic)).toBeVisible();
  // Non-modal: the meeting controls work while it is open.
  await expect(page.getByRole('button', { name: 'Next →' })).toBeEnabled();
  await page.screenshot({ path: `${SHOTS}/guide-1440.png` });
  expect(await violations(page)).toEqual([]);

  await page.keyboard.press('Escape');
  await expect(guide).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'How this works' })).toBeFocused();
  await page.reload();
  await expect(page.getByTestId('join-code')).toBeVisible();
  await expect(guide).toHaveCount(0);

  // It can be brought back, and "Got it" closes it for good too.
  await page.getByRole('button', { name: 'How this works' }).click();
  await expect(guide).toBeVisible();
  await guide.getByRole('button', { name: 'Got it' }).click();
  await expect(guide).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('join-code')).toBeVisible();
  await expect(guide).toHaveCount(0);

  // On a phone it sits in the page's flow without pushing anything sideways.
  const phone = await (await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true })).newPage();
  await phone.goto('/');
  await phone.getByLabel('Title').fill('First time on a phone');
  await phone.getByRole('button', { name: 'Create session' }).click();
  await expect(phone.getByRole('dialog', { name: 'New here? How a session runs' })).toBeVisible();
  await expect(phone.getByTestId('join-code')).toBeVisible();
  expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await phone.screenshot({ path: `${SHOTS}/guide-phone-375.png`, fullPage: true });
});

test('the join page the QR code opens names the session', async ({ browser }) => {
  const { facilitator, joinCode } = await createSession(browser, 'Eastside attendance CoP');
  const qrUrl = await facilitator.getByTestId('join-qr').getAttribute('data-url');
  const scanner = await (await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true })).newPage();
  await scanner.goto(qrUrl!);
  await expect(scanner.getByRole('heading', { level: 1 })).toHaveText('Eastside attendance CoP');
  await scanner.screenshot({ path: `${SHOTS}/join-phone-375.png` });
  expect(await violations(scanner)).toEqual([]);
  // A typed link without the secret names it too; a code that names nothing keeps the plain heading.
  const typed = await (await browser.newContext()).newPage();
  await typed.goto(`/j/${joinCode}`);
  await expect(typed.getByRole('heading', { level: 1 })).toHaveText('Eastside attendance CoP');
  await typed.goto('/j/ZZZZZZ');
  await expect(typed.getByRole('heading', { level: 1 })).toHaveText('Join the session');
});

test('during silent writing the facilitator sees, live, how many have written and how many notes, never what', async ({ browser }) => {
  const { facilitator, joinCode } = await createSession(browser, 'Silent writing');
  // The facilitator's sockets opened with the page: reload, so every frame from here on is recorded.
  const frames = recordFrames(facilitator);
  await facilitator.reload();
  await expect(facilitator.getByTestId('join-code')).toBeVisible();
  const ana = await joinAs(browser, joinCode, 'Ana');
  const ben = await joinAs(browser, joinCode, 'Ben', PHONE);
  // Two-row-style boxes on a phone grow with the text: a long need is not cut.
  await facilitator.getByLabel('Jump to step').selectOption('need');
  const need = ben.getByLabel(/what did you need but not have/);
  await need.fill('I needed to know which families work evening shifts and could never come to a conference at four in the afternoon');
  expect(await need.evaluate((el) => el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1)).toBe(true);
  await ben.screenshot({ path: `${SHOTS}/need-phone-375.png`, fullPage: true });

  await facilitator.getByLabel('Jump to step').selectOption('causes');
  const progress = facilitator.getByTestId('draft-progress');
  await expect(progress).toHaveText('0 of 2 people have written · 0 notes');
  await expect(progress).toHaveAttribute('role', 'status');

  await writeCause(ana, 'QPV the bus leaves before the last bell');
  await expect(progress).toHaveText('1 of 2 people has written · 1 note');
  // A long note on a phone: the box grows, so none of it is hidden.
  const long = 'QPV conferences are set in office hours, so families who work shifts cannot come, and we read that as not caring about school';
  await writeCause(ben, long);
  await writeCause(ben, 'QPV no interpreter is booked');
  await expect(progress).toHaveText('2 of 2 people have written · 3 notes');
  const box = ben.getByLabel('Root cause note').first();
  await expect(box).toHaveValue(long);
  const fits = await box.evaluate((el) => el.scrollHeight <= el.clientHeight + 1);
  expect(fits).toBe(true);
  await ben.screenshot({ path: `${SHOTS}/causes-phone-375.png`, fullPage: true });
  await facilitator.screenshot({ path: `${SHOTS}/causes-facilitator-1440.png` });

  // An emptied note no longer counts, and Ana has no other.
  await ana.getByLabel('Root cause note').first().fill('');
  await expect(progress).toHaveText('1 of 2 people has written · 2 notes');

  // Counts only: no frame the facilitator's browser received holds a word of a draft.
  expect(frames.some((f) => f.includes('draftProgress'))).toBe(true);
  expect(frames.filter((f) => f.includes('QPV'))).toEqual([]);
  await expect(facilitator.getByText(/QPV/)).toHaveCount(0);
  // Participants are never told the counts.
  await expect(ana.getByTestId('draft-progress')).toHaveCount(0);

  await facilitator.getByRole('button', { name: 'Reveal all notes' }).click();
  await expect(facilitator.getByText('2 notes', { exact: true })).toBeVisible();
  await facilitator.getByLabel('Jump to step').selectOption('close');
  const made = facilitator.getByRole('region', { name: 'What we made today' });
  await expect(made.getByRole('listitem').filter({ hasText: 'root cause' })).toHaveText('2 root causes');
  await expect(made.getByRole('listitem').filter({ hasText: 'assumption' })).toHaveText('0 assumptions checked');
});

test('at 1440x900 the middle pane and the sidebar each scroll within the window, and nothing overflows sideways', async ({ browser }) => {
  const { facilitator, joinCode } = await createSession(browser, 'Layout');
  const people: Page[] = [];
  for (const name of ['Ana', 'Ben', 'Chloe', 'Dev', 'Eli']) people.push(await joinAs(browser, joinCode, name));
  await facilitator.getByLabel('Jump to step').selectOption('story');
  await facilitator.getByRole('button', { name: 'Start the round' }).click();

  // The round's list tells a story written down from a story told: two tags, two meanings.
  await shareStory(people[0]!, 'Conference night, nobody from the Eastside came');
  const round = facilitator.getByRole('region', { name: 'Telling in turn' });
  const row = (name: string) => round.getByRole('listitem').filter({ hasText: name });
  await row('Ben').getByRole('button', { name: 'Mark speaking' }).click();
  await round.getByRole('button', { name: 'Finished speaking' }).click();
  await expect(row('Ana').getByTestId('tag-written')).toHaveText('Story written');
  await expect(row('Ana').getByTestId('tag-told')).toHaveCount(0);
  await expect(row('Ben').getByTestId('tag-told')).toHaveText('Told ✓');
  await expect(row('Ben').getByTestId('tag-written')).toHaveCount(0);
  await expect(round.getByTestId('not-told-yet')).toHaveText('Not told yet: Ana, Chloe, Dev, Eli');
  await expect(round).not.toContainText('shared');

  const metrics = () =>
    facilitator.evaluate(() => {
      const pane = (sel: string) => {
        const el = document.querySelector<HTMLElement>(sel)!;
        const rect = el.getBoundingClientRect();
        return { top: rect.top, bottom: rect.bottom, overflowY: getComputedStyle(el).overflowY, scrolls: el.scrollHeight > el.clientHeight };
      };
      return {
        page: { scrollHeight: document.documentElement.scrollHeight, scrollWidth: document.documentElement.scrollWidth },
        main: pane('.layout > main'),
        aside: pane('.layout > aside'),
      };
    });
  const m = await metrics();
  // The page itself neither scrolls down nor sideways…
  expect(m.page.scrollWidth).toBeLessThanOrEqual(1440);
  expect(m.page.scrollHeight).toBeLessThanOrEqual(900);
  // …both panes end inside the window and scroll the same way.
  expect(m.main.bottom).toBeLessThanOrEqual(900);
  expect(m.aside.bottom).toBeLessThanOrEqual(900);
  expect(m.main.overflowY).toBe('auto');
  expect(m.aside.overflowY).toBe('auto');
  // The sidebar's last card is reachable by scrolling the sidebar.
  // The sidebar holds more than the window: its last card is reached by scrolling the sidebar, not the page.
  expect(m.aside.scrolls).toBe(true);
  const last = facilitator.getByRole('button', { name: 'Delete session…' });
  await expect(last).not.toBeInViewport();
  await last.scrollIntoViewIfNeeded();
  await expect(last).toBeInViewport();
  expect(await facilitator.evaluate(() => document.querySelector('.layout > aside')!.scrollTop)).toBeGreaterThan(0);
  expect(await facilitator.evaluate(() => document.documentElement.scrollTop)).toBe(0);
  await facilitator.screenshot({ path: `${SHOTS}/layout-1440.png` });
});
