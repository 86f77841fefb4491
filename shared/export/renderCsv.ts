import type { InquiryData } from './jsonSchema.ts';
import { storyText } from './labels.ts';

/** The columns, in order (docs/export-format.md describes each). */
export const CSV_COLUMNS = [
  'step',
  'item',
  'id',
  'text',
  'detail',
  'category',
  'count',
  'votes',
  'status',
  'author',
  'partner',
  'date',
  'links',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
export type CsvRow = Partial<Record<CsvColumn, string | number | null>>;

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or carriage
 * return before one) as a formula. Such cells get a leading apostrophe, which
 * spreadsheets show as text. A cell that already starts with an apostrophe and
 * one of those gets one too, so stripping one apostrophe always gives the
 * original text back.
 */
export function neutraliseFormula(value: string): string {
  return /^'*[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : neutraliseFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Links as space-separated `kind:id` pairs, e.g. "story:abc note:n1 note:n2". */
function links(pairs: Array<[string, string | null | undefined]>): string {
  return pairs
    .filter((p): p is [string, string] => !!p[1])
    .map(([kind, id]) => `${kind}:${id}`)
    .join(' ');
}

/** One row per item of the brief, in the brief's order. */
export function csvRows(data: InquiryData): CsvRow[] {
  const rows: CsvRow[] = [{ step: data.session.step, item: 'session', text: data.session.title, date: data.session.date }];
  for (const a of data.agenda) rows.push({ step: a.step, item: 'agenda', text: a.title, detail: a.block, count: a.minutes });
  for (const run of data.protocols) {
    rows.push({ step: null, item: 'protocol', id: run.protocol, text: run.title, detail: run.focus, author: run.presenter });
    for (const card of run.cards) {
      rows.push({
        step: card.step,
        item: 'card',
        id: card.id,
        text: card.text,
        detail: card.toPresenter ? 'to the presenter' : null,
        category: card.category,
        status: card.tone,
        author: card.author,
        links: `protocol:${run.protocol}`,
      });
    }
  }
  for (const q of data.questions) {
    rows.push({
      step: 'hmw',
      item: 'question',
      id: q.id,
      text: q.text,
      category: q.category,
      votes: q.votes,
      status: data.finalQuestionIds.includes(q.id) ? 'final' : null,
      author: q.author,
      links: links([...(q.clusterId ? [['cluster', q.clusterId] as [string, string]] : []), ...q.noteIds.map((id): [string, string] => ['note', id])]),
    });
  }
  for (const c of data.categories) {
    rows.push({ step: 'sort', item: 'category', id: c.id, text: c.title, count: c.count, status: data.heaviest === c.id ? 'heaviest' : null });
  }
  for (const c of data.clusters) rows.push({ step: 'sort', item: 'cluster', id: c.id, text: c.label, category: c.category, count: c.count });
  for (const n of data.notes) {
    rows.push({
      step: 'causes',
      item: 'note',
      id: n.id,
      text: n.text,
      category: n.category,
      author: n.author,
      links: links([
        ['story', n.storyId],
        ['copy-of', n.copyOf],
        ['cluster', n.clusterId],
      ]),
    });
  }
  for (const s of data.stories) rows.push({ step: 'story', item: 'story', id: s.id, text: storyText(s), author: s.author });
  for (const n of data.needs) {
    rows.push({ step: 'need', item: 'need', id: n.id, text: n.text, author: n.author, links: links([['story', n.storyId]]) });
  }
  for (const a of data.assumptions) {
    rows.push({
      step: 'assumptions',
      item: 'assumption',
      id: a.id,
      text: a.text,
      status: a.status,
      author: a.author,
      links: links([['story', a.storyId]]),
    });
  }
  for (const c of data.commitments) {
    rows.push({
      step: 'commit',
      item: 'commitment',
      id: c.id,
      text: c.action,
      detail: c.notice,
      status: c.carriedOver ? 'carried over' : null,
      author: c.author,
      partner: c.partner,
      date: c.date,
    });
  }
  for (const n of data.norms) rows.push({ step: 'open', item: 'norm', id: n.id, text: n.text });
  for (const h of data.hopes) rows.push({ step: 'open', item: 'hope', id: h.id, text: h.text, author: h.author });
  return rows;
}

/**
 * The brief as CSV (RFC 4180, CRLF line ends). It starts with a UTF-8 byte
 * order mark because that is how spreadsheet programs recognise UTF-8; without
 * it they misread every accent and emoji.
 */
export function renderCsv(data: InquiryData): string {
  const lines = [CSV_COLUMNS.join(','), ...csvRows(data).map((row) => CSV_COLUMNS.map((col) => csvCell(row[col])).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
