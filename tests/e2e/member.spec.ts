import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures.ts';
import { dismissGuide, expectLive, expectNothingCut, openProjector, violations } from './helpers.ts';
import { api, COMMITMENT, phone, QUESTION, REVISED, yearWithOneMeeting } from './yearSetup.ts';

/**
 * The member's side of the year: a cohort set up through the API with one
 * meeting held (its final question and a commitment, written by real
 * clients), then a member on a second device opens their personal link,
 * joins the next meeting with one button and reviews their commitment there.
 */

const shots = (name: string) => `test-results/member-${name}.png`;

test('a member opens My year on a second device, joins the next meeting with one button and marks the commitment there', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const year = await yearWithOneMeeting(request);
  const ana = year.members.Ana!;

  // Ana's phone: the personal link, its key moved off the address bar.
  const page = await phone(browser);
  await page.goto(`/m/${year.cohortId}#${ana.token}`);
  await expect(page.getByRole('heading', { name: 'My year', exact: true })).toBeVisible();
  expect(page.url()).not.toContain('#');
  await expect(page.getByTestId('my-question')).toHaveText(QUESTION);
  // The lineage is one tap away: version 1 and the group's draft it came from.
  await page.getByText(/How it came to be/).click();
  await expect(page.getByTestId('lineage')).toContainText('Version 1');
  await expect(page.getByTestId('lineage').getByText('Where version 1 came from')).toBeVisible();
  await expect(page.getByTestId('next-meeting')).toHaveText('Funds for need · Meeting 2');
  await expect(page.getByTestId('commitment')).toContainText(COMMITMENT);
  await expect(page.getByText('Carried keeps it open for next month')).toBeVisible();
  await expect(page.getByRole('list', { name: 'Members of Funds for need' }).getByRole('listitem')).toHaveText(['Ana (you)', 'Ben', 'Cleo']);
  await expect(page.getByTestId('history')).toContainText('Funds for need · Meeting 1');
  await expect(page.getByTestId('history')).toContainText('Attended');
  // The QR code holds the key: drawn only when asked for, with a warning.
  await expect(page.getByTestId('phone-qr')).toHaveCount(0);
  await page.getByRole('button', { name: 'Show the code' }).click();
  await expect(page.getByTestId('phone-qr')).toBeVisible();
  await expect(page.getByText('This code is personal.')).toBeVisible();
  await expectNothingCut(page, 'My year on a phone');
  expect(await violations(page)).toEqual([]);
  await page.screenshot({ path: shots('home-phone'), fullPage: true });
  await page.getByRole('button', { name: 'Hide the code' }).click();

  // The calendar: a file, and a feed whose link is shown to copy.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download calendar file/ }).click()]);
  expect(download.suggestedFilename()).toBe('howmight-meetings.ics');
  // Her own year as a PDF: the file the server made, under its own name.
  const mine = page.getByTestId('my-downloads');
  await expect(mine.getByRole('heading', { name: 'Download my year' })).toBeVisible();
  await expect(mine.getByLabel('Leave names out')).toHaveCount(0);
  const [pdf] = await Promise.all([page.waitForEvent('download'), mine.getByRole('button', { name: 'Download PDF' }).click()]);
  expect(pdf.suggestedFilename()).toBe('equity-cohort-2026-27-my-year-2026-2027.pdf');
  expect(readFileSync((await pdf.path())!).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const [md] = await Promise.all([page.waitForEvent('download'), mine.getByRole('button', { name: 'Download Markdown' }).click()]);
  const myText = readFileSync((await md.path())!, 'utf8');
  expect(myText.split('\n')[0]).toBe('# Ana · my year');
  expect(myText).toContain(COMMITMENT);
  await mine.screenshot({ path: shots('downloads-phone') });
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await expect(page.getByTestId('feed-url')).toHaveValue(/\/api\/calendar\/[^/]+\.ics$/);
  await expect(page.getByText('replaces the old one')).toBeVisible();

  // One button into the meeting: no code, no name to type.
  await page.getByRole('button', { name: 'Join the meeting' }).click();
  await page.waitForURL(new RegExp(`/s/${year.next.sessionId}$`));
  await expectLive(page);
  await expect(page.getByTestId('year-question')).toContainText(QUESTION);
  await expect(page.getByTestId('year-question')).toContainText('version 1');
  // On a phone the review starts folded; it opens with a tap.
  const review = page.getByTestId('my-review');
  await expect(review.getByTestId('commitment')).toBeHidden();
  await review.getByText('My commitment from last meeting').click();
  await expect(review.getByTestId('commitment')).toContainText(COMMITMENT);
  await expectNothingCut(page, 'the meeting on a phone');
  await page.screenshot({ path: shots('meeting-phone'), fullPage: true });
  await review.getByRole('button', { name: 'Done' }).click();
  await expect(review.getByTestId('commitment')).toHaveAttribute('data-status', 'done');
  await expect(review.getByRole('status')).toHaveText('Marked done. Well done.');
  await expect(review.getByText('to mark')).toHaveCount(0);
  expect(await violations(page)).toEqual([]);

  // The facilitator's view of meeting 2, with the cohort's staff link in this browser: everyone's commitments and Finish.
  const { url } = await api<{ url: string }>(request, 'POST', `/api/cohorts/${year.cohortId}/meetings/${year.next.sessionId}/facilitate`, year.staffToken, undefined, 201);
  const facilitator = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await facilitator.addInitScript(
    ([key, token]) => localStorage.setItem(key!, JSON.stringify({ token })),
    [`howmight.cohort.staff.${year.cohortId}`, year.staffToken],
  );
  await facilitator.goto(new URL(url).pathname + new URL(url).hash);
  await dismissGuide(facilitator);
  await expectLive(facilitator);
  await expect(facilitator.getByTestId('year-question')).toContainText(QUESTION);
  await expect(facilitator.getByTestId('year-place')).toHaveText('Equity cohort 2026-27');
  const all = facilitator.getByTestId('all-commitments');
  await all.getByText(/Commitments from last meeting/).click();
  await expect(all.getByRole('row').filter({ hasText: 'Ana' })).toContainText(COMMITMENT);
  await expect(all.getByRole('row').filter({ hasText: 'Ana' })).toContainText('Done');
  expect(await violations(facilitator)).toEqual([]);

  // The carried question is on the board: the HMW step lists it. Meeting 2 runs Success Analysis (the year's plan),
  // so the facilitator adds the HMW step to its agenda with the composer first.
  const composer = facilitator.locator('.composer');
  await composer.getByRole('button', { name: /^Agenda/ }).click();
  await composer.getByLabel('Add a block or step').selectOption('step:hmw');
  await composer.getByRole('button', { name: 'Add', exact: true }).click();
  await composer.getByRole('button', { name: 'Save agenda' }).click();
  await expect(composer.getByRole('button', { name: /^Agenda/ })).not.toContainText('not saved');
  await composer.getByRole('button', { name: /^Agenda/ }).click();
  await facilitator.getByLabel('Jump to step').selectOption('hmw');
  await expect(page.locator('[data-step="hmw"]')).toBeVisible();
  await expect(page.locator('[data-step="hmw"]').getByText(QUESTION).first()).toBeVisible();
  await page.setViewportSize({ width: 1280, height: 800 });
  await expectNothingCut(page, 'the meeting at 1280');

  // The projector pins the question, large enough for the back of the room.
  const projector = await openProjector(facilitator);
  const pinned = projector.getByTestId('year-question');
  await expect(pinned).toContainText(QUESTION);
  const sizes = await projector.getByTestId('year-banner').evaluate((el) =>
    [...el.querySelectorAll('p, span')].map((e) => parseFloat(getComputedStyle(e).fontSize)),
  );
  expect(Math.min(...sizes)).toBeGreaterThanOrEqual(24);
  await expectNothingCut(projector, 'the projector', { wall: true });
  expect(await violations(projector)).toEqual([]);
  await projector.screenshot({ path: shots('projector') });
  await facilitator.screenshot({ path: shots('facilitator') });

  // The question is revised from inside the meeting: every view's pin follows.
  await facilitator.getByText('Revise the question', { exact: true }).click();
  await facilitator.getByLabel('Revised question').fill(REVISED);
  await facilitator.getByLabel('Why it changed').fill('The spending map showed where the need is');
  await facilitator.getByRole('button', { name: 'Save new version' }).click();
  await expect(facilitator.getByTestId('year-question')).toContainText(REVISED);
  await expect(facilitator.getByTestId('year-question')).toContainText('version 2');
  await projector.reload();
  await expect(projector.getByTestId('year-question')).toContainText(REVISED);

  // Finish from the meeting: it says what was carried and when the next one is.
  await facilitator.getByRole('button', { name: 'Finish meeting' }).click();
  await facilitator.getByRole('button', { name: 'Yes, finish the meeting' }).click();
  await expect(facilitator.getByTestId('finished')).toContainText('Funds for need · Meeting 3');
  await expect(facilitator.getByTestId('finished')).toContainText(/November 10, 2026|10 November 2026/);

  // Ana leaves, anonymised: the year at a glance keeps her commitment, signed "A former member".
  await facilitator.goto(`/c/${year.cohortId}`);
  const glance = facilitator.getByTestId('glance-Funds for need');
  await glance.locator('summary').first().click();
  await expect(glance.getByRole('listitem').filter({ hasText: COMMITMENT })).toContainText('Ana');
  await facilitator.getByRole('button', { name: 'Remove Ana' }).click();
  await facilitator.getByRole('dialog', { name: 'Remove Ana?' }).getByRole('button', { name: 'Remove and anonymise' }).click();
  await expect(facilitator.getByTestId('member-Ana')).toHaveCount(0);
  await expect(glance.getByRole('listitem').filter({ hasText: COMMITMENT })).toContainText('A former member');
  await expect(glance).not.toContainText('Ana');
  const community = facilitator.getByTestId('downloads-Funds for need');
  const [json] = await Promise.all([facilitator.waitForEvent('download'), community.getByRole('button', { name: 'Download JSON of Funds for need’s year' }).click()]);
  expect(json.suggestedFilename()).toBe('funds-for-need-portfolio-2026-2027.json');
  const portfolio = readFileSync((await json.path())!, 'utf8');
  expect(portfolio).toContain(COMMITMENT);
  expect(portfolio).toContain('A former member');
  expect(portfolio).not.toContain('"Ana"');
  expect(await violations(facilitator)).toEqual([]);
  await expectNothingCut(facilitator, 'the cohort page at 1280 after a removal');
  await community.screenshot({ path: shots('community-downloads-1280') });
});

