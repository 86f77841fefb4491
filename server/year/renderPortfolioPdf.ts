import { CONFIDENTIAL } from '../../shared/export/labels.ts';
import { currentQuestion, type PortfolioCommitment, type PortfolioData, type PortfolioLogEntry } from '../../shared/year/portfolio.ts';
import {
  attendanceLabel,
  checkIn,
  cohortLine,
  decisionLabel,
  followsLabel,
  logEntryFacts,
  logEntryFields,
  logIntro,
  logNoteBy,
  logTally,
  madeInLabel,
  meetingName,
  meetingWhen,
  outcomeLabel,
  outcomeTally,
  PORTFOLIO_SECTIONS,
  portfolioNote,
  portfolioTitle,
  pulseFacts,
  pulseFigureLabel,
  pulseGroupLabel,
  pulseIntro,
  pulseRows,
  pulseTally,
  questionWhere,
  sourceLabel,
} from '../../shared/year/portfolioLabels.ts';
import { COLORS, PdfCanvas } from '../export/PdfCanvas.ts';
import { loadPdfFonts, PLACEHOLDER } from '../export/pdfFonts.ts';

const STATUS_COLORS: Readonly<Record<PortfolioCommitment['status'], string>> = {
  open: COLORS.accent,
  done: COLORS.ok,
  carried: COLORS.warn,
  dropped: COLORS.faint,
  unreviewed: COLORS.faint,
};

const VISIBILITY_COLORS: Readonly<Record<PortfolioLogEntry['visibility'], string>> = {
  private: COLORS.faint,
  peer: COLORS.warn,
  community: COLORS.accent,
  cohort: COLORS.ok,
};

/**
 * The portfolio as a PDF, with the meeting brief's page furniture
 * (export/PdfCanvas.ts) and fonts: a title page with the question as it
 * stands and the year at a glance, then the question's lineage, the meetings,
 * the commitments, the practice log and the trust pulse. Runs in the PDF worker (export/pdfWorker.mjs).
 */
export async function renderPortfolioPdf(data: PortfolioData): Promise<Buffer> {
  const title = portfolioTitle(data);
  const c = new PdfCanvas(loadPdfFonts(), { title, subject: data.scope === 'member' ? 'My year' : 'Community portfolio' });
  titlePage(c, data, title);
  const head = `${title} · ${data.cohort.name}`;
  c.page(head);
  c.doc.outline.addItem(PORTFOLIO_SECTIONS.lineage);
  lineage(c, data);
  c.page(head);
  c.doc.outline.addItem(PORTFOLIO_SECTIONS.meetings);
  meetings(c, data);
  c.page(head);
  const commitmentsTitle = data.scope === 'member' ? PORTFOLIO_SECTIONS.mine : PORTFOLIO_SECTIONS.commitments;
  c.doc.outline.addItem(commitmentsTitle);
  commitments(c, data, commitmentsTitle);
  c.page(head);
  c.doc.outline.addItem(PORTFOLIO_SECTIONS.log);
  log(c, data);
  c.page(head);
  c.doc.outline.addItem(PORTFOLIO_SECTIONS.pulse);
  pulse(c, data);
  c.footers(`Howmight · ${title} · ${CONFIDENTIAL}`);
  return c.finish();
}

