import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import type { StepId } from '../../shared/protocol/steps.ts';
import { goToStep, meetingOfFour, reveal, violations, writeCause } from './helpers.ts';


test('the start and join pages have no accessibility violations', async ({ page }) => {
  await page.goto('/');
  expect(await violations(page)).toEqual([]);
  await page.goto('/j/ABC234');
  expect(await violations(page)).toEqual([]);
});

test('every view at every step has no accessibility violations', async ({ browser }) => {
  test.setTimeout(240_000);
  const room = await meetingOfFour(browser);
  const [ana, ben] = room.participants as [Page, Page];
  const views = { facilitator: room.facilitator, participant: ana, projector: room.projector };
  const found: string[] = [];
  const check = async (step: StepId) => {
    for (const [name, page] of Object.entries(views)) {
      for (const v of await violations(page)) found.push(`${step} / ${name}: ${v}`);
    }
  };

  await check('open');
  for (const step of ['story', 'need', 'assumptions'] as const) {
    await goToStep(room, step);
    await check(step);
  }
  await goToStep(room, 'causes');
  await writeCause(ana, 'No translation process');
  await writeCause(ben, 'Conference times fit office hours only');
  await check('causes');
  await reveal(room);
  await expect(room.projector.getByText('No translation process')).toBeVisible();
  await check('causes');
  for (const step of ['sort', 'hmw', 'commit', 'close'] as const) {
    await goToStep(room, step);
    await check(step);
  }
  expect(found).toEqual([]);
});