test('a principal joins the year by the join link, and a reissued link says plainly that the old one no longer works', async ({ browser, request }) => {
  // Several pages and a reissue: 53 s in a CI rehearsal on a busy 2-core machine, against the 60 s default.
  test.setTimeout(120_000);
  const year = await yearWithOneMeeting(request);
  const page = await phone(browser);
  await page.goto(`/cj/${year.joinCode}#${year.joinSecret}`);
  await expect(page.getByTestId('cohort-name')).toHaveText('Equity cohort 2026-27');
  expect(page.url()).not.toContain('#');
  expect(await violations(page)).toEqual([]);
  await expectNothingCut(page, 'the cohort join page on a phone');
  await page.screenshot({ path: shots('join-phone'), fullPage: true });

  // A name already taken is refused with a reason.
  await page.getByLabel('Your name').fill('Ana');
  await page.getByRole('button', { name: 'Join the year' }).click();
  await expect(page.getByRole('alert')).toContainText('already has that name');

  await page.getByLabel('Your name').fill('Dee');
  await page.getByLabel(/The equity challenge you bring/).fill('Chronic absence in grade 9');
  await page.getByRole('button', { name: 'Join the year' }).click();
  await page.waitForURL(new RegExp(`/m/${year.cohortId}$`));
  await expect(page.getByRole('heading', { name: 'My year', exact: true })).toBeVisible();
  await expect(page.getByTestId('signed-in')).toContainText('Dee: Chronic absence in grade 9');
  await expect(page.getByText('You are not in a community yet')).toBeVisible();
  await expect(page.getByText('No meeting is scheduled yet')).toBeVisible();
  await expectNothingCut(page, 'a new member’s year on a phone');
  expect(await violations(page)).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 800 });
  await expectNothingCut(page, 'a new member’s year at 1280');
  await page.screenshot({ path: shots('home-new-1280'), fullPage: true });

  // A wrong code says so.
  const stranger = await phone(browser);
  await stranger.goto('/cj/ZZZZZZ');
  await expect(stranger.getByTestId('lookup-error')).toContainText('No cohort has that join code');

  // The facilitator issues Ana a new link: the old one, opened again, no longer works and is forgotten.
  const old = await phone(browser);
  await old.goto(`/m/${year.cohortId}#${year.members.Ana!.token}`);
  await expect(old.getByRole('heading', { name: 'My year', exact: true })).toBeVisible();
  await api(request, 'POST', `/api/cohorts/${year.cohortId}/members/${year.members.Ana!.memberId}/link`, year.staffToken, undefined, 201);
  await old.reload();
  await expect(old.getByRole('alert')).toHaveText('This link no longer works; ask your facilitator for a new one.');
  expect(await old.evaluate((id) => localStorage.getItem(`howmight.cohort.member.${id}`), year.cohortId)).toBeNull();
  expect(await violations(old)).toEqual([]);
});
