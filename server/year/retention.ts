import type { CohortDeletionDeps } from './deleteCohort.ts';
import { deleteCohort } from './deleteCohort.ts';

/** How often the sweep looks for cohorts past their retention. */
export const RETENTION_SWEEP_MS = 6 * 60 * 60 * 1000;

const DAY_MS = 86_400_000;

/**
 * The day a cohort is deleted: once its last day is more than `retentionDays`
 * behind (dates are UTC calendar days, as the sweep counts them).
 */
export function deletionDate(endsOn: string, retentionDays: number): string {
  return new Date(Date.parse(`${endsOn}T00:00:00Z`) + (retentionDays + 1) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Deletes every cohort whose deletion date has come (YEAR.md 7: retention is
 * the program year plus an export window; nothing is kept forever). Returns
 * the ids deleted.
 */
export async function sweepCohorts(deps: CohortDeletionDeps, retentionDays: number, now: number = Date.now()): Promise<string[]> {
  // endsOn < today − retentionDays ⇔ deletionDate(endsOn) <= today.
  const cutoff = new Date(now - retentionDays * DAY_MS).toISOString().slice(0, 10);
  const deleted: string[] = [];
  for (const cohort of await deps.cohorts.listCohortsEndedBefore(cutoff)) {
    if (await deleteCohort(deps, cohort.id)) deleted.push(cohort.id);
  }
  return deleted;
}

/**
 * Runs the sweep now and then every RETENTION_SWEEP_MS. The timer is unref'd
 * (it never keeps the process alive) and a failed sweep is logged and tried
 * again next time. `stop` clears the timer and waits for a sweep in progress.
 */
export function startRetention(
  deps: CohortDeletionDeps,
  retentionDays: number,
  log: (message: string) => void,
  intervalMs: number = RETENTION_SWEEP_MS,
): { sweep(): Promise<string[]>; stop(): Promise<void> } {
  let running: Promise<string[]> | null = null;
  let stopped = false;
  const sweep = (): Promise<string[]> => {
    if (stopped) return Promise.resolve([]);
    running ??= sweepCohorts(deps, retentionDays)
      .then((ids) => {
        if (ids.length > 0) log(`deleted ${ids.length} cohort(s) past their ${retentionDays}-day retention`);
        return ids;
      })
      .catch((err: Error) => {
        log(`the retention sweep failed; it runs again in ${Math.round(intervalMs / 60_000)} minutes: ${err.message}`);
        return [];
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void sweep(), intervalMs).unref();
  void sweep();
  return {
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
