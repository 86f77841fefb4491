import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { renderCalendar, type CalendarInput } from '../../server/year/calendar.ts';
import type { CommunityView, MeetingView } from '../../shared/year/api.ts';
import type { Series } from '../../shared/year/series.ts';

// The calendar is checked by parsing it back with Mozilla's ical.js, not by comparing strings.
// ical.js reads properties it does not know as raw values; X-WR-CALNAME is TEXT to the calendar apps that use it, so tell it.
ICAL.design.icalendar.property['x-wr-calname'] = { defaultType: 'text' };

const TOKEN = 'mTok_s3cr3t-abcdefghijklmnop';
const cohort = { id: 'cohort01', name: 'District principals 2025-26', startsOn: '2025-09-01', endsOn: '2026-06-30', lengthMinutes: 90 as const };
const secondTuesday: Series = { kind: 'weekday', week: 2, weekday: 'TU', time: '16:00' };

function community(series: Series | null, extra: Partial<CommunityView> = {}): CommunityView {
  return { id: 'comm0001', name: 'Attendance', challenge: 'Chronic absence', series, lengthMinutes: 90, agenda: null, ...extra };
}

function meeting(sessionId: string, startsAt: string, extra: Partial<MeetingView> = {}): MeetingView {
  return { sessionId, communityId: 'comm0001', index: 1, title: `Attendance: meeting`, startsAt, lengthMinutes: 90, finishedAt: null, attendance: 0, template: null, ...extra };
}

function input(extra: Partial<CalendarInput> = {}): CalendarInput {
  return {
    cohort,
    community: community(secondTuesday),
    meetings: [],
    joinUrl: `https://howmight.example/m/cohort01`,
    now: Date.UTC(2025, 7, 20, 9, 30, 15),
    ...extra,
  };
}

function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  return { calendar, events, byUid: (uid: string) => events.find((e) => e.uid === uid) };
}

function occurrences(event: ICAL.Event): string[] {
  const out: string[] = [];
  const iterator = event.iterator();
  for (let next = iterator.next(); next && out.length < 100; next = iterator.next()) out.push(next.toString());
  return out;
}

const lines = (ics: string) => ics.split('\r\n').slice(0, -1);

