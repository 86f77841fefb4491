import { loadCredential } from '../lib/credentials.ts';
import { knownCohorts } from '../lib/yearCredentials.ts';
import { paths } from '../../shared/api.ts';
import { yearPaths } from '../../shared/year/api.ts';

/** One link this browser keeps, as the start page lists it. */
export interface KnownLink {
  kind: 'cohort' | 'session';
  label: string;
  /** What this browser is there: "Facilitator", "Member"… */
  as: string;
  href: string;
}

// The session keys of client/lib/credentials.ts; projector keys live in sessionStorage and are not listed.
const SESSION_KEY = /^howmight\.(facilitator|participant)\.([A-Za-z0-9_-]+)$/;

/** The cohorts and sessions this browser holds a key of, cohorts first. */
export function knownLinks(): KnownLink[] {
  const cohorts: KnownLink[] = knownCohorts().map((c) => ({
    kind: 'cohort',
    label: c.cohortName ?? `Cohort ${c.cohortId}`,
    as: c.role === 'staff' ? 'Staff' : 'Member',
    href: c.role === 'staff' ? yearPaths.cohort(c.cohortId) : yearPaths.member(c.cohortId),
  }));
  const sessions: KnownLink[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const match = SESSION_KEY.exec(localStorage.key(i) ?? '');
      if (!match) continue;
      const [, role, sessionId] = match as unknown as [string, 'facilitator' | 'participant', string];
      const credential = loadCredential(role, sessionId);
      if (!credential) continue;
      sessions.push({
        kind: 'session',
        label: credential.title ?? `Session ${sessionId}`,
        as: role === 'facilitator' ? 'Facilitator' : 'Participant',
        href: role === 'facilitator' ? paths.facilitator(sessionId) : paths.participant(sessionId),
      });
    }
  } catch {
    // Storage blocked: nothing is known.
  }
  const byLabel = (a: KnownLink, b: KnownLink) => a.label.localeCompare(b.label);
  return [...cohorts.sort(byLabel), ...sessions.sort(byLabel)];
}
