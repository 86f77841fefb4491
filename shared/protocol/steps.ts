import { z } from 'zod';
import { CATEGORY_IDS } from './categories.ts';
import { MAX_VOTES_PER_PERSON, VOTING_STATUSES } from './commands.ts';
import { MONTHLY_STEPS } from './monthly.ts';
import { formPairs, movePerson, reconcilePairs } from './pairs.ts';
import { PROTOCOL_STEPS } from './protocols/index.ts';
import { recordIdSchema } from './recordId.ts';
import { defineStep, NO_STATE, TURN_COMMANDS, TURNS_STATE, type AnyStepDef } from './stepDef.ts';
import { STEP_IDS, type MeetingLength, type StepId } from './stepIds.ts';

/**
 * The equity inquiry protocol as data (PROTOCOL.md), behaviour included.
 * Everything that varies per step lives in its entry here; views and server
 * logic look steps up by id rather than branching on one.
 *
 * An entry holds, besides its prompt and time boxes:
 * - `state`: its own slice of the control state, field by field, each schema
 *   with the default a new session (and a session stored before the field
 *   existed) starts with. The control state schema is composed from these
 *   slices, so the state stays flat and every screen reads `control.turns`.
 * - `commands`: the facilitator commands only this step takes, each a pure
 *   rule from its slice to the next (or a message saying why not). Commands
 *   valid at every step (moving, the timer, the lock, the spotlight, joining, the join code's size on the wall)
 *   are in commands.ts (GLOBAL_COMMANDS); any other command at a step that lacks it is refused.
 * - `effects`: what the server must do besides changing the state when one of
 *   those commands is accepted, by name (serverEffects.ts).
 * - `enter` / `leave`: pure rules run on the slice when the meeting arrives at
 *   or leaves the step, after the moves every step shares (a fresh timer, no
 *   spotlight, when it was left).
 * - `presence`: a pure rule run on the slice, at any step, when someone
 *   arrives or leaves (the pairs take in late joiners).
 *
 * Adding a step: add its id to STEP_IDS (stepIds.ts) and its entry to STEPS (a new command
 * type also needs its payload in commands.ts's commandSchema and a name in
 * COMMAND_NAMES), put it on an agenda in agendas.ts, and give it a view in
 * client/steps/registry.ts, which does not compile until it has one.
 */
export { MEETING_LENGTHS, STEP_IDS, type MeetingLength, type StepId } from './stepIds.ts';
export {
  SPEAKER_MS,
  type AnyStepDef,
  type ArtifactKind,
  type GroupMode,
  type PresenterPart,
  type SliceOf,
  type StepDef,
  type StepRule,
} from './stepDef.ts';

/** Voting before the facilitator opens it or changes the votes each person has. */
export const DEFAULT_VOTING = { status: 'not started', perPerson: 3 } as const;

const HMW_STATE = {
  voting: z
    .object({ status: z.enum(VOTING_STATUSES), perPerson: z.number().int().min(1).max(MAX_VOTES_PER_PERSON) })
    .default(DEFAULT_VOTING),
  finalQuestionIds: z.array(recordIdSchema).default([]),
};