function titlePage(c: PdfCanvas, data: PortfolioData, title: string): void {
  c.titlePage();
  const titleH = c.measure(title, c.width, { face: 'bold', size: 28 });
  const bandH = Math.max(170, 118 + titleH);
  c.doc.rect(0, 0, c.pageWidth, bandH).fill(COLORS.accent);
  const kind = data.scope === 'member' ? 'HOWMIGHT · MY YEAR' : 'HOWMIGHT · COMMUNITY PORTFOLIO';
  c.text(kind, c.left, 52, c.width, { face: 'bold', size: 9, color: '#c9d8e8', spacing: 1.6 });
  const y = c.text(title, c.left, 76, c.width, { face: 'bold', size: 28, color: COLORS.white });
  c.text(cohortLine(data), c.left, y + 10, c.width, { size: 12, color: '#e3ebf4' });

  c.doc.y = bandH + 30;
  if (data.community) {
    const line = data.community.challenge ? `${data.community.name} · Challenge: ${data.community.challenge}` : data.community.name;
    c.doc.y = c.text(line, c.left, c.doc.y, c.width, { face: 'bold', size: 11 }) + 14;
  }
  if (data.member?.challenge) c.doc.y = c.text(`My challenge: ${data.member.challenge}`, c.left, c.doc.y, c.width, { size: 11 }) + 14;

  c.doc.y = c.label(PORTFOLIO_SECTIONS.question, c.doc.y) + 10;
  const now = currentQuestion(data);
  if (!now) {
    c.doc.y = c.text('No question yet: it is set when the first meeting is finished.', c.left, c.doc.y, c.width, { face: 'oblique', size: 12, color: COLORS.soft }) + 14;
  } else {
    const facts = `Version ${now.version} · ${questionWhere(now)}`;
    const h = 18 + c.measure(now.text, c.width - 40, { face: 'bold', size: 15 }) + 6 + c.measure(facts, c.width - 40, { size: 9.5 }) + 18;
    c.ensure(h + 12);
    const top = c.doc.y;
    c.doc.roundedRect(c.left, top, c.width, h, 10).fill(COLORS.accentLight);
    c.doc.rect(c.left, top + 10, 4, h - 20).fill(COLORS.accent);
    const below = c.text(now.text, c.left + 22, top + 18, c.width - 40, { face: 'bold', size: 15 });
    c.text(facts, c.left + 22, below + 6, c.width - 40, { size: 9.5, color: COLORS.soft });
    c.doc.y = top + h + 18;
  }

  c.doc.y = c.label('The year at a glance', c.doc.y) + 8;
  const held = data.meetings.filter((m) => m.finishedAt !== null).length;
  const glance = [
    `${held} of ${data.meetings.length} ${data.meetings.length === 1 ? 'meeting' : 'meetings'} held`,
    `${data.questions.length} ${data.questions.length === 1 ? 'version' : 'versions'} of the question`,
    `Commitments: ${outcomeTally(data.commitments)}`,
    `${PORTFOLIO_SECTIONS.log}: ${logTally(data)}`,
    `${PORTFOLIO_SECTIONS.pulse}: ${pulseTally(data)}`,
  ];
  if (data.scope === 'member') glance.splice(1, 0, `${data.meetings.filter((m) => m.attended).length} attended`);
  for (const line of glance) c.doc.y = c.text(line, c.left, c.doc.y, c.width, { size: 11 }) + 4;

  const foot = [portfolioNote(data), CONFIDENTIAL];
  if (c.replacedAny) foot.push(`Some characters (such as emoji) cannot be shown in this PDF and appear as ${PLACEHOLDER}. The Markdown, CSV and JSON exports keep them.`);
  const text = foot.join('\n');
  const bottom = c.doc.page.margins.bottom;
  c.doc.page.margins.bottom = 0;
  const h = c.measure(text, c.width, { size: 8.5 });
  c.text(text, c.left, Math.max(c.doc.y + 24, c.pageHeight - 58 - h), c.width, { size: 8.5, color: COLORS.soft });
  c.doc.page.margins.bottom = bottom;
}

function lineage(c: PdfCanvas, data: PortfolioData): void {
  c.sectionTitle(PORTFOLIO_SECTIONS.lineage, 'Every version, oldest first, with the reason for each change and the notes the first came from.');
  if (data.questions.length === 0) c.text('No question yet.', c.left, c.doc.y, c.width, { face: 'oblique', size: 10.5, color: COLORS.soft });
  const textX = c.left + 46;
  const textW = c.width - 46 - 12;
  for (const q of data.questions) {
    const facts = [questionWhere(q), q.reason].filter(Boolean).join(' — ');
    const h = 14 + c.measure(q.text, textW, { face: 'bold', size: 12 }) + 5 + c.measure(facts, textW, { size: 9 }) + 14;
    c.ensure(h + 10);
    const top = c.doc.y;
    c.doc.roundedRect(c.left, top, c.width, h, 8).fill(COLORS.paper);
    c.doc.circle(c.left + 23, top + 22, 12).fill(COLORS.accent);
    c.text(`v${q.version}`, c.left + 11, top + 17, 24, { face: 'bold', size: 9, color: COLORS.white, align: 'center' });
    const y = c.text(q.text, textX, top + 14, textW, { face: 'bold', size: 12 });
    c.text(facts, textX, y + 5, textW, { size: 9, color: COLORS.soft });
    c.doc.y = top + h + 8;
    const from = sourceLabel(q);
    if (from) {
      c.ensure(30);
      c.doc.y = c.text(from, textX, c.doc.y, textW, { face: 'bold', size: 9, color: COLORS.soft }) + 4;
      for (const note of q.source?.notes ?? []) bullet(c, `“${note.text}”`, note.author ?? '', textX);
    }
    c.doc.y += 8;
  }
}

