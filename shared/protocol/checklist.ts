/** The "How might we…" checklist (PROTOCOL.md): guidance beside the drafts, never a gate. */
export const HMW_CHECKLIST = [
  'Starts with "How might we", and "we" can act on it.',
  'Traceable to a story and a cluster of causes.',
  'Names who benefits (which students, families or staff).',
  'Not too broad: a first move this month is imaginable.',
  'Not too narrow, no solution built in.',
  'Open-ended: not yes/no.',
  'Names the equity issue and frames people by assets, not deficits.',
  'Worth a year: evidence can be gathered monthly.',
  'Short, plain, one idea.',
] as const;

export const HMW_PREFIX = 'How might we ';
