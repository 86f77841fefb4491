import { z } from 'zod';
import type { CommandContext, CommandOf, StepCommandType } from './commands.ts';
import { recordIdSchema } from './recordId.ts';
import type { ServerEffect } from './serverEffects.ts';
import type { MeetingLength, StepId } from './stepIds.ts';

/**
 * What a step of the registry is (steps.ts holds the inquiry's, monthly.ts
 * the monthly meeting's blocks, protocols/ the protocols for its middle).
 */
export type GroupMode =
  | 'whole group'
  | 'individual, then told in turn'
  | 'individual'
  | 'pairs (a trio if odd)'
  | 'silent writing, then reveal'
  | 'individual, then vote'
  | 'individual, then pairs'
  | 'go-round'
  | 'presenter only'
  | 'group asks, presenter answers'
  | 'group discusses, presenter listens';

/** Kinds of board records a step can show or accept. */
export type ArtifactKind = 'norm' | 'hope' | 'story' | 'need' | 'assumption' | 'note' | 'question' | 'commitment' | 'card' | 'focus' | 'logShare';

/**
 * The presenter's part in a step of a protocol (YEAR.md 4):
 * - `speaks`: the presenter has the floor (the spotlight is theirs);
 * - `answers`: the group asks, the presenter answers;
 * - `listens`: the group talks about the presenter's problem while the
 *   presenter listens: the presenter's board inputs are off (the server
 *   refuses their writes), the wall says so, and the group's cards are
 *   addressed to them.
 */
export type PresenterPart = 'speaks' | 'answers' | 'listens';

/** A told story's time box (PROTOCOL.md: about 3 minutes each), and a go-round speaker's. */
export const SPEAKER_MS = 3 * 60_000;

/** The values of a slice, from its shape. */
export type SliceOf<S extends z.ZodRawShape> = z.output<z.ZodObject<S>>;

/** A step's rule for one command: its slice before, the fields it changes (or why not). */
export type StepRule<S extends z.ZodRawShape, T extends StepCommandType> = (
  slice: SliceOf<S>,
  command: CommandOf<T>,
  ctx: CommandContext,
) => Partial<SliceOf<S>> | string;

export interface StepDef<S extends z.ZodRawShape = z.ZodRawShape> {
  id: StepId;
  title: string;
  purpose: string;
  prompt: string;
  facilitatorNotes: readonly string[];
  groupMode: GroupMode;
  /** The step's time box for a meeting of each length; a template may set its own (agendas.ts). */
  minutes: Readonly<Record<MeetingLength, number>>;
  shows: readonly ArtifactKind[];
  accepts: readonly ArtifactKind[];
  /**
   * Whether the projector shows who wrote what here until the facilitator
   * chooses otherwise (control state `namesOnWall`): on where the name is the
   * point (a story told in turn), off where it would weigh on what is said.
   */
  wallNames: boolean;
  /** The presenter's part here, for a step of a protocol with a presenter. */
  presenter?: PresenterPart;
  state: S;
  commands: { readonly [T in StepCommandType]?: StepRule<S, T> };
  effects?: { readonly [T in StepCommandType]?: ServerEffect };
  enter?: (slice: SliceOf<S>, ctx: CommandContext) => Partial<SliceOf<S>>;
  leave?: (slice: SliceOf<S>, ctx: CommandContext) => Partial<SliceOf<S>>;
  presence?: (slice: SliceOf<S>, present: readonly string[]) => Partial<SliceOf<S>>;
}

/**
 * Any entry, as the engine reads the registry: its rules are handed the whole
 * control state (a slice is a part of it) and their result is spread over it.
 */
export interface AnyStepDef extends Omit<StepDef, 'state' | 'commands' | 'enter' | 'leave' | 'presence'> {
  state: z.ZodRawShape;
  commands: { readonly [T in StepCommandType]?: (slice: any, command: any, ctx: CommandContext) => object | string };
  enter?: (slice: any, ctx: CommandContext) => object;
  leave?: (slice: any, ctx: CommandContext) => object;
  presence?: (slice: any, present: readonly string[]) => object;
}

/** Types an entry's rules against its own slice. */
export function defineStep<const S extends z.ZodRawShape, const K extends StepId>(def: StepDef<S> & { id: K }): StepDef<S> & { id: K } {
  return def;
}

export const NO_STATE = {};

/**
 * A round of turns: the story round and every go-round share this one slice
 * (the only field two steps may claim, and only as this very object).
 * `passed` holds who passed in this round: they go to the end of the order,
 * and the facilitator comes back to them.
 */
