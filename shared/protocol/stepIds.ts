/** The protocol's step ids and meeting lengths: the words the step registry (steps.ts) and the commands (commands.ts) share. */
export const STEP_IDS = ['open', 'story', 'need', 'assumptions', 'causes', 'sort', 'hmw', 'commit', 'close'] as const;
export type StepId = (typeof STEP_IDS)[number];

export const MEETING_LENGTHS = [60, 90, 120] as const;
export type MeetingLength = (typeof MEETING_LENGTHS)[number];
