import { z } from 'zod';
import { CATEGORY_IDS, type CategoryId } from './categories.ts';
import { formPairs, movePerson, reconcilePairs } from './pairs.ts';
import { STEP_IDS, STEPS, stepIndex, stepMinutes, type MeetingLength, type StepId } from './steps.ts';

/**
 * Meeting progress: plain data owned by the server and broadcast to every
 * client. Transitions are pure functions so server and client agree.
 */
export const SPOTLIGHT_KINDS = ['story', 'note', 'question'] as const;
export const VOTING_STATUSES = ['not started', 'open', 'closed'] as const;
export const MAX_VOTES_PER_PERSON = 10;
/** Voting before the facilitator opens it or changes the votes each person has. */
export const DEFAULT_VOTING = { status: 'not started', perPerson: 3 } as const;
/** A told story's time box (PROTOCOL.md: about 3 minutes each). */
export const SPEAKER_MS = 3 * 60_000;

const id = z.string().min(1).max(64);

export const controlStateSchema = z.object({
  /** Increases by one with every accepted change. */
  version: z.number().int().nonnegative(),
  step: z.enum(STEP_IDS),
  timer: z.object({
    durationMs: z.number().nonnegative(),
    /** Time already run before the current run started. */
    elapsedMs: z.number().nonnegative(),
    /** Server epoch ms when the timer was last started, or null while paused. */
    runningSince: z.number().nullable(),
  }),
  locked: z.boolean(),
  spotlight: z.object({ kind: z.enum(SPOTLIGHT_KINDS), id }).nullable().default(null),
  turns: z
    .object({
      order: z.array(id),
      speaking: id.nullable(),
      done: z.array(id),
      speakerStartedAt: z.number().nullable(),
    })
    .default({ order: [], speaking: null, done: [], speakerStartedAt: null }),
  pairs: z.array(z.array(id)).default([]),
  revealed: z.boolean().default(false),
  heaviest: z.enum(CATEGORY_IDS).nullable().default(null),
  voting: z
    .object({ status: z.enum(VOTING_STATUSES), perPerson: z.number().int().min(1).max(MAX_VOTES_PER_PERSON) })
    .default(DEFAULT_VOTING),
  finalQuestionIds: z.array(id).default([]),
  /**
   * When each step was last left (server ms). The server still accepts a
   * participant's writes for a step left a few minutes ago, so a laptop whose
   * Wi-Fi dropped mid-step loses nothing (shared/board/writeRules.ts).
   */
  stepLeftAt: z.partialRecord(z.enum(STEP_IDS), z.number()).default({}),
  /** Whether new people may join with the code or link; the facilitator closes it once everyone is in. */
  joining: z.boolean().default(true),
});
export type ControlState = z.infer<typeof controlStateSchema>;
export type TimerState = ControlState['timer'];
export type Spotlight = NonNullable<ControlState['spotlight']>;

export function initialControl(length: MeetingLength): ControlState {
  return controlStateSchema.parse({ version: 0, step: 'open', timer: freshTimer('open', length), locked: false });
}

export function freshTimer(step: StepId, length: MeetingLength): TimerState {
  return { durationMs: stepMinutes(step, length) * 60_000, elapsedMs: 0, runningSince: null };
}

export function remainingMs(timer: TimerState, now: number): number {
  const running = timer.runningSince === null ? 0 : Math.max(0, now - timer.runningSince);
  return Math.max(0, timer.durationMs - timer.elapsedMs - running);
}

/**
 * A client may tag a command with an id of its choosing; the server remembers
 * recent ids per session and answers a replay without applying it again. That
 * makes commands that are not idempotent by themselves (`timer addMinute`)
 * safe to resend after a dropped acknowledgement.
 */
export const commandIdSchema = z.string().min(1).max(64);
const command = <T extends z.ZodRawShape>(shape: T) => z.object({ ...shape, id: commandIdSchema.optional() });

export const commandSchema = z.discriminatedUnion('type', [
  command({ type: z.literal('goto'), step: z.enum(STEP_IDS) }),
  command({ type: z.literal('next'), from: z.enum(STEP_IDS) }),
  command({ type: z.literal('previous'), from: z.enum(STEP_IDS) }),
  command({ type: z.literal('timer'), action: z.enum(['start', 'pause', 'addMinute', 'reset']) }),
  command({ type: z.literal('lock'), locked: z.boolean() }),
  command({ type: z.literal('spotlight'), target: z.object({ kind: z.enum(SPOTLIGHT_KINDS), id }).nullable() }),
  command({ type: z.literal('turns'), action: z.literal('start') }),
  command({ type: z.literal('speaker'), participantId: id.nullable() }),
  command({ type: z.literal('pairs'), action: z.literal('form') }),
  command({ type: z.literal('movePerson'), participantId: id, group: z.number().int().min(0).max(100) }),
  command({ type: z.literal('reveal') }),
  command({ type: z.literal('heaviest'), category: z.enum(CATEGORY_IDS).nullable() }),
  command({
    type: z.literal('voting'),
    status: z.enum(VOTING_STATUSES).optional(),
    perPerson: z.number().int().min(1).max(MAX_VOTES_PER_PERSON).optional(),
  }),
  command({ type: z.literal('final'), questionId: id, final: z.boolean() }),
  command({ type: z.literal('joining'), open: z.boolean() }),
]);
export type Command = z.infer<typeof commandSchema>;

