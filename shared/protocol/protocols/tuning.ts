import { z } from 'zod';
import { defineStep, goRoundStep, plainStep, presenterStep } from '../stepDef.ts';
import type { ProtocolDef } from './ProtocolDef.ts';

/** Tuning (YEAR.md 4 B): warm and cool feedback on one member's plan or artifact. */
export const TUNING: ProtocolDef = {
  id: 'tuning',
  title: 'Tuning',
  purpose: 'Give one member warm and cool feedback on a plan or artifact.',
  presenter: true,
  groupSize: [6, 12],
  recommendedFrom: 4,
  steps: ['tuningIntro', 'tuningPresent', 'tuningClarify', 'tuningExamine', 'tuningFeedback', 'tuningReflect', 'tuningDebrief'],
};

export const TUNING_STEPS = {
  tuningIntro: plainStep({
    id: 'tuningIntro',
    title: 'Introduction',
    purpose: 'Set the goals, norms and roles.',
    prompt: 'We will give warm feedback first, then cool, each tied to the presenter’s focusing question.',
    facilitatorNotes: ['Name the presenter and the timekeeper.'],
    groupMode: 'whole group',
    minutes: { 60: 1, 90: 2, 120: 2 },
    shows: [],
    accepts: [],
    wallNames: false,
  }),
  tuningPresent: presenterStep('speaks', {
    id: 'tuningPresent',
    title: 'Presentation',
    purpose: 'The presenter shares the work and what they want feedback on.',
    prompt: 'Presenter: share the context, your goals, the plan or artifact (no student data) and your focusing question.',
    facilitatorNotes: ['The focusing question stays on every screen for the rest of the protocol.'],
    minutes: { 60: 5, 90: 8, 120: 10 },
    shows: ['focus'],
    accepts: ['focus'],
    wallNames: true,
  }),
  tuningClarify: presenterStep('answers', {
    id: 'tuningClarify',
    title: 'Clarifying questions',
    purpose: 'Fill in the facts the group needs.',
    prompt: 'Ask short factual questions about the work. Save feedback for later.',
    facilitatorNotes: ['Redirect feedback disguised as a question.'],
    minutes: { 60: 3, 90: 4, 120: 5 },
  }),
  tuningExamine: presenterStep('listens', {
    id: 'tuningExamine',
    title: 'Examine the work',
    purpose: 'Study the work in silence and prepare feedback.',
    prompt: 'Study the work. Write warm feedback (what works, tied to the focusing question) and cool feedback (questions and gaps), one per card. Nobody sees them until the reveal.',
    facilitatorNotes: ['Silent writing, kept private until you reveal it at the next step; then it goes to the presenter.'],
    groupMode: 'silent writing, then reveal',
    minutes: { 60: 5, 90: 8, 120: 10 },
    // The cards are drafts in each writer's private document until the reveal (records/cardDrafts.ts).
    shows: ['focus'],
    accepts: [],
  }),
  tuningFeedback: defineStep({
    id: 'tuningFeedback',
    title: 'Warm and cool feedback',
    purpose: 'Give the feedback, warm first, while the presenter listens.',
    prompt: 'Share warm feedback first, then cool, tied to the focusing question. Presenter: listen and take notes; your inputs are off.',
    facilitatorNotes: ['Reveal the silent feedback first: everyone’s cards go up at once, addressed to the presenter.', 'Warm first, then cool.', 'Keep each to the work, not the person.'],
    groupMode: 'group discusses, presenter listens',
    minutes: { 60: 8, 90: 14, 120: 15 },
    shows: ['focus', 'card'],
    accepts: ['card'],
    wallNames: false,
    presenter: 'listens',
    state: { feedbackRevealed: z.boolean().default(false) },
    commands: { reveal: () => ({ feedbackRevealed: true }) },
    // The drafts move before the state says "revealed", as the root causes' do.
    effects: { reveal: 'revealCards' },
  }),
  tuningReflect: presenterStep('speaks', {
    id: 'tuningReflect',
    title: 'Presenter reflects',
    purpose: 'The presenter takes up what helps.',
    prompt: 'Presenter: which points will you take up, and what is your next step? The group listens.',
    facilitatorNotes: ['The presenter need not answer every point.'],
    minutes: { 60: 5, 90: 8, 120: 10 },
  }),
  tuningDebrief: goRoundStep({
    id: 'tuningDebrief',
    title: 'Debrief',
    purpose: 'Learn how the protocol worked for us.',
    prompt: 'Was the feedback useful? Is the next step clear?',
    facilitatorNotes: ['The whole group, presenter included.'],
    minutes: { 60: 3, 90: 6, 120: 8 },
  }),
};
