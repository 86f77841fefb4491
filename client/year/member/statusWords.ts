import type { CommitmentStatus } from '../../../shared/year/api.ts';

/** How a commitment ended, in a member's words. */
export const STATUS_WORDS: Record<CommitmentStatus, string> = {
  open: 'Open',
  done: 'Done',
  carried: 'Carried to the next meeting',
  dropped: 'Dropped',
  unreviewed: 'Not marked',
};
