import type { Browser, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import type { JoinSessionResponse } from '../../shared/api.ts';
import type { CommunityView, CreateCohortResponse, JoinCohortResponse, MeetingView } from '../../shared/year/api.ts';
import { addQuestion, dismissGuide, expectLive, expectNothingCut, openProjector, violations } from './helpers.ts';
import { api } from './yearSetup.ts';

/**
 * A cohort meeting with two community groups (issue 16): a facilitator, a
 * coach and six members. The facilitator sends everyone to their
 * community's group; every device follows; the groups write in lockstep
 * with the plenary; the overview and the cohort projector show both groups;
 * the coach runs their own group's timer; the groups draft and mark their
 * questions and make commitments; everyone comes back and the groups'
 * results go up side by side.
 */

const shots = (name: string) => `test-results/breakouts-${name}.png`;
const FUNDS_QUESTION = 'How might we aim PTA funds at the students who need them most?';
const DAYS_QUESTION = 'How might we make every day count for students who miss the most?';

async function participantPage(browser: Browser, join: JoinSessionResponse, name: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 900, height: 800 } })).newPage();
  await page.addInitScript(
    ([key, value]) => localStorage.setItem(key!, value!),
    [`howmight.participant.${join.sessionId}`, JSON.stringify({ token: join.participantToken, participantId: join.participantId, name })],
  );
  await page.goto(`/s/${join.sessionId}`);
  await expectLive(page);
  return page;
}

