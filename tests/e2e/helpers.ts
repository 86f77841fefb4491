import { expect, type Browser, type Page } from '@playwright/test';

/** Composable steps for the end-to-end specs: each does what a person would. */

export interface Meeting {
  facilitator: Page;
  joinCode: string;
  sessionUrl: string;
}

export async function createSession(browser: Browser, title = 'Equity CoP, March'): Promise<Meeting> {
  const facilitator = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await facilitator.goto('/');
  await facilitator.getByLabel('Title').fill(title);
  await facilitator.getByRole('button', { name: 'Create session' }).click();
  await facilitator.waitForURL(/\/facilitate$/);
  const joinCode = (await facilitator.getByTestId('join-code').textContent())?.trim() ?? '';
  expect(joinCode).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
  return { facilitator, joinCode, sessionUrl: facilitator.url() };
}

export async function joinAs(browser: Browser, joinCode: string, name: string, viewport = { width: 1200, height: 800 }): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  await page.goto(`/j/${joinCode}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.waitForURL(/\/s\/[^/]+$/);
  await expectLive(page);
  return page;
}

export async function openProjector(facilitator: Page): Promise<Page> {
  const [projector] = await Promise.all([
    facilitator.waitForEvent('popup'),
    facilitator.getByRole('button', { name: 'Open projector view' }).click(),
  ]);
  await projector.setViewportSize({ width: 1600, height: 900 });
  await expectLive(projector);
  return projector;
}

export async function expectLive(page: Page): Promise<void> {
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
}

export async function addNote(page: Page, text: string): Promise<void> {
  await page.getByRole('button', { name: '+ Add note' }).click();
  await page.getByLabel('Note text').fill(text);
  await page.keyboard.press('Escape');
}

export function note(page: Page, text: string) {
  return page.getByRole('listitem').filter({ hasText: text });
}
