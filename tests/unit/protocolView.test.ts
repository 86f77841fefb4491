import { describe, expect, it } from 'vitest';
import type { Card } from '../../shared/board/records/cards.ts';
import { AGENDAS, templatePlan } from '../../shared/protocol/agendas.ts';
import { initialControl, type ControlState } from '../../shared/protocol/control.ts';
import { STEPS, type StepId } from '../../shared/protocol/steps.ts';
import { CARD_OPTIONS } from '../../client/steps/protocol/cardOptions.ts';
import {
  blockLine,
  cardAddressee,
  cardsAt,
  inputsOffFor,
  nextSpeaker,
  notPresentedYet,
  presenterSays,
  protocolOfStep,
} from '../../client/steps/protocol/protocolView.ts';

/** What the generic protocol views read off the registry and the control state. */

const consultancy = templatePlan('monthly-consultancy', 90);
const at = (step: StepId, patch: Partial<ControlState> = {}): ControlState => ({
  ...initialControl(90, consultancy.steps, consultancy.minutes),
  step,
  ...patch,
});
const turns = (t: Partial<ControlState['turns']>): ControlState['turns'] => ({ order: [], speaking: null, done: [], speakerStartedAt: null, passed: [], ...t });
const card = (id: string, step: StepId, createdAt: number): Card =>
  ({ id, authorId: 'a', createdAt, text: id, step, tone: null, toPresenter: null, category: null }) as Card;

describe('the banner says where in the blocks the meeting is', () => {
  it('a protocol step: its protocol and its place in it', () => {
    expect(blockLine(consultancy.steps, 'consultProbe')).toBe('Consultancy · step 3 of 6');
    expect(blockLine(consultancy.steps, 'consultFrame')).toBe('Consultancy · step 1 of 6');
  });
  it('a block of one step: just its name', () => {
    expect(blockLine(consultancy.steps, 'checkin')).toBe('Open');
    expect(blockLine(consultancy.steps, 'commit')).toBe('Commit');
  });
  it('the first meeting keeps its own "Step 3 of 9"', () => {
    expect(blockLine(AGENDAS.inquiry, 'need')).toBeNull();
  });
});

describe('the presenter', () => {
  it('has their inputs off only where they listen, and only they', () => {
    expect(inputsOffFor(at('consultDiscuss', { presenterId: 'p' }), 'p')).toBe(true);
    expect(inputsOffFor(at('consultDiscuss', { presenterId: 'p' }), 'q')).toBe(false);
    expect(inputsOffFor(at('consultProbe', { presenterId: 'p' }), 'p')).toBe(false);
    expect(inputsOffFor(at('consultDiscuss', { presenterId: null }), 'p')).toBe(false);
  });
  it('is named for their part on every screen', () => {
    expect(presenterSays('listens', 'Ana')).toBe('Ana is listening');
    expect(presenterSays('speaks', 'Ana')).toBe('Ana has the floor');
    expect(presenterSays(undefined, 'Ana')).toBe('Ana presents');
  });
  it('gets the cards written at a step with a presenter; a success round’s cards go to the teller', () => {
    expect(cardAddressee(at('consultDiscuss', { presenterId: 'p' }))).toBe('p');
    expect(cardAddressee(at('consultFrame', { presenterId: 'p' }))).toBeNull(); // takes no cards
    const success = templatePlan('monthly-success', 90);
    const rounds = { ...initialControl(90, success.steps, success.minutes), step: 'successRounds' as const, turns: turns({ speaking: 't' }) };
    expect(cardAddressee(rounds)).toBe('t');
    expect(cardAddressee({ ...rounds, step: 'successConditions' })).toBeNull();
  });
  it('the rotation hint names who is here and has not presented, or nothing when the year does not say', () => {
    expect(notPresentedYet([{ name: 'Ana' }, { name: 'Ben' }], ['ana '])).toEqual(['Ben']);
    expect(notPresentedYet([{ name: 'Ana' }], undefined)).toBeNull();
  });
});

describe('a go-round', () => {
  it('gives the turn next to the first yet to speak, then returns to who passed', () => {
    expect(nextSpeaker(turns({ order: ['a', 'b', 'c'], speaking: 'a' }))).toBe('b');
    expect(nextSpeaker(turns({ order: ['c', 'a'], speaking: null, done: ['b'], passed: ['a'] }))).toBe('c');
    expect(nextSpeaker(turns({ order: ['c', 'a'], speaking: null, done: ['b', 'c'], passed: ['a'] }))).toBe('a');
    expect(nextSpeaker(turns({ order: ['a'], done: ['a'] }))).toBeNull();
  });
});

describe('cards', () => {
  it('a step shows its own cards, and those of the steps it carries on from, oldest first', () => {
    const all = [card('late', 'tuningFeedback', 3), card('examined', 'tuningExamine', 1), card('other', 'tuningClarify', 2)];
    expect(cardsAt(all, 'tuningFeedback').map((c) => c.id)).toEqual(['examined', 'late']);
    expect(cardsAt(all, 'tuningExamine').map((c) => c.id)).toEqual(['examined']);
  });
  it('every step the card options name takes or shows cards (or writes them in silence), and every protocol step belongs to its protocol', () => {
    for (const step of Object.keys(CARD_OPTIONS) as StepId[]) {
      const def = STEPS[step];
      expect(def.accepts.includes('card') || def.shows.includes('card') || def.groupMode === 'silent writing, then reveal', step).toBe(true);
    }
    expect(protocolOfStep('tuningExamine')?.id).toBe('tuning');
    expect(protocolOfStep('checkin')).toBeNull();
  });
});
