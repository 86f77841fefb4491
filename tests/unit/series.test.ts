import { describe, expect, it } from 'vitest';
import { describeSeries, seriesDates, seriesRrule, seriesSchema, type Series } from '../../shared/year/series.ts';

// Expected dates read off a printed calendar (Python's calendar.month), not computed the way series.ts does.
const at16 = (dates: string[]) => dates.map((d) => `${d}T16:00`);

describe('seriesDates', () => {
  it.each<[string, Series, string[]]>([
    ['1st Monday', { kind: 'weekday', week: 1, weekday: 'MO', time: '16:00' }, ['2025-09-01', '2025-10-06', '2025-11-03', '2025-12-01']],
    ['2nd Tuesday', { kind: 'weekday', week: 2, weekday: 'TU', time: '16:00' }, ['2025-09-09', '2025-10-14', '2025-11-11', '2025-12-09']],
    ['3rd Wednesday', { kind: 'weekday', week: 3, weekday: 'WE', time: '16:00' }, ['2025-09-17', '2025-10-15', '2025-11-19', '2025-12-17']],
    ['4th Thursday', { kind: 'weekday', week: 4, weekday: 'TH', time: '16:00' }, ['2025-09-25', '2025-10-23', '2025-11-27', '2025-12-25']],
    ['last Friday', { kind: 'weekday', week: -1, weekday: 'FR', time: '16:00' }, ['2025-09-26', '2025-10-31', '2025-11-28', '2025-12-26']],
    ['the 15th', { kind: 'monthday', day: 15, time: '16:00' }, ['2025-09-15', '2025-10-15', '2025-11-15', '2025-12-15']],
  ])('%s, September to December 2025', (_, series, expected) => {
    expect(seriesDates(series, '2025-09-01', '2025-12-31')).toEqual(at16(expected));
  });

  it('a weekday that opens the month is its 1st (no week skipped)', () => {
    // 1 February 2026 is a Sunday.
    expect(seriesDates({ kind: 'weekday', week: 1, weekday: 'SU', time: '09:30' }, '2026-02-01', '2026-02-28')).toEqual(['2026-02-01T09:30']);
  });

  it('the last weekday when the month ends on it, and when it ends the day after', () => {
    // 29 February 2028 (leap year) is a Tuesday; 28 February 2026 is a Saturday.
    expect(seriesDates({ kind: 'weekday', week: -1, weekday: 'TU', time: '16:00' }, '2028-02-01', '2028-02-29')).toEqual(['2028-02-29T16:00']);
    expect(seriesDates({ kind: 'weekday', week: -1, weekday: 'SU', time: '16:00' }, '2026-02-01', '2026-02-28')).toEqual(['2026-02-22T16:00']);
    expect(seriesDates({ kind: 'weekday', week: -1, weekday: 'SA', time: '16:00' }, '2026-02-01', '2026-02-28')).toEqual(['2026-02-28T16:00']);
  });

  it('goes on into the next year', () => {
    expect(seriesDates({ kind: 'weekday', week: 2, weekday: 'TU', time: '16:00' }, '2025-11-01', '2026-02-28')).toEqual(
      at16(['2025-11-11', '2025-12-09', '2026-01-13', '2026-02-10']),
    );
    expect(seriesDates({ kind: 'monthday', day: 15, time: '16:00' }, '2025-12-01', '2026-01-31')).toEqual(at16(['2025-12-15', '2026-01-15']));
  });

  it('from and until are inclusive; a date of the first month before `from` is left out', () => {
    const second: Series = { kind: 'weekday', week: 2, weekday: 'TU', time: '16:00' };
    expect(seriesDates(second, '2025-09-09', '2025-10-14')).toEqual(at16(['2025-09-09', '2025-10-14']));
    expect(seriesDates(second, '2025-09-10', '2025-10-13')).toEqual([]);
    expect(seriesDates({ kind: 'monthday', day: 15, time: '16:00' }, '2025-11-20', '2026-02-20')).toEqual(at16(['2025-12-15', '2026-01-15', '2026-02-15']));
  });

  it('nothing when until is before from', () => {
    expect(seriesDates({ kind: 'monthday', day: 15, time: '16:00' }, '2026-01-01', '2025-12-31')).toEqual([]);
  });

  it('stops at the limit (24 by default)', () => {
    const monthly: Series = { kind: 'monthday', day: 1, time: '08:00' };
    expect(seriesDates(monthly, '2025-09-01', '2026-06-30', 3)).toEqual(['2025-09-01T08:00', '2025-10-01T08:00', '2025-11-01T08:00']);
    const all = seriesDates(monthly, '2025-01-01', '2030-12-31');
    expect(all).toHaveLength(24);
    expect(all.at(-1)).toBe('2026-12-01T08:00');
    expect(seriesDates(monthly, '2025-09-01', '2026-06-30', 0)).toEqual([]);
  });
});

