import { describe, expect, it } from 'vitest';
import { renderPortfolioPdf } from '../../server/year/renderPortfolioPdf.ts';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { pdfText } from '../pdfText.ts';
import { memberFixture, portfolioFixture } from './portfolioFixture.ts';

const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('renderPortfolioPdf', () => {
  it('makes a real PDF: the question as it stands, then its lineage, the meetings, the commitments and the log', async () => {
    const pdf = await renderPortfolioPdf(portfolioFixture());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { pages, info } = await pdfText(pdf);
    expect(info.Title).toBe("Funds for need · the year's portfolio");
    expect(pages).toHaveLength(6);
    expect(flat(pages[0]!)).toContain('How might we aim PTA funds at students furthest from opportunity?');
    expect(flat(pages[0]!)).toContain('2 of 3 meetings held');
    expect(flat(pages[0]!)).toContain('Practice log: 2 entries shared');
    expect(flat(pages[1]!)).toContain('How the question changed');
    expect(flat(pages[1]!)).toContain('From the cluster “Budget "lines"” (Structures)');
    expect(flat(pages[1]!)).toContain('Funds follow the loudest parents, not the need');
    expect(flat(pages[2]!)).toContain('Meeting 3 · 10 November 2026, 16:00');
    expect(flat(pages[3]!)).toContain('Ask the PTA chair for last year’s spending, line by line');
    expect(flat(pages[3]!)).toContain('DONE, MARKED 13 OCTOBER 2026');
    expect(flat(pages[3]!)).toContain('Page 4 of 6');
    const log = flat(pages[4]!);
    expect(log).toContain('Practice log');
    expect(log).toContain('Entries kept private or shared with one peer partner are not here');
    expect(log).toContain('29 September 2026 · Ana · Shared with the community');
    expect(log).toContain('Following up: Ask the PTA chair for last year’s spending, line by line');
    expect(log).toContain('She sent it the next day: # 62% discretionary');
    expect(log).toContain('Decision: Adopt: keep doing it as it is');
    expect(log).toContain('20 October 2026 · Cleo · Shared with the whole cohort');
    expect(log).toContain('=HYPERLINK("http://x.example") went round the staff room');
    expect(log).not.toContain('NOTES');
  });

  it('makes a member’s copy with their commitments and nobody else’s', async () => {
    const { pages, info } = await pdfText(await renderPortfolioPdf(memberFixture()));
    expect(info.Title).toBe('Ana · my year');
    const all = flat(pages.join(' '));
    expect(all).toContain('My commitments and how they ended');
    expect(all).toContain('you did not come');
    expect(all).not.toContain('after-school fund');
    expect(all).toContain('Practice log: 3 entries · 3 notes');
    expect(all).toContain('2 October 2026 · Kept private');
    expect(all).toContain('They did not know the fund existed');
    expect(all).toContain('Shorter, and in Spanish');
    expect(all).toContain('Ben, 6 October 2026');
  });

  it('lets a long entry run over pages, every word of it kept', async () => {
    const long = memberFixture();
    const words = (tag: string) => Array.from({ length: 330 }, (_, i) => `${tag}${i}`).join(' ');
    long.log = Array.from({ length: 3 }, (_, i) => ({ ...long.log[0]!, tried: words(`t${i}x`).slice(0, 2000), what: words(`w${i}x`).slice(0, 2000), soWhat: words(`s${i}x`).slice(0, 2000) }));
    const { pages } = await pdfText(await renderPortfolioPdf(long));
    const all = flat(pages.join(' '));
    expect(pages.length).toBeGreaterThan(6);
    for (const tag of ['t0x', 'w1x', 's2x']) expect(all).toContain(`${tag}0 ${tag}1 ${tag}2`);
    expect(all).toContain(long.log[2]!.soWhat.split(' ').slice(-3).join(' '));
  });

  it('goes on in the text’s own type after a page break inside it, not the running head’s', async () => {
    const long = memberFixture();
    const words = Array.from({ length: 330 }, (_, i) => `w${i}`).join(' ').slice(0, 2000);
    long.log = Array.from({ length: 3 }, () => ({ ...long.log[0]!, what: words, soWhat: words, tried: words }));
    const doc = await getDocument({ data: new Uint8Array(await renderPortfolioPdf(long)), isEvalSupported: false, disableFontFace: true }).promise;
    try {
      // Each line of a field's text, wherever a page broke it, is in one font at one size.
      const looks = new Set<string>();
      for (let n = 5; n <= doc.numPages; n++) {
        for (const item of (await (await doc.getPage(n)).getTextContent()).items) {
          if ('str' in item && /^w\d+ w\d+/.test(item.str)) looks.add(`${item.fontName} ${Math.round(item.transform[0]!)}`);
        }
      }
      expect(looks.size).toBe(1);
    } finally {
      await doc.destroy();
    }
  });
});
