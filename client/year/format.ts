import type { CommitmentStatus } from '../../shared/year/api.ts';
import type { ExportFormat } from '../../shared/export/fileName.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** "Tue 14 Oct 2026, 16:00" from a floating local date-time "2026-10-14T16:00". */
export function when(startsAt: string): string {
  const [date = '', time = ''] = startsAt.split('T');
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const day = new Date(y, m - 1, d).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
  return time ? `${day}, ${time}` : day;
}

/** "14 Oct 2026" from "2026-10-14". */
export function day(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
}

/** Today as YYYY-MM-DD, in this browser's time zone. */
export function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The date `days` after `date` (both YYYY-MM-DD). */
export function shiftDay(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const shifted = new Date(Date.UTC(y, m - 1, d + days));
  return `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}`;
}

export const STATUS_WORDS: Readonly<Record<CommitmentStatus, string>> = {
  open: 'Open',
  done: 'Done',
  carried: 'Carried to the next month',
  dropped: 'Dropped',
  unreviewed: 'Not reviewed',
};

/** What each format of a year's portfolio is for (the buttons' tooltips). */
export const PORTFOLIO_HINTS: Readonly<Record<ExportFormat, string>> = {
  pdf: 'to print or file',
  md: 'for a text editor',
  csv: 'for a spreadsheet',
  json: 'for another program, or to keep the data whole',
};