describe('describeSeries', () => {
  it.each<[Series, string]>([
    [{ kind: 'weekday', week: 1, weekday: 'MO', time: '16:00' }, 'the 1st Monday of each month at 16:00'],
    [{ kind: 'weekday', week: 2, weekday: 'TU', time: '16:00' }, 'the 2nd Tuesday of each month at 16:00'],
    [{ kind: 'weekday', week: 3, weekday: 'WE', time: '07:45' }, 'the 3rd Wednesday of each month at 07:45'],
    [{ kind: 'weekday', week: 4, weekday: 'TH', time: '16:00' }, 'the 4th Thursday of each month at 16:00'],
    [{ kind: 'weekday', week: -1, weekday: 'FR', time: '16:00' }, 'the last Friday of each month at 16:00'],
    [{ kind: 'monthday', day: 1, time: '16:00' }, 'the 1st of each month at 16:00'],
    [{ kind: 'monthday', day: 2, time: '16:00' }, 'the 2nd of each month at 16:00'],
    [{ kind: 'monthday', day: 3, time: '16:00' }, 'the 3rd of each month at 16:00'],
    [{ kind: 'monthday', day: 11, time: '16:00' }, 'the 11th of each month at 16:00'],
    [{ kind: 'monthday', day: 12, time: '16:00' }, 'the 12th of each month at 16:00'],
    [{ kind: 'monthday', day: 13, time: '16:00' }, 'the 13th of each month at 16:00'],
    [{ kind: 'monthday', day: 21, time: '16:00' }, 'the 21st of each month at 16:00'],
    [{ kind: 'monthday', day: 22, time: '16:00' }, 'the 22nd of each month at 16:00'],
    [{ kind: 'monthday', day: 23, time: '16:00' }, 'the 23rd of each month at 16:00'],
    [{ kind: 'monthday', day: 28, time: '16:00' }, 'the 28th of each month at 16:00'],
  ])('%j', (series, expected) => {
    expect(describeSeries(series)).toBe(expected);
  });
});

describe('seriesRrule and seriesSchema', () => {
  it('writes BYDAY with the week, BYMONTHDAY with the day', () => {
    expect(seriesRrule({ kind: 'weekday', week: 2, weekday: 'TU', time: '16:00' })).toBe('FREQ=MONTHLY;BYDAY=2TU');
    expect(seriesRrule({ kind: 'weekday', week: -1, weekday: 'FR', time: '16:00' })).toBe('FREQ=MONTHLY;BYDAY=-1FR');
    expect(seriesRrule({ kind: 'monthday', day: 15, time: '16:00' })).toBe('FREQ=MONTHLY;BYMONTHDAY=15');
  });

  it('refuses a 5th week, a 29th and a time past 23:59, saying why', () => {
    const message = (value: unknown) => seriesSchema.safeParse(value).error?.issues[0]?.message;
    expect(message({ kind: 'weekday', week: 5, weekday: 'TU', time: '16:00' })).toBe('week must be 1-4 or -1 (last)');
    expect(message({ kind: 'weekday', week: 2, weekday: 'XX', time: '16:00' })).toBe('weekday must be one of SU, MO, TU, WE, TH, FR, SA');
    expect(message({ kind: 'monthday', day: 29, time: '16:00' })).toBe('day must be 1-28');
    expect(message({ kind: 'monthday', day: 15, time: '24:00' })).toBe('time must be HH:MM (24-hour)');
    expect(seriesSchema.safeParse({ kind: 'monthday', day: 28, time: '23:59' }).success).toBe(true);
  });
});
