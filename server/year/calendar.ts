import type { CohortSummary, CommunityView, MeetingView } from '../../shared/year/api.ts';
import { describeSeries, seriesDates, seriesRrule } from '../../shared/year/series.ts';

/**
 * A member's year as an RFC 5545 calendar, for the .ics download and the
 * calendar feed: the meetings already scheduled, and the rest of their
 * community's monthly series as one recurring event. Times are floating
 * (no TZID), like the meetings themselves: a cohort meets in one place, and a
 * floating 16:00 stays 16:00 in whichever calendar app opens it.
 */
export interface CalendarInput {
  cohort: CohortSummary;
  community: CommunityView | null;
  /** The meetings already scheduled that this member can attend, cohort-wide ones (communityId null) included. */
  meetings: MeetingView[];
  /** Where the member joins (their home page). Any fragment or query is dropped: the calendar never carries a secret. */
  joinUrl: string;
  /** Epoch milliseconds, for DTSTAMP. */
  now: number;
  calendarName?: string;
}

const PRODID = '-//Howmight//Year calendar//EN';
/** How often a subscribed feed should be fetched again (a hint; Google ignores it, Apple and Outlook honour it). */
const REFRESH = 'PT12H';

export function renderCalendar(input: CalendarInput): string {
  const { cohort, community } = input;
  const joinUrl = withoutSecrets(input.joinUrl);
  const stamp = utcStamp(input.now);
  const name = input.calendarName ?? (community ? `${cohort.name}: ${community.name}` : cohort.name);

  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODID}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(name)}`,
    `REFRESH-INTERVAL;VALUE=DURATION:${REFRESH}`,
    `X-PUBLISHED-TTL:${REFRESH}`,
  ];

  const meetings = [...input.meetings].sort((a, b) => (a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : 0));
  for (const meeting of meetings) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${meeting.sessionId}@howmight`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${floating(meeting.startsAt)}`,
      `DTEND:${floating(addMinutes(meeting.startsAt, meeting.lengthMinutes))}`,
      `SUMMARY:${escapeText(meeting.title)}`,
      `DESCRIPTION:${escapeText(`Join from your Howmight page: ${joinUrl}`)}`,
      `URL:${joinUrl}`,
      'STATUS:CONFIRMED',
      'END:VEVENT',
    );
  }

  const series = community ? seriesEvent(input, community, meetings, joinUrl, stamp) : [];
  lines.push(...series, 'END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}

/**
 * The community's series from its first date after the last meeting already
 * scheduled for it (scheduled meetings are their own events; cohort-wide ones
 * are not part of the series) to the end of the year; nothing if no date is left.
 */
function seriesEvent(input: CalendarInput, community: CommunityView, meetings: MeetingView[], joinUrl: string, stamp: string): string[] {
  const series = community.series;
  if (!series) return [];
  const own = meetings.filter((m) => m.communityId === community.id);
  const last = own.length > 0 ? own[own.length - 1]!.startsAt.slice(0, 10) : null;
  // Not before the cohort starts, the day after its last scheduled meeting, nor today (UTC: a day's slack either way is harmless here).
  const from = [input.cohort.startsOn, last ? nextDay(last) : '', new Date(input.now).toISOString().slice(0, 10)].reduce((a, b) => (b > a ? b : a));
  const [first] = seriesDates(series, from, input.cohort.endsOn, 1);
  if (!first) return [];

  // A floating DTSTART needs a floating UNTIL (RFC 5545 3.3.10): the last moment of the year's last day.
  const until = `${input.cohort.endsOn.replaceAll('-', '')}T235959`;
  return [
    'BEGIN:VEVENT',
    `UID:series-${community.id}@howmight`,
    `DTSTAMP:${stamp}`,
    `DTSTART:${floating(first)}`,
    `DTEND:${floating(addMinutes(first, community.lengthMinutes))}`,
    `RRULE:${seriesRrule(series)};UNTIL=${until}`,
    `SUMMARY:${escapeText(community.name)}`,
    `DESCRIPTION:${escapeText(`${community.name} meets ${describeSeries(series)}. Planned: the facilitator schedules each meeting. Join from your Howmight page: ${joinUrl}`)}`,
    `URL:${joinUrl}`,
    'STATUS:TENTATIVE',
    'END:VEVENT',
  ];
}

/** A member's link carries their token in the fragment; a calendar is shared and synced, so it gets the bare page. */
function withoutSecrets(url: string): string {
  const at = url.search(/[?#]/);
  return at === -1 ? url : url.slice(0, at);
}

/** TEXT escaping (RFC 5545 3.3.11). */
export function escapeText(text: string): string {
  return text.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, '\\n');
}

const encoder = new TextEncoder();

/**
 * Content lines are at most 75 octets; longer ones go on in continuation
 * lines that begin with a space (RFC 5545 3.1). Counted in UTF-8 octets and
 * split between code points, so a character never straddles two lines.
 */
export function fold(line: string): string {
  if (encoder.encode(line).length <= 75) return line;
  const out: string[] = [];
  let current = '';
  let octets = 0;
  let max = 75;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (octets + size > max) {
      out.push(current);
      current = '';
      octets = 0;
      max = 74; // the leading space is one of the 75
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

/** '2025-09-09T16:00' → '20250909T160000'. */
function floating(local: string): string {
  return `${local.slice(0, 10).replaceAll('-', '')}T${local.slice(11, 13)}${local.slice(14, 16)}00`;
}

/** Wall-clock arithmetic on a floating time (computed as UTC so no daylight saving shift creeps in). */
function addMinutes(local: string, minutes: number): string {
  const [y, mo, d] = local.slice(0, 10).split('-').map(Number) as [number, number, number];
  const [h, mi] = local.slice(11, 16).split(':').map(Number) as [number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi + minutes)).toISOString().slice(0, 16);
}

function nextDay(date: string): string {
  return addMinutes(`${date}T00:00`, 24 * 60).slice(0, 10);
}

function utcStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
