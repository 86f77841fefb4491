import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { goToStep, meetingOfFour, reveal, writeCause, type Room } from './helpers.ts';

async function notesToSort(room: Room) {
  const [ana, ben] = room.participants as [Page, Page];
  await goToStep(room, 'causes');
  await writeCause(ana, 'No translation process');
  await writeCause(ana, 'Never saw discipline data by race');
  await writeCause(ben, 'Avoiding conflict with staff');
  await reveal(room);
  await goToStep(room, 'sort');
  await expect(room.projector.getByTestId('count-tray')).toHaveText('3');
}

const sortable = (page: Page, text: string) => page.getByRole('button', { name: new RegExp(text) });
const column = (page: Page, name: string) => page.locator(`[data-column="${name}"]`);

test('sorting by drag and drop, with live counts everywhere', async ({ browser }) => {
  const room = await meetingOfFour(browser);
  await notesToSort(room);
  const [ana, ben] = room.participants as [Page, Page];

  await sortable(ana, 'No translation').dragTo(column(ana, 'structures'));
  await sortable(ben, 'Never saw discipline').dragTo(column(ben, 'knowledge'));
  await sortable(ana, 'Avoiding conflict').dragTo(column(ana, 'dispositions'));

  for (const page of [room.projector, room.facilitator, ben]) {
    await expect(page.getByTestId('count-structures')).toHaveText('1');
    await expect(page.getByTestId('count-knowledge')).toHaveText('1');
    await expect(page.getByTestId('count-dispositions')).toHaveText('1');
  }
  for (const page of [room.facilitator, ben]) await expect(page.getByTestId('count-tray')).toHaveText('0');
  // The wall leaves an empty tray out, for room.
  await expect(room.projector.getByTestId('count-tray')).toHaveCount(0);
  await expect(column(room.projector, 'structures')).toContainText('No translation process');
});

test('sorting by keyboard only: 1-4 sorts, 0 unsorts, Shift copies into a second category, and it is announced', async ({ browser }) => {
  const room = await meetingOfFour(browser);
  await notesToSort(room);
  const [, , chloe] = room.participants as [Page, Page, Page];

  // Tab to the first note in the tray, then sort with number keys alone.
  await chloe.locator('body').click({ position: { x: 1, y: 1 } });
  const first = sortable(chloe, 'No translation');
  while (!(await first.evaluate((el) => el === document.activeElement))) await chloe.keyboard.press('Tab');
  await chloe.keyboard.press('3');
  await expect(column(room.projector, 'skills')).toContainText('No translation process');
  await expect(chloe.getByText(/Moved “No translation process” to Skills/)).toBeAttached();

  await sortable(chloe, 'No translation').focus();
  await chloe.keyboard.press('Shift+Digit1');
  await expect(room.projector.getByTestId('count-structures')).toHaveText('1');
  await expect(room.projector.getByTestId('count-skills')).toHaveText('1');
  await expect(chloe.getByText(/Copied “No translation process” to Structures/)).toBeAttached();

  await sortable(chloe, 'Avoiding conflict').focus();
  await chloe.keyboard.press('4');
  await expect(room.projector.getByTestId('count-dispositions')).toHaveText('1');
  await sortable(chloe, 'Avoiding conflict').focus();
  await chloe.keyboard.press('0');
  await expect(room.projector.getByTestId('count-dispositions')).toHaveText('0');
  await expect(room.projector.getByTestId('count-tray')).toHaveText('2');
});
