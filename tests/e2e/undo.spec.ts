import { expect, test } from './fixtures.ts';
import { addNote, createSession, joinAs, note, openFreeBoard } from './helpers.ts';

test('undo and redo take back only one’s own board actions, by keys and by buttons', async ({ browser }) => {
  const { facilitator, joinCode } = await createSession(browser);
  const ana = await joinAs(browser, joinCode, 'Ana');
  const ben = await joinAs(browser, joinCode, 'Ben');
  await openFreeBoard(facilitator, [ana, ben]);

  await addNote(ben, 'Ben wrote this');
  await expect(note(ana, 'Ben wrote this')).toBeVisible();
  // Nothing of Ana's yet: her Undo is off, and Ctrl+Z leaves Ben's note alone.
  await expect(ana.getByRole('button', { name: 'Undo' })).toBeDisabled();
  await ana.locator('body').press('Control+z');
  await expect(note(ana, 'Ben wrote this')).toBeVisible();

  await addNote(ana, 'Ana wrote this');
  await expect(note(ben, 'Ana wrote this')).toBeVisible();
  await ana.locator('body').press('Control+z');
  await expect(note(ben, 'Ana wrote this')).toHaveCount(0);
  await expect(note(ben, 'Ben wrote this')).toBeVisible();

  await ana.getByRole('button', { name: 'Redo' }).click();
  await expect(note(ben, 'Ana wrote this')).toBeVisible();
  await ana.getByRole('button', { name: 'Undo' }).click();
  await expect(note(ben, 'Ana wrote this')).toHaveCount(0);
  await ana.locator('body').press('Control+Shift+z');
  await expect(note(ben, 'Ana wrote this')).toBeVisible();

  // A sort of Ben's note by Ana is hers to undo; Ben's own sort afterwards is not.
  await facilitator.getByLabel('Jump to step').selectOption('sort');
  await ana.getByRole('button', { name: /Ben wrote this/ }).press('1');
  await expect(ben.getByTestId('count-structures')).toHaveText('1');
  await ana.locator('body').press('Control+z');
  await expect(ben.getByTestId('count-structures')).toHaveText('0');
  // Ana sorts Ben's note again, Ben re-sorts it: Ana's undo keeps Ben's choice.
  await ana.getByRole('button', { name: /Ben wrote this/ }).press('1');
  await expect(ben.getByTestId('count-structures')).toHaveText('1');
  await ben.getByRole('button', { name: /Ben wrote this/ }).press('2');
  await expect(ana.getByTestId('count-knowledge')).toHaveText('1');
  await ana.locator('body').press('Control+z');
  await expect(ana.getByTestId('count-structures')).toHaveText('0');
  await expect(ben.getByTestId('count-knowledge')).toHaveText('1');
  await expect(ana.getByRole('button', { name: /Ben wrote this/ })).toBeVisible();
});
