import { goRoundStep, presenterStep } from '../stepDef.ts';
import type { ProtocolDef } from './ProtocolDef.ts';

/** Consultancy (YEAR.md 4 A): one presenter's dilemma, thought about by people outside it. */
export const CONSULTANCY: ProtocolDef = {
  id: 'consultancy',
  title: 'Consultancy',
  purpose: 'Help one member think through a dilemma of practice.',
  presenter: true,
  groupSize: [5, 8],
  recommendedFrom: 3,
  steps: ['consultFrame', 'consultClarify', 'consultProbe', 'consultDiscuss', 'consultRespond', 'consultDebrief'],
};

export const CONSULTANCY_STEPS = {
  consultFrame: presenterStep('speaks', {
    id: 'consultFrame',
    title: 'The dilemma',
    purpose: 'The presenter lays out the dilemma and what they want to think about.',
    prompt: 'Presenter: describe the dilemma, what you have tried, and write the focusing question you want the group to help you with.',
    facilitatorNotes: ['Choose the presenter before this step.', 'The focusing question stays on every screen for the rest of the protocol.'],
    minutes: { 60: 5, 90: 8, 120: 10 },
    shows: ['focus'],
    accepts: ['focus'],
    wallNames: true,
  }),
  consultClarify: presenterStep('answers', {
    id: 'consultClarify',
    title: 'Clarifying questions',
    purpose: 'Fill in the facts the group needs.',
    prompt: 'Ask factual questions with short answers: who, what, when, how many. No "why" yet.',
    facilitatorNotes: ['Redirect a question that is really advice or a probe.'],
    minutes: { 60: 3, 90: 5, 120: 5 },
  }),
  consultProbe: presenterStep('answers', {
    id: 'consultProbe',
    title: 'Probing questions',
    purpose: 'Stretch the presenter’s thinking.',
    prompt: 'Ask open questions that help the presenter see the dilemma differently. Presenter: you may answer; then restate your focusing question if it changed.',
    facilitatorNotes: ['Good probes are brief, open and about the presenter’s thinking, not advice.'],
    minutes: { 60: 7, 90: 10, 120: 12 },
    accepts: ['card', 'focus'],
  }),
  consultDiscuss: presenterStep('listens', {
    id: 'consultDiscuss',
    title: 'Discussion',
    purpose: 'Think aloud about the dilemma while the presenter listens.',
    prompt: 'Talk with each other, not to the presenter: what did we hear? What is being assumed? What might be tried? Write what the presenter should keep; it goes to them.',
    facilitatorNotes: ['The presenter listens and takes notes; their inputs are off.', 'Talk about the dilemma, not the person.'],
    minutes: { 60: 10, 90: 15, 120: 18 },
  }),
  consultRespond: presenterStep('speaks', {
    id: 'consultRespond',
    title: 'Presenter responds',
    purpose: 'The presenter says what they now think.',
    prompt: 'Presenter: what struck you? What do you now think, and what will you try? The group listens.',
    facilitatorNotes: ['This can become the presenter’s commitment.'],
    minutes: { 60: 3, 90: 7, 120: 8 },
  }),
  consultDebrief: goRoundStep({
    id: 'consultDebrief',
    title: 'Debrief',
    purpose: 'Learn how the protocol worked for us.',
    prompt: 'How did the protocol work? What helped, and what would we change next time?',
    facilitatorNotes: ['A round; everyone speaks once.'],
    minutes: { 60: 2, 90: 5, 120: 7 },
  }),
};