/** The equity inquiry's steps (PROTOCOL.md). */
const INQUIRY_STEPS = {
  open: defineStep({
    id: 'open',
    title: 'Open',
    purpose: 'Make the meeting predictable and safe.',
    prompt: 'Name one hope for our year together. Read our norms. What would help you speak candidly here?',
    facilitatorNotes: [
      'Same agenda shape every month.',
      'Offer norms: pause, paraphrase, pose questions, presume positive intentions.',
      'State confidentiality: what is shared here stays here.',
    ],
    groupMode: 'whole group',
    minutes: { 60: 5, 90: 5, 120: 10 },
    shows: ['norm', 'hope'],
    accepts: ['norm', 'hope'],
    wallNames: false,
    state: NO_STATE,
    commands: {},
  }),
  story: defineStep({
    id: 'story',
    title: 'Equity story',
    purpose: 'Ground the inquiry in one specific, recent, lived moment.',
    prompt:
      'Think of a recent moment when you saw an equity concern at your school and could not address it the way you wanted. Note the facts: who was involved, what happened, what you did, how it ended.',
    facilitatorNotes: [
      'Then each person tells it in turn, about 3 minutes each.',
      'Listeners ask only clarifying questions: quick, factual (who, what, when).',
      'Spotlight the story being told; rotate who goes first.',
    ],
    groupMode: 'individual, then told in turn',
    minutes: { 60: 10, 90: 15, 120: 20 },
    shows: ['story'],
    accepts: ['story'],
    wallNames: true,
    state: TURNS_STATE,
    commands: TURN_COMMANDS,
  }),
  need: defineStep({
    id: 'need',
    title: 'What I needed',
    purpose: 'Turn the story into unmet needs, not fixes.',
    prompt:
      "In that moment, what did you need but not have? Think of time, information, a skill, support, your own beliefs or courage, policy or resources. Start each with 'I needed to…'.",
    facilitatorNotes: [
      'Redirect a need that is really a solution ("a new program") to the need underneath it ("to know which families we weren\'t reaching").',
    ],
    groupMode: 'individual',
    minutes: { 60: 5, 90: 8, 120: 10 },
    shows: ['story', 'need'],
    accepts: ['need'],
    wallNames: true,
    state: NO_STATE,
    commands: {},
  }),
  assumptions: defineStep({
    id: 'assumptions',
    title: 'Assumption check',
    purpose: 'Separate what was observed from what was inferred, before analysing causes.',
    prompt:
      'Author: What did you actually see or hear? What did you conclude? What are you assuming about students, families, staff or yourself? Partner: What else could explain this? How could you find out? Then swap.',
    facilitatorNotes: [
      'The ladder of inference: observed data, selected data, meaning added, assumptions, conclusions.',
      'Offer the stem: "I\'m curious about this assumption… help me understand."',
    ],
    groupMode: 'pairs (a trio if odd)',
    minutes: { 60: 8, 90: 12, 120: 15 },
    shows: ['story', 'need', 'assumption'],
    accepts: ['assumption'],
    wallNames: true,
    state: { pairs: z.array(z.array(recordIdSchema)).default([]) },
    commands: {
      pairs: (_slice, _command, ctx) => ({ pairs: formPairs(ctx.present, ctx.random) }),
      movePerson: ({ pairs }, command, ctx) => {
        if (!pairs.flat().includes(command.participantId) && !ctx.present.includes(command.participantId)) return 'That person is not here.';
        return { pairs: movePerson(pairs, command.participantId, command.group) };
      },
    },
    presence: ({ pairs }, present) => (pairs.length === 0 ? {} : { pairs: reconcilePairs(pairs, present) }),
  }),
  causes: defineStep({
    id: 'causes',
    title: 'Root causes',
    purpose: 'Move from symptoms to causes that adults can act on.',
    prompt:
      "Silently write every possible reason this happened, one reason per sticky note. For your strongest two, ask 'why?' again and add the answers as new notes.",
    facilitatorNotes: [
      'A good cause is about adult actions or systems the group can act on.',
      'Name equity traps: deficit thinking, blaming students or families.',
      'If race never shows up in the causes of a racial disparity, ask about it.',
    ],
    groupMode: 'silent writing, then reveal',
    minutes: { 60: 7, 90: 12, 120: 15 },
    shows: ['note'],
    accepts: ['note'],
    wallNames: false,
    state: {
      revealed: z.boolean().default(false),
      /** Revealed notes carry no author at all (server/control/anonymousNotes.ts); chosen before the reveal. */
      anonymous: z.boolean().default(false),
    },
    commands: {
      reveal: () => ({ revealed: true }),
      anonymous: ({ revealed }, command) => (revealed ? 'The notes are already revealed; choose anonymous notes before the reveal.' : { anonymous: command.on }),
    },
    // The drafts move before the state says "revealed", so a failed move can be tried again.
    effects: { reveal: 'revealDrafts' },
  }),
  sort: defineStep({
    id: 'sort',
    title: 'Sort',
    purpose: 'See where the gaps cluster.',
    prompt:
      'Place each note under Structures, Knowledge, Skills or Dispositions. Move any note, including others\'. Then say which category feels heaviest.',
    facilitatorNotes: ['A note that fits two categories can be duplicated.', 'Mark the heaviest category when the group agrees.'],
    groupMode: 'whole group',
    minutes: { 60: 5, 90: 10, 120: 12 },
    shows: ['note'],
    accepts: ['note'],
    wallNames: false,
    state: { heaviest: z.enum(CATEGORY_IDS).nullable().default(null) },
    commands: { heaviest: (_slice, command) => ({ heaviest: command.category }) },
  }),
  hmw: defineStep({
    id: 'hmw',
    title: 'How might we…',
    purpose: 'Frame a question that can anchor a year of inquiry.',
    prompt:
      "From the heaviest category, write 3-5 'How might we…' questions. Test them against the checklist and rewrite. Then vote.",
    facilitatorNotes: ['Set votes per person, open voting, close it, then mark the final inquiry question(s).'],
    groupMode: 'individual, then vote',
    minutes: { 60: 10, 90: 15, 120: 20 },
    shows: ['note', 'question'],
    accepts: ['question'],
    wallNames: false,
    state: HMW_STATE,
    commands: {
      voting: ({ voting }, command) => ({
        voting: { status: command.status ?? voting.status, perPerson: command.perPerson ?? voting.perPerson },
      }),
      final: ({ finalQuestionIds }, command) => {
        if (command.final === finalQuestionIds.includes(command.questionId)) return {};
        const without = finalQuestionIds.filter((q) => q !== command.questionId);
        return { finalQuestionIds: command.final ? [...without, command.questionId] : without };
      },
    },
  }),
  commit: defineStep({
    id: 'commit',
    title: 'Commit',
    purpose: 'Leave with one small thing to try before the next meeting.',
    prompt:
      'Your anchor question is ___. What is one small thing you will try or learn before we meet next? How will you notice what happened? Who is your peer partner for a check-in?',
    facilitatorNotes: ['Make sure everyone has a peer partner and a date.'],
    groupMode: 'individual, then pairs',
    minutes: { 60: 5, 90: 8, 120: 10 },
    shows: ['question', 'commitment'],
    accepts: ['commitment'],
    wallNames: true,
    state: NO_STATE,
    commands: {},
  }),
  close: defineStep({
    id: 'close',
    title: 'Close',
    purpose: 'Leave with the inquiry questions and a sense of how the group is doing.',
    prompt: 'Look back at where we started. Take the final questions with you.',
    facilitatorNotes: ['Optional trust pulse, resource playlist preview, export of the inquiry brief.'],
    groupMode: 'whole group',
    minutes: { 60: 5, 90: 5, 120: 8 },
    shows: ['question', 'commitment'],
    accepts: [],
    wallNames: true,
    state: NO_STATE,
    commands: {},
  }),
};

/** Every step there is: the inquiry's, the monthly meeting's blocks (monthly.ts) and the protocols' (protocols/). */
export const STEPS = { ...INQUIRY_STEPS, ...MONTHLY_STEPS, ...PROTOCOL_STEPS } satisfies { readonly [K in StepId]: AnyStepDef & { id: K } };

/** A step's place in the registry (not in a meeting: that is its agenda's). */
export function stepIndex(id: StepId): number {
  return STEP_IDS.indexOf(id);
}

export function stepMinutes(id: StepId, length: MeetingLength): number {
  return STEPS[id].minutes[length];
}