function meetings(c: PdfCanvas, data: PortfolioData): void {
  c.sectionTitle(PORTFOLIO_SECTIONS.meetings, data.scope === 'member' ? 'Your community’s meetings and the cohort’s, and whether you came.' : 'Held and planned, with how many members came.');
  if (data.meetings.length === 0) c.text('No meetings yet.', c.left, c.doc.y, c.width, { face: 'oblique', size: 10.5, color: COLORS.soft });
  for (const m of data.meetings) {
    const facts = [
      `${m.lengthMinutes} minutes`,
      m.finishedAt ? 'held' : 'planned',
      m.finishedAt || m.attendance > 0 ? attendanceLabel(m.attendance) : null,
      m.attended === null ? null : m.attended ? 'you came' : 'you did not come',
    ]
      .filter(Boolean)
      .join(' · ');
    c.ensure(40);
    const top = c.doc.y;
    c.doc.rect(c.left, top, 3, 30).fill(m.finishedAt ? COLORS.accent : COLORS.line);
    c.text(`${meetingName(m)} · ${meetingWhen(m.startsAt)}`, c.left + 12, top, c.width - 12, { face: 'bold', size: 11 });
    c.doc.y = c.text(facts, c.left + 12, c.doc.y + 2, c.width - 12, { size: 9.5, color: COLORS.soft }) + 12;
  }
}

function commitments(c: PdfCanvas, data: PortfolioData, title: string): void {
  c.sectionTitle(title, outcomeTally(data.commitments));
  if (data.commitments.length === 0) c.text('No commitments yet.', c.left, c.doc.y, c.width, { face: 'oblique', size: 10.5, color: COLORS.soft });
  const withOwner = data.scope === 'community';
  const w = c.width - 32;
  for (const item of data.commitments) {
    const who = withOwner ? item.owner : null;
    const notice = item.notice ? `Expecting to notice: ${item.notice}` : null;
    const facts = [madeInLabel(item.madeIn, 'Made between meetings'), checkIn(item)].filter(Boolean).join(' · ');
    const outcome = outcomeLabel(item).toUpperCase();
    const h =
      14 +
      (who ? c.measure(who, w - 150, { face: 'bold', size: 9 }) + 3 : 0) +
      c.measure(item.action, w, { size: 11.5 }) +
      (notice ? 5 + c.measure(notice, w, { size: 9.5 }) : 0) +
      5 +
      c.measure(facts, w, { size: 9 }) +
      5 +
      14 +
      14;
    c.ensure(h + 10);
    const top = c.doc.y;
    c.doc.roundedRect(c.left, top, c.width, h, 8).fill(COLORS.paper);
    c.doc.rect(c.left, top + 8, 3, h - 16).fill(STATUS_COLORS[item.status]);
    let y = top + 14;
    if (who) y = c.text(who, c.left + 16, y, w - 150, { face: 'bold', size: 9, color: COLORS.soft }) + 3;
    y = c.text(item.action, c.left + 16, y, w, { size: 11.5 });
    if (notice) y = c.text(notice, c.left + 16, y + 5, w, { size: 9.5, color: COLORS.soft });
    y = c.text(facts, c.left + 16, y + 5, w, { size: 9, color: COLORS.soft });
    c.pill(outcome, c.left + 16, y + 5, STATUS_COLORS[item.status], COLORS.white);
    c.doc.y = top + h + 10;
  }
}

/**
 * Entries flow rather than sit in boxes: five fields of up to 2,000 characters
 * can be longer than a page, so each piece finds its own room.
 */
