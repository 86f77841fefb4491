import { readFileSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { expectLive, expectNothingCut, PHONE, violations } from './helpers.ts';

/** The facilitator's side of the year: a cohort, its members grouped into communities, a series and a meeting. */


const chip = (page: Page, name: string) => page.locator('[data-member]').filter({ has: page.locator('.name', { hasText: new RegExp(`^${name}$`) }) });
const column = (page: Page, name: string) => page.getByTestId(`column-${name}`);

/** Drags a member by the grip with the mouse, the way a person would: press, move a little, move over the column, release. */
async function drag(page: Page, member: string, to: string): Promise<void> {
  // The mouse moves within the window: both ends of the drag in view first.
  await page.getByRole('heading', { name: 'Communities of practice' }).scrollIntoViewIfNeeded();
  await page.getByRole('heading', { name: 'Communities of practice' }).evaluate((h) => h.scrollIntoView({ block: 'start' }));
  const grip = (await chip(page, member).locator('.grip').boundingBox())!;
  const target = (await column(page, to).boundingBox())!;
  await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
  await page.mouse.down();
  await page.mouse.move(grip.x + 30, grip.y + 20, { steps: 4 });
  await page.mouse.move(target.x + target.width / 2, target.y + target.height - 12, { steps: 12 });
  await expect(column(page, to)).toHaveClass(/over/);
  await page.mouse.up();
}

/** Drags a member by the grip with one finger (Chromium touch events, as a phone sends them), scrolling at the window's edge until the column is in reach. */
async function touchDrag(page: Page, member: string, to: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x = 0, y = 0) =>
    cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
  await chip(page, member).scrollIntoViewIfNeeded();
  const grip = (await chip(page, member).locator('.grip').boundingBox())!;
  const x = grip.x + grip.width / 2;
  let y = grip.y + grip.height / 2;
  await touch('touchStart', x, y);
  const { height } = page.viewportSize()!;
  for (let i = 1; i <= 10; i++) await touch('touchMove', x + i, y + ((height - 20 - y) * i) / 10);
  y = height - 20;
  // Held at the bottom edge: the page scrolls until the column shows.
  await expect.poll(async () => {
    await touch('touchMove', x, y);
    const box = (await column(page, to).boundingBox())!;
    return box.y + box.height / 2 < height - 80;
  }, { timeout: 15_000 }).toBe(true);
  const target = (await column(page, to).boundingBox())!;
  for (let i = 1; i <= 5; i++) await touch('touchMove', x, y + ((target.y + target.height / 2 - y) * i) / 5);
  await expect(column(page, to)).toHaveClass(/over/);
  await touch('touchEnd');
  await cdp.detach();
}

