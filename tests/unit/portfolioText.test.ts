import { describe, expect, it } from 'vitest';
import { PORTFOLIO_CSV_COLUMNS, portfolioCsvRows, renderPortfolioCsv } from '../../shared/year/renderPortfolioCsv.ts';
import { renderPortfolioMarkdown } from '../../shared/year/renderPortfolioMarkdown.ts';
import { portfolioFileName } from '../../shared/year/portfolioLabels.ts';
import { memberFixture, portfolioFixture } from './portfolioFixture.ts';

/** A strict RFC 4180 reader, so quoting is checked by parsing back rather than by eye. */
function parseCsv(input: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (quoted) {
      if (ch === '"' && input[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === '"') throw new Error(`a bare quote at ${i}`);
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && input[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else if (ch === '\n' || ch === '\r') throw new Error(`a bare line break at ${i}`);
    else field += ch;
  }
  if (quoted) throw new Error('unterminated quoted field');
  return rows;
}

describe('renderPortfolioMarkdown', () => {
  it('shows the question as it stands, its lineage back to the notes, the meetings and how each commitment ended', () => {
    const md = renderPortfolioMarkdown(portfolioFixture());
    expect(md.startsWith("# Funds for need · the year's portfolio\n")).toBe(true);
    expect(md).toContain('Equity cohort 2026-27 · 1 September 2026 to 30 June 2027\\');
    expect(md).toContain('> **How might we aim PTA funds at students furthest from opportunity?**\n>\n> Version 2, Meeting 2 · 13 October 2026');
    expect(md).toContain('1. How might we aim PTA funds at the students who need them most?\\\n   _Meeting 1 · 8 September 2026 — The final question of meeting 1._');
    expect(md).toContain('   - From the cluster “Budget "lines"” (Structures)');
    // A note's line break stays inside its list item, and its "#" opens no heading.
    expect(md).toContain('     - “Funds follow the loudest parents,\\\n       not the need” — Ana');
    expect(md).toContain('     - “\\# nobody reviews the spending” — A former member');
    expect(md).toContain('- **Meeting 1** · 8 September 2026, 16:00 · 90 minutes · held · 4 members came');
    expect(md).toContain('- **Meeting 3** · 10 November 2026, 16:00 · 90 minutes · planned\n');
    expect(md).toContain('_1 open · 1 done · 1 carried to the next meeting_');
    expect(md).toContain(
      '1. **Ana**: Ask the PTA chair for last year’s spending, line by line\\\n   Expecting to notice: I expect "discretionary" to be most of it\\\n   _Meeting 1 · 8 September 2026 · Check-in with Cleo by 30 September 2026 · Done, marked 13 October 2026_',
    );
    expect(md).toContain('2. **Cleo**: Map who uses the after-school fund\\\n   by grade 😬\\');
    expect(md.trimEnd().endsWith('_What is shared here stays here._')).toBe(true);
  });

  it('makes a member’s copy about them: whether they came, their own commitments', () => {
    const md = renderPortfolioMarkdown(memberFixture());
    expect(md.startsWith('# Ana · my year\n')).toBe(true);
    expect(md).toContain('## My commitments and how they ended');
    expect(md).toContain('· you came');
    expect(md).toContain('· you did not come');
    expect(md).not.toContain('Cleo:');
    expect(md).not.toContain('**Ana**:');
  });

  it('says when there is nothing yet', () => {
    const md = renderPortfolioMarkdown(portfolioFixture({ questions: [], meetings: [], commitments: [] }));
    expect(md).toContain('_No question yet: it is set when the first meeting is finished._');
    expect(md).toContain('_No meetings yet._');
    expect(md).toContain('_No commitments yet._');
  });
});

describe('renderPortfolioCsv', () => {
  it('quotes commas, quotes and line breaks (RFC 4180) so every row parses back whole', () => {
    const csv = renderPortfolioCsv(portfolioFixture());
    expect(csv.startsWith('\uFEFFitem,version,meeting,date,text,detail,status,person,partner,due,reviewed,count\r\n')).toBe(true);
    expect(csv).toContain('"Funds follow the loudest parents,\nnot the need"');
    expect(csv).toContain('"I expect ""discretionary"" to be most of it"');
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual([...PORTFOLIO_CSV_COLUMNS]);
    for (const row of rows) expect(row).toHaveLength(PORTFOLIO_CSV_COLUMNS.length);
    const byItem = (item: string) => rows.filter((r) => r[0] === item).map((r) => Object.fromEntries(PORTFOLIO_CSV_COLUMNS.map((c, i) => [c, r[i]])));
    expect(byItem('community')[0]).toMatchObject({ text: 'Funds for need', detail: 'PTA funds, and who they reach' });
    expect(byItem('question').map((q) => [q.version, q.meeting, q.status])).toEqual([
      ['1', 'Meeting 1', ''],
      ['2', 'Meeting 2', 'current'],
    ]);
    expect(byItem('source note')[0]).toMatchObject({ text: 'Funds follow the loudest parents,\nnot the need', person: 'Ana', detail: 'From the cluster “Budget "lines"” (Structures)' });
    expect(byItem('meeting').map((m) => [m.meeting, m.date, m.status, m.count])).toEqual([
      ['Meeting 1', '2026-09-08 16:00', 'held', '4'],
      ['Meeting 2', '2026-10-13 16:00', 'held', '3'],
      ['Meeting 3', '2026-11-10 16:00', 'planned', '0'],
    ]);
    expect(byItem('commitment').map((c) => [c.person, c.status, c.meeting, c.reviewed])).toEqual([
      ['Ana', 'done', 'Meeting 1', '2026-10-13'],
      ['Cleo', 'carried', 'Meeting 1', '2026-10-13'],
      ['Cleo', 'open', 'Meeting 2', ''],
    ]);
    // A cell a spreadsheet would run as a formula is kept as text.
    expect(byItem('commitment')[1]!.detail).toBe("'=SUM(A1:A9) families, maybe");
  });

  it('has one row per thing', () => {
    // cohort, community, 2 versions, 2 source notes, 3 meetings, 3 commitments
    expect(portfolioCsvRows(portfolioFixture())).toHaveLength(12);
  });
});

describe('portfolioFileName', () => {
  it('names the community and the school year; a member’s copy carries no name', () => {
    expect(portfolioFileName(portfolioFixture(), 'pdf')).toBe('funds-for-need-portfolio-2026-2027.pdf');
    expect(portfolioFileName(memberFixture(), 'md')).toBe('equity-cohort-2026-27-my-year-2026-2027.md');
  });
});
