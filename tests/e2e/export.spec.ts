import fs from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { pdfText } from '../pdfText.ts';
import { addQuestion, closeRoom, goToStep, meetingOfFour, reveal, type Room, shareStory, writeCause } from './helpers.ts';

// A short meeting, then downloads from the UI as a facilitator and a participant
// would make them, and next month's session started from the JSON export.
test.describe.configure({ mode: 'serial' });

const FINAL = 'How might we make conferences work for families who speak Spanish?';
const OTHER = 'How might we look at our discipline data together?';
const COMMITMENT = 'Call three families with an interpreter';

/** Clicks a download button and returns the file's name and text (PDF text through PDF.js). */
async function downloadFrom(page: Page, format: 'PDF' | 'Markdown' | 'CSV' | 'JSON'): Promise<{ name: string; text: string; path: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Download ${format}` }).click()]);
  const path = await download.path();
  const bytes = await fs.readFile(path);
  const text = format === 'PDF' ? (await pdfText(bytes)).pages.join('\n').replace(/\s+/g, ' ') : bytes.toString('utf8');
  return { name: download.suggestedFilename(), text, path };
}

test.describe('exporting the inquiry brief', () => {
  let room: Room;
  let ana: Page;
  let jsonExport: string;

  test.afterAll(() => closeRoom(room));

  test.beforeAll(async ({ browser }) => {
    room = await meetingOfFour(browser);
    ana = room.participants[0]!;
  });

  test('the facilitator can export mid-meeting', async () => {
    await goToStep(room, 'story');
    await shareStory(ana, 'Spanish-speaking families missed conferences');
    await goToStep(room, 'causes');
    await writeCause(ana, 'No translation process for family conferences');
    await reveal(room);
    await goToStep(room, 'hmw');
    await addQuestion(ana, FINAL);
    await addQuestion(room.participants[1]!, OTHER);
    const md = await downloadFrom(room.facilitator, 'Markdown');
    expect(md.name).toMatch(/^equity-cop-march-\d{4}-\d{2}-\d{2}\.md$/);
    expect(md.text).toContain(FINAL);
    expect(md.text).toContain('No translation process for family conferences');
    expect(md.text).toContain('during “How might we…”');
  });

  test('after the meeting, each format from the facilitator view holds the final question', async () => {
    await room.facilitator.getByRole('button', { name: 'Mark as final' }).first().click();
    await expect(room.projector.getByText('Final inquiry question')).toBeVisible();
    await goToStep(room, 'commit');
    await ana.getByLabel(/One small thing/).fill(COMMITMENT);
    await ana.getByRole('button', { name: 'Save my commitment' }).click();
    await expect(room.facilitator.getByTestId('commitment-count')).toHaveText('1');
    await goToStep(room, 'close');
    await room.facilitator.screenshot({ path: 'test-results/export/close-facilitator.png' });

    for (const [format, extension] of [['PDF', 'pdf'], ['Markdown', 'md'], ['CSV', 'csv'], ['JSON', 'json']] as const) {
      const file = await downloadFrom(room.facilitator, format);
      expect(file.name).toMatch(new RegExp(`^equity-cop-march-\\d{4}-\\d{2}-\\d{2}\\.${extension}$`));
      expect(file.text).toContain(FINAL);
      expect(file.text).toContain('Ana');
      if (format === 'JSON') {
        jsonExport = file.path;
        const json = JSON.parse(file.text) as { format: string; version: number; finalQuestionIds: string[] };
        expect(json).toMatchObject({ format: 'howmight.inquiry', version: 1 });
        expect(json.finalQuestionIds).toHaveLength(1);
      }
    }
  });

  test('"Leave names out" leaves them out', async () => {
    await room.facilitator.getByLabel('Leave names out').check();
    const md = await downloadFrom(room.facilitator, 'Markdown');
    expect(md.text).toContain(FINAL);
    expect(md.text).not.toMatch(/\b(Ana|Ben|Chloe)\b/);
    await room.facilitator.getByLabel('Leave names out').uncheck();
  });

  test('a participant downloads their copy from the close step: final question and their own commitment', async () => {
    await expect(ana.getByRole('heading', { name: 'Your copy of the brief' })).toBeVisible();
    await expect(ana.getByRole('button', { name: 'Download CSV' })).toHaveCount(0);
    await ana.screenshot({ path: 'test-results/export/close-participant.png', fullPage: true });
    for (const format of ['PDF', 'Markdown'] as const) {
      const file = await downloadFrom(ana, format);
      expect(file.name).toMatch(/-my-brief\.(pdf|md)$/);
      expect(file.text).toContain(FINAL);
      expect(file.text).toContain(COMMITMENT);
      expect(file.text).not.toContain(OTHER);
      expect(file.text).not.toContain('No translation process');
    }
  });

  test('next month starts from the JSON export with the anchor question', async ({ browser }) => {
    const page = await (await browser.newContext()).newPage();
    await page.goto('/');
    await page.getByLabel('Title').fill('Equity CoP, April');
    await page.getByLabel(/Continue from last month's export/).setInputFiles({
      name: 'wrong.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ format: 'howmight.inquiry', version: 7 })),
    });
    await expect(page.getByText(/has export version 7; this server reads version 1/)).toBeVisible();
    await page.getByLabel(/Continue from last month's export/).setInputFiles(jsonExport);
    await expect(page.getByText(/Continues “Equity CoP, March” .*: 1 anchor question, 1 commitment\./)).toBeVisible();
    await page.screenshot({ path: 'test-results/export/home-carry-forward.png' });
    await page.getByRole('button', { name: 'Create session' }).click();
    await page.waitForURL(/\/facilitate$/);
    await page.getByLabel('Jump to step').selectOption('commit');
    await expect(page.locator('[data-step="commit"]').getByText(FINAL)).toBeVisible();
  });
});
