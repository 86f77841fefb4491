import { describe, expect, it } from 'vitest';
import { parsePortfolio } from '../../shared/year/portfolio.ts';
import { PORTFOLIO_CSV_COLUMNS, renderPortfolioCsv } from '../../shared/year/renderPortfolioCsv.ts';
import { renderPortfolioJson } from '../../shared/year/renderPortfolioJson.ts';
import { renderPortfolioMarkdown } from '../../shared/year/renderPortfolioMarkdown.ts';
import { renderPortfolioPdf } from '../../server/year/renderPortfolioPdf.ts';
import { pdfText } from '../pdfText.ts';
import { memberFixture, portfolioFixture, pulseWindows } from './portfolioFixture.ts';

const flat = (text: string) => text.replace(/\s+/g, ' ');

/** CSV rows as objects by column; the cells have no line breaks but the notes', which are quoted. */
function csvObjects(csv: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const input = csv.slice(1);
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (quoted) {
      if (ch === '"' && input[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && input[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += ch;
  }
  return rows.slice(1).map((r) => Object.fromEntries(PORTFOLIO_CSV_COLUMNS.map((c, i) => [c, r[i] ?? ''])));
}

describe('the trust pulse in the portfolios', () => {
  it('JSON: every closed window as stored, with whose figures they are', () => {
    const json = JSON.parse(renderPortfolioJson(portfolioFixture()));
    expect(json.version).toBe(3);
    expect(json.pulse).toEqual(pulseWindows);
    expect(json.pulse.map((w: { group: string }) => w.group)).toEqual(['community', 'cohort']);
    // Not shown stays null, a facet not asked stays absent.
    expect(json.pulse[1].facets.benevolence).toBeNull();
    expect('openness' in json.pulse[0].facets).toBe(false);
    expect(parsePortfolio(json)).toEqual({ ok: true, data: portfolioFixture() });
  });

  it('Markdown: a section with a table per window, saying whose figures and what is not shown', () => {
    const md = renderPortfolioMarkdown(portfolioFixture());
    const section = md.slice(md.indexOf('## Trust pulse\n'));
    expect(md.indexOf('## Trust pulse\n')).toBeGreaterThan(md.indexOf('## Practice log\n'));
    expect(section).toContain('_The trust pulse’s closed windows, oldest first: the community’s own figures where enough of its members answered, else the whole cohort’s.');
    expect(section).toContain('_Adapted from the Omnibus T-Scale; not a validated instrument._');
    expect(section).toContain(
      [
        '### After meeting 1',
        '',
        'Closed 20 September 2026 · 15 of 16 members of the cohort answered · floor 5 · weakest in the cohort: Predictability\\',
        '**The figures of Funds for need alone**',
        '',
        '| Facet | Mean (1-6) | Answers | Spread | Strongly agree |',
        '| --- | --- | --- | --- | --- |',
        '| Benevolence | 5.5 | 6 | ±0.6 | 50% |',
        '| Integrity | 5.3 | 6 | ±0.4 | 42% |',
        '| Predictability | 4.1 | 6 | ±1.0 | 17% |',
        '| Competence | 4.9 | 6 | ±0.7 | 33% |',
        '',
        // The notes' line break and "=" stay text on one line.
        'What the facilitators changed because of it: We kept the same agenda shape every month =and said so',
      ].join('\n'),
    );
    // A label's "|" cannot open a table cell; the cohort's figures say they are the cohort's, and why.
    expect(section).toContain('### Mid-year \\| "check"\n\nClosed 31 January 2027 · 9 of 16 members of the cohort answered · floor 6\\\n**The whole cohort’s figures: none are shown for Funds for need alone**');
    expect(section).toContain('| Benevolence | not shown (fewer than the floor) | | | |\n| Integrity | 3.8 | 7 | ±1.2 | 7% |');
    expect(section).toContain('| Openness | not shown (fewer than the floor) | | | |');
    expect(section.indexOf('Mid-year')).toBeGreaterThan(section.indexOf('After meeting 1'));
  });

  it('Markdown: a count under the floor is never written, and no window says so', () => {
    const under = renderPortfolioMarkdown(portfolioFixture({ pulse: [{ ...pulseWindows[1]!, respondents: null }] }));
    expect(under).toContain('Closed 31 January 2027 · fewer than 6 of 16 members of the cohort answered · floor 6');
    const none = renderPortfolioMarkdown(portfolioFixture({ pulse: [] }));
    expect(none).toContain('## Trust pulse\n\n_The trust pulse’s');
    expect(none).toContain('_No pulse window closed yet._');
    const mine = renderPortfolioMarkdown(memberFixture());
    expect(mine).toContain('your community’s own figures where enough of its members answered');
  });

  it('CSV: a window row, a figure row per facet asked and a note row, formulas kept as text', () => {
    const rows = csvObjects(renderPortfolioCsv(portfolioFixture()));
    const pulse = rows.filter((r) => r.item!.startsWith('pulse'));
    expect(pulse.map((r) => [r.item, r.version, r.status])).toEqual([
      ['pulse window', '1', 'community'],
      ['pulse figure', '1', 'benevolence'],
      ['pulse figure', '1', 'integrity'],
      ['pulse figure', '1', 'predictability'],
      ['pulse figure', '1', 'competence'],
      ['pulse note', '1', ''],
      ['pulse window', '2', 'cohort'],
      ['pulse figure', '2', 'benevolence'],
      ['pulse figure', '2', 'integrity'],
      ['pulse figure', '2', 'predictability'],
      ['pulse figure', '2', 'competence'],
      ['pulse figure', '2', 'openness'],
    ]);
    expect(pulse[0]).toMatchObject({ date: '2026-09-20', text: 'After meeting 1', count: '15', members: '16', floor: '5', detail: 'Adapted from the Omnibus T-Scale; not a validated instrument.' });
    expect(pulse[1]).toMatchObject({ text: 'Benevolence', count: '6', mean: '5.50', spread: '0.55', strongly_agree: '0.50', detail: '' });
    expect(pulse[3]).toMatchObject({ text: 'Predictability', detail: 'weakest in the cohort', mean: '4.08' });
    // The notes begin a line with "=": still text, and the guard keeps it so.
    expect(pulse[5]!.text).toBe('We kept the same agenda shape every month\n=and said so');
    expect(pulse[6]).toMatchObject({ text: 'Mid-year | "check"', count: '9', floor: '6' });
    expect(pulse[7]).toMatchObject({ detail: 'not shown (fewer than the floor)', mean: '', spread: '', strongly_agree: '', count: '' });
    // Every row has every column.
    for (const r of rows) expect(Object.keys(r)).toHaveLength(PORTFOLIO_CSV_COLUMNS.length);
    // A count under the floor is a blank cell.
    const under = csvObjects(renderPortfolioCsv(portfolioFixture({ pulse: [{ ...pulseWindows[1]!, respondents: null }] })));
    expect(under.find((r) => r.item === 'pulse window')!.count).toBe('');
  });

  it('CSV: a label that would run as a formula is kept as text', () => {
    const rows = csvObjects(renderPortfolioCsv(portfolioFixture({ pulse: [{ ...pulseWindows[0]!, label: '=HYPERLINK("x")', notes: '+1 more' }] })));
    expect(rows.find((r) => r.item === 'pulse window')!.text).toBe('\'=HYPERLINK("x")');
    expect(rows.find((r) => r.item === 'pulse note')!.text).toBe("'+1 more");
  });

  it('PDF: a last section with each window, whose figures they are, and what is not shown', async () => {
    const { pages } = await pdfText(await renderPortfolioPdf(portfolioFixture()));
    expect(flat(pages[0]!)).toContain('Trust pulse: 2 windows closed');
    const last = flat(pages.at(-1)!);
    expect(last).toContain('Trust pulse');
    expect(last).toContain('After meeting 1');
    expect(last).toContain('Closed 20 September 2026 · 15 of 16 members of the cohort answered · floor 5 · weakest in the cohort: Predictability');
    expect(last).toContain('The figures of Funds for need alone');
    expect(last).toContain('Benevolence 5.5 · 6 answers · ±0.6 · 50% strongly agree');
    expect(last).toContain('What the facilitators changed because of it: We kept the same agenda shape every month =and said so');
    expect(last).toContain('Mid-year | "check"');
    expect(last).toContain('The whole cohort’s figures: none are shown for Funds for need alone');
    expect(last).toContain('Benevolence not shown (fewer than the floor)');
    expect(last).toContain('Integrity 3.8 · 7 answers · ±1.2 · 7% strongly agree');
    const empty = await pdfText(await renderPortfolioPdf(portfolioFixture({ pulse: [] })));
    expect(flat(empty.pages.at(-1)!)).toContain('No pulse window closed yet.');
  });
});
