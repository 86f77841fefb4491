import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { templatePlan } from '../../shared/protocol/agendas.ts';
import { STEPS, type StepId } from '../../shared/protocol/steps.ts';
import { controlSocket, createSession, expectNothingCut, joinAs, openProjector, PHONE, violations } from './helpers.ts';

/**
 * A second-month meeting on the Consultancy template, walked end to end by a
 * facilitator, four participants (one on a phone) and the projector: the
 * check-in go-round with a pass, a presenter who writes the focusing
 * question, cards addressed to them, and a discussion where they listen
 * with their inputs off while the wall says so. The agenda is set by
 * command, as the composer will (another part of issue 13).
 */

const SHOTS = 'test-results/monthly';
const FOCUS = 'How do I get families to the spring conferences without adding evenings?';


/** The facilitator's control socket, with the token the facilitator's browser holds. */
async function controlOf(facilitator: Page): Promise<{ run: (command: unknown) => Promise<void>; close: () => void }> {
  const sessionId = new URL(facilitator.url()).pathname.split('/')[2]!;
  const token = await facilitator.evaluate((id) => JSON.parse(localStorage.getItem(`howmight.facilitator.${id}`) ?? '{}').token as string, sessionId);
  return controlSocket(token);
}

test('a monthly Consultancy meeting, end to end: a go-round with a pass, a presenter who listens', async ({ browser }) => {
  test.setTimeout(240_000);
  const { facilitator, joinCode } = await createSession(browser, 'Equity CoP, October');
  const ana = await joinAs(browser, joinCode, 'Ana');
  const ben = await joinAs(browser, joinCode, 'Ben');
  const chloe = await joinAs(browser, joinCode, 'Chloe', PHONE);
  const dev = await joinAs(browser, joinCode, 'Dev');
  const projector = await openProjector(facilitator);
  const everyone = [facilitator, projector, ana, ben, chloe, dev];

  const plan = templatePlan('monthly-consultancy', 90);
  const control = await controlOf(facilitator);
  // A new session stands at the first meeting's opening: keep it on the agenda until the meeting has moved on, then drop it.
  await control.run({ type: 'agenda', steps: ['open', ...plan.steps], minutes: plan.minutes });
  await control.run({ type: 'goto', step: 'checkin' });
  await control.run({ type: 'agenda', steps: plan.steps, minutes: plan.minutes });
  control.close();

  const at = async (step: StepId) => {
    for (const page of everyone) {
      await expect(page.locator(`[data-step="${step}"]`)).toBeVisible();
      await expect(page.getByRole('heading', { name: STEPS[step].title, exact: true }).first()).toBeVisible();
    }
  };
  const next = async (from: StepId, to: StepId) => {
    await expect(facilitator.locator(`[data-step="${from}"]`)).toBeVisible();
    await facilitator.getByRole('button', { name: 'Next →' }).click();
    await at(to);
  };

  // ---- Connections: a go-round; Ana passes and speaks at the end.
  await at('checkin');
  await expect(projector.getByTestId('step-place')).toContainText('Open');
  await facilitator.getByRole('button', { name: 'Start the round' }).click();
  await facilitator.getByRole('button', { name: 'Next: Ana' }).click();
  await expect(ana.getByTestId('speaking-now')).toContainText('Your turn');
  await expect(projector.getByTestId('speaking-now')).toContainText('Speaking now: Ana');
  await expect(projector.getByTestId('speaking-now')).toContainText('/ 3:00');
  // Ana passes from her own device (the facilitator has a Pass button too); nobody else has one.
  await expect(chloe.getByRole('button', { name: /^Pass for now/ })).toHaveCount(0);
  await ana.getByRole('button', { name: 'Pass for now (speak at the end)' }).click();
  // The turn moves on by itself; Ana waits at the end of the order, marked as passed.
  await expect(projector.getByTestId('speaking-now')).toContainText('Speaking now: Ben');
  await expect(projector.getByTestId('tag-passed')).toHaveCount(1);
  await expect(projector.getByRole('listitem').last()).toContainText('Ana');
  await projector.screenshot({ path: `${SHOTS}/checkin-pass-wall.png` });
  await facilitator.screenshot({ path: `${SHOTS}/checkin-pass-facilitator.png` });
  await expectNothingCut(projector, 'a go-round under way on the wall', { wall: true });
  await facilitator.getByRole('button', { name: 'Next: Chloe' }).click();
  await facilitator.getByRole('button', { name: 'Next: Dev' }).click();
  await facilitator.getByRole('button', { name: 'Back to Ana' }).click();
  await expect(projector.getByTestId('speaking-now')).toContainText('Speaking now: Ana');
  await expect(projector.getByTestId('tag-passed')).toHaveCount(0);
  await facilitator.getByRole('button', { name: 'Finished speaking' }).click();
  await expect(projector.getByTestId('not-told-yet')).toHaveText('Everyone has spoken.');
  await expect(projector.getByTestId('tag-told')).toHaveCount(4);

  const found: string[] = [];
  const check = async (label: string, pages: Record<string, Page>) => {
    for (const [name, page] of Object.entries(pages)) for (const v of await violations(page)) found.push(`${label} / ${name}: ${v}`);
  };
  await check('checkin', { facilitator, participant: ana, phone: chloe, projector });
  await expectNothingCut(chloe, 'the go-round on a phone');
  await expectNothingCut(ana, 'the go-round at 1280');
  await expectNothingCut(projector, 'the go-round on the wall', { wall: true });
  await projector.screenshot({ path: `${SHOTS}/checkin-wall.png` });
  await chloe.screenshot({ path: `${SHOTS}/checkin-phone.png`, fullPage: true });
  await facilitator.screenshot({ path: `${SHOTS}/checkin-facilitator.png`, fullPage: true });

  // ---- Review and the practice round (a standalone session has no year: the review says so).
  await next('checkin', 'review');
  await expect(ana.getByText('not a meeting of a cohort')).toBeVisible();
  await next('review', 'logRound');

  // ---- Consultancy: the presenter, the focusing question.
  await next('logRound', 'consultFrame');
  await expect(projector.getByTestId('step-place')).toContainText('Consultancy · step 1 of 6');
  await expect(ana.getByTestId('presenter-says')).toContainText('has not chosen a presenter');
  await facilitator.getByLabel('Choose the presenter').selectOption({ label: 'Ben' });
  await expect(projector.getByTestId('presenter-says')).toHaveText(/Ben has the floor/);
  await expect(ben.getByTestId('presenter-says')).toContainText('You have the floor');
  await expect(ana.getByLabel('Your focusing question')).toHaveCount(0);
  await ben.getByLabel('Your focusing question').fill(FOCUS);
  await ben.getByRole('button', { name: 'Save my question' }).click();
  for (const page of [projector, ana, chloe, facilitator]) await expect(page.getByTestId('focus-question')).toContainText(FOCUS);
  await facilitator.screenshot({ path: `${SHOTS}/frame-facilitator.png`, fullPage: true });
  await ben.screenshot({ path: `${SHOTS}/frame-presenter.png`, fullPage: true });

  // ---- Clarifying questions: cards go to the presenter.
  await next('consultFrame', 'consultClarify');
  await expect(ana.getByTestId('card-goes-to')).toHaveText('It goes to Ben.');
  await ana.getByLabel('A clarifying question').fill('How many families came last spring?');
  await ana.getByRole('button', { name: 'Add card' }).click();
  await expect(projector.getByTestId('card')).toHaveCount(1);
  await expect(ben.getByTestId('note-for-you')).toContainText('How many families came last spring?');
  await next('consultClarify', 'consultProbe');
  await expect(projector.getByTestId('focus-question')).toContainText(FOCUS);

  // ---- Discussion: Ben listens; his inputs are off and the wall says so.
  await next('consultProbe', 'consultDiscuss');
  await expect(projector.getByTestId('step-place')).toContainText('Consultancy · step 4 of 6');
  await expect(projector.getByTestId('presenter-says')).toHaveText(/Ben is listening/);
  await expect(ben.getByTestId('listening-note')).toContainText('You are listening: take notes on paper; the group’s notes come to you');
  await expect(ben.getByLabel('A note for the presenter')).toBeDisabled();
  await expect(ben.getByLabel('A note for the presenter')).not.toBeEditable();
  await expect(ben.getByRole('button', { name: 'Add card' })).toBeDisabled();
  await expect(chloe.getByTestId('presenter-says')).toContainText('Ben is listening');
  await chloe.getByLabel('A note for the presenter').fill('Try a lunchtime slot with childcare');
  await chloe.getByRole('button', { name: 'Add card' }).click();
  await expect(ben.getByTestId('note-for-you')).toHaveCount(2);
  await expect(ben.getByTestId('note-for-you').last()).toContainText('Try a lunchtime slot with childcare');
  await check('consultDiscuss', { presenter: ben, participant: chloe, facilitator, projector });
  await expectNothingCut(chloe, 'the discussion on a phone');
  await expectNothingCut(ben, 'the listening presenter at 1280');
  await expectNothingCut(projector, 'the discussion on the wall', { wall: true });
  await projector.screenshot({ path: `${SHOTS}/discuss-wall.png` });
  await ben.screenshot({ path: `${SHOTS}/discuss-presenter.png`, fullPage: true });
  await chloe.screenshot({ path: `${SHOTS}/discuss-phone.png`, fullPage: true });

  // ---- The presenter responds, and the debrief is a round.
  await next('consultDiscuss', 'consultRespond');
  await expect(projector.getByTestId('presenter-says')).toHaveText(/Ben has the floor/);
  await expect(ben.getByTestId('note-for-you')).toHaveCount(2);
  await next('consultRespond', 'consultDebrief');
  await facilitator.getByRole('button', { name: 'Start the round' }).click();
  await expect(projector.getByTestId('not-told-yet')).toContainText('Not spoken yet');

  // ---- The rest of the month's blocks: playlist, the question, commit and close.
  await next('consultDebrief', 'playlist');
  await dev.getByLabel('An idea you could use at your school').fill('A family liaison at the door');
  await dev.getByRole('button', { name: 'Add card' }).click();
  await expect(projector.getByTestId('card')).toHaveCount(1);
  await expect(dev.getByTestId('card-goes-to')).toHaveCount(0);
  await next('playlist', 'revise');
  await next('revise', 'commit');
  await expect(projector.getByTestId('step-place')).toContainText('Commit');
  await next('commit', 'close');
  await expectNothingCut(projector, 'the close on the wall', { wall: true });

  expect(found).toEqual([]);
});

