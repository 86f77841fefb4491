import type { PortfolioData, PortfolioLogEntry, PortfolioPulse } from '../../shared/year/portfolio.ts';

const INSTRUMENT = { version: 1, label: 'Adapted from the Omnibus T-Scale; not a validated instrument.' };

/** Two closed windows: the community's own figures in the first; in the second too few of it answered, so the cohort's, one facet not shown. */
export const pulseWindows: PortfolioPulse[] = [
  {
    label: 'After meeting 1',
    closedAt: '2026-09-20T21:59:59.999Z',
    floor: 5,
    respondents: 15,
    members: 16,
    notes: 'We kept the same agenda shape every month\n=and said so',
    weakest: 'predictability',
    instrument: INSTRUMENT,
    group: 'community',
    facets: {
      benevolence: { mean: 5.5, n: 6, sd: 0.55, strongly: 0.5 },
      integrity: { mean: 5.25, n: 6, sd: 0.4, strongly: 0.42 },
      predictability: { mean: 4.08, n: 6, sd: 1.02, strongly: 0.17 },
      competence: { mean: 4.9, n: 6, sd: 0.7, strongly: 0.33 },
    },
  },
  {
    label: 'Mid-year | "check"',
    closedAt: '2027-01-31T12:00:00.000Z',
    floor: 6,
    respondents: 9,
    members: 16,
    notes: '',
    weakest: null,
    instrument: INSTRUMENT,
    group: 'cohort',
    facets: { benevolence: null, integrity: { mean: 3.75, n: 7, sd: 1.2, strongly: 0.07 }, predictability: null, competence: null, openness: null },
  },
];

/** Ana's entry after her first commitment, shared with her community: in the community's portfolio and in hers. */
const anaShared: PortfolioLogEntry = {
  author: 'Ana',
  createdAt: '2026-09-29T19:45:00.000Z',
  commitment: { action: 'Ask the PTA chair for last year’s spending, line by line', notice: 'I expect "discretionary" to be most of it' },
  tried: 'Asked the chair for the spending, line by line',
  what: 'She sent it the next day:\n# 62% discretionary',
  actual: 'More than I predicted',
  soWhat: 'Nobody decides where *most* of it goes',
  nowWhat: 'Bring the lines to the next meeting',
  decision: 'adopt',
  visibility: 'community',
  notes: [],
};

/** Cleo's, shared with the whole cohort: following no commitment, some fields left blank, a formula where text should be. */
const cleoCohort: PortfolioLogEntry = {
  author: 'Cleo',
  createdAt: '2026-10-20T08:00:00.000Z',
  commitment: null,
  tried: '',
  what: '=HYPERLINK("http://x.example") went round the staff room',
  actual: '',
  soWhat: 'Families read the fund as "for the sports teams"',
  nowWhat: '',
  decision: null,
  visibility: 'cohort',
  notes: [],
};

/** A community's year with the awkward texts real people write: commas, quotes, line breaks, Markdown, a formula, emoji. */
export function portfolioFixture(patch: Partial<PortfolioData> = {}): PortfolioData {
  return {
    format: 'howmight.portfolio',
    version: 3,
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
    log: [anaShared, cleoCohort],
    pulse: pulseWindows,
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
    // Every entry of hers, whoever she shared it with, with every note on it.
    log: [
      { ...anaShared, notes: [{ author: 'Ben', text: 'Could we see the lines too?\nAt the next meeting', createdAt: '2026-09-30T07:10:00.000Z' }] },
      {
        ...anaShared,
        createdAt: '2026-10-02T18:00:00.000Z',
        commitment: null,
        tried: 'Talked to the two families nobody hears from',
        what: 'They did not know the fund existed',
        actual: '',
        soWhat: '',
        nowWhat: '',
        decision: null,
        visibility: 'private',
      },
      {
        ...anaShared,
        createdAt: '2026-10-05T18:00:00.000Z',
        commitment: null,
        tried: 'Drafted a one-page guide to the fund',
        what: 'Ben read it first',
        actual: '',
        soWhat: '',
        nowWhat: 'Translate it',
        decision: 'adapt',
        visibility: 'peer',
        notes: [
          { author: 'Ben', text: 'Shorter, and in Spanish', createdAt: '2026-10-06T07:00:00.000Z' },
          { author: 'Ana', text: 'Will do', createdAt: '2026-10-06T09:00:00.000Z' },
        ],
      },
    ],
  };
}
