import { describe, expect, it } from 'vitest';
import {
  applyCommand,
  commandSchema,
  freshTimer,
  initialControl,
  remainingMs,
  stepStillOpen,
  type Command,
  type CommandContext,
  type ControlState,
  type Transition,
} from '../../shared/protocol/control.ts';
import { STEP_IDS, stepMinutes, type MeetingLength, type StepId } from '../../shared/protocol/steps.ts';

const LENGTH: MeetingLength = 90;
const T0 = 1_700_000_000_000;

/** The context a command runs in: the clock at `now`, a 90-minute meeting, nobody present. */
function ctx(now: number): CommandContext {
  return { now, length: LENGTH, present: [] };
}

function at(step: StepId, patch: Partial<ControlState> = {}): ControlState {
  return { ...initialControl(LENGTH), step, timer: freshTimer(step, LENGTH), ...patch };
}

function accepted(result: Transition): { state: ControlState; changed: boolean } {
  if (!result.ok) throw new Error(`expected the command to be accepted, got: ${result.error}`);
  return result;
}

/** Applies commands in order, each at its own time, and returns the final state. */
function run(state: ControlState, steps: Array<[Command, number]>): ControlState {
  return steps.reduce((s, [command, now]) => accepted(applyCommand(s, command, ctx(now))).state, state);
}

describe('initialControl', () => {
  it('starts at the first step, unlocked, with that step’s time box paused', () => {
    for (const length of [60, 90, 120] as const) {
      expect(initialControl(length)).toEqual({
        version: 0,
        step: 'open',
        agenda: ['open', 'story', 'need', 'assumptions', 'causes', 'sort', 'hmw', 'commit', 'close'],
        timer: { durationMs: stepMinutes('open', length) * 60_000, elapsedMs: 0, runningSince: null },
        locked: false,
        spotlight: null,
        turns: { order: [], speaking: null, done: [], speakerStartedAt: null, passed: [] },
        pairs: [],
        revealed: false,
        anonymous: false,
        heaviest: null,
        voting: { status: 'not started', perPerson: 3 },
        finalQuestionIds: [],
        stepLeftAt: {},
        joining: true,
        joinCard: 'large',
        namesOnWall: {},
        minutes: {},
        presenterId: null,
        feedbackRevealed: false,
        featured: null,
        breakouts: { open: false, lockstep: true, rooms: [], showResults: false },
        plenary: null,
        announcement: null,
      });
    }
  });
});

describe('when steps were left (the server keeps taking a step\'s writes for a grace period)', () => {
  it('records the time a step is left, by goto, next and previous', () => {
    let state = initialControl(LENGTH);
    state = run(state, [[{ type: 'next', from: 'open' }, T0]]);
    state = run(state, [[{ type: 'goto', step: 'sort' }, T0 + 1000]]);
    state = run(state, [[{ type: 'previous', from: 'sort' }, T0 + 2000]]);
    expect(state.stepLeftAt).toEqual({ open: T0, story: T0 + 1000, sort: T0 + 2000 });
  });

  const GRACE = 10 * 60_000;
  const cases: Array<{ name: string; step: StepId; now: number; open: boolean }> = [
    { name: 'the current step', step: 'need', now: T0 + 10 * GRACE, open: true },
    { name: 'a step left a minute ago', step: 'story', now: T0 + 60_000, open: true },
    { name: 'a step left exactly the grace ago', step: 'story', now: T0 + GRACE, open: true },
    { name: 'a step left longer ago', step: 'story', now: T0 + GRACE + 1, open: false },
    { name: 'a step never visited', step: 'hmw', now: T0, open: false },
  ];
  it.each(cases)('$name: open=$open', ({ step, now, open }) => {
    const state = run(at('story'), [[{ type: 'goto', step: 'need' }, T0]]);
    expect(stepStillOpen(state, step, now, GRACE)).toBe(open);
  });
});

