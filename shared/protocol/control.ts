import { z } from 'zod';
import { STEP_IDS, STEPS, stepIndex, stepMinutes, type MeetingLength, type StepId } from './steps.ts';

/**
 * Meeting progress: plain data owned by the server and broadcast to every
 * client. Transitions are pure functions so server and client agree.
 */
export interface TimerState {
  durationMs: number;
  /** Time already run before the current run started. */
  elapsedMs: number;
  /** Server epoch ms when the timer was last started, or null while paused. */
  runningSince: number | null;
}

export interface ControlState {
  /** Increases by one with every accepted change. */
  version: number;
  step: StepId;
  timer: TimerState;
  locked: boolean;
}

export function initialControl(length: MeetingLength): ControlState {
  return { version: 0, step: 'open', timer: freshTimer('open', length), locked: false };
}

export function freshTimer(step: StepId, length: MeetingLength): TimerState {
  return { durationMs: stepMinutes(step, length) * 60_000, elapsedMs: 0, runningSince: null };
}

export function remainingMs(timer: TimerState, now: number): number {
  const running = timer.runningSince === null ? 0 : Math.max(0, now - timer.runningSince);
  return Math.max(0, timer.durationMs - timer.elapsedMs - running);
}

export const commandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('goto'), step: z.enum(STEP_IDS) }),
  z.object({ type: z.literal('next'), from: z.enum(STEP_IDS) }),
  z.object({ type: z.literal('previous'), from: z.enum(STEP_IDS) }),
  z.object({ type: z.literal('timer'), action: z.enum(['start', 'pause', 'addMinute', 'reset']) }),
  z.object({ type: z.literal('lock'), locked: z.boolean() }),
]);
export type Command = z.infer<typeof commandSchema>;

export type Transition = { ok: true; state: ControlState; changed: boolean } | { ok: false; error: string };

/**
 * Applies a facilitator command. `next` and `previous` name the step they
 * start from, so a command replayed after a reconnect does not advance twice.
 */
export function applyCommand(state: ControlState, command: Command, now: number, length: MeetingLength): Transition {
  const unchanged: Transition = { ok: true, state, changed: false };
  const move = (step: StepId): Transition =>
    step === state.step
      ? unchanged
      : { ok: true, changed: true, state: { ...state, version: state.version + 1, step, timer: freshTimer(step, length) } };
  const withTimer = (timer: TimerState): Transition => ({
    ok: true,
    changed: true,
    state: { ...state, version: state.version + 1, timer },
  });

  switch (command.type) {
    case 'goto':
      return move(command.step);
    case 'next':
    case 'previous': {
      if (command.from !== state.step) return unchanged;
      const target = STEP_IDS[stepIndex(command.from) + (command.type === 'next' ? 1 : -1)];
      if (!target) return { ok: false, error: `There is no step ${command.type === 'next' ? 'after' : 'before'} ${STEPS[command.from].title}.` };
      return move(target);
    }
    case 'timer': {
      const timer = nextTimer(state.timer, command.action, now, state.step, length);
      return timer ? withTimer(timer) : unchanged;
    }
    case 'lock':
      if (command.locked === state.locked) return unchanged;
      return { ok: true, changed: true, state: { ...state, version: state.version + 1, locked: command.locked } };
  }
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

export const controlStateSchema = z.object({
  version: z.number().int().nonnegative(),
  step: z.enum(STEP_IDS),
  timer: z.object({
    durationMs: z.number().nonnegative(),
    elapsedMs: z.number().nonnegative(),
    runningSince: z.number().nullable(),
  }),
  locked: z.boolean(),
});
