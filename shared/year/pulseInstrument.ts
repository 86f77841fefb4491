/**
 * The trust pulse's instrument as data (YEAR.md 3): items about the group,
 * on a 6-point agree scale, one or two per facet, versioned. Modelled on the
 * "trust in colleagues" items of the Omnibus T-Scale; our adaptation, not a
 * validated instrument, and labelled so. Wording never changes within a
 * version: a trend compares like with like. A new wording is a new version.
 */

export const FACETS = ['benevolence', 'integrity', 'predictability', 'competence', 'openness'] as const;
export type Facet = (typeof FACETS)[number];

export interface FacetDef {
  title: string;
  /** What raises it, shown beside the results so a low figure suggests what to change. */
  raisedBy: string;
}

export const FACET_DEFS: Readonly<Record<Facet, FacetDef>> = {
  benevolence: { title: 'Benevolence', raisedBy: 'care, fairness, confidences kept' },
  integrity: { title: 'Integrity', raisedBy: 'truth told, promises kept' },
  predictability: { title: 'Predictability', raisedBy: 'consistency and follow-through: meeting in the same shape, doing what we said' },
  competence: { title: 'Competence', raisedBy: 'solving hard problems together' },
  openness: { title: 'Openness', raisedBy: 'sharing information, saying what is really happening' },
};

export interface PulseItem {
  id: string;
  facet: Facet;
  text: string;
  /** Scored 7 − x: agreeing is low trust. */
  reversed: boolean;
  /** On unless the facilitator turns it off (openness is optional, YEAR.md 3). */
  onByDefault: boolean;
}

export interface Instrument {
  version: number;
  label: string;
  items: readonly PulseItem[];
}

export const SCALE = [
  { value: 1, label: 'Strongly disagree' },
  { value: 2, label: 'Disagree' },
  { value: 3, label: 'Somewhat disagree' },
  { value: 4, label: 'Somewhat agree' },
  { value: 5, label: 'Agree' },
  { value: 6, label: 'Strongly agree' },
] as const;
export const SCALE_MIN = 1;
export const SCALE_MAX = 6;

const item = (id: string, facet: Facet, text: string, reversed = false, onByDefault = true): PulseItem => ({ id, facet, text, reversed, onByDefault });

export const INSTRUMENTS: readonly Instrument[] = [
  {
    version: 1,
    label: 'Adapted from the Omnibus T-Scale; not a validated instrument.',
    items: [
      item('ben1', 'benevolence', 'Members of my community want good things for each other’s schools.'),
      item('ben2', 'benevolence', 'Members of my community keep our meetings confidential.'),
      item('int1', 'integrity', 'Members of my community are truthful about their work, failures included.'),
      item('int2', 'integrity', 'Members of my community act on the values they state.'),
      item('pre1', 'predictability', 'I know what will happen when my community meets.'),
      item('pre2', 'predictability', 'Members of my community follow through on what they say they will try.'),
      item('com1', 'competence', 'Members of my community can help with hard leadership problems.'),
      item('com2', 'competence', 'Advice from members of my community works at my school.'),
      item('opn1', 'openness', 'Members of my community say what is really happening at their schools.', false, false),
      item('opn2R', 'openness', 'Members of my community hold back what they really think.', true, false),
    ],
  },
];

export const CURRENT_INSTRUMENT = INSTRUMENTS.at(-1)!;

export function instrument(version: number): Instrument | null {
  return INSTRUMENTS.find((i) => i.version === version) ?? null;
}

/** The lowest anonymity floor: no group of fewer answers is ever shown (YEAR.md 3). */
export const MIN_FLOOR = 5;
