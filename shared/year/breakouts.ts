import { z } from 'zod';
import type { CategoryId } from '../protocol/categories.ts';
import type { StepId } from '../protocol/stepIds.ts';

/**
 * Breakouts (issue 16): a cohort meeting's plenary splits into groups, each
 * its own board (a session of its own, with its own step, timer, reveal and
 * votes), and comes back. Groups are the communities, or mixed groups for one
 * block (a Consultancy wants 5-8 people who do not share the dilemma).
 */

export const LIMITS_BREAKOUTS = {
  groups: 12,
  groupName: 60,
  announcement: 200,
} as const;

const id = z.string().regex(/^[A-Za-z0-9_-]{6,32}$/, 'not an id');

export const breakoutGroupSchema = z.object({
  name: z.string().trim().min(1, 'a group needs a name').max(LIMITS_BREAKOUTS.groupName),
  memberIds: z.array(id).min(1, 'a group needs at least one member').max(60),
  /** The community it is, for community breakouts; null for a mixed group. */
  communityId: id.nullable().default(null),
  /** A coach given this group's controls, and no other's. */
  coachId: id.nullable().default(null),
});
export type BreakoutGroup = z.output<typeof breakoutGroupSchema>;

export const openBreakoutsBody = z
  .object({
    groups: z.array(breakoutGroupSchema).min(1).max(LIMITS_BREAKOUTS.groups),
    /** Lockstep: the groups follow the plenary's step when the facilitator moves it; otherwise each runs its own pace. */
    lockstep: z.boolean().default(true),
  })
  .refine((b) => new Set(b.groups.flatMap((g) => g.memberIds)).size === b.groups.reduce((n, g) => n + g.memberIds.length, 0), {
    message: 'a member can be in one group only',
    path: ['groups'],
  });
export type OpenBreakoutsBody = z.input<typeof openBreakoutsBody>;

export const announceBody = z.object({
  text: z.string().trim().min(1, 'say something').max(LIMITS_BREAKOUTS.announcement),
});

export const breakoutStepBody = z.object({ step: z.string().max(40) });

export const showResultsBody = z.object({ show: z.boolean() });

/** One group as the facilitator's overview and the cohort projector see it, live. */
export interface BreakoutView {
  sessionId: string;
  name: string;
  communityId: string | null;
  coach: string | null;
  step: StepId;
  stepTitle: string;
  /** Where the step is in the group's agenda (0-based), for "far behind". */
  stepIndex: number;
  timeLeftMs: number;
  timerRunning: boolean;
  /** The group's members with whether each is connected now; `joined` false: not yet in the group's board. */
  people: Array<{ name: string; joined: boolean; online: boolean }>;
  /** What its members have written on its board (notes, needs, questions, cards…). */
  notes: number;
  /** Two steps or more behind the group furthest ahead. */
  behind: boolean;
  /** Back in plenary: the group's result. */
  result: { questions: string[]; heaviest: CategoryId | null; commitments: number };
}

export interface BreakoutsView {
  open: boolean;
  lockstep: boolean;
  showResults: boolean;
  groups: BreakoutView[];
}

/** Steps behind the group furthest ahead at which the overview warns. */
export const BEHIND_STEPS = 2;

export interface Person {
  id: string;
  communityId: string | null;
}

/**
 * Mixed groups (YEAR.md 4: a Consultancy across communities): `count` groups
 * as even in size as the people allow, each person dealt in turn from the
 * largest community left, so each group holds as many communities as it can
 * and nobody sits with their own community where another seat would do.
 */
export function suggestMixedGroups(people: readonly Person[], count: number): string[][] {
  const k = Math.max(1, Math.min(count, people.length));
  const byCommunity = new Map<string, Person[]>();
  for (const p of people) {
    const key = p.communityId ?? `none:${p.id}`;
    byCommunity.set(key, [...(byCommunity.get(key) ?? []), p]);
  }
  // Largest communities first: their members are the hardest to spread.
  const order = [...byCommunity.values()].sort((a, b) => b.length - a.length).flat();
  const groups: Person[][] = Array.from({ length: k }, () => []);
  const capacity = (i: number) => Math.floor(people.length / k) + (i < people.length % k ? 1 : 0);
  for (const p of order) {
    const open = groups.map((g, i) => ({ g, i })).filter(({ g, i }) => g.length < capacity(i));
    // The open group with fewest of this person's community, then the smallest, then the first.
    const same = (g: Person[]) => g.filter((q) => p.communityId !== null && q.communityId === p.communityId).length;
    open.sort((a, b) => same(a.g) - same(b.g) || a.g.length - b.g.length || a.i - b.i);
    open[0]!.g.push(p);
  }
  return groups.map((g) => g.map((p) => p.id));
}

/** How many mixed groups for `n` people with groups of at most `max`. */
export function groupCount(n: number, max: number): number {
  return Math.max(1, Math.ceil(n / Math.max(1, max)));
}
