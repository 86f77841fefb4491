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

  it('puts the practice log last: a community’s shared entries with their authors and no notes', () => {
    const md = renderPortfolioMarkdown(portfolioFixture());
    const log = md.slice(md.indexOf('## Practice log\n'));
    expect(md.indexOf('## Practice log\n')).toBeGreaterThan(md.indexOf('## Commitments and how they ended'));
    expect(log).toContain('_2 entries shared_');
    expect(log).toContain(
      [
        '1. **29 September 2026 · Ana · Shared with the community**\\',
        '   Following up: Ask the PTA chair for last year’s spending, line by line\\',
        '   Expecting to notice: I expect "discretionary" to be most of it\\',
        '   What I tried: Asked the chair for the spending, line by line\\',
        // A field's line break stays in the item, and its "#" opens no heading, its "*" no emphasis.
        '   What happened: She sent it the next day:\\',
        '   \\# 62% discretionary\\',
        '   Against my prediction: More than I predicted\\',
        '   So what: Nobody decides where \\*most\\* of it goes\\',
        '   Now what: Bring the lines to the next meeting\\',
        '   **Decision: Adopt: keep doing it as it is**',
        '2. **20 October 2026 · Cleo · Shared with the whole cohort**\\',
        '   What happened: \\=HYPERLINK("http://x.example") went round the staff room\\',
        '   So what: Families read the fund as "for the sports teams"',
        '',
      ].join('\n'),
    );
    expect(log).not.toContain('Note from');
  });

  it('gives a member every entry of theirs, whoever it was shared with, with every note on it', () => {
    const md = renderPortfolioMarkdown(memberFixture());
    const log = md.slice(md.indexOf('## Practice log\n'));
    expect(log).toContain('_Every entry of yours, whoever you shared it with, and the notes on them._');
    expect(log).toContain('_3 entries · 3 notes_');
    // Their own entries carry no author: the whole portfolio is theirs.
    expect(log).toContain('1. **29 September 2026 · Shared with the community**\\');
    expect(log).toContain('   **Decision: Adopt: keep doing it as it is**\n   - Note from Ben, 30 September 2026: Could we see the lines too?\\\n     At the next meeting\n');
    expect(log).toContain('2. **2 October 2026 · Kept private**\\\n   What I tried: Talked to the two families nobody hears from');
    expect(log).toContain('3. **5 October 2026 · Shared with a peer partner**\\');
    expect(log).toContain('   - Note from Ben, 6 October 2026: Shorter, and in Spanish\n   - Note from Ana, 6 October 2026: Will do\n');
  });

  it('says when there is nothing yet', () => {
    const md = renderPortfolioMarkdown(portfolioFixture({ questions: [], meetings: [], commitments: [], log: [] }));
    expect(md).toContain('_No question yet: it is set when the first meeting is finished._');
    expect(md).toContain('_No meetings yet._');
    expect(md).toContain('_No commitments yet._');
    expect(md).toContain('_No entries shared with the community yet._');
    expect(renderPortfolioMarkdown({ ...memberFixture(), log: [] })).toContain('## Practice log\n\n_Every entry of yours, whoever you shared it with, and the notes on them._\n\n_No entries yet._\n');
  });
});

describe('renderPortfolioCsv', () => {
  it('quotes commas, quotes and line breaks (RFC 4180) so every row parses back whole', () => {
    const csv = renderPortfolioCsv(portfolioFixture());
    expect(csv.startsWith('\uFEFFitem,version,meeting,date,text,detail,status,person,partner,due,reviewed,count,mean,spread,strongly_agree,members,floor\r\n')).toBe(true);
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
    // The log: an entry's row, then a row per field filled in, tied by the entry's number.
    expect(byItem('log entry').map((e) => [e.version, e.date, e.text, e.status, e.person])).toEqual([
      ['1', '2026-09-29', 'Ask the PTA chair for last year’s spending, line by line', 'community', 'Ana'],
      ['2', '2026-10-20', '', 'cohort', 'Cleo'],
    ]);
    expect(byItem('log field').map((f) => [f.version, f.status, f.detail])).toEqual([
      ['1', 'tried', 'What I tried'],
      ['1', 'what', 'What happened'],
      ['1', 'actual', 'Against my prediction'],
      ['1', 'soWhat', 'So what'],
      ['1', 'nowWhat', 'Now what'],
      ['1', 'decision', 'Decision'],
      ['2', 'what', 'What happened'],
      ['2', 'soWhat', 'So what'],
    ]);
    expect(byItem('log field')[1]!.text).toBe('She sent it the next day:\n# 62% discretionary');
    expect(byItem('log field')[5]!.text).toBe('adopt');
    expect(byItem('log field')[6]!.text).toBe('\'=HYPERLINK("http://x.example") went round the staff room');
    expect(byItem('log note')).toEqual([]);
  });

  it('gives a member’s log its notes as rows of their own', () => {
    const rows = parseCsv(renderPortfolioCsv(memberFixture()).slice(1));
    const notes = rows.filter((r) => r[0] === 'log note').map((r) => Object.fromEntries(PORTFOLIO_CSV_COLUMNS.map((c, i) => [c, r[i]])));
    expect(notes.map((n) => [n.version, n.date, n.text, n.person])).toEqual([
      ['1', '2026-09-30', 'Could we see the lines too?\nAt the next meeting', 'Ben'],
      ['3', '2026-10-06', 'Shorter, and in Spanish', 'Ben'],
      ['3', '2026-10-06', 'Will do', 'Ana'],
    ]);
    expect(rows.filter((r) => r[0] === 'log entry').map((r) => r[6])).toEqual(['community', 'private', 'peer']);
  });

  it('has one row per thing', () => {
    // cohort, community, 2 versions, 2 source notes, 3 meetings, 3 commitments, 2 log entries with 6 and 2 fields,
    // 2 pulse windows with 4 and 5 facets and 1 note
    expect(portfolioCsvRows(portfolioFixture())).toHaveLength(22 + 2 + 4 + 5 + 1);
  });
});

describe('portfolioFileName', () => {
  it('names the community and the school year; a member’s copy carries no name', () => {
    expect(portfolioFileName(portfolioFixture(), 'pdf')).toBe('funds-for-need-portfolio-2026-2027.pdf');
    expect(portfolioFileName(memberFixture(), 'md')).toBe('equity-cohort-2026-27-my-year-2026-2027.md');
  });
});
