import fs from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

/**
 * The PDF's fonts: DejaVu Sans from the `dejavu-fonts-ttf` npm package, read
 * from node_modules (never the network). pdfkit's built-in fonts only know
 * WinAnsi; DejaVu covers Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew,
 * Arabic and many symbols. What it lacks (Chinese, Japanese and Korean script,
 * most emoji) is replaced by a visible placeholder, see `printable`.
 */
export interface PdfFonts {
  regular: Buffer;
  bold: Buffer;
  oblique: Buffer;
  /** Text the fonts can draw: unsupported characters become PLACEHOLDER. */
  printable(text: string): { text: string; replaced: boolean };
}

/** U+25A1 WHITE SQUARE: reads as "a character that could not be shown". */
export const PLACEHOLDER = '\u25a1';

const require = createRequire(import.meta.url);
const fontFile = (name: string) => fs.readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${name}`));

// Invisible joiners and variation selectors: dropped rather than replaced, so "❤️" prints as "❤".
const IGNORABLE = /[\u200b-\u200d\u2060\ufe00-\ufe0f\ufeff]/gu;
// Control characters other than the line feed would print as boxes.
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/gu;

let cached: PdfFonts | null = null;

export function loadPdfFonts(): PdfFonts {
  if (cached) return cached;
  const regular = fontFile('DejaVuSans.ttf');
  const bold = fontFile('DejaVuSans-Bold.ttf');
  const oblique = fontFile('DejaVuSans-Oblique.ttf');
  // The three faces cover the same characters, so the regular one decides.
  const face = fontkit.create(regular) as fontkit.Font;
  const covered = new Map<number, boolean>();
  const has = (codePoint: number) => {
    let known = covered.get(codePoint);
    if (known === undefined) covered.set(codePoint, (known = face.hasGlyphForCodePoint(codePoint)));
    return known;
  };
  const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });

  const printable = (raw: string) => {
    const cleaned = raw.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(CONTROL, '');
    let text = '';
    let replaced = false;
    for (const { segment } of segmenter.segment(cleaned)) {
      const visible = segment.replace(IGNORABLE, '');
      if ([...visible].every((ch) => ch === '\n' || has(ch.codePointAt(0)!))) {
        text += visible;
      } else {
        // One placeholder per character as a reader sees it (a whole emoji sequence, a syllable).
        text += PLACEHOLDER;
        replaced = true;
      }
    }
    return { text, replaced };
  };

  cached = { regular, bold, oblique, printable };
  return cached;
}
