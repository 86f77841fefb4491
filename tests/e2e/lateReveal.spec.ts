import { expect, test } from './fixtures.ts';
import { createSession, expectLive, joinAs, note } from './helpers.ts';

// The server's reveal moves only the drafts it holds; a draft written offline
// reaches the board from its writer's app (LiveBoard.followControl).
test('a root-cause draft written offline goes on the board once, when its writer is back after the reveal', async ({ browser }) => {
  const text = 'Written while the Wi-Fi was down';
  const { facilitator, joinCode } = await createSession(browser);
  const ana = await joinAs(browser, joinCode, 'Ana');
  await facilitator.getByLabel('Jump to step').selectOption('causes');
  await expect(ana.locator('[data-step="causes"]')).toBeVisible();

  await ana.context().setOffline(true);
  await expect(ana.getByRole('status').filter({ hasText: 'Offline' })).toBeVisible();
  await ana.getByRole('button', { name: '+ New note' }).click();
  await ana.getByLabel('Root cause note').last().fill(text);

  await facilitator.getByRole('button', { name: 'Reveal all notes' }).click();
  await expect(facilitator.getByRole('list', { name: 'Notes' })).toBeAttached();
  await expect(note(facilitator, text)).toHaveCount(0);

  await ana.context().setOffline(false);
  await expectLive(ana);
  for (const page of [facilitator, ana]) await expect(note(page, text)).toHaveCount(1);
  // Put up and taken out of the drafts: a reload does not put it up again.
  await ana.reload();
  await expectLive(ana);
  await expect(note(ana, text)).toHaveCount(1);
  await expect(note(facilitator, text)).toHaveCount(1);
});
