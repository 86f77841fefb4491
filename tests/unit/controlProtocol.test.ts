import { describe, expect, it } from 'vitest';
import {
  applyCommand,
  commandSchema,
  controlStateSchema,
  initialControl,
  MAX_VOTES_PER_PERSON,
  withPresence,
  type Command,
  type CommandContext,
  type ControlState,
  type Transition,
} from '../../shared/protocol/control.ts';
import { STEP_IDS, type MeetingLength } from '../../shared/protocol/steps.ts';

/** The commands issue 3 added to the control plane: spotlight, turns, pairs, reveal, sort, vote, final. */

const LENGTH: MeetingLength = 90;
const T0 = 1_700_000_000_000;

function ctx(present: readonly string[] = [], now = T0, random?: () => number): CommandContext {
  return { now, length: LENGTH, present, ...(random ? { random } : {}) };
}

function state(patch: Partial<ControlState> = {}): ControlState {
  return { ...initialControl(LENGTH), ...patch };
}

function accepted(result: Transition): { state: ControlState; changed: boolean } {
  if (!result.ok) throw new Error(`expected the command to be accepted, got: ${result.error}`);
  return result;
}

function apply(before: ControlState, command: Command, context: CommandContext = ctx()) {
  return accepted(applyCommand(before, command, context));
}

/** Applies the same command twice: the replay must change nothing. */
function expectIdempotent(before: ControlState, command: Command, context: CommandContext = ctx()): ControlState {
  const once = apply(before, command, context);
  const twice = apply(once.state, command, context);
  expect(twice.changed).toBe(false);
  expect(twice.state).toBe(once.state);
  return once.state;
}

const sorted = (groups: string[][]) => groups.flat().sort();

describe('spotlight', () => {
  it('puts one item on the projector, replaces it, and clears it', () => {
    const s1 = apply(state(), { type: 'spotlight', target: { kind: 'story', id: 's1' } });
    expect(s1).toMatchObject({ changed: true, state: { spotlight: { kind: 'story', id: 's1' }, version: 1 } });
    const s2 = apply(s1.state, { type: 'spotlight', target: { kind: 'note', id: 'n1' } });
    expect(s2.state.spotlight).toEqual({ kind: 'note', id: 'n1' });
    const cleared = apply(s2.state, { type: 'spotlight', target: null });
    expect(cleared.state.spotlight).toBeNull();
    expect(cleared.state.version).toBe(3);
  });

  it('the same spotlight twice changes nothing', () => {
    expectIdempotent(state(), { type: 'spotlight', target: { kind: 'question', id: 'q1' } });
  });

  it('a step change clears the spotlight; a timer or lock change keeps it', () => {
    const lit = state({ step: 'story', spotlight: { kind: 'story', id: 's1' } });
    expect(apply(lit, { type: 'timer', action: 'start' }).state.spotlight).toEqual({ kind: 'story', id: 's1' });
    expect(apply(lit, { type: 'lock', locked: true }).state.spotlight).toEqual({ kind: 'story', id: 's1' });
    expect(apply(lit, { type: 'next', from: 'story' }).state).toMatchObject({ step: 'need', spotlight: null });
    expect(apply(lit, { type: 'previous', from: 'story' }).state).toMatchObject({ step: 'open', spotlight: null });
    expect(apply(lit, { type: 'goto', step: 'sort' }).state).toMatchObject({ step: 'sort', spotlight: null });
    // Staying on the step (goto the current one) keeps it.
    expect(apply(lit, { type: 'goto', step: 'story' }).state.spotlight).toEqual({ kind: 'story', id: 's1' });
  });

  it('rejects an unknown kind', () => {
    expect(commandSchema.safeParse({ type: 'spotlight', target: { kind: 'vote', id: 'x' } }).success).toBe(false);
    expect(commandSchema.safeParse({ type: 'spotlight', target: { kind: 'story', id: '' } }).success).toBe(false);
  });
});

