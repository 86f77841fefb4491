/**
 * A meeting's local start ("2026-10-13T16:00", floating: the school's own
 * time) in words, without turning it into this device's time zone.
 */
export function meetingWhen(startsAt: string): string {
  const [date = '', time = ''] = startsAt.split('T');
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) return startsAt;
  // Noon UTC names the same calendar day everywhere.
  const day = new Date(Date.UTC(y, m - 1, d, 12)).toLocaleDateString(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return time ? `${day}, ${time.slice(0, 5)}` : day;
}

/** A moment the server stamped (ms since the epoch), as a date on this device. */
export function dayOf(ms: number): string {
  return new Date(ms).toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' });
}
