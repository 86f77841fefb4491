import { z } from 'zod';
import { AGENDAS, DEFAULT_AGENDA } from './agendas.ts';
import type { CategoryId } from './categories.ts';
import { recordIdSchema } from './recordId.ts';
import type { ServerEffect } from './serverEffects.ts';
import { COMMAND_NAMES, JOIN_CARD_SIZES, SPOTLIGHT_KINDS, type Command, type CommandContext, type StepCommandType } from './commands.ts';
import {
  STEP_IDS,
  STEPS,
  stepMinutes,
  type AnyStepDef,
  type MeetingLength,
  type StepId,
} from './steps.ts';

/**
 * Meeting progress: plain data owned by the server and broadcast to every
 * client. Transitions are pure functions so server and client agree. What a
 * step adds (its slice of the state, its commands) is in its entry in
 * steps.ts; this file holds what every step shares.
 */
export { DEFAULT_VOTING, SPEAKER_MS } from './steps.ts';
export {
  COMMAND_NAMES,
  commandIdSchema,
  commandSchema,
  GLOBAL_COMMANDS,
  JOIN_CARD_SIZES,
  MAX_VOTES_PER_PERSON,
  SPOTLIGHT_KINDS,
  VOTING_STATUSES,
  type Command,
  type CommandContext,
  type CommandOf,
  type GlobalCommandType,
  type StepCommandType,
} from './commands.ts';

const id = recordIdSchema;

/** Every step's own slice of the state, side by side (steps.ts). No two steps may claim one field. */
type StepSliceShape = UnionToIntersection<(typeof STEPS)[StepId]['state']>;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
const stepSlices = Object.assign({}, ...STEP_IDS.map((step) => STEPS[step].state)) as StepSliceShape;

const agendaSchema = z
  .array(z.enum(STEP_IDS))
  .min(1)
  .max(STEP_IDS.length)
  .refine((agenda) => new Set(agenda).size === agenda.length, 'An agenda has each step once.');

export const controlStateSchema = z
  .object({
    /** Increases by one with every accepted change. */
    version: z.number().int().nonnegative(),
    step: z.enum(STEP_IDS),
    /** The steps this meeting walks, in order (agendas.ts); a session stored before agendas walks the default. */
    agenda: agendaSchema.default(() => [...AGENDAS[DEFAULT_AGENDA]]),
    timer: z.object({
      durationMs: z.number().nonnegative(),
      /** Time already run before the current run started. */
      elapsedMs: z.number().nonnegative(),
      /** Server epoch ms when the timer was last started, or null while paused. */
      runningSince: z.number().nullable(),
    }),
    locked: z.boolean(),
    spotlight: z.object({ kind: z.enum(SPOTLIGHT_KINDS), id }).nullable().default(null),
    ...stepSlices,
    /**
     * When each step was last left (server ms). The server still accepts a
     * participant's writes for a step left a few minutes ago, so a laptop whose
     * Wi-Fi dropped mid-step loses nothing (shared/board/writeRules.ts).
     */
    stepLeftAt: z.partialRecord(z.enum(STEP_IDS), z.number()).default({}),
    /** Whether new people may join with the code or link; the facilitator closes it once everyone is in. */
    joining: z.boolean().default(true),
    /**
     * How the projector shows the join code and QR code: large, so late arrivals can
     * still scan it from their seats, until the facilitator shrinks it to a corner.
     * A session stored before the switch shows it large.
     */
    joinCard: z.enum(JOIN_CARD_SIZES).default('large'),
    /**
     * The facilitator's choice, per step, of whether the projector shows who
     * wrote what; a step without a choice uses its registry default (`wallNames`).
     */
    namesOnWall: z.partialRecord(z.enum(STEP_IDS), z.boolean()).default({}),
    /**
     * This meeting's own time boxes, per step, where its template or the
     * facilitator set one (agendas.ts); a step without one uses its registry
     * time box for the meeting's length.
     */
    minutes: z.partialRecord(z.enum(STEP_IDS), z.number().int().min(0).max(180)).default({}),
    /** Who presents in this meeting's protocol (a participant id), chosen by the facilitator; null before. */
    presenterId: id.nullable().default(null),
    /**
     * A cohort meeting's groups (server/year/BreakoutService.ts): whether they
     * are out, whether they follow the plenary's step, and which they are. Set
     * by the server, never by a command.
     */
    breakouts: z
      .object({
        open: z.boolean(),
        lockstep: z.boolean(),
        rooms: z.array(z.object({ sessionId: id, name: z.string().max(60) })).max(12),
        /** Back in plenary: the projector shows each group's result side by side. */
        showResults: z.boolean().default(false),
      })
      .default({ open: false, lockstep: true, rooms: [], showResults: false }),
    /** A group's plenary, and whether everyone has been called back to it; null for any other session. */
    plenary: z.object({ sessionId: id, recalled: z.boolean() }).nullable().default(null),
    /** The facilitator's last message to every group (a time warning, say), with when it was sent. */
    announcement: z.object({ text: z.string().max(200), at: z.number() }).nullable().default(null),
  })
  .superRefine((state, ctx) => {
    if (!state.agenda.includes(state.step)) ctx.addIssue({ code: 'custom', path: ['step'], message: 'The step is not on the agenda.' });
  });