async function join(baseURL: string, joinCode: string, name: string, challenge: string): Promise<void> {
  const res = await fetch(`${baseURL}/api/cohorts/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ joinCode, name, challenge }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

const MEMBERS = [
  ['Ana', 'Families who do not speak English miss conferences'],
  ['Ben', 'Suspensions fall hardest on a few students'],
  ['Chloe', 'Advanced classes do not reflect the school'],
  ['Dev', 'Attendance drops after winter'],
] as const;

test('a facilitator creates a cohort, groups its members by mouse and keyboard, sets a series and opens a meeting', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto('/');
  expect(await violations(page)).toEqual([]);
  await expectNothingCut(page, 'the start page at 1280');

  await page.getByLabel('Cohort name').fill('Principals’ equity cohort');
  await page.getByLabel('School year starts').fill('2026-08-20');
  await page.getByLabel('School year ends').fill('2027-06-30');
  await page.getByLabel('Usual meeting length').selectOption('90');
  await page.getByLabel('Facilitator’s name (yours)').fill('Maria');
  await page.getByRole('button', { name: 'Create cohort' }).click();
  await page.waitForURL(/\/c\/[A-Za-z0-9_-]+$/);
  expect(page.url()).not.toContain('#');
  await expect(page.getByRole('heading', { level: 1, name: 'Principals’ equity cohort' })).toBeVisible();
  const joinCode = (await page.getByTestId('cohort-join-code').textContent())!.trim();
  // The creating browser knows the join secret: the QR code carries it.
  await expect(page.getByTestId('qr').first()).toHaveAttribute('data-url', new RegExp(`/cj/${joinCode}#.+`));

  for (const [name, challenge] of MEMBERS) await join(baseURL!, joinCode, name, challenge);
  await page.reload();
  for (const [name, challenge] of MEMBERS) {
    await expect(chip(page, name)).toContainText(challenge);
    await expect(column(page, 'Not in a community yet').locator('[data-member]').filter({ hasText: name })).toHaveCount(1);
  }

  await page.getByText('New community').click();
  for (const [name, challenge] of [['Family engagement', 'Families as partners'], ['Discipline', 'Who gets sent out']]) {
    await page.getByLabel('Community name').fill(name!);
    await page.getByLabel('Its equity challenge').fill(challenge!);
    await page.getByRole('button', { name: 'Create community' }).click();
    await expect(column(page, name!)).toBeVisible();
    await expect(column(page, name!).getByTestId('too-few')).toBeVisible();
  }

  // By mouse.
  await drag(page, 'Ana', 'Family engagement');
  await expect(column(page, 'Family engagement').locator('[data-member]')).toHaveText([/Ana/]);
  await expect(page.getByTestId('announcer')).toHaveText('Ana moved to Family engagement.');
  await drag(page, 'Dev', 'Family engagement');
  await expect(column(page, 'Family engagement').locator('[data-member]')).toHaveCount(2);

  // By keyboard: pick Ben, then the Discipline column's "Move here".
  await chip(page, 'Ben').locator('button.who').focus();
  await page.keyboard.press('Enter');
  await expect(chip(page, 'Ben').locator('button.who')).toHaveAttribute('aria-pressed', 'true');
  await column(page, 'Discipline').getByRole('button', { name: 'Move Ben here' }).focus();
  await page.keyboard.press('Enter');
  await expect(column(page, 'Discipline').locator('[data-member]')).toHaveText([/Ben/]);
  await expect(page.getByTestId('announcer')).toHaveText('Ben moved to Discipline.');
  // And arrow keys: Chloe one column to the right is Family engagement; focus stays on her.
  await chip(page, 'Chloe').locator('button.who').focus();
  await page.keyboard.press('ArrowRight');
  await expect(column(page, 'Family engagement').locator('[data-member]')).toHaveCount(3);
  await expect(chip(page, 'Chloe').locator('button.who')).toBeFocused();
  await expect(column(page, 'Family engagement').getByTestId('too-few')).toHaveCount(0);
  await expect(column(page, 'Discipline').getByTestId('too-few')).toBeVisible();

  // A series: the 2nd Tuesday at 16:00, 90 minutes.
  const family = page.getByTestId('community-Family engagement');
  await family.getByLabel('Week', { exact: true }).selectOption('2');
  await family.getByLabel('Weekday', { exact: true }).selectOption('TU');
  await family.getByLabel('Time', { exact: true }).fill('16:00');
  await expect(family.getByTestId('series-preview')).toHaveText('Once saved, meets the 2nd Tuesday of each month at 16:00.');
  await family.getByRole('button', { name: 'Save series' }).click();
  await expect(family.getByTestId('series-preview')).toHaveText('Meets the 2nd Tuesday of each month at 16:00.');
  await expect(family.getByText('Saved: Family engagement meets the 2nd Tuesday of each month at 16:00, 90 minutes.')).toBeVisible();

  // A meeting: the series' next date is offered.
  await expect(family.getByLabel('Schedule a meeting')).toHaveValue(/T16:00$/);
  await family.getByLabel('Schedule a meeting').fill('2026-12-08T16:00');
  await family.getByRole('button', { name: 'Schedule' }).click();
  await expect(family.getByTestId('meeting-1')).toContainText('Not finished');
  await expect(family.getByTestId('meeting-1')).toContainText('0 of 3 attended');
  // The next suggestion is the series' next date: the 2nd Tuesday of January.
  await expect(family.getByLabel('Schedule a meeting')).toHaveValue('2027-01-12T16:00');

  // A cohort-wide meeting too.
  await page.getByLabel('Schedule a meeting of the whole cohort').fill('2027-01-12T16:00');
  await page.getByRole('button', { name: 'Schedule' }).last().click();
  await expect(page.getByTestId('meeting-notice').last()).toContainText('Meeting 1 scheduled');

  await page.getByTestId('glance-Family engagement').locator('summary').click();
  expect(await violations(page)).toEqual([]);
  await expectNothingCut(page, 'the cohort page at 1280');
  await page.screenshot({ path: 'test-results/cohort-1280.png', fullPage: true });

  // Reload keeps everything.
  await page.reload();
  await expect(column(page, 'Family engagement').locator('[data-member]')).toHaveText([/Ana/, /Chloe/, /Dev/]);
  await expect(column(page, 'Discipline').locator('[data-member]')).toHaveText([/Ben/]);
  await expect(family).toContainText('meets the 2nd Tuesday of each month at 16:00');
  await expect(family.getByTestId('meeting-1')).toBeVisible();

  await page.setViewportSize(PHONE);
  await expectNothingCut(page, 'the cohort page on a phone');
  expect(await violations(page)).toEqual([]);
  await page.screenshot({ path: 'test-results/cohort-phone.png', fullPage: true });
  // A phone's screenfuls, to look at one by one.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0, i = 0; y < height; y += PHONE.height, i++) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.screenshot({ path: `test-results/cohort-phone-${i}.png` });
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  // Open lands in the facilitator view, the key off the address bar.
  await family.getByRole('button', { name: 'Open meeting 1 of Family engagement' }).click();
  await page.waitForURL(/\/s\/[^/]+\/facilitate$/);
  await expectLive(page);

  await page.goto('/');
  await expect(page.getByTestId('known-cohorts').getByRole('link', { name: 'Principals’ equity cohort' })).toBeVisible();
  await expect(page.getByTestId('known-sessions').getByRole('link', { name: /Family engagement/ })).toBeVisible();
  expect(await violations(page)).toEqual([]);
  await expectNothingCut(page, 'the start page at 1280 with what this browser knows');
  await page.screenshot({ path: 'test-results/home-1280.png', fullPage: true });
  await page.setViewportSize(PHONE);
  await expectNothingCut(page, 'the start page on a phone');
  await page.screenshot({ path: 'test-results/home-phone.png', fullPage: true });
  await page.getByTestId('known-cohorts').getByRole('link', { name: 'Principals’ equity cohort' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Principals’ equity cohort' })).toBeVisible();
  await context.close();
});

async function api<T>(baseURL: string, method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(`${baseURL}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`).toBe(true);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

const isoDay = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

test('the staff tools: a full community refuses a 9th, new links, removal both ways, finishing a meeting, revising the question, staff, downloads, deleting', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  // A year that ends within two weeks: the page reminds to export and delete.
  const now = new Date();
  const created = await api<{ cohort: { id: string }; facilitatorToken: string; joinCode: string }>(baseURL!, 'POST', '/api/cohorts', null, {
    name: 'Ending cohort',
    startsOn: isoDay(new Date(now.getFullYear() - 1, now.getMonth(), now.getDate())),
    endsOn: isoDay(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 7)),
    lengthMinutes: 60,
    yourName: 'Maria',
  });
  const { id, } = created.cohort;
  const token = created.facilitatorToken;
  const names = ['Ana', 'Ben', 'Chloe', 'Dev', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo'];
  for (const name of names) await join(baseURL!, created.joinCode, name, `${name}’s challenge`);
  const community = await api<{ id: string }>(baseURL!, 'POST', `/api/cohorts/${id}/communities`, token, { name: 'Full house' });
  await api(baseURL!, 'PATCH', `/api/cohorts/${id}/communities/${community.id}`, token, { series: { kind: 'monthday', day: 1, time: '09:00' } });
  const overview = await api<{ members: Array<{ id: string; name: string }> }>(baseURL!, 'GET', `/api/cohorts/${id}`, token);
  for (const member of overview.members.filter((m) => m.name !== 'Ivo')) {
    await api(baseURL!, 'PUT', `/api/cohorts/${id}/members/${member.id}/community`, token, { communityId: community.id });
  }

  const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  await page.goto(`/c/${id}#${token}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Ending cohort' })).toBeVisible();
  // The key left the address bar; this browser never knew the join secret, so the link is the code alone.
  expect(page.url()).not.toContain('#');
  await expect(page.getByTestId('link-url').first()).toHaveText(new RegExp(`/cj/${created.joinCode}$`));
  await expect(page.getByTestId('ending-soon')).toBeVisible();

  // The 9th: tap Ivo, tap "Move here"; the server's words are shown.
  await chip(page, 'Ivo').locator('button.who').tap();
  await column(page, 'Full house').getByRole('button', { name: 'Move Ivo here' }).tap();
  await expect(page.getByTestId('grouping-error')).toHaveText('A community has at most 8 members.');
  await expect(column(page, 'Not in a community yet').locator('[data-member]')).toHaveText([/Ivo/]);

  // By finger: a second community, far down the phone's page, reached by holding the member near the window's bottom edge.
  await page.getByText('New community').click();
  await page.getByLabel('Community name').fill('Second house');
  await page.getByRole('button', { name: 'Create community' }).click();
  await expect(column(page, 'Second house')).toBeAttached();
  await touchDrag(page, 'Ivo', 'Second house');
  await expect(column(page, 'Second house').locator('[data-member]')).toHaveText([/Ivo/]);
  await expect(page.getByTestId('announcer')).toHaveText('Ivo moved to Second house.');

  // A new personal link, once, with a QR code.
  await page.getByRole('button', { name: 'New link for Ana' }).click();
  const fresh = page.getByTestId('member-Ana').getByTestId('copy-link');
  await expect(fresh.getByTestId('link-url')).toHaveText(new RegExp(`/m/${id}#[A-Za-z0-9_.-]+$`));
  await expect(fresh.getByTestId('qr')).toBeVisible();

  // Remove explains both modes.
  await page.getByRole('button', { name: 'Remove Ivo' }).click();
  const dialog = page.getByRole('dialog', { name: 'Remove Ivo?' });
  await expect(dialog).toContainText('signed “A former member”');
  await expect(dialog).toContainText('delete everything they wrote');
  expect(await violations(page)).toEqual([]);
  await expectNothingCut(page, 'the remove dialog on a phone');
  await page.screenshot({ path: 'test-results/remove-dialog-phone.png' });
  await dialog.getByRole('radio', { name: /delete everything they wrote/ }).check();
  await dialog.getByRole('button', { name: 'Remove and delete their writing' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('member-Ivo')).toHaveCount(0);
  await expect(chip(page, 'Ivo')).toHaveCount(0);
  await expect(page.getByTestId('announcer')).toHaveText('Ivo removed, with everything they wrote.');
  // His buttons went with him: focus waits on the list's heading.
  await expect(page.getByRole('heading', { name: /^Members \(/ })).toBeFocused();
  await expect(page.getByRole('heading', { name: /^Members \(/ })).toContainText('8 members');

  // Anonymise is the default.
  await page.getByRole('button', { name: 'Remove Hana' }).click();
  const hana = page.getByRole('dialog', { name: 'Remove Hana?' });
  await expect(hana.getByRole('radio', { name: /Anonymise/ })).toBeChecked();
  await hana.getByRole('button', { name: 'Remove and anonymise' }).click();
  await expect(hana).toHaveCount(0);
  await expect(page.getByTestId('member-Hana')).toHaveCount(0);
  await expect(chip(page, 'Hana')).toHaveCount(0);
  await expect(page.getByTestId('announcer')).toHaveText('Hana removed. What they wrote is kept, signed “A former member”.');
  await expect(page.getByRole('heading', { name: /^Members \(/ })).toContainText('7 members');

  // Schedule, finish: the series schedules the next one.
  const house = page.getByTestId('community-Full house');
  await house.getByLabel('Schedule a meeting').fill(`${isoDay(now)}T09:00`);
  await house.getByRole('button', { name: 'Schedule' }).click();
  await expect(house.getByTestId('meeting-1')).toContainText('Not finished');
  await house.getByRole('button', { name: 'Finish meeting' }).click();
  await house.getByRole('button', { name: 'Yes, finish' }).click();
  await expect(house.getByTestId('meeting-notice')).toContainText('Meeting 1 finished');
  await expect(house.getByTestId('meeting-1')).toContainText('Finished');

  // Revise the question; the year at a glance shows it with its reason.
  await house.getByText('Revise the question').click();
  await house.getByLabel('Revised question').fill('How might we welcome every family to conferences?');
  await house.getByLabel('Why it changed').fill('We heard from families');
  await house.getByRole('button', { name: 'Save new version' }).click();
  await expect(house.getByText('Version 1 saved.')).toBeVisible();
  await house.getByText('The year at a glance').click();
  await expect(house.getByTestId('glance-Full house')).toContainText('How might we welcome every family to conferences?');
  await expect(house.getByTestId('glance-Full house')).toContainText('We heard from families');
  await expect(house.getByTestId('glance-Full house')).toContainText('1 of 1 meeting held');
  await house.screenshot({ path: 'test-results/community-phone.png' });

  // Staff: the only facilitator cannot remove herself; a coach is invited and removed.
  await expect(page.getByRole('button', { name: 'Remove Maria from the staff' })).toHaveCount(0);
  await page.getByLabel('Their name').fill('Coach Kim');
  await page.getByLabel('Role').selectOption('coach');
  await page.getByRole('button', { name: 'Make an invitation link' }).click();
  await expect(page.getByText('Coach Kim’s staff link')).toBeVisible();
  await expect(page.getByText(/\/c\/[A-Za-z0-9_-]+#/)).toBeVisible();
  await page.getByRole('button', { name: 'Remove Coach Kim from the staff' }).click();
  await expect(page.getByRole('button', { name: 'Remove Coach Kim from the staff' })).toHaveCount(0);

  expect(await violations(page)).toEqual([]);
  await expectNothingCut(page, 'the staff tools on a phone');

  // The year ends soon: the banner says the day the server deletes it all and leads to the downloads.
  const banner = page.getByTestId('ending-soon');
  await expect(banner.getByTestId('deletes-on')).toContainText(/On .+ \(30 days after the last day\) the server deletes this cohort and everything in it/);
  await expect(banner.getByTestId('deletes-on')).toContainText('Download each community’s year');
  await banner.screenshot({ path: 'test-results/ending-soon-phone.png' });
  await banner.getByRole('button', { name: 'Go to the downloads' }).click();
  const downloads = page.getByTestId('downloads-Full house');
  await expect(downloads.getByRole('button', { name: 'Download PDF of Full house’s year' })).toBeFocused();
  await expectNothingCut(page, 'the downloads on a phone');
  await downloads.screenshot({ path: 'test-results/community-downloads-phone.png' });
  // Markdown, names left out: the file is the community's year, and the box reached the server (nobody wrote here, so the note is what shows it).
  await downloads.getByLabel('Leave names out').check();
  const [markdown] = await Promise.all([
    page.waitForEvent('download'),
    downloads.getByRole('button', { name: 'Download Markdown of Full house’s year' }).click(),
  ]);
  expect(markdown.suggestedFilename()).toMatch(/^full-house-portfolio-\d{4}-\d{4}\.md$/);
  const text = readFileSync((await markdown.path())!, 'utf8');
  expect(text.split('\n')[0]).toMatch(/^# Full house · the year.s portfolio$/);
  expect(text).toContain('Names left out.');
  expect(text).toContain('How might we welcome every family to conferences?');
  // The box unticked, a CSV: the spreadsheet's header row.
  await downloads.getByLabel('Leave names out').uncheck();
  const [csv] = await Promise.all([page.waitForEvent('download'), downloads.getByRole('button', { name: 'Download CSV of Full house’s year' }).click()]);
  expect(csv.suggestedFilename()).toMatch(/^full-house-portfolio-\d{4}-\d{4}\.csv$/);
  expect(readFileSync((await csv.path())!, 'utf8').replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('item,version,meeting,date,text,detail,status,person,partner,due,reviewed,count,mean,spread,strongly_agree,members,floor');

  // Deleting asks for the cohort's name.
  await page.getByRole('button', { name: 'Go to deleting the cohort' }).click();
  await expect(page.getByLabel('Type the cohort’s name to confirm')).toBeFocused();
  const remove = page.getByRole('button', { name: 'Delete cohort' });
  await expect(remove).toBeDisabled();
  await page.getByLabel('Type the cohort’s name to confirm').fill('Ending cohort');
  await expect(remove).toBeEnabled();
  await remove.click();
  // The page says so, focus on its words; the link is forgotten and dead on the server.
  await expect(page.getByRole('heading', { level: 1, name: 'Ending cohort is deleted' })).toBeFocused();
  await expect(page.getByTestId('announcer')).toHaveText('Ending cohort is deleted.');
  expect(await page.evaluate((key) => localStorage.getItem(key), `howmight.cohort.staff.${id}`)).toBeNull();
  expect((await fetch(`${baseURL}/api/cohorts/${id}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  expect(await violations(page)).toEqual([]);
  await expectNothingCut(page, 'the deleted cohort on a phone');
  await page.screenshot({ path: 'test-results/cohort-deleted-phone.png' });
  await page.getByRole('link', { name: 'Back to the start page' }).click();
  await expect(page.getByLabel('Cohort name')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Ending cohort' })).toHaveCount(0);
  await context.close();
});

test('a new school year starts from last year’s community portfolios', async ({ page, baseURL }, testInfo) => {
  // Last year, through the API: one community whose question was revised once.
  const last = await api<{ cohort: { id: string }; facilitatorToken: string }>(baseURL!, 'POST', '/api/cohorts', null, {
    name: 'Cohort 2025-26', startsOn: '2025-09-01', endsOn: '2026-06-30', lengthMinutes: 90, yourName: 'Fran',
  });
  const community = await api<{ id: string }>(baseURL!, 'POST', `/api/cohorts/${last.cohort.id}/communities`, last.facilitatorToken, {
    name: 'Every day counts', challenge: 'Chronic absence',
  });
  await api(baseURL!, 'POST', `/api/cohorts/${last.cohort.id}/communities/${community.id}/question`, last.facilitatorToken, {
    text: 'How might we make mornings welcoming enough that students come?', reason: 'Where the year ended',
  });
  const res = await fetch(`${baseURL}/api/cohorts/${last.cohort.id}/communities/${community.id}/portfolio.json`, {
    headers: { authorization: `Bearer ${last.facilitatorToken}` },
  });
  const file = testInfo.outputPath('every-day-counts.json');
  writeFileSync(file, await res.text());

  await page.goto('/');
  await page.getByLabel('Cohort name').fill('Cohort 2026-27');
  await page.getByLabel('School year starts').fill('2026-09-01');
  await page.getByLabel('School year ends').fill('2027-06-30');
  await page.getByLabel('Facilitator’s name (yours)').fill('Fran');
  await page.getByLabel(/Continue from last year/).setInputFiles(file);
  await expect(page.locator('#cohort-from-status')).toContainText('Carries 1 community with their questions: Every day counts.');
  await page.getByRole('button', { name: 'Create cohort' }).click();
  await page.waitForURL(/\/c\//);
  await expect(column(page, 'Every day counts')).toBeVisible();
  const glance = page.getByTestId('glance-Every day counts');
  await glance.locator('summary').first().click();
  await expect(glance.getByTestId('lineage')).toContainText('How might we make mornings welcoming enough that students come?');
  await expect(glance.getByTestId('lineage')).toContainText('Carried from Cohort 2025-26');

  // A file that is not a portfolio is caught before anything is sent.
  await page.goto('/');
  const wrong = testInfo.outputPath('notes.json');
  writeFileSync(wrong, JSON.stringify({ hello: 'world' }));
  await page.getByLabel(/Continue from last year/).setInputFiles(wrong);
  await expect(page.locator('#cohort-from-status')).toHaveClass(/error/);
  expect(await violations(page)).toEqual([]);
});
