import { csvCell } from '../export/renderCsv.ts';
import { currentQuestion, type PortfolioData } from './portfolio.ts';
import { logEntryFields, meetingName, PULSE_NOT_SHOWN, pulseRows, sourceLabel } from './portfolioLabels.ts';

/** The columns, in order (docs/export-format.md, "Portfolio CSV", describes each). */
export const PORTFOLIO_CSV_COLUMNS = [
  'item',
  'version',
  'meeting',
  'date',
  'text',
  'detail',
  'status',
  'person',
  'partner',
  'due',
  'reviewed',
  'count',
  // The trust pulse's figures and counts (rows `pulse window` and `pulse figure`).
  'mean',
  'spread',
  'strongly_agree',
  'members',
  'floor',
] as const;
export type PortfolioCsvColumn = (typeof PORTFOLIO_CSV_COLUMNS)[number];
export type PortfolioCsvRow = Partial<Record<PortfolioCsvColumn, string | number | null>>;

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : null);

/** One row per thing in the portfolio, in the portfolio's order. */
export function portfolioCsvRows(data: PortfolioData): PortfolioCsvRow[] {
  const rows: PortfolioCsvRow[] = [
    { item: 'cohort', text: data.cohort.name, date: `${data.cohort.startsOn}/${data.cohort.endsOn}`, status: data.scope },
  ];
  if (data.community) rows.push({ item: 'community', text: data.community.name, detail: data.community.challenge });
  if (data.member) rows.push({ item: 'member', person: data.member.name, detail: data.member.challenge });
  const now = currentQuestion(data);
  for (const q of data.questions) {
    rows.push({
      item: 'question',
      version: q.version,
      meeting: q.meeting ? meetingName(q.meeting) : null,
      date: q.meeting ? q.meeting.startsAt.slice(0, 10) : day(q.createdAt),
      text: q.text,
      detail: q.reason,
      status: q === now ? 'current' : null,
    });
    const from = sourceLabel(q);
    for (const note of q.source?.notes ?? []) {
      rows.push({ item: 'source note', version: q.version, text: note.text, detail: from, person: note.author });
    }
  }
  for (const m of data.meetings) {
    rows.push({
      item: 'meeting',
      meeting: meetingName(m),
      date: m.startsAt.replace('T', ' '),
      text: m.title,
      detail: m.attended === null ? null : m.attended ? 'attended' : 'absent',
      status: m.finishedAt ? 'held' : 'planned',
      count: m.attendance,
    });
  }
  for (const c of data.commitments) {
    rows.push({
      item: 'commitment',
      meeting: c.madeIn ? meetingName(c.madeIn) : null,
      date: c.madeIn ? c.madeIn.startsAt.slice(0, 10) : day(c.createdAt),
      text: c.action,
      detail: c.notice,
      status: c.status,
      person: c.owner,
      partner: c.partner,
      due: c.due,
      reviewed: day(c.reviewedAt),
    });
  }
  // An entry is a `log entry` row, a `log field` row per field filled in and a `log note` row per note, tied together by the entry's number in `version`.
  data.log.forEach((e, i) => {
    const n = i + 1;
    rows.push({
      item: 'log entry',
      version: n,
      date: day(e.createdAt),
      text: e.commitment?.action ?? null,
      detail: e.commitment?.notice ?? null,
      status: e.visibility,
      person: e.author,
    });
    for (const f of logEntryFields(e)) rows.push({ item: 'log field', version: n, text: f.text, detail: f.label, status: f.field });
    if (e.decision) rows.push({ item: 'log field', version: n, text: e.decision, detail: 'Decision', status: 'decision' });
    for (const note of e.notes) rows.push({ item: 'log note', version: n, date: day(note.createdAt), text: note.text, person: note.author });
  });
  // A window is a `pulse window` row, a `pulse figure` row per facet it asked and a `pulse note` row for the facilitators' notes, tied by the window's number in `version`.
  data.pulse.forEach((w, i) => {
    const n = i + 1;
    rows.push({
      item: 'pulse window',
      version: n,
      date: day(w.closedAt),
      text: w.label,
      detail: w.instrument.label,
      status: w.group,
      // Blank when fewer than the floor answered: that count is never shown.
      count: w.respondents,
      members: w.members,
      floor: w.floor,
    });
    for (const { facet, title, figure } of pulseRows(w)) {
      rows.push({
        item: 'pulse figure',
        version: n,
        text: title,
        detail: figure ? (w.weakest === facet ? 'weakest in the cohort' : null) : PULSE_NOT_SHOWN,
        status: facet,
        count: figure?.n ?? null,
        mean: figure ? figure.mean.toFixed(2) : null,
        spread: figure ? figure.sd.toFixed(2) : null,
        strongly_agree: figure ? figure.strongly.toFixed(2) : null,
      });
    }
    if (w.notes.trim()) rows.push({ item: 'pulse note', version: n, text: w.notes });
  });
  return rows;
}

/** The portfolio as CSV: RFC 4180, CRLF, a UTF-8 byte order mark, formula cells neutralised (as renderCsv). */
export function renderPortfolioCsv(data: PortfolioData): string {
  const lines = [
    PORTFOLIO_CSV_COLUMNS.join(','),
    ...portfolioCsvRows(data).map((row) => PORTFOLIO_CSV_COLUMNS.map((col) => csvCell(row[col])).join(',')),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
