import { describe, expect, it } from 'vitest';
import {
  agendaMinutes,
  blockOf,
  placeInBlock,
  suggestedTemplate,
  TEMPLATE_IDS,
  templatePlan,
} from '../../shared/protocol/agendas.ts';
import { applyCommand, initialControl, presenterListens, type CommandContext, type ControlState, type Transition } from '../../shared/protocol/control.ts';
import { PROTOCOLS } from '../../shared/protocol/protocols/index.ts';
import { MEETING_LENGTHS, STEPS } from '../../shared/protocol/steps.ts';

/** The meeting templates as data: their time boxes, blocks, the year's plan, and the engine pieces the protocols need. */

const T0 = 1_700_000_000_000;
const ctx = (present: string[] = ['a', 'b', 'c', 'd']): CommandContext => ({ now: T0, length: 90, present, random: () => 0.5 });
const accepted = (r: Transition): ControlState => {
  if (!r.ok) throw new Error(r.error);
  return r.state;
};

describe('templates', () => {
  it.each(TEMPLATE_IDS.flatMap((t) => MEETING_LENGTHS.map((length) => ({ t, length }))))('$t adds up to a $length-minute meeting', ({ t, length }) => {
    const plan = templatePlan(t, length);
    expect(agendaMinutes(plan.steps, plan.minutes, length)).toBe(length);
    expect(new Set(plan.steps).size).toBe(plan.steps.length);
    // Every step of the plan has its time box, and none is zero.
    for (const step of plan.steps) expect(plan.minutes[step], step).toBeGreaterThan(0);
  });

  it('each protocol fills a block of 30, 50 or 60 minutes', () => {
    for (const protocol of Object.values(PROTOCOLS)) {
      expect(MEETING_LENGTHS.map((length) => protocol.steps.reduce((sum, s) => sum + STEPS[s].minutes[length], 0)), protocol.id).toEqual([30, 50, 60]);
    }
  });

  it('the monthly shape is the same every month; only the protocol in the middle changes', () => {
    const consultancy = templatePlan('monthly-consultancy', 90).steps;
    expect(consultancy).toEqual(['checkin', 'review', 'logRound', ...PROTOCOLS.consultancy.steps, 'playlist', 'revise', 'commit', 'close']);
    const tuning = templatePlan('monthly-tuning', 90).steps;
    expect(tuning.filter((s) => !(PROTOCOLS.tuning.steps as readonly string[]).includes(s))).toEqual(
      consultancy.filter((s) => !(PROTOCOLS.consultancy.steps as readonly string[]).includes(s)),
    );
    // A 60-minute meeting has no room for the playlist or the revision; they can be added back.
    expect(templatePlan('monthly-success', 60).steps).not.toContain('playlist');
  });

  it('a meeting started from a template times each step with the template’s minutes', () => {
    const plan = templatePlan('monthly-consultancy', 90);
    const state = initialControl(90, plan.steps, plan.minutes);
    expect(state.step).toBe('checkin');
    expect(state.timer.durationMs).toBe(5 * 60_000);
    const atLog = accepted(applyCommand(accepted(applyCommand(state, { type: 'next', from: 'checkin' }, ctx())), { type: 'next', from: 'review' }, ctx()));
    expect(atLog.step).toBe('logRound');
    expect(atLog.timer.durationMs).toBe(12 * 60_000);
  });

  it('suggests the year’s plan: inquiry, Success Analysis, then Consultancy and Tuning in turn', () => {
    expect([1, 2, 3, 4, 5, 6].map(suggestedTemplate)).toEqual([
      'inquiry', 'monthly-success', 'monthly-consultancy', 'monthly-tuning', 'monthly-consultancy', 'monthly-tuning',
    ]);
  });

  it('tells every screen the block and the step’s place in it', () => {
    const { steps } = templatePlan('monthly-consultancy', 90);
    expect(placeInBlock(steps, 'consultProbe')).toEqual({ block: 'Consultancy', index: 3, count: 6 });
    expect(placeInBlock(steps, 'checkin')).toEqual({ block: 'Open', index: 1, count: 1 });
    expect(blockOf('hmw')).toEqual({ id: 'inquiry', title: 'Equity inquiry' });
    // Commit is the inquiry's own step there, and a block of its own on a monthly agenda.
    expect(blockOf('commit').id).toBe('inquiry');
    expect(blockOf('commit', steps)).toEqual({ id: 'commit', title: 'Commit' });
    expect(placeInBlock(templatePlan('inquiry', 90).steps, 'sort')).toEqual({ block: 'Equity inquiry', index: 6, count: 9 });
  });
});