export type ControlState = z.infer<typeof controlStateSchema>;
export type TimerState = ControlState['timer'];
export type Spotlight = NonNullable<ControlState['spotlight']>;

/** A new meeting: at the agenda's first step, unlocked, that step's time box paused. */
export function initialControl(
  length: MeetingLength,
  agenda: readonly StepId[] = AGENDAS[DEFAULT_AGENDA],
  minutes: Partial<Record<StepId, number>> = {},
): ControlState {
  const step = agenda[0];
  if (!step) throw new Error('An agenda needs a step.');
  return controlStateSchema.parse({ version: 0, step, agenda: [...agenda], minutes, timer: freshTimer(step, length, minutes), locked: false });
}

/** A step's time box in this meeting: its own minutes if the meeting set them, else the registry's for the length. */
export function minutesOf(step: StepId, length: MeetingLength, minutes: Partial<Record<StepId, number>> = {}): number {
  return minutes[step] ?? stepMinutes(step, length);
}

export function freshTimer(step: StepId, length: MeetingLength, minutes: Partial<Record<StepId, number>> = {}): TimerState {
  return { durationMs: minutesOf(step, length, minutes) * 60_000, elapsedMs: 0, runningSince: null };
}

export function remainingMs(timer: TimerState, now: number): number {
  const running = timer.runningSince === null ? 0 : Math.max(0, now - timer.runningSince);
  return Math.max(0, timer.durationMs - timer.elapsedMs - running);
}

export type Transition = { ok: true; state: ControlState; changed: boolean } | { ok: false; error: string };

/** The registry as the engine reads it; tests pass one with an extra rule in it. */
export type StepRegistry = Readonly<Record<StepId, AnyStepDef>>;

/**
 * Applies a facilitator command. Commands name their target state (`goto`,
 * `lock: true`) or their starting point (`next` names the step it leaves), so a
 * command replayed after a reconnect does not apply twice. A command of a step
 * other than the current one is refused, here, for server and client alike.
 */
export function applyCommand(state: ControlState, command: Command, ctx: CommandContext, steps: StepRegistry = STEPS): Transition {
  const next = transitionOf(state, command, ctx, steps);
  if (typeof next === 'string') return { ok: false, error: next };
  if (next === state || JSON.stringify(next) === JSON.stringify(state)) return { ok: true, state, changed: false };
  return { ok: true, changed: true, state: { ...next, version: state.version + 1 } };
}

/** What the server must do besides saving when `command` is accepted at the state's step (serverEffects.ts). */
export function serverEffectOf(state: ControlState, command: Command, steps: StepRegistry = STEPS): ServerEffect | undefined {
  const effects: Partial<Record<Command['type'], ServerEffect>> | undefined = steps[state.step].effects;
  return effects?.[command.type];
}

/** The state a command leads to, or an error message. */
function transitionOf(state: ControlState, command: Command, ctx: CommandContext, steps: StepRegistry): ControlState | string {
  const { now, length } = ctx;
  switch (command.type) {
    case 'goto':
      if (!state.agenda.includes(command.step)) return `${steps[command.step].title} is not on this meeting’s agenda.`;
      return moveTo(state, command.step, ctx, steps);
    case 'next':
    case 'previous': {
      if (command.from !== state.step) return state;
      const target = state.agenda[state.agenda.indexOf(command.from) + (command.type === 'next' ? 1 : -1)];
      if (!target) return `There is no step ${command.type === 'next' ? 'after' : 'before'} ${steps[command.from].title}.`;
      return moveTo(state, target, ctx, steps);
    }
    case 'timer': {
      const timer = nextTimer(state.timer, command.action, now, state.step, length, state.minutes);
      return timer ? { ...state, timer } : state;
    }
    case 'lock':
      return { ...state, locked: command.locked };
    case 'spotlight':
      return { ...state, spotlight: command.target };
    case 'joining':
      return { ...state, joining: command.open };
    case 'joinCard':
      return { ...state, joinCard: command.size };
    case 'presenter':
      if (command.participantId !== null && !ctx.present.includes(command.participantId)) return 'The presenter must be here: choose someone who is online.';
      return { ...state, presenterId: command.participantId };
    case 'agenda': {
      const target = command.startAt ?? state.step;
      const reshaped = reshapedAgenda(state, command.steps, command.minutes ?? {}, steps, target);
      if (typeof reshaped === 'string' || target === state.step) return reshaped;
      // A new template before the meeting starts: leave the old step and enter the new first one, timed by the new minutes.
      return moveTo(reshaped, target, ctx, steps);
    }
    case 'namesOnWall':
      if (!state.agenda.includes(command.step)) return `${steps[command.step].title} is not on this meeting’s agenda.`;
      return { ...state, namesOnWall: { ...state.namesOnWall, [command.step]: command.show } };
    default: {
      const rule = steps[state.step].commands[command.type] as
        | ((slice: ControlState, command: Command, ctx: CommandContext) => Partial<ControlState> | string)
        | undefined;
      if (!rule) return refusal(state, command.type, steps);
      const slice = rule(state, command, ctx);
      return typeof slice === 'string' ? slice : { ...state, ...slice };
    }
  }
}

