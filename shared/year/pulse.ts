import { z } from 'zod';
import { dateSchema } from './series.ts';
import { CURRENT_INSTRUMENT, MIN_FLOOR, SCALE_MAX, SCALE_MIN, type Facet, type PulseItem } from './pulseInstrument.ts';
import type { GroupResult } from './pulseResults.ts';

/**
 * The trust pulse's HTTP contract (YEAR.md 3). A window is opened by a
 * facilitator for the cohort, answered once per member, anonymously, and
 * shows results only after it closes, only for groups of at least its floor.
 */

export const LIMITS_PULSE = {
  label: 80,
  notes: 2000,
  windowsPerCohort: 20,
  /** Most days a window stays open. */
  openDays: 60,
  maxFloor: 30,
} as const;

const itemIds = CURRENT_INSTRUMENT.items.map((i) => i.id) as [string, ...string[]];

export const openWindowBody = z.object({
  label: z.string().trim().min(1, 'label must not be blank').max(LIMITS_PULSE.label, `label must be at most ${LIMITS_PULSE.label} characters`),
  /** The last day answers are taken (through the end of that day, server time). */
  closesOn: dateSchema,
  items: z
    .array(z.enum(itemIds, { error: 'not an item of the instrument' }))
    .min(2, 'keep at least two items')
    .max(itemIds.length)
    .refine((ids) => new Set(ids).size === ids.length, 'an item is listed twice')
    .default(CURRENT_INSTRUMENT.items.filter((i) => i.onByDefault).map((i) => i.id)),
  floor: z.number().int().min(MIN_FLOOR, `the floor is never below ${MIN_FLOOR}`).max(LIMITS_PULSE.maxFloor).default(MIN_FLOOR),
});
export type OpenWindowBody = z.input<typeof openWindowBody>;

export const windowNotesBody = z.object({ notes: z.string().max(LIMITS_PULSE.notes, `notes must be at most ${LIMITS_PULSE.notes} characters`) });

/** One member's answers: item → 1..6; an item left out is skipped. Checked against the window's items on the server. */
export const pulseAnswerBody = z.object({
  answers: z
    .record(z.string().max(16), z.number().int().min(SCALE_MIN).max(SCALE_MAX, `answers are ${SCALE_MIN} to ${SCALE_MAX}`))
    .refine((a) => Object.keys(a).length > 0, 'answer at least one item'),
});
export type PulseAnswerBody = z.input<typeof pulseAnswerBody>;

export type WindowStatus = 'open' | 'closed';

/** A closed window's results as a browser may see them: only what is at or above the floor. */
export interface PulseResultsView {
  floor: number;
  /** Members who answered; null when fewer than the floor ("fewer than 5"). */
  respondents: number | null;
  /** Members of the cohort when it closed. */
  members: number;
  cohort: GroupResult;
  /** Staff: every community shown. A member: their own community's, if shown. */
  communities: Readonly<Record<string, GroupResult>>;
  weakest: Facet | null;
}

export interface PulseWindowView {
  id: string;
  label: string;
  instrument: number;
  /** The items it asks, frozen when it opened. */
  items: string[];
  floor: number;
  openedAt: number;
  /** End of the last day it takes answers. */
  closesAt: number;
  closedAt: number | null;
  status: WindowStatus;
  /** What the facilitators changed because of it: the loop made visible. */
  notes: string;
  results: PulseResultsView | null;
}

/** A member's side: open windows to answer (with whether they did), closed ones' results. */
export interface MyPulse {
  open: Array<{ id: string; label: string; closesAt: number; items: PulseItem[]; answered: boolean }>;
  closed: PulseWindowView[];
  instrumentLabel: string;
}
