import { INQUIRY_STEP_IDS } from '../../shared/protocol/stepIds.ts';
import { describe, expect, it } from 'vitest';
import {
  applyCommand,
  commandSchema,
  controlStateSchema,
  GLOBAL_COMMANDS,
  initialControl,
  namesOnWall,
  type Command,
  type CommandContext,
  type ControlState,
} from '../../shared/protocol/control.ts';
import { STEP_IDS, STEPS, type StepId } from '../../shared/protocol/steps.ts';

/** Names on the wall (a choice per step) and the causes step's anonymous mode, in the control state. */

const T0 = 1_700_000_000_000;
const ctx: CommandContext = { now: T0, length: 90, present: [] };

function at(step: StepId, patch: Partial<ControlState> = {}): ControlState {
  return { ...initialControl(90), step, ...patch };
}

function apply(state: ControlState, command: Command): ControlState {
  const result = applyCommand(state, command, ctx);
  if (!result.ok) throw new Error(result.error);
  return result.state;
}

describe('names on the wall', () => {
  it('are hidden by default where they would weigh on what is said, shown where the name is the point', () => {
    const state = initialControl(90);
    const shown = Object.fromEntries(INQUIRY_STEP_IDS.map((step) => [step, namesOnWall(state, step)]));
    expect(shown).toEqual({
      open: false,
      story: true,
      need: true,
      assumptions: true,
      causes: false,
      sort: false,
      hmw: false,
      commit: true,
      close: true,
    });
    for (const step of STEP_IDS) expect(namesOnWall(state, step)).toBe(STEPS[step].wallNames);
  });

  it('the facilitator switches them per step, at any step, and only that step changes', () => {
    const on = apply(at('story'), { type: 'namesOnWall', step: 'causes', show: true });
    expect(on.namesOnWall).toEqual({ causes: true });
    expect(namesOnWall(on, 'causes')).toBe(true);
    expect(namesOnWall(on, 'sort')).toBe(false);
    const storyOff = apply(on, { type: 'namesOnWall', step: 'story', show: false });
    expect(namesOnWall(storyOff, 'story')).toBe(false);
    expect(namesOnWall(storyOff, 'causes')).toBe(true);
    expect(storyOff.version).toBe(on.version + 1);
  });

  it('is a command every step takes, and a replay changes nothing', () => {
    expect(GLOBAL_COMMANDS).toContain('namesOnWall');
    const once = apply(at('sort'), { type: 'namesOnWall', step: 'sort', show: true });
    const again = applyCommand(once, { type: 'namesOnWall', step: 'sort', show: true }, ctx);
    expect(again).toMatchObject({ ok: true, changed: false, state: once });
  });

  it('refuses a step the meeting does not walk', () => {
    const short = controlStateSchema.parse({ ...initialControl(90), agenda: ['open', 'causes', 'sort'] });
    expect(applyCommand(short, { type: 'namesOnWall', step: 'hmw', show: true }, ctx)).toMatchObject({ ok: false });
  });

  it('validates its payload at the edge', () => {
    expect(commandSchema.safeParse({ type: 'namesOnWall', step: 'causes', show: true }).success).toBe(true);
    expect(commandSchema.safeParse({ type: 'namesOnWall', step: 'lunch', show: true }).success).toBe(false);
    expect(commandSchema.safeParse({ type: 'namesOnWall', step: 'causes', show: 'yes' }).success).toBe(false);
    expect(commandSchema.safeParse({ type: 'namesOnWall', step: 'causes' }).success).toBe(false);
  });

  it('reads a state stored before the field existed with the steps’ defaults', () => {
    const { namesOnWall: _field, ...old } = initialControl(90);
    const parsed = controlStateSchema.parse(old);
    expect(parsed.namesOnWall).toEqual({});
    expect(namesOnWall(parsed, 'causes')).toBe(false);
    // A client's cached state from before the field: the defaults too.
    expect(namesOnWall(old as ControlState, 'story')).toBe(true);
  });
});

describe('anonymous root causes', () => {
  it('are off in a new session', () => {
    expect(initialControl(90).anonymous).toBe(false);
    const { anonymous: _field, ...old } = initialControl(90);
    expect(controlStateSchema.parse(old).anonymous).toBe(false);
  });

  it('the facilitator switches them on and off before the reveal', () => {
    const on = apply(at('causes'), { type: 'anonymous', on: true });
    expect(on.anonymous).toBe(true);
    expect(apply(on, { type: 'anonymous', on: false }).anonymous).toBe(false);
  });

  it('cannot change once the notes are revealed', () => {
    const revealed = apply(apply(at('causes'), { type: 'anonymous', on: true }), { type: 'reveal' });
    expect(applyCommand(revealed, { type: 'anonymous', on: false }, ctx)).toEqual({
      ok: false,
      error: 'The notes are already revealed; choose anonymous notes before the reveal.',
    });
  });

  it('belongs to the root causes step', () => {
    expect(applyCommand(at('sort'), { type: 'anonymous', on: true }, ctx)).toEqual({
      ok: false,
      error: 'Choosing anonymous notes belongs to the Root causes step; the meeting is at Sort.',
    });
  });

  it('validates its payload at the edge', () => {
    expect(commandSchema.safeParse({ type: 'anonymous', on: 1 }).success).toBe(false);
    expect(commandSchema.safeParse({ type: 'anonymous' }).success).toBe(false);
  });
});
