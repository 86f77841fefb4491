import { test as base } from '@playwright/test';

export { expect } from '@playwright/test';

/**
 * Playwright's `test`, closing after each test every browser context the test
 * opened. The specs open their contexts from the worker's one `browser` (a
 * facilitator, participants, phones), which Playwright does not close: before
 * this, every page of every earlier spec stayed open and connected, and by the
 * end of a run some 200 pages shared the machine's two cores with the test at hand.
 * Contexts a `beforeAll` opens are the spec's to close, in its `afterAll`.
 */
export const test = base.extend<{ closeOpenedContexts: void }>({
  closeOpenedContexts: [
    async ({ browser }, use) => {
      const before = new Set(browser.contexts());
      await use();
      await Promise.all(browser.contexts().filter((context) => !before.has(context)).map((context) => context.close()));
    },
    { auto: true },
  ],
});
