import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { addNote, createSession, expectLive, joinAs, openFreeBoard } from './helpers.ts';

/** The notes on the board itself (the not-saved list has list items too). */
const boardNote = (page: Page, text: string) => page.getByRole('list', { name: 'Notes' }).getByRole('listitem').filter({ hasText: text });
const notSaved = (page: Page) => page.getByTestId('not-saved');
const notSavedTexts = async (page: Page) => (await notSaved(page).locator('textarea').evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value))).sort();

test('a change the server refuses is kept on the device, shown with its reason, and can be tried again', async ({ browser }) => {
  test.setTimeout(120_000);
  const { facilitator, joinCode } = await createSession(browser);
  const ana = await joinAs(browser, joinCode, 'Ana', { width: 375, height: 800 });
  await openFreeBoard(facilitator, [ana]);
  await addNote(ana, 'Written online');
  await expect(boardNote(facilitator, 'Written online')).toBeVisible();

  // Offline, Ana edits her note and writes a new one; meanwhile the facilitator locks the board.
  await ana.context().setOffline(true);
  await expect(ana.getByRole('status').filter({ hasText: 'Offline' })).toBeVisible();
  await boardNote(ana, 'Written online').getByRole('button', { name: /Your note/ }).press('Enter');
  await ana.getByLabel('Note text').fill('Edited while offline');
  await ana.keyboard.press('Escape');
  await addNote(ana, 'Added while offline');
  await facilitator.getByRole('button', { name: 'Lock board' }).click();

  // Back online: the server refuses the lot, and Ana is told, with her words kept.
  await ana.context().setOffline(false);
  await expect(notSaved(ana)).toBeVisible({ timeout: 20_000 });
  await expect(notSaved(ana)).toContainText('Not saved: The facilitator locked the board');
  await expect.poll(() => notSavedTexts(ana)).toEqual(['Added while offline', 'Edited while offline']);
  await expect(ana.getByRole('status').filter({ hasText: /Not saved: The facilitator locked the board/ })).toBeAttached();
  // The board now shows the server's copy and is live again.
  await expectLive(ana);
  await expect(boardNote(ana, 'Written online')).toBeVisible();
  await expect(boardNote(ana, 'Edited while offline')).toHaveCount(0);
  await expect(notSaved(ana).getByRole('button', { name: 'Try again' }).first()).toBeDisabled();
  await ana.screenshot({ path: test.info().outputPath('not-saved-375.png'), fullPage: true });

  // Unlocked, "Try again" writes the edit through the normal command, and it reaches the facilitator.
  await facilitator.getByRole('button', { name: 'Unlock board' }).click();
  await notSaved(ana).getByRole('button', { name: 'Try again: Edited while offline' }).click();
  await expect(boardNote(facilitator, 'Edited while offline')).toBeVisible();
  await expect.poll(() => notSavedTexts(ana)).toEqual(['Added while offline']);
  await addNote(ana, 'Written after the refusal');
  await expect(boardNote(facilitator, 'Written after the refusal')).toBeVisible();

  // A reload neither brings the refused note back nor sends it again; the notice stays until dismissed.
  const syncSockets: string[] = [];
  ana.on('websocket', (ws) => {
    if (ws.url().includes('/yjs/')) syncSockets.push(ws.url());
  });
  await ana.reload();
  await expectLive(ana);
  await expect(boardNote(ana, 'Edited while offline')).toBeVisible();
  await expect.poll(() => notSavedTexts(ana)).toEqual(['Added while offline']);
  await ana.waitForTimeout(3000);
  await expectLive(ana);
  // One socket for the board, one for the private drafts: nothing was refused, so nothing reconnected.
  expect(syncSockets).toHaveLength(2);
  await expect(boardNote(ana, 'Added while offline')).toHaveCount(0);
  await expect(boardNote(facilitator, 'Added while offline')).toHaveCount(0);
  await notSaved(ana).getByRole('button', { name: /^Dismiss/ }).click();
  await expect(notSaved(ana)).toHaveCount(0);
  await ana.reload();
  await expectLive(ana);
  await expect(notSaved(ana)).toHaveCount(0);
  await addNote(ana, 'Still working');
  await expect(boardNote(facilitator, 'Still working')).toBeVisible();
});


test('opened in more windows than a link may hold: the oldest says so and comes back only on "Use here"', async ({ browser }) => {
  const { facilitator, joinCode } = await createSession(browser);
  const ana = await joinAs(browser, joinCode, 'Ana');
  await openFreeBoard(facilitator, [ana]);
  // Three windows per link; the fourth pushes out the oldest.
  const others: Page[] = [];
  for (let i = 0; i < 3; i++) {
    const page = await ana.context().newPage();
    await page.goto(ana.url());
    await expectLive(page);
    others.push(page);
  }
  await expect(ana.getByRole('status').filter({ hasText: 'This board is open in another window' })).toBeVisible();
  await ana.waitForTimeout(2000);
  await expect(ana.getByRole('status').filter({ hasText: 'This board is open in another window' })).toBeVisible();
  await ana.getByRole('button', { name: 'Use here' }).click();
  await expectLive(ana);
  await addNote(ana, 'Back in the first window');
  await expect(boardNote(facilitator, 'Back in the first window')).toBeVisible();
  // Taking it back pushed out the next oldest window, which waits for its person in turn.
  await expect(others[0]!.getByRole('button', { name: 'Use here' })).toBeVisible();
});

test('at the sort step: a sort refused while locked is reported, and sorting works again after the unlock', async ({ browser }) => {
  const { facilitator, joinCode } = await createSession(browser);
  const ana = await joinAs(browser, joinCode, 'Ana');
  await openFreeBoard(facilitator, [ana]);
  await addNote(ana, 'Letters go home in English only');
  await expect(boardNote(facilitator, 'Letters go home in English only')).toBeVisible();
  await facilitator.getByLabel('Jump to step').selectOption('sort');
  await expect(ana.locator('[data-step="sort"]')).toBeVisible();
  const card = (page: Page) => page.locator('.card-note').filter({ hasText: 'Letters go home' });

  await ana.context().setOffline(true);
  await expect(ana.getByRole('status').filter({ hasText: 'Offline' })).toBeVisible();
  await card(ana).press('1');
  await expect(ana.getByTestId('count-structures')).toHaveText('1');
  await facilitator.getByRole('button', { name: 'Lock board' }).click();
  await ana.context().setOffline(false);

  // A move carries no words: the notice says what happened, with nothing to copy.
  await expect(notSaved(ana)).toContainText('Not saved: The facilitator locked the board', { timeout: 20_000 });
  await expect(notSaved(ana).getByRole('button', { name: /^Copy/ })).toHaveCount(0);
  await expectLive(ana);
  await expect(ana.getByTestId('count-structures')).toHaveText('0');
  await expect(facilitator.getByTestId('count-structures')).toHaveText('0');

  await facilitator.getByRole('button', { name: 'Unlock board' }).click();
  await notSaved(ana).getByRole('button', { name: 'Dismiss' }).click();
  await expect(notSaved(ana)).toHaveCount(0);
  await card(ana).press('1');
  await expect(facilitator.getByTestId('count-structures')).toHaveText('1');
});
