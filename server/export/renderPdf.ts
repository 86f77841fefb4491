import { CATEGORIES } from '../../shared/protocol/categories.ts';
import type { InquiryData, InquiryQuestion } from '../../shared/export/jsonSchema.ts';
import { CONFIDENTIAL, exportNote, finalsTitle, longDate, votesLabel } from '../../shared/export/labels.ts';
import { COLORS, PdfCanvas } from './PdfCanvas.ts';
import { loadPdfFonts, PLACEHOLDER } from './pdfFonts.ts';
import { CATEGORY_COLORS, pdfSections, type PdfSection } from './pdfSections.ts';

/**
 * The inquiry brief as a PDF: a title page with the final question(s) and a
 * contents list, then one page (or more) per section. Server-side only, with
 * pdfkit and the bundled DejaVu fonts; nothing is fetched from the network.
 */
export async function renderPdf(data: InquiryData): Promise<Buffer> {
  const canvas = new PdfCanvas(loadPdfFonts(), { title: data.session.title, subject: 'Inquiry brief' });
  const sections = pdfSections(data);
  const contents = titlePage(canvas, data, sections);

  const runningHead = `${data.session.title} · ${longDate(data.session.date)}`;
  const starts: number[] = [];
  for (const section of sections) {
    canvas.page(runningHead);
    starts.push(canvas.pageIndex);
    canvas.doc.outline.addItem(section.title);
    section.draw(canvas, data);
  }

  // Page numbers in the contents, and the notes at the foot of the title page, once everything is laid out.
  canvas.doc.switchToPage(contents.page);
  contents.rows.forEach((y, i) => {
    canvas.text(String((starts[i] ?? 0) + 1), canvas.left, y, canvas.width, { face: 'bold', size: 10.5, color: COLORS.accent, align: 'right' });
  });
  titleFoot(canvas, data, contents.footTop);
  canvas.footers(`Howmight · ${data.session.title} · ${CONFIDENTIAL}`);
  return canvas.finish();
}

/** Draws the title page; returns where the contents rows are, for their page numbers. */
function titlePage(c: PdfCanvas, data: InquiryData, sections: PdfSection[]): { page: number; rows: number[]; footTop: number } {
  c.titlePage();
  const titleH = c.measure(data.session.title, c.width, { face: 'bold', size: 30 });
  const bandH = Math.max(180, 120 + titleH);
  c.doc.rect(0, 0, c.pageWidth, bandH).fill(COLORS.accent);
  const kind = data.scope === 'participant' ? 'HOWMIGHT · INQUIRY BRIEF · PARTICIPANT COPY' : 'HOWMIGHT · INQUIRY BRIEF';
  c.text(kind, c.left, 52, c.width, { face: 'bold', size: 9, color: '#c9d8e8', spacing: 1.6 });
  let y = c.text(data.session.title, c.left, 76, c.width, { face: 'bold', size: 30, color: COLORS.white });
  c.text(`${longDate(data.session.date)}  ·  ${data.session.lengthMinutes}-minute meeting`, c.left, y + 10, c.width, {
    size: 12,
    color: '#e3ebf4',
  });

  y = bandH + 30;
  y = c.label(finalsTitle(data), y) + 10;
  const byId = new Map(data.questions.map((q) => [q.id, q]));
  const finals = data.finalQuestionIds.map((id) => byId.get(id)).filter((q): q is InquiryQuestion => !!q);
  if (finals.length === 0) {
    y = c.text('No final question marked yet.', c.left, y, c.width, { face: 'oblique', size: 12, color: COLORS.soft }) + 12;
  }
  // Several finals share the page, so each is set smaller.
  const size = finals.length > 2 ? 13 : 16;
  for (const q of finals) {
    const facts = [votesLabel(q.votes), q.category ? CATEGORIES[q.category].title : null].filter(Boolean).join('  ·  ');
    const h = 18 + c.measure(q.text, c.width - 40, { face: 'bold', size }) + 6 + c.measure(facts, c.width - 40, { size: 9.5 }) + 18;
    c.doc.y = y;
    c.ensure(h + 12);
    y = c.doc.y;
    c.doc.roundedRect(c.left, y, c.width, h, 10).fill(COLORS.accentLight);
    c.doc.rect(c.left, y + 10, 4, h - 20).fill(COLORS.accent);
    const below = c.text(q.text, c.left + 22, y + 18, c.width - 40, { face: 'bold', size });
    c.text(facts, c.left + 22, below + 6, c.width - 40, { size: 9.5, color: COLORS.soft });
    y += h + 12;
  }
  if (data.heaviest) {
    c.doc.roundedRect(c.left, y + 4, 12, 12, 2).fill(CATEGORY_COLORS[data.heaviest]);
    y = c.text(`Heaviest category: ${CATEGORIES[data.heaviest].title}`, c.left + 20, y + 4, c.width - 20, { size: 11 }) + 8;
  }

  const rows: number[] = [];
  if (sections.length > 0) {
    c.doc.y = y + 18;
    // Room for the contents and the notes at the foot of the page.
    c.ensure(40 + sections.length * ROW + FOOT_RESERVE);
    y = c.label('In this brief', c.doc.y) + 8;
    for (const section of sections) {
      c.doc.moveTo(c.left, y).lineTo(c.left + c.width, y).lineWidth(0.5).stroke(COLORS.line);
      rows.push(y + 6);
      c.text(section.title, c.left, y + 6, c.width - 60, { face: 'bold', size: 10.5 });
      c.style({ face: 'bold', size: 10.5 });
      const w = c.doc.widthOfString(c.plain(section.title));
      c.text(section.summary, c.left + w + 10, y + 7.5, c.width - w - 70, { size: 9, color: COLORS.soft });
      y += ROW;
    }
    c.doc.moveTo(c.left, y).lineTo(c.left + c.width, y).lineWidth(0.5).stroke(COLORS.line);
  }
  return { page: c.pageIndex, rows, footTop: y + 24 };
}

const ROW = 23;
const FOOT_RESERVE = 56;
/** The foot's last line stays above the page footer's rule (PdfCanvas.footers). */
const FOOT_BOTTOM = 58;

/** Export time, confidentiality, and a word about characters the PDF could not show. */
function titleFoot(c: PdfCanvas, data: InquiryData, top: number): void {
  const lines = [exportNote(data), CONFIDENTIAL];
  if (c.replacedAny) {
    lines.push(`Some characters (such as emoji, or Chinese, Japanese or Korean script) cannot be shown in this PDF and appear as ${PLACEHOLDER}. The Markdown, CSV and JSON exports keep them.`);
  }
  const text = lines.join('\n');
  const bottom = c.doc.page.margins.bottom;
  c.doc.page.margins.bottom = 0;
  const h = c.measure(text, c.width, { size: 8.5 });
  // At the foot of the page, or just below the contents when they reach that far.
  c.text(text, c.left, Math.max(top, c.pageHeight - FOOT_BOTTOM - h), c.width, { size: 8.5, color: COLORS.soft });
  c.doc.page.margins.bottom = bottom;
}
