import type { PortfolioData } from '../../shared/year/portfolio.ts';

/** A community's year with the awkward texts real people write: commas, quotes, line breaks, Markdown, a formula, emoji. */
export function portfolioFixture(patch: Partial<PortfolioData> = {}): PortfolioData {
  return {
    format: 'howmight.portfolio',
    version: 1,
    exportedAt: '2027-06-20T15:04:00.000Z',
    scope: 'community',
    names: true,
    cohort: { name: 'Equity cohort 2026-27', startsOn: '2026-09-01', endsOn: '2027-06-30' },
    community: { name: 'Funds for need', challenge: 'PTA funds, and who they reach' },
    member: null,
    questions: [
      {
        version: 1,
        text: 'How might we aim PTA funds at the students who need them most?',
        reason: 'The final question of meeting 1.',
        meeting: { cohortWide: false, index: 1, startsAt: '2026-09-08T16:00' },
        createdAt: '2026-09-08T17:30:00.000Z',
        source: {
          category: 'structures',
          cluster: 'Budget "lines"',
          notes: [
            { text: 'Funds follow the loudest parents,\nnot the need', author: 'Ana' },
            { text: '# nobody reviews the spending', author: 'A former member' },
          ],
        },
      },
      {
        version: 2,
        text: 'How might we aim PTA funds at students furthest from opportunity?',
        reason: 'The map showed need is not where we thought',
        meeting: { cohortWide: false, index: 2, startsAt: '2026-10-13T16:00' },
        createdAt: '2026-10-13T17:20:00.000Z',
        source: null,
      },
    ],
    meetings: [
      { cohortWide: false, index: 1, title: 'Funds for need · Meeting 1', startsAt: '2026-09-08T16:00', lengthMinutes: 90, finishedAt: '2026-09-08T17:30:00.000Z', attendance: 4, attended: null },
      { cohortWide: false, index: 2, title: 'Funds for need · Meeting 2', startsAt: '2026-10-13T16:00', lengthMinutes: 90, finishedAt: '2026-10-13T17:30:00.000Z', attendance: 3, attended: null },
      { cohortWide: false, index: 3, title: 'Funds for need · Meeting 3', startsAt: '2026-11-10T16:00', lengthMinutes: 90, finishedAt: null, attendance: 0, attended: null },
    ],
    commitments: [
      {
        owner: 'Ana',
        action: 'Ask the PTA chair for last year’s spending, line by line',
        notice: 'I expect "discretionary" to be most of it',
        partner: 'Cleo',
        due: '2026-09-30',
        status: 'done',
        madeIn: { cohortWide: false, index: 1, startsAt: '2026-09-08T16:00' },
        createdAt: '2026-09-08T17:30:00.000Z',
        reviewedAt: '2026-10-13T16:10:00.000Z',
      },
      {
        owner: 'Cleo',
        action: 'Map who uses the after-school fund\nby grade 😬',
        notice: '=SUM(A1:A9) families, maybe',
        partner: null,
        due: null,
        status: 'carried',
        madeIn: { cohortWide: false, index: 1, startsAt: '2026-09-08T16:00' },
        createdAt: '2026-09-08T17:30:00.000Z',
        reviewedAt: '2026-10-13T16:12:00.000Z',
      },
      {
        owner: 'Cleo',
        action: 'Map who uses the after-school fund\nby grade 😬',
        notice: '=SUM(A1:A9) families, maybe',
        partner: null,
        due: null,
        status: 'open',
        madeIn: { cohortWide: false, index: 2, startsAt: '2026-10-13T16:00' },
        createdAt: '2026-10-13T16:12:00.000Z',
        reviewedAt: null,
      },
    ],
    ...patch,
  };
}

/** The same year as one member's own portfolio. */
export function memberFixture(): PortfolioData {
  const community = portfolioFixture();
  return {
    ...community,
    scope: 'member',
    member: { name: 'Ana', challenge: 'PTA funds' },
    meetings: community.meetings.map((m, i) => ({ ...m, attended: i === 0 })),
    commitments: community.commitments.filter((c) => c.owner === 'Ana'),
  };
}