describe('turns', () => {
  it('a first round takes the people present in joining order', () => {
    const { state: s } = apply(state({ step: 'story' }), { type: 'turns', action: 'start' }, ctx(['a', 'b', 'c']));
    expect(s.turns).toEqual({ order: ['a', 'b', 'c'], speaking: null, done: [], speakerStartedAt: null, passed: [] });
  });

  it('each new round rotates who goes first', () => {
    let s = state({ step: 'story' });
    const firsts: string[] = [];
    for (let round = 0; round < 4; round++) {
      s = apply(s, { type: 'turns', action: 'start' }, ctx(['a', 'b', 'c'])).state;
      firsts.push(s.turns.order[0]!);
      expect([...s.turns.order].sort()).toEqual(['a', 'b', 'c']);
    }
    expect(firsts).toEqual(['a', 'b', 'c', 'a']);
  });

  it('drops people who left and adds newcomers at the end', () => {
    const before = state({ step: 'story', turns: { order: ['a', 'b', 'c'], speaking: null, done: [], speakerStartedAt: null, passed: [] } });
    const { state: s } = apply(before, { type: 'turns', action: 'start' }, ctx(['a', 'c', 'd']));
    expect(s.turns.order).toEqual(['c', 'a', 'd']);
  });

  it('a new round clears who spoke and who is speaking', () => {
    const before = state({ step: 'story', turns: { order: ['a', 'b'], speaking: 'b', done: ['a'], speakerStartedAt: T0, passed: [] } });
    const { state: s } = apply(before, { type: 'turns', action: 'start' }, ctx(['a', 'b']));
    expect(s.turns).toMatchObject({ speaking: null, done: [], speakerStartedAt: null });
  });
});

describe('speaker', () => {
  const round = state({ step: 'story', turns: { order: ['a', 'b', 'c'], speaking: null, done: [], speakerStartedAt: null, passed: [] } });

  it('marks who is speaking and when they started', () => {
    const { state: s } = apply(round, { type: 'speaker', participantId: 'a' }, ctx([], T0 + 5));
    expect(s.turns).toEqual({ order: ['a', 'b', 'c'], speaking: 'a', done: [], speakerStartedAt: T0 + 5, passed: [] });
  });

  it('the next speaker marks the previous one done', () => {
    let s = apply(round, { type: 'speaker', participantId: 'a' }, ctx([], T0)).state;
    s = apply(s, { type: 'speaker', participantId: 'b' }, ctx([], T0 + 1000)).state;
    expect(s.turns).toMatchObject({ speaking: 'b', done: ['a'], speakerStartedAt: T0 + 1000 });
    s = apply(s, { type: 'speaker', participantId: null }, ctx([], T0 + 2000)).state;
    expect(s.turns).toEqual({ order: ['a', 'b', 'c'], speaking: null, done: ['a', 'b'], speakerStartedAt: null, passed: [] });
    // Not shared yet: whoever is in the order but not done.
    expect(s.turns.order.filter((p) => !s.turns.done.includes(p))).toEqual(['c']);
  });

  it('marking the current speaker again changes nothing (the speaker timer keeps running)', () => {
    const speaking = apply(round, { type: 'speaker', participantId: 'a' }, ctx([], T0)).state;
    const again = apply(speaking, { type: 'speaker', participantId: 'a' }, ctx([], T0 + 60_000));
    expect(again.changed).toBe(false);
    expect(again.state.turns.speakerStartedAt).toBe(T0);
  });

  it('someone not in the order yet is added to it', () => {
    const { state: s } = apply(round, { type: 'speaker', participantId: 'late' });
    expect(s.turns.order).toEqual(['a', 'b', 'c', 'late']);
  });
});

