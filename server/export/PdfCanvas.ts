import PDFDocument from 'pdfkit';
import type { PdfFonts } from './pdfFonts.ts';

/** The app's colours (client/app.css), so the brief looks like the board it came from. */
export const COLORS = {
  ink: '#1d2433',
  soft: '#4a5568',
  faint: '#8a93a3',
  paper: '#f6f4ef',
  line: '#d9d4c7',
  accent: '#2f5d8a',
  accentLight: '#e6eef6',
  white: '#ffffff',
  ok: '#2e7d4f',
  danger: '#a4262c',
  warn: '#8a5a00',
} as const;

export type FontFace = 'regular' | 'bold' | 'oblique';

const FACE_NAMES: Readonly<Record<FontFace, string>> = { regular: 'Body', bold: 'Bold', oblique: 'Oblique' };
const MARGIN = { top: 86, bottom: 66, left: 56, right: 56 };
const LINE_GAP = 2;

export interface TextStyle {
  face?: FontFace;
  size?: number;
  color?: string;
  /** Letter spacing in points, for small capitals-style labels. */
  spacing?: number;
  align?: 'left' | 'right' | 'center';
}

/**
 * pdfkit with the brief's page furniture: a running head on every page after
 * the title page, footers with page numbers drawn once all pages exist, and
 * helpers that measure before they draw so blocks are never split awkwardly.
 */
export class PdfCanvas {
  readonly doc: PDFKit.PDFDocument;
  /** Whether any character had to be replaced by the placeholder. */
  replacedAny = false;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;
  private runningHead = '';
  /** The style text is drawn in now, so a text running onto a new page goes on in it after the running head. */
  private current: TextStyle = {};

  constructor(
    private readonly fonts: PdfFonts,
    info: { title: string; subject: string },
  ) {
    this.doc = new PDFDocument({
      size: 'A4',
      margins: MARGIN,
      autoFirstPage: false,
      bufferPages: true,
      lang: 'en',
      displayTitle: true,
      info: { Title: this.plain(info.title), Subject: info.subject, Author: 'Howmight', Creator: 'Howmight' },
    });
    this.doc.registerFont(FACE_NAMES.regular, fonts.regular);
    this.doc.registerFont(FACE_NAMES.bold, fonts.bold);
    this.doc.registerFont(FACE_NAMES.oblique, fonts.oblique);
    this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    this.done = new Promise((resolve, reject) => {
      this.doc.on('end', () => resolve(Buffer.concat(this.chunks)));
      this.doc.on('error', reject);
    });
    // Pages pdfkit adds by itself (a long text running over) get the running head too.
    this.doc.on('pageAdded', () => this.drawRunningHead());
  }

  get left(): number {
    return MARGIN.left;
  }

  get width(): number {
    return this.doc.page.width - MARGIN.left - MARGIN.right;
  }

  get pageWidth(): number {
    return this.doc.page.width;
  }

  get pageHeight(): number {
    return this.doc.page.height;
  }

  get bottom(): number {
    return this.doc.page.height - MARGIN.bottom;
  }

  get pageIndex(): number {
    const range = this.doc.bufferedPageRange();
    return range.start + range.count - 1;
  }

  /** Text the fonts can draw; notes whether anything was replaced. */
  plain(text: string): string {
    const result = this.fonts.printable(text);
    if (result.replaced) this.replacedAny = true;
    return result.text;
  }

  /** The title page: no running head. */
  titlePage(): void {
    this.runningHead = '';
    this.doc.addPage();
  }

  /** A new page under the given running head (kept for pages added later). */
  page(runningHead?: string): void {
    if (runningHead !== undefined) this.runningHead = runningHead;
    this.doc.addPage();
  }

  /** Starts a new page when fewer than `height` points are left. */
  ensure(height: number): void {
    if (this.doc.y + height > this.bottom) this.page();
  }

  style(style: TextStyle): void {
    const { face = 'regular', size = 10.5, color = COLORS.ink } = style;
    this.current = style;
    this.doc.font(FACE_NAMES[face]).fontSize(size).fillColor(color);
  }

