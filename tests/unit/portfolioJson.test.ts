import { describe, expect, it } from 'vitest';
import { MigrationSequence } from '../../shared/MigrationSequence.ts';
import { parsePortfolio, PORTFOLIO_FORMAT, PORTFOLIO_MIGRATIONS, PORTFOLIO_VERSION } from '../../shared/year/portfolio.ts';
import { LIMITS_LOG } from '../../shared/year/practiceLog.ts';
import { parseCarry } from '../../shared/year/portfolioCarry.ts';
import { renderPortfolioJson } from '../../shared/year/renderPortfolioJson.ts';
import { memberFixture, portfolioFixture } from './portfolioFixture.ts';

describe('renderPortfolioJson and parsePortfolio', () => {
  it('round-trips: what we write parses back to the same data', () => {
    for (const data of [portfolioFixture(), memberFixture()]) {
      const json = renderPortfolioJson(data);
      expect(json.endsWith('\n')).toBe(true);
      const parsed = parsePortfolio(JSON.parse(json));
      expect(parsed).toEqual({ ok: true, data });
    }
  });

  it('is versioned: format and version come first', () => {
    const json = JSON.parse(renderPortfolioJson(portfolioFixture()));
    expect(Object.keys(json).slice(0, 2)).toEqual(['format', 'version']);
    expect(json).toMatchObject({ format: PORTFOLIO_FORMAT, version: PORTFOLIO_VERSION });
  });

  it('refuses a version it does not know, saying which it reads and what to do', () => {
    const newer = { ...portfolioFixture(), version: PORTFOLIO_VERSION + 1 };
    expect(parsePortfolio(newer)).toEqual({
      ok: false,
      error: `from has portfolio version ${PORTFOLIO_VERSION + 1}; this server reads versions 1 to ${PORTFOLIO_VERSION}. It comes from a newer Howmight: update this server to read it.`,
    });
    expect(parsePortfolio({ ...portfolioFixture(), version: 'one' })).toMatchObject({ ok: false, error: expect.stringContaining('portfolio version "one"') });
    expect(parsePortfolio({ ...portfolioFixture(), version: undefined })).toMatchObject({ ok: false, error: expect.stringContaining('portfolio version null') });
    expect(parsePortfolio({ ...portfolioFixture(), version: 0 })).toMatchObject({ ok: false, error: expect.stringContaining('this server reads versions 1 to') });
  });

  it('refuses a meeting brief, a foreign file and a non-object with words a facilitator can act on', () => {
    expect(parsePortfolio({ format: 'howmight.inquiry', version: 1 })).toMatchObject({ ok: false, error: expect.stringContaining("is a meeting's inquiry brief, not a portfolio") });
    expect(parsePortfolio({ format: 'other', version: 1 })).toMatchObject({ ok: false, error: expect.stringContaining('format must be "howmight.portfolio"') });
    expect(parsePortfolio([portfolioFixture()])).toMatchObject({ ok: false, error: 'from must be a Howmight portfolio export (a JSON object).' });
  });

  it('names the field at fault', () => {
    const data = portfolioFixture();
    data.commitments[1]!.status = 'maybe' as never;
    expect(parsePortfolio(JSON.parse(JSON.stringify(data)), 'from[1]')).toMatchObject({ ok: false, error: expect.stringMatching(/^from\[1\]\.commitments\[1\]\.status: /) });
    expect(parsePortfolio({ ...portfolioFixture(), community: null })).toMatchObject({ ok: false, error: 'from.community: a community portfolio names its community' });
    expect(parsePortfolio({ ...memberFixture(), member: null })).toMatchObject({ ok: false, error: 'from.member: a member portfolio names its member' });
  });

  it('reads a version 1 file, from before the practice log, as having an empty log and no pulse', () => {
    const { log: _log, pulse: _pulse, ...v1 } = { ...portfolioFixture(), version: 1 };
    expect(PORTFOLIO_VERSION).toBe(3);
    expect(parsePortfolio(JSON.parse(JSON.stringify(v1)))).toEqual({ ok: true, data: portfolioFixture({ log: [], pulse: [] }) });
    // A version 2 file must have its log: only the step from version 1 supplies one.
    expect(parsePortfolio({ ...v1, version: 2 })).toMatchObject({ ok: false, error: expect.stringMatching(/^from\.log: /) });
  });

  it('reads a version 2 file, from before the trust pulse, as having no windows', () => {
    const { pulse: _pulse, ...v2 } = { ...portfolioFixture(), version: 2 };
    expect(parsePortfolio(JSON.parse(JSON.stringify(v2)))).toEqual({ ok: true, data: portfolioFixture({ pulse: [] }) });
    // A version 3 file must have its pulse: only the step from version 2 supplies one.
    expect(parsePortfolio({ ...v2, version: 3 })).toMatchObject({ ok: false, error: expect.stringMatching(/^from\.pulse: /) });
  });

  it('migrates an older version with the steps given', () => {
    // A pretend version 4 that renamed `cohort` to `year`: a version 1 file is read through every step.
    const steps = new MigrationSequence<Record<string, unknown>>('portfolio export', 1, [
      ...PORTFOLIO_MIGRATIONS.steps,
      { version: 4, name: 'cohort becomes year', up: (v) => ({ ...v, year: v.cohort }) },
    ]);
    const { log: _log, pulse: _pulse, ...v1 } = { ...portfolioFixture(), version: 1 };
    const parsed = parsePortfolio(v1, 'from', steps);
    // Today's schema wants version 3, so the migrated file is refused by the schema, not by the version check.
    expect(parsed).toMatchObject({ ok: false, error: expect.stringMatching(/^from\.version: /) });
  });

  it('never holds a pulse figure or a count of fewer answers than the window’s floor', () => {
    const [first] = portfolioFixture().pulse;
    const small = portfolioFixture({ pulse: [{ ...first!, floor: 7 }] });
    expect(parsePortfolio(small)).toEqual({ ok: false, error: 'from.pulse[0].facets.benevolence: a figure of fewer answers than the floor is never shown' });
    expect(() => renderPortfolioJson(small)).toThrow();
    expect(parsePortfolio(portfolioFixture({ pulse: [{ ...first!, floor: 20 }] }))).toMatchObject({ ok: false, error: 'from.pulse[0].respondents: fewer respondents than the floor are never counted' });
    // A figure of four, under the lowest floor of all, is refused by the schema itself.
    const four = { ...first!, facets: { benevolence: { mean: 5, n: 4, sd: 0, strongly: 0 } } };
    expect(parsePortfolio(portfolioFixture({ pulse: [four] }))).toMatchObject({ ok: false, error: expect.stringMatching(/^from\.pulse\[0\]\.facets\.benevolence\.n: /) });
    // Not shown is null, and a facet the window did not ask is absent.
    expect(parsePortfolio(portfolioFixture({ pulse: [{ ...first!, respondents: null, facets: { benevolence: null } }] }))).toMatchObject({ ok: true });
    expect(parsePortfolio(portfolioFixture({ pulse: [{ ...first!, group: 'mine' as never }] }))).toMatchObject({ ok: false, error: expect.stringMatching(/^from\.pulse\[0\]\.group: /) });
  });

  it('keeps a community portfolio to what staff may read: no private or peer entry, no notes', () => {
    const [ana] = portfolioFixture().log;
    for (const visibility of ['private', 'peer'] as const) {
      const data = portfolioFixture({ log: [{ ...ana!, visibility }] });
      expect(parsePortfolio(data)).toEqual({ ok: false, error: 'from.log[0].visibility: a community portfolio holds only entries shared with the community or the cohort' });
      // Written by a bug in the loader, it would not leave the server as JSON.
      expect(() => renderPortfolioJson(data)).toThrow();
    }
    const noted = portfolioFixture({ log: [{ ...ana!, notes: [{ author: 'Ben', text: 'A note', createdAt: '2026-10-01T00:00:00.000Z' }] }] });
    expect(parsePortfolio(noted)).toEqual({ ok: false, error: 'from.log[0].notes: a community portfolio holds no notes on entries' });
    // The same entries are the member's own to keep.
    expect(parsePortfolio(memberFixture())).toMatchObject({ ok: true });
  });

  it('takes the longer commitment "adapt" opens, and log fields and notes up to the log’s limits', () => {
    const data = memberFixture();
    data.commitments[0]!.action = 'a'.repeat(LIMITS_LOG.fieldChars);
    data.log[0]!.commitment!.notice = 'n'.repeat(LIMITS_LOG.fieldChars);
    data.log[0]!.soWhat = 's'.repeat(LIMITS_LOG.fieldChars);
    data.log[0]!.notes[0]!.text = 't'.repeat(LIMITS_LOG.noteChars);
    expect(parsePortfolio(data)).toMatchObject({ ok: true });
    data.log[0]!.soWhat += 's';
    expect(parsePortfolio(data)).toMatchObject({ ok: false, error: expect.stringMatching(/^from\.log\[0\]\.soWhat: /) });
  });
});

