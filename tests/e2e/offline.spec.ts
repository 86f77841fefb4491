import { expect, test } from './fixtures.ts';
import { addNote, createSession, expectLive, joinAs, note, openFreeBoard } from './helpers.ts';

const OFFLINE_MS = Number(process.env.OFFLINE_MS ?? 120_000);

test('offline for two minutes: keep writing, reload while offline, reconnect, and everything merges', async ({ browser }) => {
  test.setTimeout(OFFLINE_MS + 120_000);
  const { facilitator, joinCode } = await createSession(browser);
  const ana = await joinAs(browser, joinCode, 'Ana');
  const ben = await joinAs(browser, joinCode, 'Ben');
  await openFreeBoard(facilitator, [ana, ben]);
  // The service worker must hold the app shell before the Wi-Fi drops.
  await ana.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await ana.waitForTimeout(3500);
  await addNote(ana, 'Written online');
  await expect(note(ben, 'Written online')).toBeVisible();

  await ana.context().setOffline(true);
  const wentOffline = Date.now();
  await expect(ana.getByRole('status').filter({ hasText: 'Offline' })).toBeVisible();
  await addNote(ana, 'Written offline');
  await note(ana, 'Written online').getByRole('button', { name: /Your note/ }).press('Enter');
  await ana.getByLabel('Note text').fill('Edited offline');
  await ana.keyboard.press('Escape');
  await expect(ana.getByText(/\d+ changes? kept on this device, not yet saved/)).toBeVisible();
  await addNote(ben, 'Ben while Ana was away');
  await expect(note(ben, 'Written offline')).toHaveCount(0);

  // A reload with no network: the app shell comes from the service worker, the notes from IndexedDB.
  await ana.reload();
  await expect(note(ana, 'Written offline')).toBeVisible();
  await expect(note(ana, 'Edited offline')).toBeVisible();
  await expect(ana.getByText(/\d+ changes? kept on this device, not yet saved/)).toBeVisible();
  await addNote(ana, 'Written after the offline reload');

  await ana.waitForTimeout(Math.max(0, OFFLINE_MS - (Date.now() - wentOffline)));
  await ana.context().setOffline(false);
  await expectLive(ana);

  for (const page of [ana, ben, facilitator]) {
    for (const text of ['Edited offline', 'Written offline', 'Written after the offline reload', 'Ben while Ana was away']) {
      await expect(note(page, text)).toBeVisible();
    }
    await expect(note(page, 'Written online')).toHaveCount(0);
  }
  await expect(ana.getByText(/kept on this device/)).toHaveCount(0);
});
