import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { goToStep, meetingOfFour, writeCause } from './helpers.ts';

const seconds = async (page: Page) => {
  const [m, s] = ((await page.getByRole('timer').textContent()) ?? '0:0').trim().split(':').map(Number);
  return m! * 60 + s!;
};

test('the step timer: the same time on every screen, also after a reload', async ({ browser }) => {
  const room = await meetingOfFour(browser);
  const [ana] = room.participants as [Page];
  await room.facilitator.getByRole('button', { name: 'Start timer' }).click();
  await expect(ana.getByRole('timer')).not.toHaveText('5:00');
  await room.facilitator.getByRole('button', { name: '+1 min' }).click();
  await expect.poll(() => seconds(ana)).toBeGreaterThan(5 * 60);
  await ana.reload();
  const [a, f, p] = [await seconds(ana), await seconds(room.facilitator), await seconds(room.projector)];
  expect(Math.abs(a - f)).toBeLessThanOrEqual(2);
  expect(Math.abs(p - f)).toBeLessThanOrEqual(2);
  await room.facilitator.getByRole('button', { name: 'Pause timer' }).click();
  await expect(ana.getByRole('timer')).toHaveAccessibleName(/paused/);
});

test('locking the board makes participants read-only until it is unlocked', async ({ browser }) => {
  const room = await meetingOfFour(browser);
  const [ana] = room.participants as [Page];
  const hope = ana.getByLabel(/Name one hope/);
  await room.facilitator.getByRole('button', { name: 'Lock board' }).click();
  await expect(ana.getByText(/board is read-only/)).toBeVisible();
  await expect(hope).toBeDisabled();
  await room.facilitator.getByRole('button', { name: 'Unlock board' }).click();
  await expect(hope).toBeEnabled();
});

test('participants never see the facilitator notes, and cannot steer the meeting', async ({ browser }) => {
  const room = await meetingOfFour(browser);
  const [ana] = room.participants as [Page];
  await expect(room.facilitator.getByRole('heading', { name: 'Facilitator notes' })).toBeVisible();
  await expect(ana.getByRole('heading', { name: 'Facilitator notes' })).toHaveCount(0);
  await expect(ana.getByText('State confidentiality')).toHaveCount(0);
  await expect(ana.getByRole('button', { name: 'Next →' })).toHaveCount(0);
  await expect(room.projector.getByRole('button', { name: 'Next →' })).toHaveCount(0);
});

test('a half-written root cause survives a step change and a reload', async ({ browser }) => {
  const room = await meetingOfFour(browser);
  const [ana] = room.participants as [Page];
  await goToStep(room, 'causes');
  await writeCause(ana, 'Half a thought about sched');
  await goToStep(room, 'sort');
  await goToStep(room, 'causes');
  await ana.reload();
  await expect(ana.getByLabel('Root cause note')).toHaveValue('Half a thought about sched');
});

test('at zero the projector says plainly that time is up', async ({ browser }) => {
  const room = await meetingOfFour(browser);
  await room.projector.clock.install();
  await room.projector.reload();
  await expect(room.projector.getByRole('timer')).toHaveText('5:00');
  await room.facilitator.getByRole('button', { name: 'Start timer' }).click();
  await expect(room.projector.getByRole('timer')).toHaveAccessibleName(/^(?!.*paused)/);
  await expect(room.projector.getByText('Time is up for this step')).toHaveCount(0);
  await room.projector.clock.fastForward('05:05');
  await expect(room.projector.getByText('Time is up for this step')).toBeVisible();
  await expect(room.projector.getByRole('timer')).toHaveText('0:00');
  await expect(room.projector.getByRole('button', { name: 'Sound off' })).toBeVisible();
});

test('deleting a session ends it on every screen and drops the copies kept on devices', async ({ browser }) => {
  const room = await meetingOfFour(browser);
  const [ana] = room.participants as [Page];
  await ana.getByLabel(/Name one hope/).fill('A hope that must not outlive the session');
  await ana.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(room.projector.getByText('A hope that must not outlive the session')).toBeVisible();

  await room.facilitator.getByRole('button', { name: 'Delete session…' }).click();
  await room.facilitator.getByRole('button', { name: 'Yes, delete it' }).click();
  await expect(room.facilitator.getByText('Deleted. Nothing of it is left on the server.')).toBeVisible();
  await expect(ana.getByText('This session was deleted.').first()).toBeVisible();
  await expect(room.projector.getByText('This session was deleted.').first()).toBeVisible();

  // The device's IndexedDB copy is gone: nothing can bring the board back.
  await expect
    .poll(() => ana.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).filter((n) => n?.startsWith('howmight.'))))
    .toEqual([]);
});