describe('step navigation', () => {
  const cases: Array<{ name: string; from: StepId; command: Command; to: StepId; changed: boolean }> = [
    { name: 'goto jumps ahead', from: 'open', command: { type: 'goto', step: 'sort' }, to: 'sort', changed: true },
    { name: 'goto jumps back', from: 'hmw', command: { type: 'goto', step: 'story' }, to: 'story', changed: true },
    { name: 'goto the current step', from: 'need', command: { type: 'goto', step: 'need' }, to: 'need', changed: false },
    { name: 'next advances one', from: 'open', command: { type: 'next', from: 'open' }, to: 'story', changed: true },
    { name: 'next into the last step', from: 'commit', command: { type: 'next', from: 'commit' }, to: 'close', changed: true },
    { name: 'previous goes back one', from: 'sort', command: { type: 'previous', from: 'sort' }, to: 'causes', changed: true },
    { name: 'replayed next (stale from)', from: 'story', command: { type: 'next', from: 'open' }, to: 'story', changed: false },
    { name: 'replayed previous (stale from)', from: 'causes', command: { type: 'previous', from: 'sort' }, to: 'causes', changed: false },
    { name: 'next from a step ahead', from: 'open', command: { type: 'next', from: 'hmw' }, to: 'open', changed: false },
  ];

  it.each(cases)('$name: $from -> $to', ({ from, command, to, changed }) => {
    const before = at(from, { version: 7 });
    const result = accepted(applyCommand(before, command, ctx(T0)));
    expect(result.state.step).toBe(to);
    expect(result.changed).toBe(changed);
    expect(result.state.version).toBe(changed ? 8 : 7);
    if (!changed) expect(result.state).toBe(before);
  });

  it('walks every step with next and back with previous', () => {
    let state = initialControl(LENGTH);
    const agenda = state.agenda;
    for (const step of agenda.slice(1)) {
      state = run(state, [[{ type: 'next', from: state.step }, T0]]);
      expect(state.step).toBe(step);
    }
    expect(state.version).toBe(agenda.length - 1);
    for (const step of [...agenda].reverse().slice(1)) {
      state = run(state, [[{ type: 'previous', from: state.step }, T0]]);
      expect(state.step).toBe(step);
    }
  });

  it('replaying the same next twice advances only once', () => {
    const next: Command = { type: 'next', from: 'causes' };
    const state = run(at('causes'), [
      [next, T0],
      [next, T0 + 1],
    ]);
    expect(state.step).toBe('sort');
    expect(state.version).toBe(1);
  });

  it('next from the last step and previous from the first are errors', () => {
    const last = applyCommand(at('close'), { type: 'next', from: 'close' }, ctx(T0));
    expect(last).toEqual({ ok: false, error: expect.stringContaining('after Close') });
    const first = applyCommand(at('open'), { type: 'previous', from: 'open' }, ctx(T0));
    expect(first).toEqual({ ok: false, error: expect.stringContaining('before Open') });
  });

  it('moving to another step gives it a fresh, paused timer for that step', () => {
    const running = run(at('story'), [
      [{ type: 'timer', action: 'start' }, T0],
      [{ type: 'timer', action: 'addMinute' }, T0 + 1000],
    ]);
    const moved = run(running, [[{ type: 'next', from: 'story' }, T0 + 5000]]);
    expect(moved.timer).toEqual({ durationMs: stepMinutes('need', LENGTH) * 60_000, elapsedMs: 0, runningSince: null });
  });

  it('does not mutate the state it is given', () => {
    const before = at('open');
    const snapshot = structuredClone(before);
    applyCommand(before, { type: 'goto', step: 'close' }, ctx(T0));
    applyCommand(before, { type: 'timer', action: 'start' }, ctx(T0));
    expect(before).toEqual(snapshot);
  });
});