/**
 * The facilitator reshapes the agenda, before the meeting or during it:
 * reorder, skip or add steps and set their minutes. The step the meeting is
 * at stays on it, unless the command names where to go (`startAt`: a new
 * template before the meeting starts); minutes of steps no longer on it are
 * dropped.
 */
function reshapedAgenda(
  state: ControlState,
  agenda: readonly StepId[],
  minutes: Partial<Record<StepId, number>>,
  steps: StepRegistry,
  target: StepId,
): ControlState | string {
  if (new Set(agenda).size !== agenda.length) return 'An agenda has each step once.';
  if (!agenda.includes(target)) {
    return target === state.step
      ? `The meeting is at ${steps[state.step].title}: keep it on the agenda, or move on first.`
      : `${steps[target].title} is not on the new agenda.`;
  }
  const kept: Partial<Record<StepId, number>> = {};
  for (const step of agenda) {
    const m = minutes[step] ?? state.minutes[step];
    if (m !== undefined) kept[step] = m;
  }
  return { ...state, agenda: [...agenda], minutes: kept };
}

/** "Voting belongs to the How might we… step; the meeting is at Sort." */
function refusal(state: ControlState, type: StepCommandType, steps: StepRegistry): string {
  const homes = state.agenda.filter((step) => steps[step].commands[type]).map((step) => steps[step].title);
  if (homes.length === 0) return `${COMMAND_NAMES[type]} is not part of this meeting’s agenda.`;
  return `${COMMAND_NAMES[type]} belongs to the ${homes.join(' or ')} step; the meeting is at ${steps[state.step].title}.`;
}

/** Leaves the current step and enters `step`: its own rules around the moves every step shares. */
function moveTo(state: ControlState, step: StepId, ctx: CommandContext, steps: StepRegistry): ControlState {
  if (step === state.step) return state;
  const left = withSlice(state, steps[state.step].leave, ctx);
  const moved: ControlState = {
    ...left,
    step,
    timer: freshTimer(step, ctx.length, left.minutes),
    spotlight: null,
    stepLeftAt: { ...left.stepLeftAt, [state.step]: ctx.now },
  };
  return withSlice(moved, steps[step].enter, ctx);
}

function withSlice(state: ControlState, rule: AnyStepDef['enter'], ctx: CommandContext): ControlState {
  return rule ? { ...state, ...(rule(state, ctx) as Partial<ControlState>) } : state;
}

/** Whether the projector shows authors' names at `step`: the facilitator's choice, else the step's default. */
export function namesOnWall(state: Pick<ControlState, 'namesOnWall'>, step: StepId, steps: StepRegistry = STEPS): boolean {
  // A state cached before the field existed has none.
  return state.namesOnWall?.[step] ?? steps[step].wallNames;
}

/** Whether the meeting's presenter listens at its step: their inputs are off (YEAR.md 4, "presenter muted"). */
export function presenterListens(state: Pick<ControlState, 'step' | 'presenterId'>, steps: StepRegistry = STEPS): boolean {
  return state.presenterId !== null && steps[state.step].presenter === 'listens';
}

/** Whether a participant may still write what `step` accepts: it is current, or was left within `graceMs`. */
export function stepStillOpen(state: ControlState, step: StepId, now: number, graceMs: number): boolean {
  if (state.step === step) return true;
  const left = state.stepLeftAt[step];
  return left !== undefined && now - left <= graceMs;
}

/** Keeps the steps' slices in line with who is present (the pairs take in late joiners, let go of leavers). */
export function withPresence(state: ControlState, present: readonly string[], steps: StepRegistry = STEPS): ControlState {
  const changes: Partial<ControlState> = {};
  for (const step of STEP_IDS) {
    const fields = steps[step].presence?.(state, present) ?? {};
    for (const [field, value] of Object.entries(fields) as Array<[keyof ControlState, unknown]>) {
      if (JSON.stringify(value) !== JSON.stringify(state[field])) Object.assign(changes, { [field]: value });
    }
  }
  return Object.keys(changes).length === 0 ? state : { ...state, ...changes, version: state.version + 1 };
}

/** The timer after an action, or null when the action changes nothing. */
function nextTimer(
  timer: TimerState,
  action: 'start' | 'pause' | 'addMinute' | 'reset',
  now: number,
  step: StepId,
  length: MeetingLength,
  minutes: Partial<Record<StepId, number>>,
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
      return freshTimer(step, length, minutes);
  }
}

export type { CategoryId };
