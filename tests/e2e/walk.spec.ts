import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { addQuestion, closeRoom, expectNothingCut, goToStep, meetingOfFour, note, reveal, type Room, shareStory, writeCause } from './helpers.ts';

// A whole meeting, one test per step, as a facilitator, three participants and a
// projector would run it. The steps share one room, so they run in order.
test.describe.configure({ mode: 'serial' });

test.describe('a group walks all nine steps from story to final question', () => {
  let room: Room;
  let ana: Page, ben: Page, chloe: Page;
  // Every role's screen at every step, at the sizes people use: looked at by hand, kept as CI artifacts.
  // Each is checked for text that is cut or a page that runs off sideways.
  const shots = async (step: string) => {
    await room.facilitator.screenshot({ path: `test-results/walk/${step}-facilitator-1440.png` });
    await expectNothingCut(room.facilitator, `the facilitator's screen at ${step}`);
    for (const [width, height] of [[1920, 1080], [1366, 768]] as const) {
      await room.projector.setViewportSize({ width, height });
      await room.projector.screenshot({ path: `test-results/walk/${step}-projector-${width}.png` });
      await expectNothingCut(room.projector, `the ${width}px projector at ${step}`, { wall: true });
    }
    await ana.screenshot({ path: `test-results/walk/${step}-participant-1280.png` });
    await expectNothingCut(ana, `a laptop at ${step}`);
    await chloe.screenshot({ path: `test-results/walk/${step}-phone-375.png`, fullPage: true });
    await expectNothingCut(chloe, `a phone at ${step}`);
  };

  test.afterAll(() => closeRoom(room));

  test.beforeAll(async ({ browser }) => {
    room = await meetingOfFour(browser);
    [ana, ben, chloe] = room.participants as [Page, Page, Page];
  });

  test('0 Open', async () => {
    await room.facilitator.getByLabel('Add a norm').fill('Presume positive intentions');
    await room.facilitator.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(ana.getByText('Presume positive intentions')).toBeVisible();
    await ben.getByLabel(/Name one hope/).fill('Leave with something I can use');
    await ben.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(room.projector.getByText('Leave with something I can use')).toBeVisible();
    await shots('0-open');
  });

  test('1 Story: private until shared', async () => {
    await goToStep(room, 'story');
    await ana.getByLabel('What happened').fill('Private draft about a family');
    await expect(ben.getByText('Private draft about a family')).toHaveCount(0);
    await shareStory(ana, 'Spanish-speaking families missed conferences');
    await shareStory(ben, 'A student was suspended twice in a week');
    await expect(ben.getByText('Spanish-speaking families missed conferences')).toBeVisible();
    await room.facilitator.getByRole('button', { name: 'Start the round' }).click();
    await room.facilitator.getByRole('button', { name: 'Mark speaking' }).first().click();
    await expect(room.projector.getByText('Speaking now:')).toBeVisible();
    await room.facilitator.getByRole('button', { name: 'Spotlight on projector' }).first().click();
    await expect(room.projector.getByRole('region', { name: 'In the spotlight' })).toBeVisible();
    await shots('1-story');
  });

  test('2 Need', async () => {
    await goToStep(room, 'need');
    await ana.getByLabel(/what did you need but not have/).fill('I needed to know which families we were not reaching');
    await ana.getByRole('button', { name: 'Add need' }).click();
    await expect(room.projector.getByText('I needed to know which families we were not reaching')).toBeVisible();
    await shots('2-need');
  });

  test('3 Assumptions: pairs formed by the server, a trio for three people', async () => {
    await goToStep(room, 'assumptions');
    await room.facilitator.getByRole('button', { name: 'Form pairs' }).click();
    await expect(room.projector.getByText(/Group 1:/)).toBeVisible();
    await expect(ana.getByText('Your group:')).toBeVisible();
    const anaCard = ana.getByRole('region', { name: 'You: story and assumptions' });
    await anaCard.getByLabel('Add an assumption about this story').fill('Families do not value conferences');
    await anaCard.getByRole('button', { name: 'Add', exact: true }).click();
    await anaCard.getByLabel(/Status of/).selectOption('doubtful');
    await shots('3-assumptions');
  });

  test('4 Causes: silent writing, nothing leaks before the reveal', async () => {
    await goToStep(room, 'causes');
    await writeCause(ana, 'No translation process for family conferences');
    await writeCause(ben, 'Discipline data never reviewed by race');
    await writeCause(chloe, 'Conference times fit office hours only');
    await expect(room.projector.getByText('No translation process')).toHaveCount(0);
    await expect(ben.getByText('No translation process')).toHaveCount(0);
    await shots('4-causes-silent');
    await reveal(room);
    for (const page of [room.projector, ben, chloe]) await expect(note(page, 'No translation process')).toBeVisible();
    await note(room.facilitator, 'No translation process').getByRole('button', { name: 'Spotlight this note on the projector' }).click();
    await expect(room.projector.getByRole('region', { name: 'In the spotlight' })).toContainText('No translation process');
    await shots('4-causes-revealed');
  });

  test('5 Sort (keyboard here; drag and drop in sort.spec.ts)', async () => {
    await goToStep(room, 'sort');
    await ana.getByRole('button', { name: /No translation process/ }).press('1');
    await ben.getByRole('button', { name: /Discipline data/ }).press('2');
    await chloe.getByRole('button', { name: /Conference times/ }).press('1');
    await expect(room.projector.getByTestId('count-structures')).toHaveText('2');
    await room.facilitator.getByRole('region', { name: /Structures/ }).getByRole('button', { name: 'Mark heaviest' }).click();
    await expect(room.projector.getByText('Heaviest', { exact: true })).toBeVisible();
    await shots('5-sort');
  });

  test('6 HMW: drafts, dot voting, final question', async () => {
    await goToStep(room, 'hmw');
    await addQuestion(ana, 'How might we make conferences work for families who speak Spanish?');
    await addQuestion(ben, 'How might we look at our discipline data together every month?');
    await room.facilitator.getByLabel('Votes per person').fill('2');
    await room.facilitator.getByLabel('Votes per person').blur();
    await room.facilitator.getByRole('button', { name: 'Open voting' }).click();
    for (const page of [ana, ben, chloe]) {
      await page.getByRole('button', { name: /Vote for: How might we make conferences/ }).click();
    }
    await chloe.getByRole('button', { name: /Vote for: How might we make conferences/ }).click();
    await expect(chloe.getByText('You have 0 of 2 votes left.')).toBeVisible();
    await expect(chloe.getByRole('button', { name: /Vote for: How might we look/ })).toBeDisabled();
    await room.facilitator.getByRole('button', { name: 'Close voting' }).click();
    await expect(room.projector.getByTestId('votes').first()).toHaveText('4 votes');
    await room.facilitator.getByRole('button', { name: 'Mark as final' }).first().click();
    await expect(room.projector.getByText('Final inquiry question')).toBeVisible();
    await shots('6-hmw');
  });

  test('7 Commit', async () => {
    await goToStep(room, 'commit');
    await expect(ana.getByText('How might we make conferences work for families who speak Spanish?')).toBeVisible();
    await ana.getByLabel(/One small thing/).fill('Call three families with an interpreter');
    await ana.getByLabel('How I will notice what happened').fill('Count who comes in March');
    await ana.getByLabel('Peer partner for a check-in').fill('Ben');
    await ana.getByLabel('Check-in date').fill('2026-12-15');
    await ana.getByRole('button', { name: 'Save my commitment' }).click();
    await expect(room.facilitator.getByTestId('commitment-count')).toHaveText('1');
    await shots('7-commit');
  });

  test('8 Close', async () => {
    await goToStep(room, 'close');
    for (const page of [room.projector, ana, ben]) {
      await expect(page.getByTestId('final-question')).toContainText('How might we make conferences work');
    }
    await expect(ana.getByText('Call three families with an interpreter')).toBeVisible();
    await shots('8-close');
  });
});
