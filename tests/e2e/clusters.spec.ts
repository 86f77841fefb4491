import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { goToStep, meetingOfFour, reveal, type Room, violations, writeCause } from './helpers.ts';

const sortable = (page: Page, text: string) => page.getByRole('button', { name: new RegExp(text) });
const column = (page: Page, name: string) => page.locator(`[data-column="${name}"]`);
const moveMenu = (page: Page) => page.getByRole('dialog', { name: /^Move “/ });


async function toSort(room: Room, causes: Array<[Page, string]>): Promise<void> {
  await goToStep(room, 'causes');
  for (const [page, text] of causes) await writeCause(page, text);
  await reveal(room);
  await goToStep(room, 'sort');
  await expect(room.projector.getByTestId('count-tray')).toHaveText(String(causes.length));
}

/** A finger's drag, as Chromium gets it from a touch screen: down on `from`, a few moves, up over `to`. */
async function touchDrag(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  const start = { x: a.x + a.width / 2, y: a.y + a.height / 2 };
  const end = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [start] });
  for (let i = 1; i <= 8; i++) {
    const point = { x: start.x + ((end.x - start.x) * i) / 8, y: start.y + ((end.y - start.y) * i) / 8 };
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [point] });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

test('a phone sorts a note into every category by a tap on “Move to…”, and by a touch drag onto a tab', async ({ browser }) => {
  const room = await meetingOfFour(browser);
  const [ana, , chloe] = room.participants as [Page, Page, Page];
  await toSort(room, [
    [ana, 'No translation process'],
    [ana, 'Conference times fit office hours only'],
  ]);

  // The phone's help talks about tapping, not number keys; the categories are tabs with counts.
  await expect(chloe.locator('#sort-help')).toContainText('Tap a note');
  await expect(chloe.locator('#sort-help')).not.toContainText('1-4');
  const tabs = chloe.getByRole('tablist', { name: 'Categories' });
  await expect(tabs.getByRole('tab')).toHaveText([/Structures\s*0/, /Knowledge\s*0/, /Skills\s*0/, /Dispositions\s*0/]);
  expect(await chloe.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

  const categories = ['Structures', 'Knowledge', 'Skills', 'Dispositions'] as const;
  for (const category of categories) {
    await sortable(chloe, 'No translation').tap();
    if (category === 'Structures') {
      await chloe.screenshot({ path: 'test-results/clusters/phone-375-move-to.png' });
      expect(await violations(chloe)).toEqual([]);
    }
    await moveMenu(chloe).getByRole('button', { name: new RegExp(`^\\d? ?${category}`) }).tap();
    await expect(moveMenu(chloe)).toHaveCount(0);
    await expect(room.projector.getByTestId(`count-${category.toLowerCase()}`)).toHaveText('1');
    await expect(tabs.getByRole('tab', { name: new RegExp(category) })).toHaveText(new RegExp(`${category}\\s*1`));
    await tabs.getByRole('tab', { name: new RegExp(category) }).tap();
    await expect(chloe.getByRole('tabpanel', { name: new RegExp(category) })).toContainText('No translation process');
  }
  await sortable(chloe, 'No translation').tap();
  await moveMenu(chloe).getByRole('button', { name: /Unsorted/ }).tap();
  await expect(room.projector.getByTestId('count-tray')).toHaveText('2');
  await expect(room.projector.getByTestId('count-dispositions')).toHaveText('0');

  // A drag by the note's handle onto a tab sorts it into that category.
  const conference = sortable(chloe, 'Conference times');
  await touchDrag(chloe, conference.locator('.grip'), tabs.getByRole('tab', { name: /Skills/ }));
  await expect(room.projector.getByTestId('count-skills')).toHaveText('1');
  await expect(column(room.projector, 'skills')).toContainText('Conference times fit office hours only');
  await expect(moveMenu(chloe)).toHaveCount(0);
  await chloe.screenshot({ path: 'test-results/clusters/phone-375.png' });

  // Held near the bottom edge, a dragged note scrolls the page (a touch drag cannot).
  const help = chloe.locator('#sort-help');
  const top = async () => (await help.boundingBox())!.y;
  const before = await top();
  const grip = (await sortable(chloe, 'No translation').locator('.grip').boundingBox())!;
  const cdp = await chloe.context().newCDPSession(chloe);
  const at = { x: grip.x + grip.width / 2, y: grip.y + grip.height / 2 };
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at] });
  for (const y of [at.y + 20, 700, 790, 806]) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: at.x, y }] });
  await expect.poll(top, { message: 'the page to scroll under the held note' }).toBeLessThan(before - 50);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
});

