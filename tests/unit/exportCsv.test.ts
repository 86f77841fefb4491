import { describe, expect, it, vi } from 'vitest';
import { CSV_COLUMNS, csvCell, csvRows, neutraliseFormula, renderCsv } from '../../shared/export/renderCsv.ts';
import { fixtureData, PEOPLE } from './exportFixture.ts';
import { expectGolden } from './golden.ts';

vi.mock('../../shared/ids.ts', () => import('./fixtureIds.ts'));

/** A strict RFC 4180 reader: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(input: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const endField = () => {
    row.push(field);
    field = '';
  };
  while (i < input.length) {
    const ch = input[i]!;
    if (field === '' && ch === '"') {
      // A quoted field runs to the next quote that is not doubled.
      i++;
      for (;;) {
        if (i >= input.length) throw new Error('unterminated quoted field');
        if (input[i] === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += input[i++];
      }
      if (i < input.length && input[i] !== ',' && !input.startsWith('\r\n', i)) throw new Error(`text after a closing quote at ${i}`);
      continue;
    }
    if (ch === ',') {
      endField();
      i++;
    } else if (input.startsWith('\r\n', i)) {
      endField();
      rows.push(row);
      row = [];
      i += 2;
    } else if (ch === '"' || ch === '\r' || ch === '\n') {
      throw new Error(`bare ${JSON.stringify(ch)} in an unquoted field at ${i}`);
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== '' || row.length > 0) throw new Error('the last record has no CRLF');
  return rows;
}

/** Undoes the formula guard: one leading apostrophe before a trigger character. */
function unguard(cell: string): string {
  return /^'+[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

describe('renderCsv', () => {
  it('renders the fixed board as the golden CSV', () => {
    expectGolden('brief.csv', renderCsv(fixtureData()));
  });

  it('starts with a UTF-8 byte order mark and the header, and ends every record with CRLF', () => {
    const csv = renderCsv(fixtureData());
    expect(csv.startsWith(`\uFEFF${CSV_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('parses back (RFC 4180) into the same items, one row each', () => {
    const data = fixtureData();
    const [header, ...records] = parseCsv(renderCsv(data).slice(1));
    expect(header).toEqual([...CSV_COLUMNS]);
    const expected = csvRows(data).map((row) =>
      CSV_COLUMNS.map((col) => (row[col] === null || row[col] === undefined ? '' : String(row[col]))),
    );
    expect(records.map((r) => r.map(unguard))).toEqual(expected);
    // Every item is there once: questions, categories, notes, stories, needs, assumptions, commitments, norms, hopes.
    const items = data.questions.length + 4 + data.notes.length + data.stories.length + data.needs.length;
    const rest = data.assumptions.length + data.commitments.length + data.norms.length + data.hopes.length;
    // And the agenda's steps, each protocol run and its cards.
    const meeting = data.agenda.length + data.protocols.reduce((n, run) => n + 1 + run.cards.length, 0);
    expect(records).toHaveLength(1 + items + rest + meeting);
    const ids = records.map((r) => r[2]).filter(Boolean);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps commas, quotes, line breaks, emoji and non-Latin text intact', () => {
    const records = parseCsv(renderCsv(fixtureData()).slice(1)).map((r) => r.map(unguard));
    const texts = records.map((r) => r[3]);
    expect(texts).toContain('Avoiding conflict 😬 with "difficult" parents\nespecially in spring');
    expect(texts).toContain('学校の文化 (school culture) — Ελληνικά too');
    expect(texts).toContain('Как мы можем слышать семьи?');
    expect(texts).toContain('Equity CoP, "March" — Año nuevo');
    expect(records.map((r) => r[9])).toContain(PEOPLE.ben.name);
  });

  it('neutralises every cell a spreadsheet would run as a formula', () => {
    const records = parseCsv(renderCsv(fixtureData()).slice(1));
    for (const record of records) {
      for (const cell of record) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    const texts = records.map((r) => r[3]);
    expect(texts).toContain('\'=HYPERLINK("http://x.example","click")');
    expect(texts).toContain('\'+ How might we build courage for "hard" conversations? 💬');
    expect(texts).toContain('\'-2 hours of planning time, "at least", every week');
    expect(texts).toContain("'@mention the counsellor in the newsletter");
  });

  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ["'=1", "''=1"],
    ["'quoted", "'quoted"],
    ['plain = text', 'plain = text'],
    ['', ''],
  ])('neutraliseFormula(%j) is %j', (input, output) => {
    expect(neutraliseFormula(input)).toBe(output);
    expect(unguard(neutraliseFormula(input))).toBe(input);
  });

  it('quotes only what needs quoting', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('\r=1')).toBe('"\'\r=1"');
    expect(csvCell(4)).toBe('4');
    expect(csvCell(null)).toBe('');
  });
});
