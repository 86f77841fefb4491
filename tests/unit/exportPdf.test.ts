import { describe, expect, it, vi } from 'vitest';
import { renderPdf } from '../../server/export/renderPdf.ts';
import { PLACEHOLDER } from '../../server/export/pdfFonts.ts';
import { pdfText } from '../pdfText.ts';
import { FINAL_QUESTIONS, fixtureData, PEOPLE } from './exportFixture.ts';

vi.mock('../../shared/ids.ts', () => import('./fixtureIds.ts'));

const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('renderPdf', () => {
  it('makes a real PDF: a title page with the final questions, then a page per section', async () => {
    const pdf = await renderPdf(fixtureData());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { pages, info } = await pdfText(pdf);
    expect(info.Title).toBe('Equity CoP, "March" — Año nuevo');
    // Title page, its contents on the next (this title page is full), then questions, causes, stories,
    // needs, assumptions, commitments, norms and hopes, and the agenda last.
    expect(pages).toHaveLength(10);
    expect(flat(pages[1]!)).toContain('I N T H I S B R I E F');
    expect(flat(pages.at(-1)!)).toContain('Agenda');
    for (const question of FINAL_QUESTIONS) expect(flat(pages[0]!)).toContain(question);
    expect(flat(pages[0]!)).toContain('Heaviest category: Structures');
    expect(flat(pages[2]!)).toContain('How might we… drafts');
    expect(flat(pages[2]!)).toContain('Как мы можем слышать семьи?');
    expect(flat(pages.join(' '))).toContain('Отстранён дважды за неделю');
    expect(flat(pages.at(-1)!)).toContain('Page 10 of 10');
  });

  it('replaces what its fonts cannot draw (emoji, Japanese) with a placeholder and says so', async () => {
    const { pages } = await pdfText(await renderPdf(fixtureData()));
    const all = flat(pages.join(' '));
    expect(all).toContain(`Avoiding conflict ${PLACEHOLDER} with "difficult" parents`);
    expect(all).toContain(`${PLACEHOLDER.repeat(5)} (school culture) — Ελληνικά too`);
    expect(all).not.toContain('😬');
    // Said with the contents, wherever they fit.
    expect(flat(pages.slice(0, 2).join(' '))).toContain('cannot be shown in this PDF');
  });

  it('survives text made only of characters it cannot draw', async () => {
    const data = fixtureData();
    data.session.title = '🎉🎉 学校 🎉';
    data.questions[0]!.text = '👩🏽‍🏫 \u0007\t数据';
    const { pages } = await pdfText(await renderPdf(data));
    expect(flat(pages[0]!)).toContain(PLACEHOLDER);
  });

  it('makes a participant copy with their commitment and nobody else’s', async () => {
    const { pages } = await pdfText(await renderPdf(fixtureData({ participantId: PEOPLE.ana.id })));
    // Title page, their commitment, the agenda.
    expect(pages).toHaveLength(3);
    const all = flat(pages.join(' '));
    expect(all).toContain(FINAL_QUESTIONS[0]);
    expect(all).toContain('Call three families with an interpreter');
    expect(all).not.toContain('Review discipline data');
    expect(all).not.toContain('They missed both conferences');
  });
});
