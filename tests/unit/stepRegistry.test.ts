import { describe, expect, it } from 'vitest';
import { AGENDAS } from '../../shared/protocol/agendas.ts';
import {
  applyCommand,
  COMMAND_NAMES,
  controlStateSchema,
  GLOBAL_COMMANDS,
  initialControl,
  serverEffectOf,
  type Command,
  type CommandContext,
  type ControlState,
  type StepCommandType,
  type StepRegistry,
  type Transition,
} from '../../shared/protocol/control.ts';
import { STEP_IDS, STEPS, stepMinutes, type MeetingLength, type StepId } from '../../shared/protocol/steps.ts';
import { TURNS_STATE } from '../../shared/protocol/stepDef.ts';
import { INQUIRY_STEP_IDS } from '../../shared/protocol/stepIds.ts';

/** The step registry's behaviour: which step takes which command, the agenda walk, enter/leave rules, the composed schema. */

const LENGTH: MeetingLength = 90;
const T0 = 1_700_000_000_000;
const ctx = (now = T0): CommandContext => ({ now, length: LENGTH, present: ['a', 'b'], random: () => 0.5 });

function at(step: StepId, patch: Partial<ControlState> = {}): ControlState {
  return { ...initialControl(LENGTH), step, ...patch };
}

function accepted(result: Transition): ControlState {
  if (!result.ok) throw new Error(`expected the command to be accepted, got: ${result.error}`);
  return result.state;
}

/**
 * Where the app sends each step's command (client/steps/*.svelte): a command
 * refused where the UI sends it would break the meeting, so this table is the
 * UI's, checked against the registry below.
 */
/** The steps that run a round of turns: the story round and every go-round. */
const ROUNDS: readonly StepId[] = ['story', 'checkin', 'logRound', 'successRounds', 'successDebrief', 'consultDebrief', 'tuningDebrief'];
const HOMES: Record<StepCommandType, readonly StepId[]> = {
  turns: ROUNDS,
  speaker: ROUNDS,
  pass: ROUNDS,
  pairs: ['assumptions'],
  movePerson: ['assumptions'],
  reveal: ['causes', 'tuningFeedback'],
  anonymous: ['causes'],
  heaviest: ['sort'],
  voting: ['hmw'],
  final: ['hmw'],
  feature: ['playlist'],
};
/** Where a refusal at a step of the inquiry says a command belongs: its home on the inquiry's agenda. */
const inquiryHome = (type: StepCommandType) => HOMES[type].find((step) => (AGENDAS.inquiry as readonly StepId[]).includes(step));

/** One command of each step command type, each of which changes a fresh state at its step. */
const SAMPLES: Record<StepCommandType, Command> = {
  turns: { type: 'turns', action: 'start' },
  speaker: { type: 'speaker', participantId: 'a' },
  pass: { type: 'pass' },
  pairs: { type: 'pairs', action: 'form' },
  movePerson: { type: 'movePerson', participantId: 'a', group: 0 },
  reveal: { type: 'reveal' },
  anonymous: { type: 'anonymous', on: true },
  heaviest: { type: 'heaviest', category: 'skills' },
  voting: { type: 'voting', status: 'open' },
  final: { type: 'final', questionId: 'q1', final: true },
  feature: { type: 'feature', resource: { id: 'resource1', title: 'Coaching for equity', why: 'Names the moves', url: 'https://example.org/coaching', type: 'reading' } },
};

const GLOBAL_SAMPLES: Command[] = [
  { type: 'timer', action: 'start' },
  { type: 'lock', locked: true },
  { type: 'spotlight', target: { kind: 'note', id: 'n1' } },
  { type: 'joining', open: false },
  { type: 'joinCard', size: 'corner' },
  { type: 'namesOnWall', step: 'causes', show: true },
];