function log(c: PdfCanvas, data: PortfolioData): void {
  c.sectionTitle(PORTFOLIO_SECTIONS.log, logIntro(data));
  if (data.log.length === 0) {
    const none = data.scope === 'member' ? 'No entries yet.' : 'No entries shared with the community yet.';
    c.text(none, c.left, c.doc.y, c.width, { face: 'oblique', size: 10.5, color: COLORS.soft });
  }
  const x = c.left + 14;
  const w = c.width - 14;
  for (const e of data.log) {
    const facts = logEntryFacts(data, e);
    c.ensure(c.measure(facts, w, { face: 'bold', size: 11 }) + 60);
    // An entry's next piece moved to a new page says whose it is there, so its notes are not read as another's.
    // (A long text that runs over by itself just goes on.)
    const room = (height: number) => {
      const page = c.pageIndex;
      c.ensure(Math.min(height, 120));
      if (c.pageIndex === page) return;
      c.doc.y = c.text(`${facts} (continued)`, x, c.doc.y, w, { face: 'bold', size: 9, color: COLORS.faint }) + 6;
    };
    const flow = (text: string, style: Parameters<PdfCanvas['text']>[4], after: number) => {
      room(c.measure(text, w, style));
      c.doc.y = c.text(text, x, c.doc.y, w, style) + after;
    };
    const top = c.doc.y;
    c.doc.rect(c.left, top, 4, 16).fill(VISIBILITY_COLORS[e.visibility]);
    c.doc.y = c.text(facts, x, top, w, { face: 'bold', size: 11 }) + 5;
    const follows = followsLabel(e);
    if (follows) flow(follows, { size: 9.5, color: COLORS.soft }, 2);
    if (e.commitment?.notice) flow(`Expecting to notice: ${e.commitment.notice}`, { size: 9.5, color: COLORS.soft }, 2);
    c.doc.y += 4;
    for (const f of logEntryFields(e)) {
      room(c.measure(f.label, w, { face: 'bold', size: 8.5 }) + 2 + Math.min(c.measure(f.text, w, { size: 10.5 }), 80));
      c.doc.y = c.text(f.label.toUpperCase(), x, c.doc.y, w, { face: 'bold', size: 8.5, color: COLORS.soft, spacing: 0.8 }) + 2;
      flow(f.text, { size: 10.5 }, 7);
    }
    const decision = decisionLabel(e);
    if (decision) flow(decision, { face: 'bold', size: 10 }, 6);
    for (const [i, n] of e.notes.entries()) {
      const label = i === 0 ? 16 : 0;
      room(label + c.measure(n.text, w - 12, { size: 9.5 }) + 20);
      if (i === 0) c.doc.y = c.text('NOTES', x, c.doc.y + 2, w, { face: 'bold', size: 8.5, color: COLORS.soft, spacing: 0.8 }) + 4;
      bullet(c, n.text, logNoteBy(n), x);
    }
    c.doc.moveTo(c.left, c.doc.y + 6).lineTo(c.left + c.width, c.doc.y + 6).lineWidth(0.5).stroke(COLORS.line);
    c.doc.y += 18;
  }
}

/** A window a block: its facts, whose figures, a line per facet, the facilitators' notes. */
function pulse(c: PdfCanvas, data: PortfolioData): void {
  c.sectionTitle(PORTFOLIO_SECTIONS.pulse, pulseIntro(data));
  if (data.pulse.length === 0) c.text('No pulse window closed yet.', c.left, c.doc.y, c.width, { face: 'oblique', size: 10.5, color: COLORS.soft });
  const labels = [...new Set(data.pulse.map((w) => w.instrument.label).filter(Boolean))];
  for (const label of labels) c.doc.y = c.text(label, c.left, c.doc.y, c.width, { face: 'oblique', size: 9, color: COLORS.soft }) + 10;
  const x = c.left + 14;
  const w = c.width - 14;
  for (const win of data.pulse) {
    const rows = pulseRows(win);
    c.ensure(60 + rows.length * 16);
    const top = c.doc.y;
    c.doc.rect(c.left, top, 4, 16).fill(win.group === 'community' ? COLORS.accent : COLORS.faint);
    c.doc.y = c.text(win.label, x, top, w, { face: 'bold', size: 12 }) + 3;
    c.doc.y = c.text(pulseFacts(win), x, c.doc.y, w, { size: 9, color: COLORS.soft }) + 3;
    c.doc.y = c.text(pulseGroupLabel(data, win), x, c.doc.y, w, { face: 'bold', size: 9.5 }) + 6;
    for (const row of rows) {
      const y = c.doc.y;
      const below = c.text(row.title, x, y, 110, { face: 'bold', size: 10 });
      c.doc.y = Math.max(below, c.text(pulseFigureLabel(row.figure), x + 116, y, w - 116, { size: 10, color: row.figure ? COLORS.ink : COLORS.soft })) + 4;
    }
    if (win.notes.trim()) {
      const text = `What the facilitators changed because of it: ${win.notes}`;
      c.ensure(Math.min(c.measure(text, w, { size: 9.5 }), 120));
      c.doc.y = c.text(text, x, c.doc.y + 2, w, { size: 9.5 }) + 4;
    }
    c.doc.moveTo(c.left, c.doc.y + 6).lineTo(c.left + c.width, c.doc.y + 6).lineWidth(0.5).stroke(COLORS.line);
    c.doc.y += 18;
  }
}

function bullet(c: PdfCanvas, text: string, meta: string, x: number): void {
  const textX = x + 12;
  const textW = c.left + c.width - textX;
  const h = c.measure(text, textW, { size: 9.5 }) + (meta ? 2 + c.measure(meta, textW, { size: 8 }) : 0);
  c.ensure(h + 6);
  const top = c.doc.y;
  c.doc.circle(x + 4, top + 5, 2).fill(COLORS.faint);
  let y = c.text(text, textX, top, textW, { size: 9.5 });
  if (meta) y = c.text(meta, textX, y + 2, textW, { face: 'oblique', size: 8, color: COLORS.soft });
  c.doc.y = y + 6;
}
