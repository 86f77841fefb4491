import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import type { JoinSessionResponse } from '../../shared/api.ts';
import type { CommunityView, CreateCohortResponse, JoinCohortResponse, MeetingView } from '../../shared/year/api.ts';
import { controlSocket, dismissGuide, expectLive, expectNothingCut, openProjector, PHONE, violations } from './helpers.ts';

/**
 * The playlist (issue 14): a member adds a resource on their phone, the
 * facilitator finds it on the cohort page with its QR code, then puts it on
 * the projector in a monthly meeting's playlist step.
 */

const TITLE = 'Coaching for equity, chapter 3';
const WHY = 'Names the moves a coach makes when a conversation about race stalls';
const URL_OF_IT = 'https://example.org/coaching-for-equity/chapter-3';

async function api<T>(request: APIRequestContext, method: 'GET' | 'POST' | 'PUT', path: string, token: string | null, body?: unknown, status = 200): Promise<T> {
  const res = await request.fetch(path, { method, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(body === undefined ? {} : { data: body }) });
  expect(res.status(), `${method} ${path}: ${await res.text()}`).toBe(status);
  return (res.status() === 204 ? undefined : await res.json()) as T;
}

test('a member adds a resource on their phone; the facilitator sees it with its QR code and features it on the projector', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const created = await api<CreateCohortResponse>(request, 'POST', '/api/cohorts', null, {
    name: 'Equity cohort 2026-27', startsOn: '2026-09-01', endsOn: '2027-06-30', lengthMinutes: 90, yourName: 'Fran',
  }, 201);
  const cohortId = created.cohort.id;
  const staffToken = created.facilitatorToken;
  const community = await api<CommunityView>(request, 'POST', `/api/cohorts/${cohortId}/communities`, staffToken, { name: 'Funds for need' }, 201);
  const ana = await api<JoinCohortResponse>(request, 'POST', '/api/cohorts/join', null, { joinCode: created.joinCode, name: 'Ana' }, 201);
  await api(request, 'PUT', `/api/cohorts/${cohortId}/members/${ana.memberId}/community`, staffToken, { communityId: community.id }, 204);

  // ---- Ana, on her phone: My year, the playlist, add one.
  const phone = await (await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true })).newPage();
  await phone.goto(`/m/${cohortId}#${ana.memberToken}`);
  const mine = phone.getByTestId('my-playlist');
  await expect(mine.getByRole('heading', { name: 'Playlist', exact: true })).toBeVisible();
  await mine.getByRole('button', { name: 'Add a resource' }).click();
  await mine.getByLabel('Title').fill(TITLE);
  await mine.getByLabel('Link (http or https)').fill('javascript:alert(1)');
  await mine.getByRole('button', { name: 'Add to the playlist' }).click();
  await expect(mine.getByRole('alert')).toContainText('must start with http:// or https://');
  await mine.getByLabel('Link (http or https)').fill(URL_OF_IT);
  await mine.getByLabel('Type').selectOption('reading');
  await mine.getByLabel('Why it helps (one line)').fill(WHY);
  await mine.getByLabel('Skills').check();
  await mine.getByRole('button', { name: 'Add to the playlist' }).click();
  const added = mine.getByTestId('resource').filter({ hasText: TITLE });
  await expect(added).toContainText(WHY);
  await expect(added).toContainText('added by Ana');
  await added.getByLabel(/I used it/).check();
  await expect(added.getByLabel(/I used it/)).toBeChecked();
  await expectNothingCut(phone, 'the playlist on a phone');
  await mine.screenshot({ path: 'test-results/playlist-phone.png' });
  expect(await violations(phone)).toEqual([]);

  // ---- Fran, the cohort page: the resource in the community's playlist, with its QR code and a count of uses.
  const staffPage = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await staffPage.goto(`/c/${cohortId}#${staffToken}`);
  const panel = staffPage.getByTestId(`community-${community.name}`).getByTestId('playlist');
  const listed = panel.getByTestId('resource').filter({ hasText: TITLE });
  await expect(listed).toContainText('added by Ana');
  await expect(listed.getByTestId('used-count')).toHaveText('Used by 1 member');
  await listed.getByText('QR code of the link').click();
  await expect(listed.getByTestId('qr')).toHaveAttribute('data-url', URL_OF_IT);
  await expect(listed.getByTestId('qr').locator('svg')).toBeVisible();
  await listed.getByRole('button', { name: 'Pin this month' }).click();
  await expect(listed).toContainText('This month');
  expect(await violations(staffPage)).toEqual([]);

  // ---- A monthly meeting at its playlist step: Fran puts it on the projector.
  const meeting = await api<MeetingView>(request, 'POST', `/api/cohorts/${cohortId}/meetings`, staffToken, { communityId: community.id, startsAt: '2026-10-13T16:00', template: 'monthly-success' }, 201);
  const { url, token } = await api<{ url: string; token: string }>(request, 'POST', `/api/cohorts/${cohortId}/meetings/${meeting.sessionId}/facilitate`, staffToken, undefined, 201);
  const control = await controlSocket(token);
  await control.run({ type: 'goto', step: 'playlist' });
  control.close();
  const facilitator = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await facilitator.goto(new URL(url).pathname + new URL(url).hash);
  await dismissGuide(facilitator);
  await expectLive(facilitator);
  const projector = await openProjector(facilitator);
  await expect(projector.getByTestId('no-featured')).toBeVisible();

  await facilitator.getByRole('button', { name: `Put on the projector: ${TITLE}` }).click();
  const onWall = projector.getByTestId('featured-resource');
  await expect(onWall.getByRole('heading', { name: TITLE })).toBeVisible();
  await expect(onWall).toContainText(WHY);
  await expect(onWall.getByTestId('qr')).toHaveAttribute('data-url', URL_OF_IT);
  await expect(onWall.getByTestId('qr').locator('svg')).toBeVisible();
  await expect(facilitator.getByText(`On the projector: ${TITLE}`)).toBeVisible();
  await projector.screenshot({ path: 'test-results/playlist-projector.png' });
  await facilitator.screenshot({ path: 'test-results/playlist-facilitator.png', fullPage: true });
  expect(await violations(projector)).toEqual([]);
  expect(await violations(facilitator)).toEqual([]);

  // Ana, in the meeting on her phone: the same resource, its QR code and a link she can open.
  const entered = await api<JoinSessionResponse>(request, 'POST', `/api/me/meetings/${meeting.sessionId}/enter`, ana.memberToken);
  await phone.evaluate(
    ([key, value]) => localStorage.setItem(key!, value!),
    [`howmight.participant.${entered.sessionId}`, JSON.stringify({ token: entered.participantToken, participantId: entered.participantId, name: 'Ana' })],
  );
  await phone.goto(`/s/${entered.sessionId}`);
  await expectLive(phone);
  const onPhone = phone.getByTestId('featured-resource');
  await expect(onPhone.getByRole('heading', { name: TITLE })).toBeVisible();
  await expect(onPhone).toContainText(WHY);
  await expect(onPhone.getByRole('link', { name: 'Open the resource' })).toHaveAttribute('href', URL_OF_IT);
  await expect(onPhone.getByTestId('qr')).toHaveAttribute('data-url', URL_OF_IT);
  await expectNothingCut(phone, 'the featured resource on a phone');
  expect(await violations(phone)).toEqual([]);

  // The resource remembers the meeting that showed it.
  const list = await api<{ resources: Array<{ featuredAt: string | null }> }>(request, 'GET', `/api/cohorts/${cohortId}/playlists/${community.id}`, staffToken);
  expect(list.resources[0]!.featuredAt).toBe(meeting.sessionId);
  await staffPage.reload();
  await expect(listed.getByTestId('featured-in')).toHaveText(`On the projector in ${meeting.title}`);

  await facilitator.getByRole('button', { name: 'Take it off the projector' }).click();
  await expect(projector.getByTestId('featured-resource')).toHaveCount(0);
  await expect(phone.getByTestId('featured-resource')).toHaveCount(0);
});
