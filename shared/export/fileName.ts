export const EXPORT_FORMATS = ['md', 'csv', 'json', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  pdf: 'application/pdf',
};

/** A file-name-safe, ASCII-only slug: accents dropped, anything else becomes a hyphen. */
export function slugify(title: string, maxLength = 60): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, maxLength)
    .replace(/^-+|-+$/g, '');
  return slug || 'inquiry';
}

/** e.g. "equity-cop-march-2026-03-12.pdf"; a participant's copy ends in "-my-brief". */
export function exportFileName(title: string, date: string, format: ExportFormat, participantCopy = false): string {
  return `${slugify(title)}-${date}${participantCopy ? '-my-brief' : ''}.${format}`;
}
