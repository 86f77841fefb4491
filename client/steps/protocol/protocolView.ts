import type { Card } from '../../../shared/board/records/cards.ts';
import { placeInBlock } from '../../../shared/protocol/agendas.ts';
import { presenterListens, type ControlState } from '../../../shared/protocol/control.ts';
import { PROTOCOLS, type ProtocolDef } from '../../../shared/protocol/protocols/index.ts';
import type { PresenterPart } from '../../../shared/protocol/stepDef.ts';
import { STEPS, type StepId } from '../../../shared/protocol/steps.ts';
import { CARD_OPTIONS } from './cardOptions.ts';

/**
 * What the generic protocol views read off the registry and the control
 * state: pure, so the views stay thin and a fourth protocol needs no code here.
 */

/** The protocol a step belongs to, or null for the monthly blocks and the inquiry. */
export function protocolOfStep(step: StepId): ProtocolDef | null {
  return Object.values(PROTOCOLS).find((p) => (p.steps as readonly StepId[]).includes(step)) ?? null;
}

/**
 * The banner's line for where the meeting is: "Consultancy · step 3 of 6",
 * or just the block's name for a block of one step. Null on the first
 * meeting's own agenda, whose banner keeps its "Step 3 of 9".
 */
export function blockLine(agenda: readonly StepId[], step: StepId): string | null {
  if (!agenda.includes(step)) return null;
  const place = placeInBlock(agenda, step);
  if (place.block === 'Equity inquiry' && place.count === agenda.length) return null;
  return place.count > 1 ? `${place.block} · step ${place.index} of ${place.count}` : place.block;
}

/** Whether the presenter's board inputs are off for `actor` right now: they listen at this step. */
export function inputsOffFor(control: Pick<ControlState, 'step' | 'presenterId'>, actor: string): boolean {
  return presenterListens(control) && control.presenterId === actor;
}

/**
 * Whom a card written now is addressed to: the presenter at a step with one;
 * at a go-round that takes cards (success rounds), whoever has the turn.
 */
export function cardAddressee(control: ControlState, step: StepId = control.step): string | null {
  const def = STEPS[step];
  // Silent feedback (Tuning's examine) takes no card on the board, but each draft goes to the presenter at the reveal.
  if (!def.accepts.includes('card') && def.groupMode !== 'silent writing, then reveal') return null;
  if (def.presenter) return control.presenterId;
  if (def.groupMode === 'go-round') return control.turns.speaking;
  return null;
}

/** What every screen says about the presenter at a step: "Ana has the floor", "Ana is listening". */
export function presenterSays(part: PresenterPart | undefined, name: string): string {
  switch (part) {
    case 'speaks':
      return `${name} has the floor`;
    case 'answers':
      return `${name} answers the group’s questions`;
    case 'listens':
      return `${name} is listening`;
    default:
      return `${name} presents`;
  }
}

/** The cards a step shows: those written at it, and at the steps it carries on from (the feedback shows the examined cards). */
export function cardsAt(cards: readonly Card[], step: StepId): Card[] {
  const from = new Set<StepId>([step, ...(CARD_OPTIONS[step]?.alsoShows ?? [])]);
  return cards.filter((c) => from.has(c.step)).sort((a, b) => a.createdAt - b.createdAt);
}

type Turns = ControlState['turns'];

/** Who the facilitator would give the turn to next: the first in the order yet to speak, then those who passed. */
export function nextSpeaker(turns: Turns): string | null {
  const waiting = turns.order.filter((p) => p !== turns.speaking && !turns.done.includes(p));
  return waiting.find((p) => !turns.passed.includes(p)) ?? waiting[0] ?? null;
}

/**
 * The rotation hint beside the presenter chooser: of the people here, who
 * has not presented this year yet (by name, as GET /year lists them).
 * Null when the year does not say who presented.
 */
export function notPresentedYet(here: readonly { name: string }[], presented: readonly string[] | null | undefined): string[] | null {
  if (!presented) return null;
  const before = new Set(presented.map((n) => n.trim().toLowerCase()));
  return here.map((p) => p.name).filter((name) => !before.has(name.trim().toLowerCase()));
}
