import { expect, test } from './fixtures.ts';
import { createSession, expectLive, joinAs, openProjector } from './helpers.ts';

test('the facilitator closes and opens joining; the join page says why a join is refused', async ({ browser }) => {
  const { facilitator, joinCode } = await createSession(browser, 'Joining switch');
  const joining = facilitator.getByRole('switch', { name: 'Joining open' });
  await expect(joining).toBeChecked();
  await joining.uncheck();
  await expect(facilitator.getByText('Joining is closed.')).toBeVisible();

  const guest = await (await browser.newContext()).newPage();
  await guest.goto(`/j/${joinCode}`);
  await guest.getByLabel('Your name').fill('Ana');
  await guest.getByRole('button', { name: 'Join' }).click();
  await expect(guest.getByRole('alert')).toHaveText(/Joining is closed for this session/);

  await joining.check();
  await expect(facilitator.getByText('Joining is closed.')).toBeHidden();
  await guest.getByLabel('Your name').fill('Facilitator');
  await guest.getByRole('button', { name: 'Join' }).click();
  await expect(guest.getByRole('alert')).toHaveText(/reserved for a role/);

  await joinAs(browser, joinCode, 'Ana');
  await guest.getByLabel('Your name').fill('ANA');
  await guest.getByRole('button', { name: 'Join' }).click();
  await expect(guest.getByRole('alert')).toHaveText(/already has that name/);
});

test('the QR codes on the facilitator view and the projector carry the join secret, which joins', async ({ browser }) => {
  const { facilitator, joinCode } = await createSession(browser, 'QR secret');
  const qrUrl = await facilitator.getByTestId('join-qr').getAttribute('data-url');
  expect(qrUrl).toMatch(new RegExp(`/j/${joinCode}#[A-Za-z0-9_-]{22}$`));
  const projector = await openProjector(facilitator);
  await expect(projector.getByTestId('join-qr').first()).toHaveAttribute('data-url', qrUrl!);

  const scanner = await (await browser.newContext()).newPage();
  await scanner.goto(qrUrl!);
  // The secret leaves the address bar at once.
  await expect(scanner).toHaveURL(new RegExp(`/j/${joinCode}$`));
  await scanner.getByLabel('Your name').fill('Bea');
  await scanner.getByRole('button', { name: 'Join' }).click();
  await scanner.waitForURL(/\/s\/[^/]+$/);
  await expectLive(scanner);
});

test('the start page lists a session joined by code by its title', async ({ browser }) => {
  const { joinCode } = await createSession(browser, 'March equity CoP');
  const ana = await joinAs(browser, joinCode, 'Ana');
  await ana.goto('/');
  await expect(ana.getByTestId('known-sessions')).toContainText('March equity CoP');
});

test('no socket a browser opens carries a token in its URL, where proxies would log it', async ({ browser }) => {
  const { facilitator, joinCode } = await createSession(browser, 'Socket URLs');
  const ana = await joinAs(browser, joinCode, 'Ana');
  const urls: string[] = [];
  for (const page of [facilitator, ana]) {
    page.on('websocket', (ws) => urls.push(ws.url()));
    await page.reload();
    await expectLive(page);
  }
  // The shared board and Ana's drafts, and the control socket of each.
  expect(urls.filter((u) => u.includes('/yjs/')).length).toBeGreaterThanOrEqual(3);
  expect(urls.filter((u) => u.includes('/socket.io/')).length).toBeGreaterThanOrEqual(2);
  for (const url of urls) {
    expect(url).not.toMatch(/token/i);
    expect(url).not.toMatch(/[A-Za-z0-9_-]{11}\.[A-Za-z0-9_-]{32}/);
  }
});