  measure(text: string, width: number, style: TextStyle): number {
    this.style(style);
    return this.doc.heightOfString(this.plain(text), { width, lineGap: LINE_GAP, characterSpacing: style.spacing ?? 0 });
  }

  /** Draws text at (x, y) within `width`; returns the y below it. */
  text(text: string, x: number, y: number, width: number, style: TextStyle): number {
    this.style(style);
    this.doc.text(this.plain(text), x, y, {
      width,
      lineGap: LINE_GAP,
      characterSpacing: style.spacing ?? 0,
      align: style.align ?? 'left',
    });
    return this.doc.y;
  }

  /** A small rounded label; returns its width. */
  pill(label: string, x: number, y: number, fill: string, color: string): number {
    this.style({ face: 'bold', size: 7.5, color });
    const w = this.doc.widthOfString(label, { characterSpacing: 0.6 }) + 12;
    this.doc.roundedRect(x, y, w, 14, 7).fill(fill);
    this.doc.fillColor(color).text(label, x + 6, y + 3.5, { lineBreak: false, characterSpacing: 0.6 });
    return w;
  }

  /** A section's opening: its title with an accent bar, and a line saying what it holds. */
  sectionTitle(title: string, intro: string | null): void {
    const top = this.doc.y;
    this.doc.rect(this.left, top + 2, 4, 24).fill(COLORS.accent);
    let y = this.text(title, this.left + 14, top, this.width - 14, { face: 'bold', size: 20 });
    if (intro) y = this.text(intro, this.left + 14, y + 2, this.width - 14, { size: 10, color: COLORS.soft });
    this.doc.y = y + 18;
  }

  /** A small uppercase label in the accent colour. */
  label(text: string, y: number, color: string = COLORS.accent): number {
    return this.text(text.toUpperCase(), this.left, y, this.width, { face: 'bold', size: 8.5, color, spacing: 1.2 });
  }

  /**
   * Page numbers on every page but the title page, drawn last when the page
   * count is known. The bottom margin is lifted meanwhile, or pdfkit would
   * take a footer below it for overflowing text and start a new page.
   */
  footers(left: string): void {
    const { start, count } = this.doc.bufferedPageRange();
    for (let i = start + 1; i < start + count; i++) {
      this.doc.switchToPage(i);
      const y = this.pageHeight - 40;
      this.doc.page.margins.bottom = 0;
      this.doc.moveTo(this.left, y - 8).lineTo(this.left + this.width, y - 8).lineWidth(0.5).stroke(COLORS.line);
      this.style({ size: 8, color: COLORS.faint });
      this.doc.text(this.fit(this.plain(left), this.width * 0.75), this.left, y, { lineBreak: false });
      this.doc.text(`Page ${i - start + 1} of ${count}`, this.left, y, { width: this.width, align: 'right', lineBreak: false });
      this.doc.page.margins.bottom = MARGIN.bottom;
    }
  }

  /** One line of at most `width` points in the current font, cut with an ellipsis. */
  fit(text: string, width: number, spacing = 0): string {
    const widthOf = (t: string) => this.doc.widthOfString(t, { characterSpacing: spacing });
    if (widthOf(text) <= width) return text;
    let chars = [...text];
    while (chars.length > 0 && widthOf(`${chars.join('').trimEnd()}…`) > width) chars = chars.slice(0, -1);
    return `${chars.join('').trimEnd()}…`;
  }

  /** Finishes the document and resolves with its bytes. */
  finish(): Promise<Buffer> {
    this.doc.end();
    return this.done;
  }

  private drawRunningHead(): void {
    if (!this.runningHead) return;
    const { x, y } = this.doc;
    const current = this.current;
    this.style({ face: 'bold', size: 8, color: COLORS.faint });
    this.doc.text(this.fit(this.plain(this.runningHead.toUpperCase()), this.width, 1), this.left, 38, {
      lineBreak: false,
      characterSpacing: 1,
    });
    this.doc.moveTo(this.left, 54).lineTo(this.left + this.width, 54).lineWidth(0.5).stroke(COLORS.line);
    this.style(current);
    this.doc.x = x;
    this.doc.y = y;
  }
}