describe('walking a monthly meeting', () => {
  it('goes through every block and every step within it, each timed by the template, and back', () => {
    const plan = templatePlan('monthly-consultancy', 90);
    let state = initialControl(90, plan.steps, plan.minutes);
    const seen: string[] = [];
    for (;;) {
      const place = placeInBlock(state.agenda, state.step);
      seen.push(`${place.block} ${place.index}/${place.count}`);
      expect(state.timer.durationMs, state.step).toBe(plan.minutes[state.step]! * 60_000);
      const next = applyCommand(state, { type: 'next', from: state.step }, ctx());
      if (!next.ok) break;
      state = next.state;
    }
    expect(seen).toEqual([
      'Open 1/1', 'Review 1/1', 'Practice 1/1',
      'Consultancy 1/6', 'Consultancy 2/6', 'Consultancy 3/6', 'Consultancy 4/6', 'Consultancy 5/6', 'Consultancy 6/6',
      'Playlist 1/1', 'Our question 1/1', 'Commit 1/1', 'Close 1/1',
    ]);
    const back = accepted(applyCommand(state, { type: 'previous', from: 'close' }, ctx()));
    expect(back.step).toBe('commit');
  });
});

describe('reshaping the agenda', () => {
  const plan = templatePlan('monthly-consultancy', 90);
  const start = () => initialControl(90, plan.steps, plan.minutes);

  it('reorders, skips and adds steps, with their minutes', () => {
    const next = accepted(applyCommand(start(), { type: 'agenda', steps: ['checkin', 'review', 'consultFrame', 'commit', 'close', 'revise'], minutes: { revise: 6 } }, ctx()));
    expect(next.agenda).toEqual(['checkin', 'review', 'consultFrame', 'commit', 'close', 'revise']);
    expect(next.minutes).toMatchObject({ checkin: 5, revise: 6 });
    expect(next.minutes).not.toHaveProperty('logRound');
  });

  it('keeps the step the meeting is at, and each step once', () => {
    expect(applyCommand(start(), { type: 'agenda', steps: ['review', 'close'] }, ctx())).toEqual({
      ok: false,
      error: 'The meeting is at Connections: keep it on the agenda, or move on first.',
    });
    expect(applyCommand(start(), { type: 'agenda', steps: ['checkin', 'close', 'close'] }, ctx())).toMatchObject({ ok: false });
  });

  it('a new template before the meeting starts moves it to the new first step, timed by the new minutes', () => {
    const inquiry = initialControl(90);
    const next = accepted(applyCommand(inquiry, { type: 'agenda', steps: plan.steps, minutes: plan.minutes, startAt: 'checkin' }, ctx()));
    expect(next).toMatchObject({ step: 'checkin', agenda: plan.steps });
    expect(next.timer.durationMs).toBe(5 * 60_000);
    expect(applyCommand(inquiry, { type: 'agenda', steps: ['checkin'], startAt: 'close' }, ctx())).toEqual({ ok: false, error: 'Close is not on the new agenda.' });
  });
});

describe('the presenter and go-rounds', () => {
  const plan = templatePlan('monthly-consultancy', 90);
  const at = (step: (typeof plan.steps)[number], patch: Partial<ControlState> = {}) => ({ ...initialControl(90, plan.steps, plan.minutes), step, ...patch });

  it('the facilitator chooses a presenter who is here, at any step', () => {
    expect(accepted(applyCommand(at('checkin'), { type: 'presenter', participantId: 'b' }, ctx())).presenterId).toBe('b');
    expect(applyCommand(at('checkin'), { type: 'presenter', participantId: 'z' }, ctx())).toMatchObject({ ok: false });
    expect(accepted(applyCommand(at('checkin', { presenterId: 'b' }), { type: 'presenter', participantId: null }, ctx())).presenterId).toBeNull();
  });

  it('the presenter listens where the protocol says so, and only there', () => {
    const listening = plan.steps.filter((step) => presenterListens({ step, presenterId: 'b' }));
    expect(listening).toEqual(['consultDiscuss']);
    expect(presenterListens({ step: 'consultDiscuss', presenterId: null })).toBe(false);
  });

  it('a speaker who passes goes to the end of the order, and the turn moves on', () => {
    const round = accepted(applyCommand(at('checkin'), { type: 'turns', action: 'start' }, ctx()));
    const first = round.turns.order[0]!;
    const speaking = accepted(applyCommand(round, { type: 'speaker', participantId: first }, ctx()));
    const passed = accepted(applyCommand(speaking, { type: 'pass' }, ctx()));
    expect(passed.turns.order.at(-1)).toBe(first);
    expect(passed.turns.passed).toEqual([first]);
    expect(passed.turns.speaking).toBe(round.turns.order[1]);
    expect(passed.turns.done).toEqual([]);
    // The facilitator comes back to them: giving them the turn clears the pass.
    const back = accepted(applyCommand(passed, { type: 'speaker', participantId: first }, ctx()));
    expect(back.turns.passed).toEqual([]);
    expect(applyCommand(round, { type: 'pass' }, ctx())).toEqual({ ok: false, error: 'Nobody has the turn to pass.' });
  });

  it('each go-round starts fresh', () => {
    const spoke = at('checkin', { turns: { order: ['a', 'b'], speaking: 'a', done: ['b'], passed: [], speakerStartedAt: T0 } });
    const atReview = accepted(applyCommand(spoke, { type: 'goto', step: 'logRound' }, ctx()));
    expect(atReview.turns).toEqual({ order: [], speaking: null, done: [], passed: [], speakerStartedAt: null });
  });
});