describe('pairs', () => {
  it('form pairs the people present (ctx.present), with one trio when odd', () => {
    const { state: three } = apply(state({ step: 'assumptions' }), { type: 'pairs', action: 'form' }, ctx(['a', 'b', 'c']));
    expect(three.pairs.map((g) => g.length)).toEqual([3]);
    expect(sorted(three.pairs)).toEqual(['a', 'b', 'c']);

    const { state: four } = apply(state({ step: 'assumptions' }), { type: 'pairs', action: 'form' }, ctx(['a', 'b', 'c', 'd']));
    expect(four.pairs.map((g) => g.length)).toEqual([2, 2]);
    expect(sorted(four.pairs)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('form leaves out people who are not present', () => {
    const before = state({ step: 'assumptions', pairs: [['gone', 'a']] });
    const { state: s } = apply(before, { type: 'pairs', action: 'form' }, ctx(['a', 'b']));
    expect(sorted(s.pairs)).toEqual(['a', 'b']);
  });

  it('form uses the random source of the context (a reshuffle)', () => {
    const present = ['a', 'b', 'c', 'd'];
    const first = apply(state({ step: 'assumptions' }), { type: 'pairs', action: 'form' }, ctx(present, T0, () => 0)).state;
    const second = apply(state({ step: 'assumptions' }), { type: 'pairs', action: 'form' }, ctx(present, T0, () => 0.99)).state;
    expect(JSON.stringify(first.pairs.map((g) => [...g].sort()).sort())).not.toBe(
      JSON.stringify(second.pairs.map((g) => [...g].sort()).sort()),
    );
  });

  it('movePerson moves someone into another group', () => {
    const before = state({ step: 'assumptions', pairs: [['a', 'b'], ['c', 'd']] });
    const { state: s } = apply(before, { type: 'movePerson', participantId: 'a', group: 1 }, ctx(['a', 'b', 'c', 'd']));
    expect(s.pairs).toEqual([['b'], ['c', 'd', 'a']]);
    expect(s.version).toBe(before.version + 1);
  });

  it('movePerson places someone present who had no group', () => {
    const before = state({ step: 'assumptions', pairs: [['a', 'b']] });
    const { state: s } = apply(before, { type: 'movePerson', participantId: 'e', group: 0 }, ctx(['a', 'b', 'e']));
    expect(s.pairs).toEqual([['a', 'b', 'e']]);
  });

  it('movePerson refuses someone who is neither present nor paired', () => {
    const before = state({ step: 'assumptions', pairs: [['a', 'b']] });
    const result = applyCommand(before, { type: 'movePerson', participantId: 'ghost', group: 0 }, ctx(['a', 'b']));
    expect(result).toEqual({ ok: false, error: expect.stringContaining('not here') });
  });

  it('withPresence adds a late joiner and reconciles a leaver, bumping the version', () => {
    const before = state({ version: 4, pairs: [['a', 'b'], ['c', 'd']] });
    const joined = withPresence(before, ['a', 'b', 'c', 'd', 'e']);
    expect(sorted(joined.pairs)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(joined.pairs.map((g) => g.length).sort()).toEqual([2, 3]);
    expect(joined.version).toBe(5);

    const left = withPresence(before, ['b', 'c', 'd']);
    expect(sorted(left.pairs)).toEqual(['b', 'c', 'd']);
    expect(left.version).toBe(5);
  });

  it('withPresence changes nothing before pairs are formed or when nobody moved', () => {
    const unpaired = state();
    expect(withPresence(unpaired, ['a', 'b', 'c'])).toBe(unpaired);
    const paired = state({ pairs: [['a', 'b']] });
    expect(withPresence(paired, ['a', 'b'])).toBe(paired);
  });
});

describe('reveal', () => {
  it('sets revealed once; a second reveal changes nothing', () => {
    const first = apply(state({ step: 'causes' }), { type: 'reveal' });
    expect(first).toMatchObject({ changed: true, state: { revealed: true } });
    expectIdempotent(state({ step: 'causes' }), { type: 'reveal' });
  });

  it('stays revealed across step changes', () => {
    const revealed = apply(state({ step: 'causes' }), { type: 'reveal' }).state;
    expect(apply(revealed, { type: 'next', from: 'causes' }).state.revealed).toBe(true);
  });
});

describe('heaviest', () => {
  it('marks, changes and clears the heaviest category', () => {
    const marked = apply(state({ step: 'sort' }), { type: 'heaviest', category: 'dispositions' });
    expect(marked.state.heaviest).toBe('dispositions');
    expect(apply(marked.state, { type: 'heaviest', category: 'skills' }).state.heaviest).toBe('skills');
    expect(apply(marked.state, { type: 'heaviest', category: null }).state.heaviest).toBeNull();
    expectIdempotent(state({ step: 'sort' }), { type: 'heaviest', category: 'knowledge' });
  });

  it('rejects a category that does not exist', () => {
    expect(commandSchema.safeParse({ type: 'heaviest', category: 'feelings' }).success).toBe(false);
  });
});

describe('voting', () => {
  it('opens and closes voting, keeping votes per person', () => {
    const open = apply(state({ step: 'hmw' }), { type: 'voting', status: 'open' }).state;
    expect(open.voting).toEqual({ status: 'open', perPerson: 3 });
    const closed = apply(open, { type: 'voting', status: 'closed' }).state;
    expect(closed.voting).toEqual({ status: 'closed', perPerson: 3 });
  });

  it('sets votes per person without touching the status', () => {
    const open = apply(state({ step: 'hmw' }), { type: 'voting', status: 'open' }).state;
    const five = apply(open, { type: 'voting', perPerson: 5 }).state;
    expect(five.voting).toEqual({ status: 'open', perPerson: 5 });
    expect(apply(five, { type: 'voting', status: 'closed', perPerson: 2 }).state.voting).toEqual({ status: 'closed', perPerson: 2 });
  });

  it('an empty or repeated voting command changes nothing', () => {
    expect(apply(state({ step: 'hmw' }), { type: 'voting' }).changed).toBe(false);
    expectIdempotent(state({ step: 'hmw' }), { type: 'voting', status: 'open', perPerson: 4 });
  });

  it.each([0, -1, MAX_VOTES_PER_PERSON + 1, 2.5])('rejects %d votes per person', (perPerson) => {
    expect(commandSchema.safeParse({ type: 'voting', perPerson }).success).toBe(false);
  });

  it('accepts 1 and the maximum', () => {
    expect(commandSchema.safeParse({ type: 'voting', perPerson: 1 }).success).toBe(true);
    expect(commandSchema.safeParse({ type: 'voting', perPerson: MAX_VOTES_PER_PERSON }).success).toBe(true);
  });
});

describe('final', () => {
  it('marks and unmarks final questions', () => {
    let s = apply(state({ step: 'hmw' }), { type: 'final', questionId: 'q1', final: true }).state;
    s = apply(s, { type: 'final', questionId: 'q2', final: true }).state;
    expect([...s.finalQuestionIds].sort()).toEqual(['q1', 'q2']);
    s = apply(s, { type: 'final', questionId: 'q1', final: false }).state;
    expect(s.finalQuestionIds).toEqual(['q2']);
  });

  it('marking a question final twice changes nothing', () => {
    expectIdempotent(state({ step: 'hmw' }), { type: 'final', questionId: 'q1', final: true });
  });

  it('re-marking a question that is already final among others changes nothing (a replayed command)', () => {
    const both = state({ step: 'hmw', finalQuestionIds: ['q1', 'q2'] });
    const replay = apply(both, { type: 'final', questionId: 'q1', final: true });
    expect(replay.changed).toBe(false);
    expect(replay.state.finalQuestionIds).toEqual(['q1', 'q2']);
  });

  it('unmarking a question that is not final changes nothing', () => {
    expectIdempotent(state({ step: 'hmw', finalQuestionIds: ['q2'] }), { type: 'final', questionId: 'q1', final: false });
  });
});

describe('new commands are data', () => {
  it('do not mutate the state they are given', () => {
    const before = state({ pairs: [['a', 'b'], ['c', 'd']], turns: { order: ['a', 'b'], speaking: 'a', done: [], speakerStartedAt: T0, passed: [] } });
    const snapshot = structuredClone(before);
    const commands: Command[] = [
      { type: 'spotlight', target: { kind: 'note', id: 'n' } },
      { type: 'turns', action: 'start' },
      { type: 'speaker', participantId: 'b' },
      { type: 'pairs', action: 'form' },
      { type: 'movePerson', participantId: 'a', group: 1 },
      { type: 'reveal' },
      { type: 'heaviest', category: 'skills' },
      { type: 'voting', status: 'open', perPerson: 2 },
      { type: 'final', questionId: 'q', final: true },
    ];
    for (const command of commands) {
      expect(commandSchema.parse(command)).toEqual(command);
      // At every step: where the command is taken and where it is refused.
      for (const step of STEP_IDS) applyCommand({ ...before, step }, command, ctx(['a', 'b', 'c', 'd']));
    }
    expect(before).toEqual(snapshot);
  });
});

describe('joining', () => {
  it('is open in a new session, closes and opens again', () => {
    expect(state().joining).toBe(true);
    const closed = apply(state(), { type: 'joining', open: false });
    expect(closed).toMatchObject({ changed: true, state: { joining: false, version: 1 } });
    const reopened = apply(closed.state, { type: 'joining', open: true });
    expect(reopened).toMatchObject({ changed: true, state: { joining: true, version: 2 } });
  });

  it('closing twice changes nothing', () => {
    expectIdempotent(state(), { type: 'joining', open: false });
  });

  it('reads a state stored before the flag existed as open', () => {
    const { joining: _joining, ...old } = state();
    expect(controlStateSchema.parse(old).joining).toBe(true);
  });

  it('takes a boolean only', () => {
    expect(commandSchema.safeParse({ type: 'joining', open: 'no' }).success).toBe(false);
    expect(commandSchema.safeParse({ type: 'joining' }).success).toBe(false);
  });
});

describe('the join code on the wall', () => {
  it('is large in a new session, shrinks to a corner and grows again, at any step', () => {
    expect(state().joinCard).toBe('large');
    const corner = apply(state(), { type: 'joinCard', size: 'corner' });
    expect(corner).toMatchObject({ changed: true, state: { joinCard: 'corner', version: 1 } });
    const large = apply(corner.state, { type: 'joinCard', size: 'large' });
    expect(large).toMatchObject({ changed: true, state: { joinCard: 'large', version: 2 } });
    for (const step of STEP_IDS) {
      expect(apply({ ...state(), step }, { type: 'joinCard', size: 'corner' })).toMatchObject({ ok: true, state: { joinCard: 'corner' } });
    }
  });

  it('stays where the facilitator put it when the meeting moves on', () => {
    const corner = apply(state(), { type: 'joinCard', size: 'corner' });
    const moved = apply(corner.state, { type: 'next', from: corner.state.step });
    expect(moved).toMatchObject({ ok: true, state: { joinCard: 'corner' } });
  });

  it('shrinking twice changes nothing', () => {
    expectIdempotent(state(), { type: 'joinCard', size: 'corner' });
  });

  it('reads a state stored before the switch existed as large', () => {
    const { joinCard: _joinCard, ...old } = state();
    expect(controlStateSchema.parse(old).joinCard).toBe('large');
  });

  it('takes one of the two sizes only', () => {
    expect(commandSchema.safeParse({ type: 'joinCard', size: 'corner' }).success).toBe(true);
    expect(commandSchema.safeParse({ type: 'joinCard', size: 'tiny' }).success).toBe(false);
    expect(commandSchema.safeParse({ type: 'joinCard' }).success).toBe(false);
    expect(controlStateSchema.safeParse({ ...state(), joinCard: 'huge' }).success).toBe(false);
  });
});
