import { beforeAll, describe, expect, it } from 'vitest';
import type { CommunityView } from '../../shared/year/api.ts';
import { parsePortfolio, type PortfolioData } from '../../shared/year/portfolio.ts';
import { FACETS } from '../../shared/year/pulseInstrument.ts';
import type { PulseWindowView } from '../../shared/year/pulse.ts';
import { pdfText } from '../pdfText.ts';
import { cleanup } from './cleanup.ts';
import { startTestServer, type TestServer } from './helpers.ts';
import { call, createCohort, joinCohort, ok, type TestMember } from './yearSetup.ts';

const CORE = ['ben1', 'ben2', 'int1', 'int2', 'pre1', 'pre2', 'com1', 'com2'];
const FORMATS = ['md', 'csv', 'json', 'pdf'] as const;
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
const everything = (value: number) => Object.fromEntries(CORE.map((id) => [id, value]));

let server: TestServer;
let cohort: { id: string; staffToken: string };
let funds: TestMember[], days: TestMember[], loose: TestMember[];
let fundsC: CommunityView, daysC: CommunityView;
/** The two closed windows as the staff read them: every community shown. */
let closed: PulseWindowView[];

const staff = <T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, status = 200) =>
  ok(call<T>(server, method, `/api/cohorts/${cohort.id}${path}`, cohort.staffToken, body), status);
const answer = (m: TestMember, windowId: string, value: number) => ok(call(server, 'POST', `/api/me/pulse/${windowId}`, m.token, { answers: everything(value) }), 204);

async function download(path: string, token: string): Promise<string> {
  const res = await fetch(server.baseUrl + path, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, path).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  if (!path.includes('.pdf')) return bytes.toString('utf8');
  return (await pdfText(bytes)).pages.join(' ').replace(/\s+/g, ' ');
}
const communityPath = (c: CommunityView, format: string) => `/api/cohorts/${cohort.id}/communities/${c.id}/portfolio.${format}`;
const communityJson = async (c: CommunityView) => JSON.parse(await download(communityPath(c, 'json'), cohort.staffToken)) as PortfolioData;
const memberJson = async (m: TestMember) => JSON.parse(await download('/api/me/portfolio.json', m.token)) as PortfolioData;
/** A stored group result, narrowed to the facets the window asked (the core items: no openness). */
const asked = (result: Record<string, unknown>) => Object.fromEntries(FACETS.filter((f) => f !== 'openness').map((f) => [f, result[f] ?? null]));

// Six in Funds for need, four in Every day counts, six in no community; two windows answered and closed, a third left open.
beforeAll(async () => {
  server = await startTestServer();
  const created = await createCohort(server);
  cohort = { id: created.cohort.id, staffToken: created.facilitatorToken };
  const join = async (prefix: string, n: number) => {
    const out: TestMember[] = [];
    for (let i = 0; i < n; i++) out.push(await joinCohort(server, created.joinCode, `${prefix} ${i + 1}`));
    return out;
  };
  [funds, days, loose] = [await join('Fundsmember', 6), await join('Daysmember', 4), await join('Loosemember', 6)];
  fundsC = await staff<CommunityView>('POST', '/communities', { name: 'Funds for need' }, 201);
  daysC = await staff<CommunityView>('POST', '/communities', { name: 'Every day counts' }, 201);
  for (const m of funds) await staff('PUT', `/members/${m.memberId}/community`, { communityId: fundsC.id }, 204);
  for (const m of days) await staff('PUT', `/members/${m.memberId}/community`, { communityId: daysC.id }, 204);

  const first = await staff<PulseWindowView>('POST', '/pulse', { label: 'After meeting 1', closesOn: tomorrow() }, 201);
  for (const m of funds) await answer(m, first.id, 6);
  for (const m of days) await answer(m, first.id, 1);
  for (const m of loose.slice(0, 5)) await answer(m, first.id, 3);
  await staff('POST', `/pulse/${first.id}/close`);
  await staff('PUT', `/pulse/${first.id}/notes`, { notes: 'We kept the agenda the same shape every month.' });
  const second = await staff<PulseWindowView>('POST', '/pulse', { label: 'Mid-year', closesOn: tomorrow() }, 201);
  for (const [i, m] of funds.entries()) await answer(m, second.id, 4 + (i % 2));
  for (const m of loose.slice(0, 5)) await answer(m, second.id, 2);
  await staff('POST', `/pulse/${second.id}/close`);
  // Open: nobody reads anything of it, the portfolios neither.
  const third = await staff<PulseWindowView>('POST', '/pulse', { label: 'Still open', closesOn: tomorrow() }, 201);
  for (const m of funds) await answer(m, third.id, 1);
  closed = (await staff<PulseWindowView[]>('GET', '/pulse')).filter((w) => w.status === 'closed');
  return cleanup;
}, 60_000);

