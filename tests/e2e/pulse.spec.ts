import { expect, test } from './fixtures.ts';
import type { JoinCohortResponse } from '../../shared/year/api.ts';
import type { PulseWindowView } from '../../shared/year/pulse.ts';
import { controlSocket, dismissGuide, expectLive, expectNothingCut, openProjector, violations } from './helpers.ts';
import { api, phone, yearWithOneMeeting } from './yearSetup.ts';

/**
 * The trust pulse over a year (issue 15): two windows already answered and
 * closed, the third opened on the cohort page, answered on phones, closed by
 * the facilitator, and the trend on the projector at the meeting's close.
 */

const CORE = ['ben1', 'ben2', 'int1', 'int2', 'pre1', 'pre2', 'com1', 'com2'];
const inAWeek = () => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
const shots = (name: string) => `test-results/pulse-${name}.png`;

test('a cohort answers three pulse windows on phones and sees its trend, on the cohort page and the projector', async ({ browser, request }) => {
  test.setTimeout(150_000);
  const year = await yearWithOneMeeting(request);
  const staff = <T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, status = 200) =>
    api<T>(request, method, `/api/cohorts/${year.cohortId}${path}`, year.staffToken, body, status);
  // Three more members, so the community (six) has enough answers to be counted.
  const members = { ...year.members };
  for (const name of ['Dev', 'Eli', 'Fay']) {
    const joined = await api<JoinCohortResponse>(request, 'POST', '/api/cohorts/join', null, { joinCode: year.joinCode, name, challenge: '' }, 201);
    members[name] = { memberId: joined.memberId, token: joined.memberToken };
    await staff('PUT', `/members/${joined.memberId}/community`, { communityId: year.community.id }, 204);
  }
  const everyone = Object.values(members);
  const answerAll = async (windowId: string, predictability: number, who = everyone) => {
    for (const m of who) {
      const answers = Object.fromEntries(CORE.map((id) => [id, id.startsWith('pre') ? predictability : 5]));
      await api(request, 'POST', `/api/me/pulse/${windowId}`, m.token, { answers }, 204);
    }
  };
  // Windows 1 and 2: predictability low, then better after the group fixed its rhythm.
  const first = await staff<PulseWindowView>('POST', '/pulse', { label: 'After meeting 1', closesOn: inAWeek() }, 201);
  await answerAll(first.id, 2);
  await staff('POST', `/pulse/${first.id}/close`);
  await staff('PUT', `/pulse/${first.id}/notes`, { notes: 'We fixed our monthly rhythm: same day, same agenda.' });
  const second = await staff<PulseWindowView>('POST', '/pulse', { label: 'Mid-year', closesOn: inAWeek() }, 201);
  await answerAll(second.id, 4);
  await staff('POST', `/pulse/${second.id}/close`);

  // Window 3, opened on the cohort page.
  const facilitator = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await facilitator.goto(`/c/${year.cohortId}#${year.staffToken}`);
  const panel = facilitator.getByTestId('staff-pulse');
  await expect(panel.getByTestId('trend-chart').first()).toBeVisible();
  await panel.getByLabel('Name').fill('End of year');
  await panel.getByRole('button', { name: 'Open the window' }).click();
  await expect(panel.getByTestId('pulse-open')).toContainText('End of year');

  // Two members answer on their phones in under a minute's taps; the rest through the API.
  for (const name of ['Ana', 'Ben']) {
    const page = await phone(browser);
    await page.goto(`/m/${year.cohortId}#${members[name]!.token}`);
    const form = page.getByTestId('pulse-form');
    await expect(form).toContainText('End of year');
    for (const id of CORE) await form.locator(`[data-item="${id}"]`).getByRole('radio', { name: id.startsWith('pre') ? 'Agree' : 'Somewhat agree', exact: true }).check();
    if (name === 'Ana') {
      await expectNothingCut(page, 'the pulse on a phone');
      expect(await violations(page)).toEqual([]);
      await form.screenshot({ path: shots('form-phone') });
    }
    await form.getByRole('button', { name: /Send my answers \(8 of 8\)/ }).click();
    await expect(page.getByTestId('pulse-thanks')).toBeVisible();
    // Earlier windows' results are on the member's home: their community's own.
    await expect(page.getByTestId('pulse-results')).toContainText('Mid-year: Funds for need, 6 of 6 answered');
    await page.context().close();
  }
  const third = (await staff<PulseWindowView[]>('GET', '/pulse')).find((w) => w.status === 'open')!;
  // While open, not even the staff see a count.
  await expect(panel).not.toContainText(/\d of 6 answered.*End of year/);
  await answerAll(third.id, 5, everyone.slice(2));

  await panel.getByRole('button', { name: 'Close it now and compute the results' }).click();
  await expect(panel.getByTestId('pulse-table').first()).toBeVisible();
  await expect(panel.getByTestId('pulse-results').first()).toContainText('End of year: the cohort, 6 of 6 answered');
  await expect(panel.locator('[data-facet="predictability"]').first()).toContainText('5.0');
  await expect(panel).toContainText('We fixed our monthly rhythm');
  expect(await violations(facilitator)).toEqual([]);
  await panel.screenshot({ path: shots('cohort-page') });

  // The projector at meeting 2's close: the trend, readable from the back of the room.
  const { url, token } = await api<{ url: string; token: string }>(request, 'POST', `/api/cohorts/${year.cohortId}/meetings/${year.next.sessionId}/facilitate`, year.staffToken, undefined, 201);
  await facilitator.goto(new URL(url).pathname + new URL(url).hash);
  await dismissGuide(facilitator);
  await expectLive(facilitator);
  const projector = await openProjector(facilitator);
  const control = await controlSocket(token);
  try {
    await control.run({ type: 'goto', step: 'close' });
  } finally {
    control.close();
  }
  const onWall = projector.getByTestId('meeting-pulse');
  await expect(onWall.getByTestId('trend-chart')).toBeVisible();
  await expect(onWall).toContainText('Predictability');
  await expect(onWall.getByRole('img')).toHaveAttribute('aria-label', /Predictability 2\.0, then 4\.0, then 5\.0/);
  await projector.screenshot({ path: shots('projector') });
  await expectNothingCut(projector, 'the pulse on the projector', { wall: true });
  expect(await violations(projector)).toEqual([]);
});
