import { z } from 'zod';
import { featuredResourceSchema } from '../year/playlist.ts';
import { CATEGORY_IDS } from './categories.ts';
import { recordIdSchema } from './recordId.ts';
import { STEP_IDS, type MeetingLength } from './stepIds.ts';

/**
 * The facilitator's commands: their payloads, validated on the server, and
 * what a transition may read besides the state. Which step takes which is the
 * registry's (steps.ts); how the state changes is control.ts's.
 */
export const SPOTLIGHT_KINDS = ['story', 'note', 'question'] as const;
export const VOTING_STATUSES = ['not started', 'open', 'closed'] as const;
export const MAX_VOTES_PER_PERSON = 10;
/** How the projector shows the join code and QR code: large beside the board, or small in a corner. */
export const JOIN_CARD_SIZES = ['large', 'corner'] as const;

const id = recordIdSchema;

/**
 * A client may tag a command with an id of its choosing; the server remembers
 * recent ids per session and answers a replay without applying it again. That
 * makes commands that are not idempotent by themselves (`timer addMinute`)
 * safe to resend after a dropped acknowledgement.
 */
export const commandIdSchema = z.string().min(1).max(64);
const command = <T extends z.ZodRawShape>(shape: T) => z.object({ ...shape, id: commandIdSchema.optional() });

export const commandSchema = z.discriminatedUnion('type', [
  command({ type: z.literal('goto'), step: z.enum(STEP_IDS) }),
  command({ type: z.literal('next'), from: z.enum(STEP_IDS) }),
  command({ type: z.literal('previous'), from: z.enum(STEP_IDS) }),
  command({ type: z.literal('timer'), action: z.enum(['start', 'pause', 'addMinute', 'reset']) }),
  command({ type: z.literal('lock'), locked: z.boolean() }),
  command({ type: z.literal('spotlight'), target: z.object({ kind: z.enum(SPOTLIGHT_KINDS), id }).nullable() }),
  command({ type: z.literal('turns'), action: z.literal('start') }),
  command({ type: z.literal('speaker'), participantId: id.nullable() }),
  command({ type: z.literal('pass') }),
  command({ type: z.literal('presenter'), participantId: id.nullable() }),
  command({
    type: z.literal('agenda'),
    steps: z.array(z.enum(STEP_IDS)).min(1).max(STEP_IDS.length),
    /** Minutes per step of the new agenda; a step left out keeps its time box. */
    minutes: z.partialRecord(z.enum(STEP_IDS), z.number().int().min(0).max(180)).optional(),
    /** Where the meeting goes on the new agenda (a new template before the meeting starts); by default it stays where it is. */
    startAt: z.enum(STEP_IDS).optional(),
  }),
  command({ type: z.literal('pairs'), action: z.literal('form') }),
  command({ type: z.literal('movePerson'), participantId: id, group: z.number().int().min(0).max(100) }),
  command({ type: z.literal('reveal') }),
  command({ type: z.literal('heaviest'), category: z.enum(CATEGORY_IDS).nullable() }),
  command({
    type: z.literal('voting'),
    status: z.enum(VOTING_STATUSES).optional(),
    perPerson: z.number().int().min(1).max(MAX_VOTES_PER_PERSON).optional(),
  }),
  command({ type: z.literal('final'), questionId: id, final: z.boolean() }),
  command({ type: z.literal('joining'), open: z.boolean() }),
  command({ type: z.literal('joinCard'), size: z.enum(JOIN_CARD_SIZES) }),
  command({ type: z.literal('namesOnWall'), step: z.enum(STEP_IDS), show: z.boolean() }),
  command({ type: z.literal('anonymous'), on: z.boolean() }),
  /** The playlist step: the resource on the projector (its link checked as every resource link is), or none. */
  command({ type: z.literal('feature'), resource: featuredResourceSchema.nullable() }),
]);
export type Command = z.infer<typeof commandSchema>;
export type CommandOf<T extends Command['type']> = Extract<Command, { type: T }>;

/**
 * Commands every step takes: moving through the agenda, the timer, the lock,
 * the spotlight, joining, the join code's size on the wall, names on the
 * wall, choosing the presenter, and reshaping the agenda during the meeting.
 */
export const GLOBAL_COMMANDS = ['goto', 'next', 'previous', 'timer', 'lock', 'spotlight', 'joining', 'joinCard', 'namesOnWall', 'presenter', 'agenda'] as const;
export type GlobalCommandType = (typeof GLOBAL_COMMANDS)[number];
/** Commands only the steps that list them in `commands` take (steps.ts). */
export type StepCommandType = Exclude<Command['type'], GlobalCommandType>;

/** What a refusal calls each step's command: "<name> belongs to the <step> step". */
export const COMMAND_NAMES: Readonly<Record<StepCommandType, string>> = {
  turns: 'Starting the round',
  speaker: 'Choosing who has the turn',
  pass: 'Passing the turn',
  pairs: 'Forming pairs',
  movePerson: 'Moving someone to another pair',
  reveal: 'Revealing the notes',
  heaviest: 'Marking the heaviest category',
  voting: 'Voting',
  final: 'Marking final questions',
  anonymous: 'Choosing anonymous notes',
  feature: 'Featuring a resource',
};

/** What a transition may read besides the state: the clock, the room, chance. */
export interface CommandContext {
  now: number;
  length: MeetingLength;
  /** Participant ids online now, in joining order. */
  present: readonly string[];
  random?: () => number;
}

