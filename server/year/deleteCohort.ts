import type { CohortStore } from '../storage/CohortStore.ts';
import { purgeSession, type DeletionDeps } from '../sessions/deleteSession.ts';

export interface CohortDeletionDeps extends DeletionDeps {
  cohorts: CohortStore;
}

/**
 * Deletes a cohort for good: every session of its meetings first (their rooms
 * close unsaved, their sockets are told, their rows and documents go, as
 * deleteSession does), then the cohort row, from which every other row of the
 * year cascades (staff, members, their keys, communities, questions,
 * commitments). The store scrubs the freed pages. False if there was none.
 */
export async function deleteCohort(deps: CohortDeletionDeps, cohortId: string): Promise<boolean> {
  // A meeting created while this ran (a series scheduling its next) is caught by a second pass.
  for (let pass = 0; pass < 3; pass++) {
    const meetings = await deps.cohorts.listMeetings(cohortId);
    if (meetings.length === 0) break;
    for (const meeting of meetings) await purgeSession(deps, meeting.sessionId);
  }
  return deps.cohorts.deleteCohort(cohortId);
}