export const TURNS_STATE = {
  turns: z
    .object({
      order: z.array(recordIdSchema),
      speaking: recordIdSchema.nullable(),
      done: z.array(recordIdSchema),
      speakerStartedAt: z.number().nullable(),
      passed: z.array(recordIdSchema).default([]),
    })
    .default({ order: [], speaking: null, done: [], speakerStartedAt: null, passed: [] }),
};

type Turns = SliceOf<typeof TURNS_STATE>['turns'];
const NO_TURNS: Turns = { order: [], speaking: null, done: [], speakerStartedAt: null, passed: [] };

/** The round's rules: start it, hand the turn to someone, pass. Shared by the story round and every go-round. */
export const TURN_COMMANDS = {
  turns: ({ turns }: SliceOf<typeof TURNS_STATE>, _command: CommandOf<'turns'>, ctx: CommandContext) => {
    // Rotate who goes first: last time's second speaker opens this round.
    const previous = turns.order.filter((p) => ctx.present.includes(p));
    const newcomers = ctx.present.filter((p) => !previous.includes(p));
    const order = [...previous.slice(1), ...previous.slice(0, 1), ...newcomers];
    return { turns: { ...NO_TURNS, order } };
  },
  speaker: ({ turns }: SliceOf<typeof TURNS_STATE>, command: CommandOf<'speaker'>, ctx: CommandContext) => {
    if (command.participantId === turns.speaking) return {};
    const done = turns.speaking && !turns.done.includes(turns.speaking) ? [...turns.done, turns.speaking] : turns.done;
    const order =
      command.participantId && !turns.order.includes(command.participantId) ? [...turns.order, command.participantId] : turns.order;
    const passed = turns.passed.filter((p) => p !== command.participantId);
    return { turns: { order, done, passed, speaking: command.participantId, speakerStartedAt: command.participantId ? ctx.now : null } };
  },
  /** The speaker passes: to the end of the order, not done, and the turn moves on to the next who has not spoken. */
  pass: ({ turns }: SliceOf<typeof TURNS_STATE>, _command: CommandOf<'pass'>, ctx: CommandContext) => {
    const speaker = turns.speaking;
    if (!speaker) return 'Nobody has the turn to pass.';
    const order = [...turns.order.filter((p) => p !== speaker), speaker];
    const passed = turns.passed.includes(speaker) ? turns.passed : [...turns.passed, speaker];
    const next = order.find((p) => p !== speaker && !turns.done.includes(p) && !passed.includes(p)) ?? null;
    return { turns: { ...turns, order, passed, speaking: next, speakerStartedAt: next ? ctx.now : null } };
  },
};

/** A go-round starts fresh at its step: nobody has spoken yet. */
export const freshRound = () => ({ turns: NO_TURNS });

/** What every step names for itself; the presets below fill in the rest. */
type StepText<K extends StepId> = Pick<StepDef, 'title' | 'purpose' | 'prompt' | 'facilitatorNotes' | 'minutes'> & { id: K };

/** A go-round (YEAR.md 4, engine piece 4): turn order, a speaker timer and pass; it starts fresh at its step. */
export function goRoundStep<const K extends StepId>(def: StepText<K> & Partial<Pick<StepDef, 'shows' | 'accepts' | 'wallNames' | 'effects'>>) {
  return defineStep({
    groupMode: 'go-round',
    shows: [],
    accepts: [],
    wallNames: true,
    ...def,
    state: TURNS_STATE,
    commands: TURN_COMMANDS,
    enter: freshRound,
  });
}

const PRESENTER_MODES: Readonly<Record<PresenterPart, GroupMode>> = {
  speaks: 'presenter only',
  answers: 'group asks, presenter answers',
  listens: 'group discusses, presenter listens',
};

/**
 * A step of a presenter's protocol: the group mode follows the presenter's
 * part; it shows the focusing question and the cards, and takes cards unless
 * the presenter has the floor.
 */
export function presenterStep<const K extends StepId>(
  part: PresenterPart,
  def: StepText<K> & Partial<Pick<StepDef, 'shows' | 'accepts' | 'wallNames' | 'groupMode'>>,
) {
  return defineStep({
    groupMode: PRESENTER_MODES[part],
    shows: ['focus', 'card'],
    accepts: part === 'speaks' ? [] : ['card'],
    wallNames: false,
    ...def,
    presenter: part,
    state: NO_STATE,
    commands: {},
  });
}

/** A step with nothing of its own in the control state: a prompt, and what it shows and takes. */
export function plainStep<const K extends StepId>(def: StepText<K> & Pick<StepDef, 'groupMode' | 'shows' | 'accepts' | 'wallNames'>) {
  return defineStep({ ...def, state: NO_STATE, commands: {} });
}
