import AxeBuilder from '@axe-core/playwright';
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { STEPS, type StepId } from '../../shared/protocol/steps.ts';
import type { CohortOverview, CommunityView, CreateCohortResponse, MeetingView } from '../../shared/year/api.ts';
import { dismissGuide, expectLive, expectNothingCut, PHONE } from './helpers.ts';

/** Issue 13 items 1-2: the facilitator composes a meeting in the facilitator view and keeps its shape for the community. */

async function api<T>(request: APIRequestContext, method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, token: string | null, body?: unknown, status = 200): Promise<T> {
  const res = await request.fetch(path, { method, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(body === undefined ? {} : { data: body }) });
  expect(res.status(), `${method} ${path}: ${await res.text()}`).toBe(status);
  return (res.status() === 204 ? undefined : await res.json()) as T;
}

async function composerViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).include('.composer').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

const titles = (steps: StepId[]) => steps.map((s) => STEPS[s].title);

test('the facilitator composes meeting 2 on Consultancy, saves it, and keeps the shape as the community’s default', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const created = await api<CreateCohortResponse>(request, 'POST', '/api/cohorts', null, {
    name: 'Equity cohort 2026-27', startsOn: '2026-09-01', endsOn: '2027-06-30', lengthMinutes: 90, yourName: 'Fran',
  }, 201);
  const staff = <T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown, status = 200) =>
    api<T>(request, method, `/api/cohorts/${created.cohort.id}${path}`, created.facilitatorToken, body, status);
  const community = await staff<CommunityView>('POST', '/communities', { name: 'Funds for need' }, 201);
  await staff<MeetingView>('POST', '/meetings', { communityId: community.id, startsAt: '2026-09-08T16:00' }, 201);
  const second = await staff<MeetingView>('POST', '/meetings', { communityId: community.id, startsAt: '2026-10-13T16:00' }, 201);
  expect(second.template).toBe('monthly-success');
  const { url } = await staff<{ url: string }>('POST', `/meetings/${second.sessionId}/facilitate`, undefined, 201);

  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(new URL(url).pathname + new URL(url).hash);
  await dismissGuide(page);
  await expectLive(page);
  const composer = page.locator('.composer');
  await composer.getByRole('button', { name: /^Agenda/ }).click();
  await expect(composer.getByRole('button', { name: /Agenda/ })).toHaveAttribute('aria-expanded', 'true');
  // Meeting 2 of the year: Success Analysis is the suggestion, and the plan it was made with.
  const template = composer.getByLabel('Template');
  await expect(template).toHaveValue('monthly-success');
  await expect(template.locator('option:checked')).toHaveText('Monthly, with Success Analysis (suggested)');
  expect(await composerViolations(page)).toEqual([]);

  // The server keeps the step the meeting is at: taking it off is refused, with its words.
  await composer.getByRole('button', { name: 'Skip Connections' }).click();
  await composer.getByRole('button', { name: 'Save agenda' }).click();
  await expect(composer.getByTestId('agenda-error')).toHaveText('The meeting is at Connections: keep it on the agenda, or move on first.');
  await composer.getByRole('button', { name: 'Discard changes' }).click();

  // Consultancy, the protocol block moved above the practice round, the playlist skipped.
  await template.selectOption('monthly-consultancy');
  const blocks = composer.getByTestId('agenda-block').locator('h3');
  await expect(blocks).toHaveText(['Open', 'Review', 'Practice', 'Consultancy', 'Playlist', 'Our question', 'Commit', 'Close']);
  await expect(composer.getByTestId('agenda-sum')).toHaveText('Time boxes add up to the meeting’s 90 minutes.');
  // By keyboard: focus stays on the block's button as it moves.
  await composer.getByRole('button', { name: 'Move block Consultancy up' }).focus();
  await page.keyboard.press('Enter');
  await expect(blocks).toHaveText(['Open', 'Review', 'Consultancy', 'Practice', 'Playlist', 'Our question', 'Commit', 'Close']);
  await expect(composer.getByRole('button', { name: 'Move block Consultancy up' })).toBeFocused();
  await composer.getByRole('button', { name: 'Skip From the playlist' }).click();
  await expect(blocks).toHaveText(['Open', 'Review', 'Consultancy', 'Practice', 'Our question', 'Commit', 'Close']);
  // 8 minutes fewer: the sum says so.
  await expect(composer.getByTestId('agenda-sum')).toContainText('Time boxes add up to 82 minutes; the meeting is 90.');
  await expect(composer.getByTestId('agenda-sum')).toHaveClass(/off/);
  await expectNothingCut(page, 'the composer at 1280');
  await composer.getByLabel('Minutes for Discussion').fill('23');
  await expect(composer.getByTestId('agenda-sum')).toHaveText('Time boxes add up to the meeting’s 90 minutes.');
  await composer.getByRole('button', { name: 'Save agenda' }).click();
  await expect(composer.getByRole('button', { name: /Agenda/ })).toContainText('12 steps · 90 of 90 min');
  await expect(composer.getByRole('button', { name: /Agenda/ })).not.toContainText('not saved');

  // The jump menu and the step banner follow the saved agenda.
  const saved: StepId[] = ['checkin', 'review', 'consultFrame', 'consultClarify', 'consultProbe', 'consultDiscuss', 'consultRespond', 'consultDebrief', 'logRound', 'revise', 'commit', 'close'];
  await expect(page.locator('#jump option')).toHaveText(titles(saved).map((t, i) => `${i + 1}. ${t}`));
  await expect(page.locator('.banner .eyebrow')).toContainText('Open');
  await page.getByLabel('Jump to step').selectOption('consultDiscuss');
  await expect(page.locator('.banner .eyebrow')).toContainText('Consultancy · step 4 of 6');
  // Its time box is the minutes set here.
  await expect(page.locator('.banner')).toContainText('23:00');

  // Kept as the community's default: its next meeting starts on it.
  await composer.getByRole('button', { name: 'Keep as our default' }).click();
  await expect(composer.getByText('Kept as Funds for need’s default: its next meetings start on these 12 steps.')).toBeAttached();
  const overview = await staff<CohortOverview>('GET', '');
  expect(overview.communities[0]!.agenda).toMatchObject({ template: 'monthly-consultancy', steps: saved, minutes: { consultDiscuss: 23 } });
  await expect(template.locator('option', { hasText: 'Our community’s default' })).toHaveCount(1);
  expect(await composerViolations(page)).toEqual([]);

  await page.setViewportSize(PHONE);
  await composer.scrollIntoViewIfNeeded();
  await expectNothingCut(page, 'the composer on a phone');
  expect(await composerViolations(page)).toEqual([]);

  // On the cohort page the schedule form offers the kept shape first, and the templates with the year's suggestion marked.
  const cohortPage = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await cohortPage.goto(new URL(created.urls.cohort).pathname + new URL(created.urls.cohort).hash);
  const panel = cohortPage.getByTestId('community-Funds for need');
  const plan = panel.getByLabel('Plan for meeting 3');
  await expect(plan).toHaveValue('kept');
  await expect(plan.locator('option', { hasText: '(suggested)' })).toHaveText('Monthly, with Consultancy (suggested)');
  await plan.selectOption('monthly-tuning');
  await panel.getByRole('button', { name: 'Schedule' }).click();
  await expect(panel.getByTestId('meeting-3')).toContainText('Monthly, with Tuning');
  await expect(panel.getByLabel('Plan for meeting 4')).toHaveValue('kept');
  expect((await staff<CohortOverview>('GET', '')).meetings.map((m) => m.template)).toEqual(['inquiry', 'monthly-success', 'monthly-tuning']);
});