describe('which step takes which command', () => {
  it('the registry gives each step command to the steps whose views send it, and to no other', () => {
    for (const step of STEP_IDS) {
      const mine = Object.entries(HOMES)
        .filter(([, homes]) => homes.includes(step))
        .map(([type]) => type)
        .sort();
      expect(Object.keys(STEPS[step].commands).sort(), step).toEqual(mine);
    }
  });

  const table = STEP_IDS.flatMap((step) =>
    (Object.keys(SAMPLES) as StepCommandType[]).map((type) => ({ step, type, allowed: HOMES[type].includes(step) })),
  );
  it.each(table)('$type at $step: allowed=$allowed', ({ step, type, allowed }) => {
    // A pass needs someone with the turn.
    const before = at(step, type === 'pass' ? { turns: { order: ['a', 'b'], speaking: 'a', done: [], passed: [], speakerStartedAt: T0 } } : {});
    const result = applyCommand(before, SAMPLES[type], ctx());
    if (allowed) {
      expect(result).toMatchObject({ ok: true, changed: true });
    } else {
      const home = inquiryHome(type);
      expect(result).toEqual({
        ok: false,
        // A monthly block's command (the playlist's feature) has no home on the inquiry's agenda.
        error: home
          ? expect.stringContaining(`belongs to the ${STEPS[home].title} step; the meeting is at ${STEPS[step].title}.`)
          : `${COMMAND_NAMES[type]} is not part of this meeting’s agenda.`,
      });
    }
  });

  it('says in plain words where a refused command belongs', () => {
    expect(applyCommand(at('sort'), { type: 'voting', status: 'open' }, ctx())).toEqual({
      ok: false,
      error: 'Voting belongs to the How might we… step; the meeting is at Sort.',
    });
    expect(applyCommand(at('open'), { type: 'reveal' }, ctx())).toEqual({
      ok: false,
      error: 'Revealing the notes belongs to the Root causes step; the meeting is at Open.',
    });
  });

  it.each(STEP_IDS)('the commands every step shares are taken at %s', (step) => {
    for (const command of GLOBAL_SAMPLES) {
      expect(applyCommand(at(step), command, ctx()), JSON.stringify(command)).toMatchObject({ ok: true, changed: true });
    }
    const elsewhere = step === 'sort' ? 'need' : 'sort';
    expect(accepted(applyCommand(at(step), { type: 'goto', step: elsewhere }, ctx())).step).toBe(elsewhere);
  });

  it('no step lists a shared command as its own', () => {
    for (const step of STEP_IDS) {
      for (const type of GLOBAL_COMMANDS) expect(Object.keys(STEPS[step].commands)).not.toContain(type);
    }
  });

  it('a refused command changes nothing, version included', () => {
    const before = at('need', { version: 12 });
    const snapshot = structuredClone(before);
    expect(applyCommand(before, SAMPLES.final, ctx()).ok).toBe(false);
    expect(before).toEqual(snapshot);
  });
});

describe('server effects are data', () => {
  it('the reveals (root causes, Tuning’s feedback) name their drafts moves, the log round its gathering, the playlist its check of the resource; nothing else names an effect', () => {
    const REVEALS: Partial<Record<StepId, string>> = { causes: 'revealDrafts', tuningFeedback: 'revealCards' };
    const GATHERS: Partial<Record<StepId, string>> = { logRound: 'gatherLog' };
    for (const step of STEP_IDS) {
      for (const command of [...Object.values(SAMPLES), ...GLOBAL_SAMPLES]) {
        const expected =
          command.type === 'reveal'
            ? REVEALS[step]
            : command.type === 'turns' || command.type === 'speaker'
              ? GATHERS[step]
              : command.type === 'feature' && step === 'playlist'
                ? 'featureResource'
                : undefined;
        expect(serverEffectOf(at(step), command), `${command.type} at ${step}`).toBe(expected);
      }
    }
  });
});

describe('the agenda', () => {
  const inquiry = AGENDAS.inquiry;

  it('the inquiry template is the inquiry’s steps, in the protocol’s order, and new sessions walk it', () => {
    expect(inquiry).toEqual(INQUIRY_STEP_IDS);
    expect(initialControl(LENGTH).agenda).toEqual(inquiry);
  });

  it('next at the last step and previous at the first are refused', () => {
    expect(applyCommand(at('close'), { type: 'next', from: 'close' }, ctx())).toEqual({ ok: false, error: 'There is no step after Close.' });
    expect(applyCommand(at('open'), { type: 'previous', from: 'open' }, ctx())).toEqual({ ok: false, error: 'There is no step before Open.' });
  });

  describe('a custom three-step agenda', () => {
    const agenda: StepId[] = ['open', 'causes', 'close'];
    const start = initialControl(LENGTH, agenda);

    it('starts at its first step with that step’s time box', () => {
      expect(start).toMatchObject({ step: 'open', agenda, version: 0 });
      expect(start.timer.durationMs).toBe(stepMinutes('open', LENGTH) * 60_000);
    });

    it('next and previous walk it, skipping the steps it leaves out', () => {
      const walked: StepId[] = [start.step];
      let state = start;
      for (let i = 0; i < 2; i++) {
        state = accepted(applyCommand(state, { type: 'next', from: state.step }, ctx()));
        walked.push(state.step);
      }
      expect(walked).toEqual(agenda);
      expect(state.timer.durationMs).toBe(stepMinutes('close', LENGTH) * 60_000);
      expect(applyCommand(state, { type: 'next', from: 'close' }, ctx())).toMatchObject({ ok: false });
      state = accepted(applyCommand(state, { type: 'previous', from: 'close' }, ctx()));
      expect(state.step).toBe('causes');
      state = accepted(applyCommand(state, { type: 'previous', from: 'causes' }, ctx()));
      expect(state.step).toBe('open');
      expect(applyCommand(state, { type: 'previous', from: 'open' }, ctx())).toMatchObject({ ok: false });
    });

    it('goto refuses a step that is not on it and takes one that is', () => {
      expect(applyCommand(start, { type: 'goto', step: 'sort' }, ctx())).toEqual({ ok: false, error: 'Sort is not on this meeting’s agenda.' });
      expect(accepted(applyCommand(start, { type: 'goto', step: 'close' }, ctx())).step).toBe('close');
    });

    it('a step command whose step is not on it says so', () => {
      expect(applyCommand(start, SAMPLES.voting, ctx())).toEqual({ ok: false, error: 'Voting is not part of this meeting’s agenda.' });
    });
  });
});

