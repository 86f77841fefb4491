import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { addQuestion, closeRoom, expectLive, goToStep, meetingOfFour, reveal, type Room, shareStory, writeCause } from './helpers.ts';

// The projector, read from the back of a room: every step of a full meeting at the
// two common projector sizes, with more items than a wall holds. Computed styles, not looks.
test.describe.configure({ mode: 'serial' });

const WALLS = [
  { width: 1920, height: 1080 },
  { width: 1366, height: 768 },
] as const;

/** Everything on the projector that breaks the wall's rules, in words; empty when all is well. */
function wallProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const what = (el: Element) => `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ')[0]}` : ''} “${(el.textContent ?? '').trim().slice(0, 40)}”`;
    const shown = (el: Element) => {
      const box = el.getBoundingClientRect();
      return box.width > 1 && box.height > 1 && el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
    };
    // The free board scales its notes to fit (NoteBoard's own rules); what is around it is checked.
    const freeBoard = (el: Element) => el.closest('[role="list"][aria-label="Notes"]') !== null;
    const size = (el: Element) => parseFloat(getComputedStyle(el).fontSize);

    const doc = document.documentElement;
    if (doc.scrollWidth > innerWidth) problems.push(`the page is ${doc.scrollWidth}px wide on a ${innerWidth}px wall`);
    if (doc.scrollHeight > innerHeight) problems.push(`the page is ${doc.scrollHeight}px tall on a ${innerHeight}px wall`);

    const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = texts.nextNode(); node; node = texts.nextNode()) {
      const el = node.parentElement;
      if (!el || !node.textContent?.trim() || freeBoard(el) || !shown(el)) continue;
      if (size(el) < 24) problems.push(`text at ${size(el)}px: ${what(el)}`);
    }
    for (const heading of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
      if (shown(heading) && !freeBoard(heading) && size(heading) < 32) problems.push(`heading at ${size(heading)}px: ${what(heading)}`);
    }
    for (const el of document.querySelectorAll('body *')) {
      const style = getComputedStyle(el);
      const scrolls = (overflow: string) => overflow === 'auto' || overflow === 'scroll';
      if ((scrolls(style.overflowY) && el.scrollHeight > el.clientHeight + 1) || (scrolls(style.overflowX) && el.scrollWidth > el.clientWidth + 1)) {
        problems.push(`needs scrolling: ${what(el)}`);
      }
    }
    // A list's numbers sit left of its items (outside) or in them (inside): either way on the screen and not clipped.
    for (const item of document.querySelectorAll('ol > li')) {
      const style = getComputedStyle(item);
      if (!shown(item) || style.listStyleType === 'none') continue;
      const box = item.getBoundingClientRect();
      const markerLeft = style.listStylePosition === 'inside' ? box.left : box.left - 1.2 * size(item);
      let clip = 0;
      for (let up = item.parentElement; up; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== 'visible') clip = Math.max(clip, up.getBoundingClientRect().left);
      }
      if (markerLeft < clip) problems.push(`list number cut at the left (${Math.round(markerLeft)} < ${Math.round(clip)}): ${what(item)}`);
    }
    return problems;
  });
}

/** The projector's join card as a person at the back sees it. */
function joinCard(page: Page) {
  return page.evaluate(() => {
    const card = document.querySelector('[data-testid="wall-join"]');
    if (!card) return null;
    const code = card.querySelector('[data-testid="join-code"]')!;
    const qr = card.querySelector('[data-testid="join-qr"]')?.getBoundingClientRect();
    const box = card.getBoundingClientRect();
    return {
      size: card.getAttribute('data-size'),
      code: parseFloat(getComputedStyle(code).fontSize),
      qr: qr ? Math.min(qr.width, qr.height) : 0,
      onScreen: box.left >= 0 && box.top >= 0 && box.right <= innerWidth && box.bottom <= innerHeight,
    };
  });
}

test.describe('the wall is readable from the back of the room at every step', () => {
  let room: Room;
  let ana: Page, ben: Page, chloe: Page;

  /** At both wall sizes: the rules hold, and the join code is as the facilitator chose. */
  async function checkWall(step: string, join: 'large' | 'corner' | 'none' = 'large') {
    for (const wall of WALLS) {
      await room.projector.setViewportSize(wall);
      await expect.poll(() => wallProblems(room.projector), { message: `${step} at ${wall.width}x${wall.height}` }).toEqual([]);
      const card = await joinCard(room.projector);
      const where = `${step} at ${wall.width}x${wall.height}`;
      if (join === 'none') {
        expect(card, where).toBeNull();
      } else {
        expect(card, where).toMatchObject({ size: join, onScreen: true });
        if (join === 'large') {
          expect(card!.code, `${where}: join code size`).toBeGreaterThanOrEqual(64);
          expect(card!.qr, `${where}: QR code size`).toBeGreaterThanOrEqual(240);
        } else {
          expect(card!.code, `${where}: join code size`).toBeGreaterThanOrEqual(32);
          expect(card!.code).toBeLessThan(64);
          expect(card!.qr, `${where}: QR code size`).toBeGreaterThanOrEqual(96);
          expect(card!.qr).toBeLessThan(240);
        }
      }
      await room.projector.screenshot({ path: `test-results/wall/${step}-${wall.width}.png` });
    }
  }

  async function add(page: Page, label: string | RegExp, text: string, button = 'Add') {
    await page.getByLabel(label).fill(text);
    await page.getByRole('button', { name: button, exact: true }).click();
    await expect(page.getByText(text).first()).toBeVisible();
  }

  test.afterAll(() => closeRoom(room));

  test.beforeAll(async ({ browser }) => {
    room = await meetingOfFour(browser);
    [ana, ben, chloe] = room.participants as [Page, Page, Page];
    // A fake clock on the wall, so turning its pages needs no waiting; the reload keeps its key (session storage).
    await room.projector.clock.install();
    await room.projector.reload();
    await expectLive(room.projector);
  });

  test('Open: fifteen hopes and six norms fit, paged, beside a large join code', async () => {
    for (const norm of ['Pause', 'Paraphrase', 'Pose questions', 'Presume positive intentions', 'Put ideas on the table', 'Pay attention to self and others']) {
      await add(room.facilitator, 'Add a norm', norm);
    }
    for (const [who, page] of [['Ana', ana], ['Ben', ben], ['Chloe', chloe]] as const) {
      for (let i = 1; i <= 5; i++) await add(page, /Name one hope/, `${who}'s hope ${i}: leave with one thing I can try with my staff next week`);
    }
    await expect(room.projector.getByText("Chloe's hope 5", { exact: false })).toBeAttached();
    await checkWall('0-open');
  });

  test('Story: the round of turns and a story in the spotlight', async () => {
    await goToStep(room, 'story');
    await shareStory(ana, 'Spanish-speaking families missed conferences, '.repeat(6).trim());
    await shareStory(ben, 'A student was suspended twice in a week');
    await room.facilitator.getByRole('button', { name: 'Start the round' }).click();
    await room.facilitator.getByRole('button', { name: 'Mark speaking' }).first().click();
    await expect(room.projector.getByText('Speaking now:')).toBeVisible();
    await checkWall('1-story');
    await room.facilitator.getByRole('button', { name: 'Spotlight on projector' }).first().click();
    await expect(room.projector.getByRole('region', { name: 'In the spotlight' })).toBeVisible();
    await checkWall('1-story-spotlight');
  });

  test('Need: ten needs', async () => {
    await goToStep(room, 'need');
    for (let i = 1; i <= 10; i++) {
      await add(ana, /what did you need but not have/, `I needed to know which families we were not reaching (${i})`, 'Add need');
    }
    await checkWall('2-need');
  });

  test('Assumptions: the groups', async () => {
    await goToStep(room, 'assumptions');
    await room.facilitator.getByRole('button', { name: 'Form pairs' }).click();
    await expect(room.projector.getByText(/Group 1:/)).toBeVisible();
    await checkWall('3-assumptions');
  });

  test('Causes: silent writing, then the revealed board', async () => {
    await goToStep(room, 'causes');
    await checkWall('4-causes-silent');
    await writeCause(ana, 'No translation process for family conferences');
    await writeCause(ben, 'Discipline data never reviewed by race');
    await writeCause(chloe, 'Conference times fit office hours only');
    await reveal(room);
    await expect(room.projector.getByRole('list', { name: 'Notes' })).toBeAttached();
    await checkWall('4-causes-revealed');
  });

  test('Sort: five columns', async () => {
    await goToStep(room, 'sort');
    await ana.getByRole('button', { name: /No translation process/ }).press('1');
    await ben.getByRole('button', { name: /Discipline data/ }).press('2');
    await expect(room.projector.getByTestId('count-structures')).toHaveText('1');
    await room.facilitator.getByRole('region', { name: /Structures/ }).getByRole('button', { name: 'Mark heaviest' }).click();
    await expect(room.projector.getByText('Heaviest', { exact: true })).toBeVisible();
    await checkWall('5-sort');
  });

  test('How might we: twelve questions page on the wall, and the pages turn', async () => {
    await goToStep(room, 'hmw');
    for (let i = 1; i <= 12; i++) {
      await addQuestion(ana, `How might we make conferences work for families who speak Spanish, idea ${i}?`);
    }
    await room.facilitator.getByRole('button', { name: 'Mark as final' }).first().click();
    await expect(room.projector.getByText('Final inquiry question')).toBeVisible();
    await checkWall('6-hmw');
    // At 1366x768 twelve questions beside a large join code do not fit on one page.
    const pager = room.projector.getByTestId('wall-pages');
    await expect(pager).not.toHaveAttribute('data-pages', '1');
    await expect(room.projector.getByTestId('page-of')).toHaveText(/^Questions · 1 \/ \d+$/);
    await room.projector.clock.fastForward(10_000);
    await expect(room.projector.getByTestId('page-of')).toHaveText(/^Questions · 2 \/ \d+$/);
    await expect.poll(() => wallProblems(room.projector)).toEqual([]);
  });

  test('the facilitator shrinks the join code to a corner, and brings it back', async () => {
    const shrink = room.facilitator.getByRole('button', { name: 'Shrink join code on the wall' });
    await shrink.focus();
    await room.facilitator.keyboard.press('Enter');
    await expect(room.projector.getByTestId('wall-join')).toHaveAttribute('data-size', 'corner');
    await checkWall('6-hmw-corner', 'corner');
    // The switch in the facilitator's sidebar, on a laptop and on a phone: looked at by hand.
    for (const [width, height] of [[1280, 800], [375, 812]] as const) {
      await room.facilitator.setViewportSize({ width, height });
      await room.facilitator.screenshot({ path: `test-results/wall/facilitator-${width}.png`, fullPage: true });
    }
    await room.facilitator.setViewportSize({ width: 1440, height: 900 });
    await room.facilitator.getByRole('button', { name: 'Show join code large' }).click();
    await expect(room.projector.getByTestId('wall-join')).toHaveAttribute('data-size', 'large');
    await room.facilitator.getByRole('button', { name: 'Shrink join code on the wall' }).click();
    await expect(room.projector.getByTestId('wall-join')).toHaveAttribute('data-size', 'corner');
  });

  test('Commit and Close, the code in its corner; with joining closed the wall shows no code', async () => {
    await goToStep(room, 'commit');
    await checkWall('7-commit', 'corner');
    await goToStep(room, 'close');
    await expect(room.projector.getByTestId('final-question')).toContainText('How might we make conferences work');
    await checkWall('8-close', 'corner');
    await room.facilitator.getByRole('switch', { name: 'Joining open' }).uncheck();
    await expect(room.projector.getByTestId('wall-join')).toHaveCount(0);
    await checkWall('8-close-joining-closed', 'none');
    await room.facilitator.getByRole('switch', { name: 'Joining open' }).check();
    await expect(room.projector.getByTestId('wall-join')).toHaveAttribute('data-size', 'corner');
  });
});
