import fs from 'node:fs';
import { expect, test } from './fixtures.ts';
import { serverLog } from '../../playwright.config.ts';
import { addNote, createSession, joinAs, note, openFreeBoard, openProjector } from './helpers.ts';

test('a note added by one participant appears for the other, the facilitator and the projector', async ({ browser }) => {
  const { facilitator, joinCode } = await createSession(browser);
  const ana = await joinAs(browser, joinCode, 'Ana');
  const ben = await joinAs(browser, joinCode, 'Ben', { width: 375, height: 800 });
  const projector = await openProjector(facilitator);
  await openFreeBoard(facilitator, [ana, ben, projector]);

  await expect(facilitator.getByRole('region', { name: 'Here now' }).getByText('Ana')).toBeVisible();
  await addNote(ana, 'No translation process for family conferences');

  for (const page of [ben, facilitator, projector]) {
    await expect(note(page, 'No translation process for family conferences')).toBeVisible();
  }
  await expect(note(ben, 'No translation process')).toContainText('Ana');
  // The projector never offers editing.
  await expect(projector.getByRole('button', { name: '+ Add note' })).toHaveCount(0);
});

test('a participant edits and deletes their own note, and comes back as the same person after a reload', async ({ browser }) => {
  const { facilitator, joinCode } = await createSession(browser);
  const ana = await joinAs(browser, joinCode, 'Ana');
  await openFreeBoard(facilitator, [ana]);
  await addNote(ana, 'First draft');
  await expect(note(facilitator, 'First draft')).toBeVisible();

  await ana.reload();
  await expect(ana.getByText('Signed in as Ana')).toBeVisible();
  await expect(note(ana, 'First draft')).toBeVisible();
  await note(ana, 'First draft').getByRole('button', { name: /Your note/ }).press('Enter');
  await ana.getByLabel('Note text').fill('Second draft');
  await ana.keyboard.press('Escape');
  await expect(note(facilitator, 'Second draft')).toBeVisible();

  await note(ana, 'Second draft').getByRole('button', { name: 'Delete this note' }).click();
  await expect(note(facilitator, 'Second draft')).toHaveCount(0);
  await expect(facilitator.getByRole('region', { name: 'Here now' }).getByText('Ana')).toHaveCount(1);
});

test('any note can be dragged, and the move shows everywhere', async ({ browser }) => {
  const { facilitator, joinCode } = await createSession(browser);
  const ana = await joinAs(browser, joinCode, 'Ana');
  const ben = await joinAs(browser, joinCode, 'Ben');
  await openFreeBoard(facilitator, [ana, ben]);
  await addNote(ana, 'Drag me');
  const mine = note(ben, 'Drag me');
  await expect(mine).toBeVisible();
  const before = await mine.boundingBox();
  const body = mine.getByRole('button', { name: /Note by Ana/ });
  const box = (await body.boundingBox())!;
  await ben.mouse.move(box.x + 20, box.y + 20);
  await ben.mouse.down();
  await ben.mouse.move(box.x + 120, box.y + 90, { steps: 8 });
  await ben.mouse.up();
  await expect
    .poll(async () => {
      const moved = await note(facilitator, 'Drag me').boundingBox();
      const original = before!;
      return moved ? Math.round(moved.x - original.x) : null;
    })
    .not.toBe(0);
  const onAna = await note(ana, 'Drag me').boundingBox();
  expect(Math.abs(onAna!.x - (before!.x + 100))).toBeLessThan(6);
});

test('the server log holds no token', async () => {
  const log = fs.readFileSync(serverLog, 'utf8');
  expect(log).toContain('POST /api/sessions');
  expect(log).not.toMatch(/[A-Za-z0-9_-]{11}\.[A-Za-z0-9_-]{32}/);
});
