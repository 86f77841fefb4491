import { FACETS, type Facet } from '../../../shared/year/pulseInstrument.ts';
import type { GroupResult } from '../../../shared/year/pulseResults.ts';
import type { PulseWindowView } from '../../../shared/year/pulse.ts';

/** One facet's line across the closed windows: a mean per window, null where none was shown. */
export interface TrendLine {
  facet: Facet;
  points: Array<number | null>;
}

/** Which figures a view shows: a community's own where it has them, else the cohort's. */
export function groupOf(w: PulseWindowView, communityId: string | null): { result: GroupResult; own: boolean } | null {
  if (!w.results) return null;
  const own = communityId ? w.results.communities[communityId] : undefined;
  return own ? { result: own, own: true } : { result: w.results.cohort, own: false };
}

/** The closed windows, oldest first, and a line per facet that has any figure in them. */
export function trendOf(windows: readonly PulseWindowView[], communityId: string | null): { windows: PulseWindowView[]; lines: TrendLine[] } {
  const closed = windows.filter((w) => w.results).sort((a, b) => a.openedAt - b.openedAt);
  const lines = FACETS.map((facet) => ({ facet, points: closed.map((w) => groupOf(w, communityId)?.result[facet]?.mean ?? null) })).filter((l) =>
    l.points.some((p) => p !== null),
  );
  return { windows: closed, lines };
}
