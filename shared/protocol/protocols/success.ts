import { goRoundStep, plainStep } from '../stepDef.ts';
import type { ProtocolDef } from './ProtocolDef.ts';

/** Success Analysis (YEAR.md 4 C): safe, so it builds trust first; everyone brings a success. */
export const SUCCESS: ProtocolDef = {
  id: 'success',
  title: 'Success Analysis',
  purpose: 'Find the conditions behind our successes, so we can make more of them.',
  presenter: false,
  groupSize: [3, 5],
  recommendedFrom: 2,
  steps: ['successWrite', 'successRounds', 'successConditions', 'successDebrief'],
};

export const SUCCESS_STEPS = {
  successWrite: plainStep({
    id: 'successWrite',
    title: 'A success',
    purpose: 'Each member brings one success tied to our question.',
    prompt: 'Write about a recent success tied to our question. What made it different from the times it did not work?',
    facilitatorNotes: ['Silent writing; one card each is enough.'],
    groupMode: 'individual',
    minutes: { 60: 5, 90: 7, 120: 8 },
    shows: ['card'],
    accepts: ['card'],
    wallNames: true,
  }),
  successRounds: goRoundStep({
    id: 'successRounds',
    title: 'Success rounds',
    purpose: 'Hear each success, then think about it while its teller listens.',
    prompt: 'In turn: tell your success; the group asks clarifying questions, then reflects on why it worked while you listen; then you respond.',
    facilitatorNotes: ['Start the round; each teller has the speaker timer.', 'Cards written during a turn go to its teller.'],
    minutes: { 60: 18, 90: 30, 120: 36 },
    shows: ['card'],
    accepts: ['card'],
  }),
  successConditions: plainStep({
    id: 'successConditions',
    title: 'Conditions',
    purpose: 'Name what made the successes possible, and where it sits.',
    prompt: 'Write the conditions behind our successes, one per card, and sort each into structures, knowledge, skills or dispositions.',
    facilitatorNotes: ['Look for conditions that appear in more than one story.'],
    groupMode: 'whole group',
    minutes: { 60: 5, 90: 9, 120: 10 },
    shows: ['card'],
    accepts: ['card'],
    wallNames: false,
  }),
  successDebrief: goRoundStep({
    id: 'successDebrief',
    title: 'Debrief',
    purpose: 'Take one thing into practice.',
    prompt: 'What will you do more of? Say it in one sentence: it can become your commitment.',
    facilitatorNotes: ['A round; everyone speaks once.'],
    minutes: { 60: 2, 90: 4, 120: 6 },
  }),
};