describe('timer', () => {
  const duration = stepMinutes('causes', LENGTH) * 60_000;

  it('is full and paused on a fresh step', () => {
    const state = at('causes');
    expect(remainingMs(state.timer, T0)).toBe(duration);
    expect(remainingMs(state.timer, T0 + 60_000)).toBe(duration);
  });

  it('start runs it from `now`', () => {
    const state = run(at('causes'), [[{ type: 'timer', action: 'start' }, T0]]);
    expect(state.timer).toEqual({ durationMs: duration, elapsedMs: 0, runningSince: T0 });
    expect(remainingMs(state.timer, T0 + 30_000)).toBe(duration - 30_000);
  });

  it('pause keeps the time already run and stops the clock', () => {
    const state = run(at('causes'), [
      [{ type: 'timer', action: 'start' }, T0],
      [{ type: 'timer', action: 'pause' }, T0 + 40_000],
    ]);
    expect(state.timer).toEqual({ durationMs: duration, elapsedMs: 40_000, runningSince: null });
    expect(remainingMs(state.timer, T0 + 999_999)).toBe(duration - 40_000);
  });

  it('resuming adds the second run to the first', () => {
    const state = run(at('causes'), [
      [{ type: 'timer', action: 'start' }, T0],
      [{ type: 'timer', action: 'pause' }, T0 + 10_000],
      [{ type: 'timer', action: 'start' }, T0 + 50_000],
    ]);
    expect(remainingMs(state.timer, T0 + 65_000)).toBe(duration - 25_000);
  });

  it('addMinute extends the time box, running or paused', () => {
    const paused = run(at('causes'), [[{ type: 'timer', action: 'addMinute' }, T0]]);
    expect(remainingMs(paused.timer, T0)).toBe(duration + 60_000);
    const running = run(at('causes'), [
      [{ type: 'timer', action: 'start' }, T0],
      [{ type: 'timer', action: 'addMinute' }, T0 + 10_000],
    ]);
    expect(remainingMs(running.timer, T0 + 10_000)).toBe(duration + 50_000);
  });

  it('reset restores the step’s full time, paused', () => {
    const state = run(at('causes'), [
      [{ type: 'timer', action: 'start' }, T0],
      [{ type: 'timer', action: 'addMinute' }, T0 + 1],
      [{ type: 'timer', action: 'reset' }, T0 + 20_000],
    ]);
    expect(state.timer).toEqual(freshTimer('causes', LENGTH));
    expect(state.version).toBe(3);
  });

  it('never goes below zero, and ignores a clock that runs backwards', () => {
    const state = run(at('causes'), [[{ type: 'timer', action: 'start' }, T0]]);
    expect(remainingMs(state.timer, T0 + duration + 5 * 60_000)).toBe(0);
    expect(remainingMs(state.timer, T0 - 10_000)).toBe(duration);
  });

  it.each([
    { name: 'start while running', setup: [{ type: 'timer', action: 'start' }] as Command[], action: 'start' as const },
    { name: 'pause while paused', setup: [] as Command[], action: 'pause' as const },
  ])('$name changes nothing', ({ setup, action }) => {
    const before = run(
      at('causes'),
      setup.map((c) => [c, T0]),
    );
    const result = accepted(applyCommand(before, { type: 'timer', action }, ctx(T0 + 5000)));
    expect(result.changed).toBe(false);
    expect(result.state).toBe(before);
  });
});

describe('lock', () => {
  it.each([
    { locked: false, command: true, changed: true },
    { locked: true, command: false, changed: true },
    { locked: true, command: true, changed: false },
    { locked: false, command: false, changed: false },
  ])('locked=$locked, lock($command) -> changed=$changed', ({ locked, command, changed }) => {
    const result = accepted(applyCommand(at('sort', { locked }), { type: 'lock', locked: command }, ctx(T0)));
    expect(result.state.locked).toBe(command);
    expect(result.changed).toBe(changed);
    expect(result.state.step).toBe('sort');
  });
});

describe('commandSchema', () => {
  it.each([null, 3, 'next', {}, { type: 'nope' }, { type: 'goto', step: 'x' }, { type: 'next' }, { type: 'timer', action: 'stop' }, { type: 'lock', locked: 'yes' }])(
    'rejects %j',
    (raw) => {
      expect(commandSchema.safeParse(raw).success).toBe(false);
    },
  );

  it('accepts a well-formed command', () => {
    expect(commandSchema.parse({ type: 'next', from: 'open' })).toEqual({ type: 'next', from: 'open' });
  });
});