describe('the trust pulse in the portfolios, on the real server', () => {
  it('the stored results kept figures for Funds for need alone and none for Every day counts', () => {
    expect(closed.map((w) => w.label)).toEqual(['After meeting 1', 'Mid-year']);
    for (const w of closed) {
      expect(Object.keys(w.results!.communities)).toEqual([fundsC.id]);
      expect(w.results!.communities[fundsC.id]!.benevolence).toMatchObject({ n: 6 });
    }
  });

  it('a community portfolio holds its own figures, exactly as stored, in every format', async () => {
    const data = await communityJson(fundsC);
    expect(parsePortfolio(data).ok).toBe(true);
    expect(data.version).toBe(3);
    expect(data.pulse.map((w) => [w.label, w.group, w.respondents, w.members, w.floor])).toEqual([
      ['After meeting 1', 'community', 15, 16, 5],
      ['Mid-year', 'community', 11, 16, 5],
    ]);
    data.pulse.forEach((w, i) => {
      expect(w.facets).toEqual(asked(closed[i]!.results!.communities[fundsC.id]!));
      expect(w.closedAt).toBe(new Date(closed[i]!.closedAt!).toISOString());
      expect(w.weakest).toBe(closed[i]!.results!.weakest);
      expect(w.instrument.label).toMatch(/not a validated instrument/);
    });
    expect(data.pulse[0]!.facets.benevolence).toMatchObject({ mean: 6, n: 6, sd: 0, strongly: 1 });
    expect(data.pulse[1]!.facets.integrity).toMatchObject({ mean: 4.5, n: 6 });
    expect(data.pulse[0]!.notes).toBe('We kept the agenda the same shape every month.');
    expect(JSON.stringify(data)).not.toContain('Still open');

    const md = await download(communityPath(fundsC, 'md'), cohort.staffToken);
    expect(md).toContain('## Trust pulse');
    expect(md).toContain('**The figures of Funds for need alone**');
    expect(md).toContain('| Benevolence | 6.0 | 6 | ±0.0 | 100% |');
    expect(md).toContain('| Integrity | 4.5 | 6 |');
    expect(md).toContain('What the facilitators changed because of it: We kept the agenda the same shape every month.');
    const csv = await download(communityPath(fundsC, 'csv'), cohort.staffToken);
    expect(csv).toContain('pulse window,1,,');
    // Every cohort mean ties, so the first facet is the cohort's weakest.
    expect(csv).toMatch(/pulse figure,1,,,Benevolence,weakest in the cohort,benevolence,,,,,6,6\.00,0\.00,1\.00,,\r\n/);
    expect(csv).toMatch(/pulse window,2,,\d{4}-\d{2}-\d{2},Mid-year,[^\r\n]*,community,,,,,11,,,,16,5\r\n/);
    const pdf = await download(communityPath(fundsC, 'pdf'), cohort.staffToken);
    expect(pdf).toContain('Trust pulse: 2 windows closed');
    expect(pdf).toContain('The figures of Funds for need alone');
    expect(pdf).toContain('Benevolence 6.0 · 6 answers · ±0.0 · 100% strongly agree');
    expect(pdf).toContain('Integrity 4.5 · 6 answers');
    for (const format of FORMATS) expect(await download(communityPath(fundsC, format), cohort.staffToken), format).not.toContain('Still open');
  });

  it('a community the results held back shows the cohort’s figures, marked as the cohort’s', async () => {
    const data = await communityJson(daysC);
    expect(data.pulse.map((w) => w.group)).toEqual(['cohort', 'cohort']);
    data.pulse.forEach((w, i) => expect(w.facets).toEqual(asked(closed[i]!.results!.cohort)));
    expect(data.pulse[0]!.facets.benevolence).toMatchObject({ n: 15, mean: closed[0]!.results!.cohort.benevolence!.mean });
    const md = await download(communityPath(daysC, 'md'), cohort.staffToken);
    expect(md).toContain('**The whole cohort’s figures: none are shown for Every day counts alone**');
    expect(md).not.toContain('**The figures of');
    const csv = await download(communityPath(daysC, 'csv'), cohort.staffToken);
    expect(csv.match(/^pulse window,\d,[^\r\n]*,cohort,/gm)).toHaveLength(2);
    expect(csv).not.toMatch(/^pulse window,[^\r\n]*,community,/m);
    const pdf = await download(communityPath(daysC, 'pdf'), cohort.staffToken);
    expect(pdf).toContain('The whole cohort’s figures: none are shown for Every day counts alone');
  });

  it('a member’s portfolio holds their community’s figures where kept, else the cohort’s', async () => {
    const mine = await memberJson(funds[0]!);
    expect(mine.pulse.map((w) => w.group)).toEqual(['community', 'community']);
    expect(mine.pulse[0]!.facets).toEqual(asked(closed[0]!.results!.communities[fundsC.id]!));
    for (const m of [days[0]!, loose[5]!]) {
      const theirs = await memberJson(m);
      expect(theirs.pulse.map((w) => w.group)).toEqual(['cohort', 'cohort']);
      expect(theirs.pulse[1]!.facets).toEqual(asked(closed[1]!.results!.cohort));
      // Nothing of Funds for need's own figures reaches another community's member.
      expect(JSON.stringify(theirs)).not.toContain(JSON.stringify(closed[0]!.results!.communities[fundsC.id]!.benevolence));
    }
  });

  it('names no respondent and no member id, in any format, of any portfolio', async () => {
    const everyone = [...funds, ...days, ...loose];
    const files: Array<[string, string]> = [];
    for (const format of FORMATS) {
      for (const c of [fundsC, daysC]) files.push([`${c.name}.${format}`, await download(communityPath(c, format), cohort.staffToken)]);
      for (const m of [funds[0]!, days[0]!, loose[0]!]) files.push([`${m.name}.${format}`, await download(`/api/me/portfolio.${format}`, m.token)]);
    }
    for (const [what, text] of files) {
      // Present, so the absences are of a file that holds the pulse.
      expect(text, what).toContain('After meeting 1');
      for (const m of everyone) expect(text, `${what}: ${m.memberId}`).not.toContain(m.memberId);
      // A member's own copy names its member (with names on); nobody else is named in any.
      const self = what.startsWith('Fundsmember 1.') ? funds[0] : what.startsWith('Daysmember 1.') ? days[0] : what.startsWith('Loosemember 1.') ? loose[0] : null;
      for (const m of everyone) if (m !== self) expect(text, `${what}: ${m.name}`).not.toMatch(new RegExp(`${m.name}(?!\\d)`));
      expect(text, what).not.toContain('"answers"');
    }
  });
});