test('Tuning’s cards are warm or cool, and Success Analysis sorts its conditions into the four categories', async ({ browser }) => {
  test.setTimeout(120_000);
  const { facilitator, joinCode } = await createSession(browser, 'Equity CoP, November');
  const ana = await joinAs(browser, joinCode, 'Ana');
  const ben = await joinAs(browser, joinCode, 'Ben', PHONE);
  const projector = await openProjector(facilitator);
  const control = await controlOf(facilitator);
  const tuning = templatePlan('monthly-tuning', 90);
  const success = templatePlan('monthly-success', 90).steps.filter((s) => s.startsWith('success'));
  await control.run({ type: 'agenda', steps: ['open', ...tuning.steps, ...success], minutes: tuning.minutes });
  await control.run({ type: 'goto', step: 'tuningExamine' });
  const sessionId = new URL(facilitator.url()).pathname.split('/')[2]!;
  const benId = await ben.evaluate((id) => JSON.parse(localStorage.getItem(`howmight.participant.${id}`) ?? '{}').participantId as string, sessionId);
  await control.run({ type: 'presenter', participantId: benId });

  // Examine the work: each card is warm or cool, and goes to the presenter, who listens.
  await expect(projector.getByTestId('step-place')).toContainText('Tuning · step 4 of 7');
  await expect(projector.getByTestId('presenter-says')).toHaveText(/Ben is listening/);
  await expect(ana.getByTestId('card-goes-to')).toHaveText('It goes to Ben.');
  await ana.getByLabel('Your feedback').fill('The exit ticket ties straight to the goal');
  await expect(ana.getByRole('button', { name: 'Add card' })).toBeDisabled();
  await ana.getByLabel('Warm: what works').check();
  await ana.getByRole('button', { name: 'Add card' }).click();
  await ana.getByLabel('Your feedback').fill('Who reads the tickets, and when?');
  await ana.getByLabel('Cool: a question or a gap').check();
  await ana.getByRole('button', { name: 'Add card' }).click();
  // Written in silence: Ana keeps them; nobody else, the presenter included, has them before the reveal.
  await expect(ana.getByTestId('card-drafts').getByRole('listitem')).toHaveCount(2);
  await expect(ana.getByRole('status').filter({ hasText: 'nobody sees it until the reveal' })).toBeVisible();
  await expect(projector.getByTestId('silent-writing')).toBeVisible();
  await expect(projector.getByTestId('card')).toHaveCount(0);
  await expect(ben.getByTestId('note-for-you')).toHaveCount(0);
  await expect(ben.getByLabel('Your feedback')).not.toBeEditable();
  await expectNothingCut(ben, 'the listening presenter on a phone');
  await ana.screenshot({ path: `${SHOTS}/tuning-examine.png`, fullPage: true });
  // The feedback step: the facilitator reveals, and every card goes up at once, addressed to the presenter.
  await control.run({ type: 'goto', step: 'tuningFeedback' });
  await expect(projector.getByTestId('card')).toHaveCount(0);
  await facilitator.getByRole('button', { name: 'Reveal the feedback' }).click();
  await expect(facilitator.getByTestId('feedback-revealed')).toBeVisible();
  await expect(projector.getByTestId('card')).toHaveCount(2);
  await expect(projector.getByTestId('card').filter({ hasText: 'Warm' })).toHaveCount(1);
  await expect(projector.getByTestId('card').filter({ hasText: 'Cool' })).toHaveCount(1);
  await expect(ben.getByTestId('note-for-you')).toHaveCount(2);
  await expect(ana.getByTestId('card-drafts')).toHaveCount(0);

  // Success Analysis: conditions on cards, sorted with a keyboard-reachable select.
  await control.run({ type: 'goto', step: 'successConditions' });
  control.close();
  await expect(projector.getByTestId('presenter-pins')).toHaveCount(0);
  await ben.getByLabel('A condition behind our successes').fill('A shared planning period');
  await ben.getByRole('button', { name: 'Add card' }).click();
  await expect(ana.getByTestId('card')).toHaveCount(1);
  const sort = ana.getByTestId('card').getByLabel('Category');
  await sort.focus();
  await sort.selectOption('structures');
  await expect(projector.getByTestId('card')).toContainText('Structures');
  await expect(ben.getByTestId('card').getByLabel('Category')).toHaveValue('structures');
  await expectNothingCut(ben, 'sorting conditions on a phone');
  await expectNothingCut(projector, 'the conditions on the wall', { wall: true });
  await ben.screenshot({ path: `${SHOTS}/success-conditions-phone.png`, fullPage: true });
  await projector.screenshot({ path: `${SHOTS}/success-conditions-wall.png` });
});