test('clustering: a drag stacks two notes, the label is shared, the wall shows it, duplicates merge, and a question links to it', async ({ browser }) => {
  const room = await meetingOfFour(browser);
  const [ana, ben, chloe] = room.participants as [Page, Page, Page];
  await toSort(room, [
    [ana, 'No translation process'],
    [ben, 'Letters go home in English only'],
    [ana, 'Data is never shared'],
    [ben, ' data is never  SHARED'],
  ]);
  for (const [text, key] of [['No translation', '1'], ['Letters go home', '1'], ['^Data is never', '2'], ['data is never', '2']] as const) {
    await sortable(ana, text).first().press(key);
  }
  await expect(room.projector.getByTestId('count-structures')).toHaveText('2');
  await expect(room.projector.getByTestId('count-knowledge')).toHaveText('2');

  // Ana drops one note on the other: a cluster, its label ready to edit.
  await sortable(ana, 'Letters go home').dragTo(sortable(ana, 'No translation'));
  const label = ana.getByRole('textbox', { name: 'Cluster label' });
  await expect(label).toBeFocused();
  await expect(label).toHaveValue('No translation process');
  await label.fill('Families do not get our language');
  await label.press('Enter');
  await expect(ana.getByTestId('summary-structures')).toHaveText('1 cluster · 2 notes');

  // Ben sees the cluster and its label; the projector shows it stacked, with its count.
  await expect(ben.getByRole('textbox', { name: 'Cluster label' })).toHaveValue('Families do not get our language');
  await expect(ben.getByTestId('summary-structures')).toHaveText('1 cluster · 2 notes');
  const wall = column(room.projector, 'structures').locator('[data-cluster-id]');
  await expect(wall).toContainText('Families do not get our language');
  await expect(wall.getByTestId('cluster-count')).toHaveText('2 notes');
  await expect(wall).toContainText('No translation process');
  await expect(wall).toContainText('Letters go home in English only');

  // Merge duplicates: the same words, whatever the case and spacing, stack into one cluster; no text changes.
  await ben.getByRole('button', { name: 'Merge duplicates (2)' }).click();
  await expect(room.projector.getByTestId('summary-knowledge')).toHaveText('1 cluster · 2 notes');
  await expect(column(room.projector, 'knowledge')).toContainText('data is never SHARED');

  // The keyboard's path: Enter on a note opens "Move to…", which takes it out of its cluster.
  await sortable(chloe, 'Letters go home').press('Enter');
  await chloe.screenshot({ path: 'test-results/clusters/phone-375-cluster-menu.png' });
  await moveMenu(chloe).getByRole('button', { name: /Take out of “Families/ }).click();
  await expect(wall.getByTestId('cluster-count')).toHaveText('1 note');
  await expect(wall).not.toContainText('Letters go home');
  // ... and "Group with" puts it back.
  await sortable(chloe, 'Letters go home').press('Enter');
  await moveMenu(chloe).getByRole('button', { name: /Add to “Families do not get our language”/ }).click();
  await expect(wall.getByTestId('cluster-count')).toHaveText('2 notes');
  await expect(sortable(chloe, 'Letters go home')).toBeFocused();
  for (const [width, height] of [[1920, 1080], [1366, 768]] as const) {
    await room.projector.setViewportSize({ width, height });
    await room.projector.screenshot({ path: `test-results/clusters/projector-${width}.png` });
  }
  await ana.screenshot({ path: 'test-results/clusters/laptop-1280.png' });
  await room.facilitator.screenshot({ path: 'test-results/clusters/facilitator-1440.png' });
  await chloe.screenshot({ path: 'test-results/clusters/phone-375-cluster.png' });
  await room.projector.setViewportSize({ width: 1920, height: 1080 });
  for (const page of [ana, chloe, room.projector]) expect(await violations(page)).toEqual([]);

  // A "How might we" draft links to a cluster of the heaviest category.
  await room.facilitator.getByRole('region', { name: /Structures/ }).getByRole('button', { name: 'Mark heaviest' }).click();
  await goToStep(room, 'hmw');
  await ana.getByLabel('Your “How might we…” question').fill('How might we speak every family’s language?');
  await ana.getByLabel('From cluster').selectOption({ label: 'Families do not get our language (2 notes)' });
  await ana.getByRole('button', { name: 'Add question' }).click();
  await expect(room.projector.getByText('from the cluster “Families do not get our language”')).toBeVisible();
});
