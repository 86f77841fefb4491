import { featuredResourceSchema } from '../year/playlist.ts';
import { defineStep, goRoundStep, plainStep } from './stepDef.ts';

/**
 * The monthly meeting's blocks around its protocol (YEAR.md 4): the same
 * shape every month, so people know what to expect. It ends with the
 * inquiry's own commit and close steps; agendas.ts puts them in order.
 */
export const MONTHLY_STEPS = {
  checkin: goRoundStep({
    id: 'checkin',
    title: 'Connections',
    purpose: 'Arrive, and hear from everyone once before the work begins.',
    prompt: 'In a sentence or two: what are you bringing into the room today? Each person speaks once; no replies.',
    facilitatorNotes: ['Read the norms aloud first.', 'Start the round; a person may pass and speak at the end.'],
    minutes: { 60: 5, 90: 5, 120: 10 },
    shows: ['norm'],
  }),
  review: plainStep({
    id: 'review',
    title: 'Commitment review',
    purpose: 'Close last month’s loop before opening a new one.',
    prompt: 'Our question is pinned above. Look at the commitment you made last time and mark it: done, carried into next month, or dropped.',
    facilitatorNotes: ['Each owner marks their own; nobody is asked to explain a dropped one.', 'The commitments panel shows who has marked theirs.'],
    groupMode: 'whole group',
    minutes: { 60: 5, 90: 5, 120: 10 },
    shows: ['question', 'commitment'],
    accepts: [],
    wallNames: true,
  }),
  // Starting the round, and each turn, puts up what the members present shared with the community since the last meeting (server/year/gatherLog.ts).
  logRound: goRoundStep({
    id: 'logRound',
    title: 'Practice round',
    purpose: 'Learn from what each member tried between meetings.',
    prompt: 'Share one thing you tried since we last met: what happened, what it means for our question, what you will do next. About two minutes each.',
    facilitatorNotes: [
      'Start the round; the timer is per speaker.',
      'Each speaker’s entry is on the screen if they shared it with the community; only those are.',
      'Listeners hold their questions for the protocol.',
    ],
    minutes: { 60: 10, 90: 12, 120: 15 },
    shows: ['logShare'],
    effects: { turns: 'gatherLog', speaker: 'gatherLog' },
  }),
  playlist: defineStep({
    id: 'playlist',
    title: 'From the playlist',
    purpose: 'Learn something together for the category that weighs most.',
    prompt: 'Look at this month’s resource for our heaviest category. Note one idea you could use at your school.',
    facilitatorNotes: [
      'Pick the resource before the meeting; one that fits the group’s heaviest category.',
      'Put it on the projector from the playlist: its title, why it helps and a QR code of its link.',
    ],
    groupMode: 'individual',
    minutes: { 60: 0, 90: 8, 120: 10 },
    shows: ['card'],
    accepts: ['card'],
    wallNames: false,
    // The resource on the projector; it stays chosen if the meeting steps back to it.
    state: { featured: featuredResourceSchema.nullable().default(null) },
    commands: { feature: (_slice, command) => ({ featured: command.resource }) },
    effects: { feature: 'featureResource' },
  }),
  revise: plainStep({
    id: 'revise',
    title: 'Revise the question',
    purpose: 'Let the question change as the group learns.',
    prompt: 'Does our question still say what we are trying to learn? If not, what should it say now, and why?',
    facilitatorNotes: ['Revise it from the banner ("Revise the question"); each version keeps its reason.', 'Keeping it as it is is a fine answer.'],
    groupMode: 'whole group',
    minutes: { 60: 0, 90: 3, 120: 4 },
    shows: ['question'],
    accepts: [],
    wallNames: false,
  }),
};
