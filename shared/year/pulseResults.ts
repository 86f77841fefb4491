import { FACETS, MIN_FLOOR, SCALE_MAX, type Facet, type PulseItem } from './pulseInstrument.ts';

/** One person's answers: item id → 1..6; a skipped item is absent. No one is named. */
export type AnswerSheet = Readonly<Record<string, number>>;

/** An answer as the server keeps it: the sheet, and the respondent's community when results may be kept by community. */
export interface StoredAnswer {
  communityId: string | null;
  answers: AnswerSheet;
}

/** A facet's figure for one group: the mean of its items' means, how many answered, the spread, the share who strongly agreed. */
export interface FacetFigure {
  mean: number;
  n: number;
  /** Standard deviation of the respondents' facet scores. */
  sd: number;
  /** Share of item answers scored 6 (after reversing). */
  strongly: number;
}

/** A group's result: a figure per facet, null where fewer than the floor answered (or where showing it would give one away). */
export type GroupResult = Readonly<Record<Facet, FacetFigure | null>>;

export interface PulseResults {
  floor: number;
  /** Respondents in the cohort; null when below the floor (counts under 5 are never shown). */
  respondents: number | null;
  cohort: GroupResult;
  /** Per community with a figure shown; a community under the floor is only in the cohort figure. */
  communities: Readonly<Record<string, GroupResult>>;
  /** The facet with the lowest cohort mean, among those shown. */
  weakest: Facet | null;
}

/** The item's score: reversed items count 7 − x, so a higher score is always more trust. */
export function scoreOf(item: PulseItem, value: number): number {
  return item.reversed ? SCALE_MAX + 1 - value : value;
}

function round(x: number, places = 2): number {
  const f = 10 ** places;
  return Math.round(x * f) / f;
}

/**
 * A facet's raw figure over some answers: average each item over its
 * respondents, then the facet's items (YEAR.md 3); n is the respondents who
 * answered at least one of its items.
 */
function facetFigure(facet: Facet, items: readonly PulseItem[], answers: readonly StoredAnswer[]): FacetFigure | null {
  const own = items.filter((i) => i.facet === facet);
  if (own.length === 0) return null;
  const itemMeans: number[] = [];
  let sixes = 0;
  let total = 0;
  for (const i of own) {
    const scores = answers.flatMap((a) => (a.answers[i.id] === undefined ? [] : [scoreOf(i, a.answers[i.id]!)]));
    if (scores.length === 0) continue;
    itemMeans.push(scores.reduce((s, x) => s + x, 0) / scores.length);
    sixes += scores.filter((x) => x === SCALE_MAX).length;
    total += scores.length;
  }
  const people = answers
    .map((a) => own.flatMap((i) => (a.answers[i.id] === undefined ? [] : [scoreOf(i, a.answers[i.id]!)])))
    .filter((s) => s.length > 0)
    .map((s) => s.reduce((x, y) => x + y, 0) / s.length);
  if (people.length === 0) return null;
  const mean = itemMeans.reduce((s, x) => s + x, 0) / itemMeans.length;
  const personMean = people.reduce((s, x) => s + x, 0) / people.length;
  const sd = people.length > 1 ? Math.sqrt(people.reduce((s, x) => s + (x - personMean) ** 2, 0) / (people.length - 1)) : 0;
  return { mean: round(mean), n: people.length, sd: round(sd), strongly: round(sixes / total) };
}

/**
 * The window's results, computed on the server after it closes (YEAR.md 3).
 * Per facet, a group with fewer than `floor` respondents is suppressed, and
 * so, when the suppressed communities together are still under the floor,
 * is the next-smallest community, until the cohort figure minus the shown
 * ones gives no group of fewer than `floor` away by subtraction. A cohort
 * under the floor shows nothing at all.
 */
export function aggregate(items: readonly PulseItem[], answers: readonly StoredAnswer[], requestedFloor = MIN_FLOOR): PulseResults {
  const floor = Math.max(MIN_FLOOR, Math.floor(requestedFloor));
  const byCommunity = new Map<string, StoredAnswer[]>();
  for (const a of answers) if (a.communityId !== null) byCommunity.set(a.communityId, [...(byCommunity.get(a.communityId) ?? []), a]);
  const cohort = {} as Record<Facet, FacetFigure | null>;
  const communities: Record<string, Record<Facet, FacetFigure | null>> = Object.fromEntries([...byCommunity.keys()].map((id) => [id, {} as Record<Facet, FacetFigure | null>]));
  for (const facet of FACETS) {
    const whole = facetFigure(facet, items, answers);
    cohort[facet] = whole && whole.n >= floor ? whole : null;
    const figures = [...byCommunity].map(([id, list]) => ({ id, figure: cohort[facet] ? facetFigure(facet, items, list) : null }));
    const shown = new Set(figures.filter((f) => f.figure && f.figure.n >= floor).map((f) => f.id));
    // What the cohort figure minus the shown communities leaves: it must be nobody, or at least `floor` people.
    const respondentsOf = (id: string) => figures.find((f) => f.id === id)?.figure?.n ?? 0;
    const left = () => (whole?.n ?? 0) - [...shown].reduce((s, id) => s + respondentsOf(id), 0);
    while (shown.size > 0 && left() > 0 && left() < floor) {
      const smallest = [...shown].sort((a, b) => respondentsOf(a) - respondentsOf(b) || a.localeCompare(b))[0]!;
      shown.delete(smallest);
    }
    for (const { id, figure } of figures) communities[id]![facet] = shown.has(id) ? figure : null;
  }
  const visible = Object.fromEntries(Object.entries(communities).filter(([, r]) => FACETS.some((f) => r[f] !== null)));
  const ranked = FACETS.filter((f) => cohort[f] !== null).sort((a, b) => cohort[a]!.mean - cohort[b]!.mean);
  return {
    floor,
    respondents: answers.length >= floor ? answers.length : null,
    cohort,
    communities: visible,
    weakest: ranked[0] ?? null,
  };
}