describe('enter and leave rules', () => {
  // The inquiry steps have none today; a registry with two shows that the engine runs them.
  const steps: StepRegistry = {
    ...STEPS,
    sort: { ...STEPS.sort, leave: () => ({ heaviest: null }) },
    hmw: { ...STEPS.hmw, enter: (slice: ControlState, c: CommandContext) => ({ voting: { ...slice.voting, perPerson: c.present.length } }) },
  };
  const marked = at('sort', { heaviest: 'skills' });

  it('moving on runs the left step’s leave rule and the next step’s enter rule, besides the moves every step shares', () => {
    const moved = accepted(applyCommand(marked, { type: 'next', from: 'sort' }, ctx(T0 + 5), steps));
    expect(moved).toMatchObject({ step: 'hmw', heaviest: null, spotlight: null, stepLeftAt: { sort: T0 + 5 } });
    expect(moved.voting.perPerson).toBe(2);
    expect(moved.timer.durationMs).toBe(stepMinutes('hmw', LENGTH) * 60_000);
  });

  it('goto runs them too; staying on the step runs neither', () => {
    expect(accepted(applyCommand(marked, { type: 'goto', step: 'open' }, ctx(), steps)).heaviest).toBeNull();
    const stay = applyCommand(marked, { type: 'goto', step: 'sort' }, ctx(), steps);
    expect(stay).toMatchObject({ ok: true, changed: false, state: { heaviest: 'skills' } });
  });

  it('the real registry keeps what a step did when the meeting moves on', () => {
    expect(accepted(applyCommand(marked, { type: 'next', from: 'sort' }, ctx())).heaviest).toBe('skills');
  });
});

describe('the control state schema, composed from the registry', () => {
  it('holds each step’s slice, and no two steps claim the same field', () => {
    // The round of turns is the one slice several steps share, and only as the very same object.
    const claims = new Map<string, unknown>();
    for (const step of STEP_IDS) {
      for (const [field, schema] of Object.entries(STEPS[step].state)) {
        if (claims.has(field)) expect(schema, `${field} claimed again by ${step}`).toBe(claims.get(field));
        claims.set(field, schema);
      }
    }
    const fields = [...claims.keys()];
    expect(fields.sort()).toEqual(['anonymous', 'featured', 'feedbackRevealed', 'finalQuestionIds', 'heaviest', 'pairs', 'revealed', 'turns', 'voting']);
    expect(claims.get('turns')).toBe(TURNS_STATE.turns);
    for (const field of fields) expect(Object.keys(controlStateSchema.shape)).toContain(field);
  });

  it('reads a state stored before agendas (and before the step slices) as the inquiry, from its defaults', () => {
    const stored = {
      version: 14,
      step: 'sort',
      timer: { durationMs: 600_000, elapsedMs: 0, runningSince: null },
      locked: false,
      revealed: true,
      heaviest: 'knowledge',
    };
    const parsed = controlStateSchema.parse(stored);
    expect(parsed).toMatchObject({ ...stored, agenda: AGENDAS.inquiry, pairs: [], finalQuestionIds: [], joining: true });
    expect(parsed.voting).toEqual({ status: 'not started', perPerson: 3 });
    expect(parsed.turns).toEqual({ order: [], speaking: null, done: [], speakerStartedAt: null, passed: [] });
  });

  it('keeps a stored agenda, and refuses one that repeats a step or leaves out the current one', () => {
    const state = initialControl(LENGTH, ['open', 'commit']);
    expect(controlStateSchema.parse(JSON.parse(JSON.stringify(state)))).toEqual(state);
    expect(controlStateSchema.safeParse({ ...state, agenda: ['open', 'open'] }).success).toBe(false);
    expect(controlStateSchema.safeParse({ ...state, agenda: [] }).success).toBe(false);
    expect(controlStateSchema.safeParse({ ...state, step: 'sort' }).success).toBe(false);
  });
});
