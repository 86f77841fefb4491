import { expect, test } from './fixtures.ts';
import { createSession, expectLive } from './helpers.ts';

/**
 * Each step's board is its own chunk, fetched when the step is first shown and
 * then, once the page is idle, every other step's too (client/steps/registry.ts).
 */
test('a step whose code could not be fetched says so, and comes when asked again; later steps are fetched ahead', async ({ browser }) => {
  const { facilitator, joinCode } = await createSession(browser, 'Step chunks');
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // The open step's board chunk does not arrive: the network dropped just then.
  let blocked = true;
  const boards: string[] = [];
  await context.route(/\/assets\/\w+Board-[\w-]+\.js$/, (route) => {
    boards.push(new URL(route.request().url()).pathname);
    return blocked && route.request().url().includes('/OpenBoard-') ? route.abort('internetdisconnected') : route.continue();
  });
  const ana = await context.newPage();
  await ana.goto(`/j/${joinCode}`);
  await ana.getByLabel('Your name').fill('Ana');
  await ana.getByRole('button', { name: 'Join' }).click();
  await ana.waitForURL(/\/s\/[^/]+$/);
  await expectLive(ana);
  const missing = ana.getByRole('alert').filter({ hasText: 'This step could not be loaded: check the connection.' });
  await expect(missing).toBeVisible();

  blocked = false;
  await missing.getByRole('button', { name: 'Try again' }).click();
  await expect(ana.getByRole('heading', { name: 'Hopes for our year' })).toBeVisible();
  await expect(missing).toHaveCount(0);

  // Once it is on screen, the other steps' boards are fetched without being shown.
  await expect.poll(() => boards.some((p) => p.includes('/SortBoard-')), { timeout: 20_000 }).toBe(true);
  await facilitator.getByLabel('Jump to step').selectOption('story');
  await expect(ana.locator('[data-step="story"]')).toBeVisible();
  await expect(ana.getByRole('heading', { name: 'Your story' })).toBeVisible();
});
