import { describe, expect, it } from 'vitest';
import { renderPortfolioPdf } from '../../server/year/renderPortfolioPdf.ts';
import { pdfText } from '../pdfText.ts';
import { memberFixture, portfolioFixture } from './portfolioFixture.ts';

const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('renderPortfolioPdf', () => {
  it('makes a real PDF: the question as it stands, then its lineage, the meetings and the commitments', async () => {
    const pdf = await renderPortfolioPdf(portfolioFixture());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { pages, info } = await pdfText(pdf);
    expect(info.Title).toBe("Funds for need · the year's portfolio");
    expect(pages).toHaveLength(4);
    expect(flat(pages[0]!)).toContain('How might we aim PTA funds at students furthest from opportunity?');
    expect(flat(pages[0]!)).toContain('2 of 3 meetings held');
    expect(flat(pages[1]!)).toContain('How the question changed');
    expect(flat(pages[1]!)).toContain('From the cluster “Budget "lines"” (Structures)');
    expect(flat(pages[1]!)).toContain('Funds follow the loudest parents, not the need');
    expect(flat(pages[2]!)).toContain('Meeting 3 · 10 November 2026, 16:00');
    expect(flat(pages[3]!)).toContain('Ask the PTA chair for last year’s spending, line by line');
    expect(flat(pages[3]!)).toContain('DONE, MARKED 13 OCTOBER 2026');
    expect(flat(pages[3]!)).toContain('Page 4 of 4');
  });

  it('makes a member’s copy with their commitments and nobody else’s', async () => {
    const { pages, info } = await pdfText(await renderPortfolioPdf(memberFixture()));
    expect(info.Title).toBe('Ana · my year');
    const all = flat(pages.join(' '));
    expect(all).toContain('My commitments and how they ended');
    expect(all).toContain('you did not come');
    expect(all).not.toContain('after-school fund');
  });
});