test('a facilitator, a coach and six members walk a cohort meeting through two groups and back', async ({ browser, request }) => {
  test.setTimeout(180_000);
  const created = await api<CreateCohortResponse>(request, 'POST', '/api/cohorts', null, {
    name: 'Equity cohort 2026-27', startsOn: '2026-09-01', endsOn: '2027-06-30', lengthMinutes: 90, yourName: 'Fran',
  }, 201);
  const cohortId = created.cohort.id;
  const staff = <T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, status = 200) =>
    api<T>(request, method, `/api/cohorts/${cohortId}${path}`, created.facilitatorToken, body, status);
  const communities = [await staff<CommunityView>('POST', '/communities', { name: 'Funds for need' }, 201), await staff<CommunityView>('POST', '/communities', { name: 'Every day counts' }, 201)];
  const people: Array<{ name: string; token: string; community: CommunityView }> = [];
  for (const [i, name] of ['Ana', 'Ben', 'Cleo', 'Dev', 'Eli', 'Fay'].entries()) {
    const joined = await api<JoinCohortResponse>(request, 'POST', '/api/cohorts/join', null, { joinCode: created.joinCode, name, challenge: '' }, 201);
    const community = communities[i < 3 ? 0 : 1]!;
    await staff('PUT', `/members/${joined.memberId}/community`, { communityId: community.id }, 204);
    people.push({ name, token: joined.memberToken, community });
  }
  const invite = await staff<{ url: string }>('POST', '/staff', { name: 'Cora', role: 'coach' }, 201);
  const coachToken = invite.url.split('#')[1]!;
  const plenary = await staff<MeetingView>('POST', '/meetings', { communityId: null, startsAt: '2026-10-20T16:00' }, 201);

  const facilitator = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  const { url } = await staff<{ url: string }>('POST', `/meetings/${plenary.sessionId}/facilitate`, undefined, 201);
  await facilitator.goto(new URL(url).pathname + new URL(url).hash);
  await dismissGuide(facilitator);
  await expectLive(facilitator);
  const projector = await openProjector(facilitator);
  const pages = new Map<string, Page>();
  for (const p of people) {
    const join = await api<JoinSessionResponse>(request, 'POST', `/api/me/meetings/${plenary.sessionId}/enter`, p.token);
    pages.set(p.name, await participantPage(browser, join, p.name));
  }
  // The plenary at "What did you need", where everyone writes.
  await facilitator.getByLabel('Jump to step').selectOption('need');

  // Everyone to their community's group, Cora coaching Funds for need.
  const panel = facilitator.getByTestId('breakouts-panel');
  await panel.getByLabel('Their community’s group').check();
  await panel.getByRole('combobox').filter({ has: facilitator.getByRole('option', { name: 'Cora' }) }).first().selectOption({ label: 'Cora' });
  expect(await violations(facilitator)).toEqual([]);
  await panel.getByRole('button', { name: 'Send the groups out' }).click();

  // Every device follows its member into their group's board.
  for (const p of people) {
    const page = pages.get(p.name)!;
    await page.waitForURL((u) => !u.pathname.endsWith(plenary.sessionId), { timeout: 20_000 });
    await expectLive(page);
    await expect(page.getByTestId('group-banner')).toContainText(p.community.name);
  }
  const groupOf = (name: string) => new URL(pages.get(name)!.url()).pathname.split('/')[2]!;
  expect(groupOf('Ana')).toBe(groupOf('Cleo'));
  expect(groupOf('Ana')).not.toBe(groupOf('Dev'));

  // Each group writes what it needed; nobody sees the other group's.
  for (const p of people) {
    const page = pages.get(p.name)!;
    await page.getByLabel('In that moment, what did you need but not have?').fill(`${p.name} needed time with families`);
    await page.getByRole('button', { name: 'Add need' }).click();
  }
  await expect(pages.get('Ana')!.getByText('Cleo needed time with families')).toBeVisible();
  await expect(pages.get('Ana')!.getByText('Dev needed time with families')).toHaveCount(0);
  await expect(pages.get('Dev')!.getByText('Fay needed time with families')).toBeVisible();

  // The overview and the cohort projector show both groups, live.
  const cards = panel.getByTestId('group-cards');
  await expect(cards.getByTestId('group-Funds for need')).toContainText('3 of 3 here');
  await expect(cards.getByTestId('group-Funds for need')).toContainText('3 items written');
  await expect(cards.getByTestId('group-Every day counts')).toContainText('3 items written');
  await expect(cards.getByTestId('group-Funds for need')).toContainText('Coach: Cora');
  const wall = projector.getByTestId('cohort-wall');
  await expect(wall.getByTestId('group-Funds for need')).toContainText('What I needed');
  await expect(wall.getByTestId('group-Every day counts')).toContainText('3 of 3 here');
  await expectNothingCut(projector, 'the cohort projector', { wall: true });
  expect(await violations(projector)).toEqual([]);
  await projector.screenshot({ path: shots('projector') });
  await facilitator.screenshot({ path: shots('facilitator'), fullPage: true });

  // Lockstep: the plenary moves on, and so does every group.
  await facilitator.getByLabel('Jump to step').selectOption('assumptions');
  for (const page of pages.values()) await expect(page.locator('[data-step="assumptions"]')).toBeVisible();
  // A message to every group.
  await panel.getByRole('button', { name: 'Five minutes left' }).click();
  for (const page of pages.values()) await expect(page.getByTestId('group-announcement')).toContainText('Five minutes left');

  // The coach opens their group's controls from the cohort page's key, and starts its timer; no other group's.
  const coach = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const mine = await api<{ url: string }>(request, 'POST', `/api/cohorts/${cohortId}/meetings/${groupOf('Ana')}/facilitate`, coachToken, undefined, 201);
  const res = await request.fetch(`/api/cohorts/${cohortId}/meetings/${groupOf('Dev')}/facilitate`, { method: 'POST', headers: { authorization: `Bearer ${coachToken}` } });
  expect(res.status()).toBe(403);
  await coach.goto(new URL(mine.url).pathname + new URL(mine.url).hash);
  await dismissGuide(coach);
  await expectLive(coach);
  await expect(coach.getByTestId('group-banner')).toContainText('Funds for need');
  await coach.getByRole('button', { name: 'Start timer' }).click();
  await expect(cards.getByTestId('group-Funds for need')).toContainText('left');
  await expect(cards.getByTestId('group-Every day counts')).toContainText('paused');
  await coach.screenshot({ path: shots('coach') });

  // On through the protocol in lockstep: each group drafts its "How might we…" question and marks it final,
  // Cora in her group, the facilitator in the other, from the overview's "Take its controls".
  await facilitator.getByLabel('Jump to step').selectOption('hmw');
  for (const page of [...pages.values(), coach]) await expect(page.locator('[data-step="hmw"]')).toBeVisible();
  await addQuestion(pages.get('Ana')!, FUNDS_QUESTION);
  await addQuestion(pages.get('Dev')!, DAYS_QUESTION);
  await expect(pages.get('Dev')!.getByText(FUNDS_QUESTION)).toHaveCount(0);
  await coach.getByRole('button', { name: 'Mark as final' }).first().click();
  await expect(pages.get('Cleo')!.getByText('Final inquiry question').first()).toBeVisible();
  const [other] = await Promise.all([
    facilitator.waitForEvent('popup'),
    cards.getByTestId('group-Every day counts').getByRole('button', { name: /Take its controls/ }).click(),
  ]);
  // The same browser as the plenary's facilitator: its guide was closed there already.
  await other.waitForURL(/\/facilitate$/);
  await expectLive(other);
  await other.getByRole('button', { name: 'Mark as final' }).first().click();
  await expect(pages.get('Fay')!.getByText('Final inquiry question').first()).toBeVisible();
  await other.close();

  // Commit: one each in the two groups.
  await facilitator.getByLabel('Jump to step').selectOption('commit');
  for (const name of ['Ana', 'Dev']) {
    const page = pages.get(name)!;
    await expect(page.locator('[data-step="commit"]')).toBeVisible();
    await page.getByLabel(/One small thing/).fill(`${name} calls three families`);
    await page.getByRole('button', { name: 'Save my commitment' }).click();
  }

  // Everyone back: the devices return to the plenary; the groups' results go up side by side.
  await panel.getByRole('button', { name: 'Bring everyone back' }).click();
  for (const page of pages.values()) {
    await page.waitForURL((u) => u.pathname.endsWith(plenary.sessionId), { timeout: 20_000 });
    await expectLive(page);
  }
  const results = panel.getByTestId('group-results');
  await expect(results).toContainText(FUNDS_QUESTION);
  await expect(results).toContainText(DAYS_QUESTION);
  await expect(results.getByRole('listitem').filter({ hasText: 'Funds for need' })).toContainText('1 commitment');
  await panel.getByLabel('Show them on the projector').check();
  await expect(projector.getByTestId('group-results')).toContainText(DAYS_QUESTION);
  await expectNothingCut(projector, 'the groups’ results on the projector', { wall: true });
  await projector.screenshot({ path: shots('results') });
});
