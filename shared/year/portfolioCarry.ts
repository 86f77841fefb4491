import { LIMITS_YEAR } from './api.ts';
import { currentQuestion, parsePortfolio, type PortfolioData } from './portfolio.ts';

/** A community as it starts the new year: its name, its challenge and the question it ended last year with. */
export interface CarriedCommunity {
  name: string;
  challenge: string;
  /** Becomes version 1 of the new year's question; null when last year's community never set one. */
  question: { text: string; reason: string } | null;
}

export type ParsedCarry = { ok: true; communities: CarriedCommunity[] } | { ok: false; error: string };

/**
 * Reads `from` on POST /api/cohorts: one community portfolio, or an array of
 * them (one per community to carry). Only community portfolios carry: a
 * member's own portfolio is theirs, and members are not carried at all (they
 * join the new cohort themselves, so nobody's identity moves without them).
 */
export function parseCarry(raw: unknown): ParsedCarry {
  const list = Array.isArray(raw) ? raw : [raw];
  const label = (i: number) => (Array.isArray(raw) ? `from[${i}]` : 'from');
  if (list.length === 0) return { ok: false, error: 'from is an empty list: give one community portfolio, or a list of them.' };
  if (list.length > LIMITS_YEAR.communitiesPerCohort) {
    return { ok: false, error: `from has ${list.length} portfolios; a cohort has at most ${LIMITS_YEAR.communitiesPerCohort} communities.` };
  }
  const portfolios: PortfolioData[] = [];
  for (const [i, item] of list.entries()) {
    const parsed = parsePortfolio(item, label(i));
    if (!parsed.ok) return parsed;
    if (parsed.data.scope !== 'community') {
      return { ok: false, error: `${label(i)} is a member's own portfolio; carry the community portfolios a facilitator exports from the cohort page.` };
    }
    portfolios.push(parsed.data);
  }
  return { ok: true, communities: portfolios.map(carriedCommunity) };
}

export function carriedCommunity(data: PortfolioData): CarriedCommunity {
  const now = currentQuestion(data);
  return {
    name: data.community!.name,
    challenge: data.community!.challenge,
    question: now ? { text: now.text, reason: carriedReason(data) } : null,
  };
}

/** "Carried from Equity cohort 2026-27 (2026–2027)": the reason version 1 gives in the new year. */
export function carriedReason(data: PortfolioData): string {
  return `Carried from ${data.cohort.name} (${data.cohort.startsOn.slice(0, 4)}–${data.cohort.endsOn.slice(0, 4)})`;
}