/** What a transition may read besides the state: the clock, the room, chance. */
export interface CommandContext {
  now: number;
  length: MeetingLength;
  /** Participant ids online now, in joining order. */
  present: readonly string[];
  random?: () => number;
}

export type Transition = { ok: true; state: ControlState; changed: boolean } | { ok: false; error: string };

/**
 * Applies a facilitator command. Commands name their target state (`goto`,
 * `lock: true`) or their starting point (`next` names the step it leaves), so a
 * command replayed after a reconnect does not apply twice.
 */
export function applyCommand(state: ControlState, command: Command, ctx: CommandContext): Transition {
  const next = transitionOf(state, command, ctx);
  if (typeof next === 'string') return { ok: false, error: next };
  if (next === state || JSON.stringify(next) === JSON.stringify(state)) return { ok: true, state, changed: false };
  return { ok: true, changed: true, state: { ...next, version: state.version + 1 } };
}

/** The state a command leads to, or an error message. */
function transitionOf(state: ControlState, command: Command, ctx: CommandContext): ControlState | string {
  const { now, length } = ctx;
  switch (command.type) {
    case 'goto':
      return moveTo(state, command.step, length, now);
    case 'next':
    case 'previous': {
      if (command.from !== state.step) return state;
      const target = STEP_IDS[stepIndex(command.from) + (command.type === 'next' ? 1 : -1)];
      if (!target) return `There is no step ${command.type === 'next' ? 'after' : 'before'} ${STEPS[command.from].title}.`;
      return moveTo(state, target, length, now);
    }
    case 'timer': {
      const timer = nextTimer(state.timer, command.action, now, state.step, length);
      return timer ? { ...state, timer } : state;
    }
    case 'lock':
      return { ...state, locked: command.locked };
    case 'spotlight':
      return { ...state, spotlight: command.target };
    case 'turns': {
      // Rotate who goes first: last time's second speaker opens this round.
      const previous = state.turns.order.filter((p) => ctx.present.includes(p));
      const newcomers = ctx.present.filter((p) => !previous.includes(p));
      const order = [...previous.slice(1), ...previous.slice(0, 1), ...newcomers];
      return { ...state, turns: { order, speaking: null, done: [], speakerStartedAt: null } };
    }
    case 'speaker': {
      const { turns } = state;
      if (command.participantId === turns.speaking) return state;
      const done = turns.speaking && !turns.done.includes(turns.speaking) ? [...turns.done, turns.speaking] : turns.done;
      const order =
        command.participantId && !turns.order.includes(command.participantId) ? [...turns.order, command.participantId] : turns.order;
      return {
        ...state,
        turns: { order, done, speaking: command.participantId, speakerStartedAt: command.participantId ? now : null },
      };
    }
    case 'pairs':
      return { ...state, pairs: formPairs(ctx.present, ctx.random) };
    case 'movePerson':
      if (!state.pairs.flat().includes(command.participantId) && !ctx.present.includes(command.participantId)) {
        return 'That person is not here.';
      }
      return { ...state, pairs: movePerson(state.pairs, command.participantId, command.group) };
    case 'reveal':
      return { ...state, revealed: true };
    case 'heaviest':
      return { ...state, heaviest: command.category };
    case 'voting':
      return {
        ...state,
        voting: { status: command.status ?? state.voting.status, perPerson: command.perPerson ?? state.voting.perPerson },
      };
    case 'joining':
      return { ...state, joining: command.open };
    case 'final': {
      if (command.final === state.finalQuestionIds.includes(command.questionId)) return state;
      const without = state.finalQuestionIds.filter((q) => q !== command.questionId);
      return { ...state, finalQuestionIds: command.final ? [...without, command.questionId] : without };
    }
  }
}

function moveTo(state: ControlState, step: StepId, length: MeetingLength, now: number): ControlState {
  if (step === state.step) return state;
  return { ...state, step, timer: freshTimer(step, length), spotlight: null, stepLeftAt: { ...state.stepLeftAt, [state.step]: now } };
}

/** Whether a participant may still write what `step` accepts: it is current, or was left within `graceMs`. */
export function stepStillOpen(state: ControlState, step: StepId, now: number, graceMs: number): boolean {
  if (state.step === step) return true;
  const left = state.stepLeftAt[step];
  return left !== undefined && now - left <= graceMs;
}

/** Keeps the pairs in line with who is present (late joiners, leavers). */
export function withPresence(state: ControlState, present: readonly string[]): ControlState {
  if (state.pairs.length === 0) return state;
  const pairs = reconcilePairs(state.pairs, present);
  return JSON.stringify(pairs) === JSON.stringify(state.pairs) ? state : { ...state, pairs, version: state.version + 1 };
}

/** The timer after an action, or null when the action changes nothing. */
function nextTimer(
  timer: TimerState,
  action: 'start' | 'pause' | 'addMinute' | 'reset',
  now: number,
  step: StepId,
  length: MeetingLength,
): TimerState | null {
  switch (action) {
    case 'start':
      return timer.runningSince === null ? { ...timer, runningSince: now } : null;
    case 'pause':
      return timer.runningSince === null
        ? null
        : { ...timer, elapsedMs: timer.elapsedMs + Math.max(0, now - timer.runningSince), runningSince: null };
    case 'addMinute':
      return { ...timer, durationMs: timer.durationMs + 60_000 };
    case 'reset':
      return freshTimer(step, length);
  }
}

export type { CategoryId };
