import { z } from 'zod';

/**
 * A community's monthly series: "the 2nd Tuesday at 16:00" or "the 15th at
 * 16:00". Times are wall-clock times where the cohort meets (floating, as
 * RFC 5545 calls them): a district meets in one place, so no time zone maths.
 */
export const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const WEEKDAY_NAMES: Readonly<Record<Weekday, string>> = {
  SU: 'Sunday', MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday',
};

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must be HH:MM (24-hour)');

export const seriesSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('weekday'),
    /** 1-4, or -1 for the last one of the month. */
    week: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(-1)], { error: 'week must be 1-4 or -1 (last)' }),
    weekday: z.enum(WEEKDAYS, { error: 'weekday must be one of SU, MO, TU, WE, TH, FR, SA' }),
    time,
  }),
  z.object({
    kind: z.literal('monthday'),
    /** 1-28, so every month has it. */
    day: z.number().int().min(1, 'day must be 1-28').max(28, 'day must be 1-28'),
    time,
  }),
]);
export type Series = z.infer<typeof seriesSchema>;

/** A calendar date, YYYY-MM-DD. */
export const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are YYYY-MM-DD')
  .refine((d) => isRealDate(d), 'not a real calendar date');

/** A local date and time, YYYY-MM-DDTHH:MM. */
export const localDateTimeSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d$/, 'times are YYYY-MM-DDTHH:MM')
  .refine((d) => isRealDate(d.slice(0, 10)), 'not a real calendar date');

function isRealDate(d: string): boolean {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, day));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === day;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The day of month the series falls on in a month (1-based month). */
function dayIn(series: Series, year: number, month: number): number {
  if (series.kind === 'monthday') return series.day;
  const target = WEEKDAYS.indexOf(series.weekday);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (series.week === -1) {
    const lastWeekday = new Date(Date.UTC(year, month - 1, daysInMonth)).getUTCDay();
    return daysInMonth - ((lastWeekday - target + 7) % 7);
  }
  const firstWeekday = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  return 1 + ((target - firstWeekday + 7) % 7) + (series.week - 1) * 7;
}

/**
 * The series' meetings from `from` (inclusive, a date) to `until` (inclusive),
 * as local date-times, at most `limit` of them.
 */
export function seriesDates(series: Series, from: string, until: string, limit = 24): string[] {
  const out: string[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  while (out.length < limit) {
    const date = `${year}-${pad(month)}-${pad(dayIn(series, year, month))}`;
    if (date > until) break;
    if (date >= from) out.push(`${date}T${series.time}`);
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
  return out;
}

/** "the 2nd Tuesday of each month at 16:00", "the last Friday…", "the 15th…". */
export function describeSeries(series: Series): string {
  const at = `at ${series.time}`;
  if (series.kind === 'monthday') return `the ${ordinal(series.day)} of each month ${at}`;
  const which = series.week === -1 ? 'last' : ordinal(series.week);
  return `the ${which} ${WEEKDAY_NAMES[series.weekday]} of each month ${at}`;
}

function ordinal(n: number): string {
  const suffix = n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

/** The RFC 5545 RRULE of a series (without UNTIL). */
export function seriesRrule(series: Series): string {
  if (series.kind === 'monthday') return `FREQ=MONTHLY;BYMONTHDAY=${series.day}`;
  return `FREQ=MONTHLY;BYDAY=${series.week}${series.weekday}`;
}
