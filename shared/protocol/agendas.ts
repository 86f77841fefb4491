import { PROTOCOL_IDS, PROTOCOLS, type ProtocolId } from './protocols/index.ts';
import { STEPS } from './steps.ts';
import { INQUIRY_STEP_IDS, type MeetingLength, type StepId } from './stepIds.ts';

/**
 * Meeting templates: the ordered steps a meeting walks, in blocks, with
 * their time boxes. A new session copies one into its control state (agenda
 * and minutes), so a later change to a template never reorders a meeting
 * already under way, and the facilitator reshapes a meeting's own copy.
 */
export const AGENDAS = {
  /** The equity inquiry (PROTOCOL.md), in the order it is run: meeting 1. */
  inquiry: INQUIRY_STEP_IDS,
} as const satisfies Record<string, readonly [StepId, ...StepId[]]>;

export type AgendaId = keyof typeof AGENDAS;

/** What a session stored before agendas existed walks. */
export const DEFAULT_AGENDA: AgendaId = 'inquiry';

/** The monthly meeting's blocks (YEAR.md 4), in order; `protocol` is the block a protocol fills. */
export const MONTHLY_BLOCKS = [
  { id: 'open', title: 'Open', steps: ['checkin'] },
  { id: 'review', title: 'Review', steps: ['review'] },
  { id: 'log', title: 'Practice', steps: ['logRound'] },
  { id: 'protocol', title: 'Protocol', steps: [] },
  { id: 'playlist', title: 'Playlist', steps: ['playlist'] },
  { id: 'revise', title: 'Our question', steps: ['revise'] },
  { id: 'commit', title: 'Commit', steps: ['commit'] },
  { id: 'close', title: 'Close', steps: ['close'] },
] as const satisfies ReadonlyArray<{ id: string; title: string; steps: readonly StepId[] }>;
export type BlockId = (typeof MONTHLY_BLOCKS)[number]['id'] | 'inquiry';

/**
 * The monthly blocks' minutes for each meeting length; the protocol's are in
 * its steps' entries (a block of 30, 50 or 60 minutes). Each column adds up
 * to its length. A block with no minutes at a length is left off that
 * template (the facilitator can add it back).
 */
export const MONTHLY_MINUTES: Readonly<Record<MeetingLength, Partial<Record<StepId, number>>>> = {
  60: { checkin: 5, review: 5, logRound: 10, playlist: 0, revise: 0, commit: 5, close: 5 },
  90: { checkin: 5, review: 5, logRound: 12, playlist: 8, revise: 3, commit: 5, close: 2 },
  120: { checkin: 10, review: 10, logRound: 15, playlist: 10, revise: 4, commit: 6, close: 5 },
};

/** The inquiry, and one monthly template per protocol. */
export type TemplateId = 'inquiry' | `monthly-${ProtocolId}`;
export const TEMPLATE_IDS: readonly [TemplateId, ...TemplateId[]] = ['inquiry', ...PROTOCOL_IDS.map((p) => `monthly-${p}` as const)];

export interface MeetingPlan {
  steps: StepId[];
  /** This meeting's time box for each of its steps. */
  minutes: Partial<Record<StepId, number>>;
}

/** "Monthly, with Consultancy". */
export function templateTitle(template: TemplateId): string {
  const protocol = protocolOf(template);
  return protocol ? `Monthly, with ${PROTOCOLS[protocol].title}` : 'Equity inquiry (first meeting)';
}

/** The protocol a monthly template runs in its middle block. */
export function protocolOf(template: TemplateId): ProtocolId | null {
  return template === 'inquiry' ? null : (template.slice('monthly-'.length) as ProtocolId);
}

/** A template's steps and minutes for a meeting of `length`. */
export function templatePlan(template: TemplateId, length: MeetingLength): MeetingPlan {
  const protocol = protocolOf(template);
  if (!protocol) {
    const steps = [...AGENDAS.inquiry];
    return { steps, minutes: Object.fromEntries(steps.map((s) => [s, STEPS[s].minutes[length]])) };
  }
  const steps: StepId[] = [];
  const minutes: Partial<Record<StepId, number>> = {};
  for (const block of MONTHLY_BLOCKS) {
    const blockSteps: readonly StepId[] = block.id === 'protocol' ? PROTOCOLS[protocol].steps : block.steps;
    for (const step of blockSteps) {
      const m = block.id === 'protocol' ? STEPS[step].minutes[length] : MONTHLY_MINUTES[length][step]!;
      if (m === 0) continue;
      steps.push(step);
      minutes[step] = m;
    }
  }
  return { steps, minutes };
}

/** The year's suggested plan (YEAR.md 4): the inquiry first, then Success Analysis, then Consultancy and Tuning in turn. */
export function suggestedTemplate(meetingIndex: number): TemplateId {
  if (meetingIndex <= 1) return 'inquiry';
  if (meetingIndex === 2) return 'monthly-success';
  return meetingIndex % 2 === 1 ? 'monthly-consultancy' : 'monthly-tuning';
}

/**
 * Which block a step belongs to on `agenda`, with the protocol's title for a
 * protocol step. Commit and close are the inquiry's own steps, and blocks of
 * their own on a monthly agenda.
 */
export function blockOf(step: StepId, agenda: readonly StepId[] = AGENDAS.inquiry): { id: BlockId; title: string } {
  for (const protocol of Object.values(PROTOCOLS)) {
    if ((protocol.steps as readonly StepId[]).includes(step)) return { id: 'protocol', title: protocol.title };
  }
  const inquiry = AGENDAS.inquiry as readonly StepId[];
  const monthlyAgenda = agenda.some((s) => !inquiry.includes(s));
  const monthly = MONTHLY_BLOCKS.find((b) => (b.steps as readonly StepId[]).includes(step));
  if (monthly && (monthlyAgenda || !inquiry.includes(step))) return { id: monthly.id, title: monthly.title };
  return { id: 'inquiry', title: 'Equity inquiry' };
}

/**
 * Where the meeting is, for every screen: the block, the step's place in it
 * ("Consultancy · step 2 of 6"), and the steps around it. A step's block is
 * the run of neighbouring steps on the agenda that share its block.
 */
export function placeInBlock(agenda: readonly StepId[], step: StepId): { block: string; index: number; count: number } {
  const at = agenda.indexOf(step);
  const block = blockOf(step, agenda);
  let first = at;
  while (first > 0 && blockOf(agenda[first - 1]!, agenda).title === block.title) first--;
  let last = at;
  while (last < agenda.length - 1 && blockOf(agenda[last + 1]!, agenda).title === block.title) last++;
  return { block: block.title, index: at - first + 1, count: last - first + 1 };
}

/** How many minutes an agenda's time boxes add up to. */
export function agendaMinutes(agenda: readonly StepId[], minutes: Partial<Record<StepId, number>>, length: MeetingLength): number {
  return agenda.reduce((sum, step) => sum + (minutes[step] ?? STEPS[step].minutes[length]), 0);
}