describe('renderCalendar', () => {
  it('is a published Gregorian calendar named after the cohort and community, in CRLF lines', () => {
    const ics = renderCalendar(input());
    const { calendar } = parse(ics);
    expect(calendar.name).toBe('vcalendar');
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//Howmight//Year calendar//EN');
    expect(calendar.getFirstPropertyValue('calscale')).toBe('GREGORIAN');
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('District principals 2025-26: Attendance');
    expect(parse(renderCalendar(input({ calendarName: 'My year' }))).calendar.getFirstPropertyValue('x-wr-calname')).toBe('My year');
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });

  it('one floating event per scheduled meeting, cohort-wide ones included, with a UTC DTSTAMP', () => {
    const meetings = [
      meeting('sessAAAA', '2025-09-09T16:00'),
      meeting('sessBBBB', '2025-10-14T16:00', { lengthMinutes: 120, title: 'Attendance: meeting 2' }),
      meeting('sessCCCC', '2025-11-20T23:00', { communityId: null, lengthMinutes: 60, title: 'Whole cohort' }),
    ];
    const ics = renderCalendar(input({ community: community(null), meetings }));
    const { events, byUid } = parse(ics);
    expect(events).toHaveLength(3);

    const first = byUid('sessAAAA@howmight')!;
    expect(first.summary).toBe('Attendance: meeting');
    expect(first.startDate.toString()).toBe('2025-09-09T16:00:00');
    expect(first.endDate.toString()).toBe('2025-09-09T17:30:00');
    expect(first.startDate.zone?.tzid).toBe('floating');
    expect(first.endDate.zone?.tzid).toBe('floating');
    expect(first.isRecurring()).toBe(false);
    expect(first.component.getFirstPropertyValue('url')).toBe('https://howmight.example/m/cohort01');
    expect(first.description).toContain('https://howmight.example/m/cohort01');

    expect(byUid('sessBBBB@howmight')!.endDate.toString()).toBe('2025-10-14T18:00:00');
    // A late cohort-wide meeting ends the next day, on the wall clock.
    const late = byUid('sessCCCC@howmight')!;
    expect(late.summary).toBe('Whole cohort');
    expect(late.endDate.toString()).toBe('2025-11-21T00:00:00');

    const stamp = first.component.getFirstPropertyValue('dtstamp') as ICAL.Time;
    expect(stamp.zone?.tzid).toBe('UTC');
    expect(stamp.toJSDate().getTime()).toBe(Date.UTC(2025, 7, 20, 9, 30, 15));
    expect(ics).toContain('DTSTAMP:20250820T093015Z\r\n');
  });

  it('the 2nd Tuesday at 16:00 from September to June: one recurring event with the right dates', () => {
    const { events, byUid } = parse(renderCalendar(input()));
    expect(events).toHaveLength(1);
    const series = byUid('series-comm0001@howmight')!;
    expect(series.isRecurring()).toBe(true);
    expect(series.summary).toBe('Attendance');
    expect(series.description).toContain('the 2nd Tuesday of each month at 16:00');
    expect(series.endDate.toString()).toBe('2025-09-09T17:30:00');
    expect(occurrences(series)).toEqual(
      ['2025-09-09', '2025-10-14', '2025-11-11', '2025-12-09', '2026-01-13', '2026-02-10', '2026-03-10', '2026-04-14', '2026-05-12', '2026-06-09'].map(
        (d) => `${d}T16:00:00`,
      ),
    );
  });

  it('the last Friday: its dates, and UNTIL lets the one on the last day in', () => {
    // 26 June 2026 is the last Friday; the year ends that day.
    const lastFriday: Series = { kind: 'weekday', week: -1, weekday: 'FR', time: '16:00' };
    const ics = renderCalendar(input({ cohort: { ...cohort, endsOn: '2026-06-26' }, community: community(lastFriday) }));
    const series = parse(ics).byUid('series-comm0001@howmight')!;
    expect(occurrences(series)).toEqual(
      ['2025-09-26', '2025-10-31', '2025-11-28', '2025-12-26', '2026-01-30', '2026-02-27', '2026-03-27', '2026-04-24', '2026-05-29', '2026-06-26'].map(
        (d) => `${d}T16:00:00`,
      ),
    );
    expect(ics).toContain('RRULE:FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20260626T235959\r\n');
  });

  it('UNTIL stops the series at the end of the year', () => {
    // The year ends on 8 June 2026, the day before the June meeting.
    const series = parse(renderCalendar(input({ cohort: { ...cohort, endsOn: '2026-06-08' } }))).byUid('series-comm0001@howmight')!;
    const dates = occurrences(series);
    expect(dates).toHaveLength(9);
    expect(dates.at(-1)).toBe('2026-05-12T16:00:00');
    const until = (series.component.getFirstPropertyValue('rrule') as ICAL.Recur).until!;
    expect(until.toString()).toBe('2026-06-08T23:59:59');
  });

  it('the series starts after the community’s last scheduled meeting, and cohort-wide meetings do not move it', () => {
    const meetings = [
      meeting('sessAAAA', '2025-09-09T16:00'),
      meeting('sessBBBB', '2025-10-14T16:00'),
      meeting('sessCCCC', '2026-03-03T16:00', { communityId: null, title: 'Whole cohort' }),
    ];
    const { events, byUid } = parse(renderCalendar(input({ meetings })));
    expect(events).toHaveLength(4);
    const series = byUid('series-comm0001@howmight')!;
    expect(series.startDate.toString()).toBe('2025-11-11T16:00:00');
    expect(occurrences(series)).toHaveLength(8);
  });

  it('a meeting scheduled on a series date is not repeated by the series', () => {
    const { byUid } = parse(renderCalendar(input({ meetings: [meeting('sessAAAA', '2025-11-11T16:00')] })));
    expect(occurrences(byUid('series-comm0001@howmight')!)[0]).toBe('2025-12-09T16:00:00');
  });

  it('the series leaves out dates already past', () => {
    const { byUid } = parse(renderCalendar(input({ now: Date.UTC(2026, 1, 11, 12) })));
    expect(occurrences(byUid('series-comm0001@howmight')!)).toEqual(['2026-03-10T16:00:00', '2026-04-14T16:00:00', '2026-05-12T16:00:00', '2026-06-09T16:00:00']);
  });

  it('no series event when no series date is left, or there is no series, or no community', () => {
    const last = [meeting('sessAAAA', '2026-06-09T16:00')];
    expect(parse(renderCalendar(input({ meetings: last }))).events.map((e) => e.uid)).toEqual(['sessAAAA@howmight']);
    expect(parse(renderCalendar(input({ community: community(null) }))).events).toHaveLength(0);
    const cohortWide = [meeting('sessAAAA', '2025-09-30T16:00', { communityId: null, title: 'Whole cohort' })];
    const alone = parse(renderCalendar(input({ community: null, meetings: cohortWide })));
    expect(alone.events.map((e) => e.uid)).toEqual(['sessAAAA@howmight']);
    expect(alone.calendar.getFirstPropertyValue('x-wr-calname')).toBe('District principals 2025-26');
  });

  it('folds a long non-ASCII title at 75 octets without splitting a character, and it reads back exactly', () => {
    const title = 'Équité scolaire — «élèves absents» 中文会议 👩🏽‍🏫📚 café, Ünterricht; 🇳🇿 Kōrero mō ngā ākonga '.repeat(3);
    const ics = renderCalendar(input({ community: community(null), meetings: [meeting('sessAAAA', '2025-09-09T16:00', { title })] }));
    expect(parse(ics).events[0]!.summary).toBe(title);

    const physical = lines(ics);
    const summary = physical.findIndex((l) => l.startsWith('SUMMARY:'));
    expect(physical[summary + 1]!.startsWith(' ')).toBe(true);
    for (const line of physical) {
      expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
      // A line that split a surrogate pair would not survive a UTF-8 round trip on its own.
      expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
    }
    // Folding is by octets, not characters: a line of 3- and 4-byte characters holds far fewer than 75 of them.
    expect(physical.some((l) => l.length < 60 && Buffer.byteLength(l, 'utf8') > 70)).toBe(true);
  });

  it('escapes backslash, semicolon, comma and newlines in TEXT, and they read back exactly', () => {
    const title = 'Plans; goals, and \\ back\\slashes\nsecond line\r\nthird\\n not a newline';
    const ics = renderCalendar(
      input({
        community: community(secondTuesday, { name: 'Reading, writing; \\ & more' }),
        meetings: [meeting('sessAAAA', '2025-09-09T16:00', { title })],
        calendarName: 'Year; one, two',
      }),
    );
    const { calendar, byUid } = parse(ics);
    expect(byUid('sessAAAA@howmight')!.summary).toBe(title.replace('\r\n', '\n'));
    expect(byUid('series-comm0001@howmight')!.summary).toBe('Reading, writing; \\ & more');
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Year; one, two');
    expect(ics.replaceAll('\r\n ', '')).toContain('SUMMARY:Plans\\; goals\\, and \\\\ back\\\\slashes\\nsecond line\\nthird\\\\n not a newline\r\n');
  });

  it('never carries the member’s token, even when handed a link with one', () => {
    const ics = renderCalendar(
      input({
        joinUrl: `https://howmight.example/m/cohort01?t=${TOKEN}#${TOKEN}`,
        meetings: [meeting('sessAAAA', '2025-09-09T16:00')],
      }),
    );
    const unfolded = ics.replaceAll('\r\n ', '');
    expect(unfolded).not.toContain(TOKEN);
    expect(unfolded).not.toContain('#');
    expect(unfolded).not.toContain('?');
    expect(parse(ics).byUid('sessAAAA@howmight')!.component.getFirstPropertyValue('url')).toBe('https://howmight.example/m/cohort01');
  });
});
