/** The step ids and meeting lengths: the words the step registry (steps.ts) and the commands (commands.ts) share. */

/** The equity inquiry (PROTOCOL.md), meeting 1. */
export const INQUIRY_STEP_IDS = ['open', 'story', 'need', 'assumptions', 'causes', 'sort', 'hmw', 'commit', 'close'] as const;
/** The monthly meeting's blocks around its protocol (YEAR.md 4); it ends with the inquiry's commit and close. */
export const MONTHLY_STEP_IDS = ['checkin', 'review', 'logRound', 'playlist', 'revise'] as const;
/** The protocols for the monthly meeting's middle block (YEAR.md 4 A-C). */
export const PROTOCOL_STEP_IDS = [
  'successWrite', 'successRounds', 'successConditions', 'successDebrief',
  'consultFrame', 'consultClarify', 'consultProbe', 'consultDiscuss', 'consultRespond', 'consultDebrief',
  'tuningIntro', 'tuningPresent', 'tuningClarify', 'tuningExamine', 'tuningFeedback', 'tuningReflect', 'tuningDebrief',
] as const;

export const STEP_IDS = [...INQUIRY_STEP_IDS, ...MONTHLY_STEP_IDS, ...PROTOCOL_STEP_IDS] as const;
export type StepId = (typeof STEP_IDS)[number];

export const MEETING_LENGTHS = [60, 90, 120] as const;
export type MeetingLength = (typeof MEETING_LENGTHS)[number];
