/**
 * The equity inquiry protocol as data (PROTOCOL.md). Everything that varies
 * per step lives here; views and server logic look steps up by id.
 */
export const STEP_IDS = ['open', 'story', 'need', 'assumptions', 'causes', 'sort', 'hmw', 'commit', 'close'] as const;
export type StepId = (typeof STEP_IDS)[number];

export const MEETING_LENGTHS = [60, 90, 120] as const;
export type MeetingLength = (typeof MEETING_LENGTHS)[number];

export type GroupMode =
  | 'whole group'
  | 'individual, then told in turn'
  | 'individual'
  | 'pairs (a trio if odd)'
  | 'silent writing, then reveal'
  | 'individual, then vote'
  | 'individual, then pairs';

/** Kinds of board records a step can show or accept. */
export type ArtifactKind = 'norm' | 'hope' | 'story' | 'need' | 'assumption' | 'note' | 'question' | 'commitment';

export interface StepDef {
  id: StepId;
  title: string;
  purpose: string;
  prompt: string;
  facilitatorNotes: readonly string[];
  groupMode: GroupMode;
  minutes: Readonly<Record<MeetingLength, number>>;
  shows: readonly ArtifactKind[];
  accepts: readonly ArtifactKind[];
}

export const STEPS: Readonly<Record<StepId, StepDef>> = {
  open: {
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
  },
  story: {
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
  },
  need: {
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
  },
  assumptions: {
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
  },
  causes: {
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
  },
  sort: {
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
  },
  hmw: {
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
  },
  commit: {
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
  },
  close: {
    id: 'close',
    title: 'Close',
    purpose: 'Leave with the inquiry questions and a sense of how the group is doing.',
    prompt: 'Look back at where we started. Take the final questions with you.',
    facilitatorNotes: ['Optional trust pulse, resource playlist preview, export of the inquiry brief.'],
    groupMode: 'whole group',
    minutes: { 60: 5, 90: 5, 120: 8 },
    shows: ['question', 'commitment'],
    accepts: [],
  },
};

export function stepIndex(id: StepId): number {
  return STEP_IDS.indexOf(id);
}

export function stepMinutes(id: StepId, length: MeetingLength): number {
  return STEPS[id].minutes[length];
}