describe('parseCarry', () => {
  it('carries each community with its question’s last version and the year it came from', () => {
    const one = parseCarry(JSON.parse(renderPortfolioJson(portfolioFixture())));
    expect(one).toEqual({
      ok: true,
      communities: [
        {
          name: 'Funds for need',
          challenge: 'PTA funds, and who they reach',
          question: { text: 'How might we aim PTA funds at students furthest from opportunity?', reason: 'Carried from Equity cohort 2026-27 (2026–2027)' },
        },
      ],
    });
    const two = parseCarry([portfolioFixture(), portfolioFixture({ community: { name: 'Every day counts', challenge: '' }, questions: [] })]);
    expect(two.ok && two.communities.map((c) => [c.name, c.question?.text ?? null])).toEqual([
      ['Funds for need', 'How might we aim PTA funds at students furthest from opportunity?'],
      ['Every day counts', null],
    ]);
  });

  it('carries version 1 and 2 files as before, and takes nothing of the log or the pulse', () => {
    const { log: _log, pulse: _p1, ...v1 } = { ...portfolioFixture(), version: 1 };
    const { pulse: _p2, ...v2 } = { ...portfolioFixture(), version: 2 };
    const withAll = parseCarry(portfolioFixture());
    expect(withAll.ok).toBe(true);
    expect(parseCarry(v1)).toEqual(withAll);
    expect(parseCarry(v2)).toEqual(withAll);
    expect(JSON.stringify(withAll)).not.toContain('discretionary');
    expect(JSON.stringify(withAll)).not.toContain('sports teams');
    expect(JSON.stringify(withAll)).not.toContain('After meeting 1');
    expect(JSON.stringify(withAll)).not.toContain('agenda shape');
  });

  it('refuses a member’s own portfolio, an empty list, too many, and says which item is at fault', () => {
    expect(parseCarry([portfolioFixture(), memberFixture()])).toMatchObject({ ok: false, error: expect.stringMatching(/^from\[1\] is a member's own portfolio/) });
    expect(parseCarry([])).toMatchObject({ ok: false, error: expect.stringContaining('empty list') });
    expect(parseCarry(Array.from({ length: 13 }, () => portfolioFixture()))).toMatchObject({ ok: false, error: expect.stringContaining('at most 12 communities') });
    expect(parseCarry([portfolioFixture(), { ...portfolioFixture(), version: 9 }])).toMatchObject({ ok: false, error: expect.stringMatching(/^from\[1\] has portfolio version 9/) });
  });
});
