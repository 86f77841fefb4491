import { beforeAll, describe, expect, it } from 'vitest';
import { Board } from '../../shared/board/Board.ts';
import { boardRef } from '../../shared/board/DocRef.ts';
import type { CohortOverview, CommunityView, MeetingView, MemberHome, SessionYear } from '../../shared/year/api.ts';
import { parsePortfolio, type PortfolioData } from '../../shared/year/portfolio.ts';
import { pdfText } from '../pdfText.ts';
import { cleanup } from './cleanup.ts';
import { startTestServer, type TestServer } from './helpers.ts';
import { call, createCohort, holdCommunityMeeting, joinCohort, ok, type TestMember } from './yearSetup.ts';

const FIRST = 'How might we aim PTA funds at the students who need them most?';
const SECOND = 'How might we aim PTA funds at students furthest from opportunity?';
const NAMES = ['Ana', 'Ben', 'Cleo', 'Dev', 'Eli', 'Fay'];

let server: TestServer;
let cohort: { id: string; staffToken: string };
let pta: CommunityView;
let absence: CommunityView;
let members: Map<string, TestMember>;

/** A GET of raw bytes, for the PDF and the exact headers. */
async function download(path: string, token?: string) {
  const res = await fetch(server.baseUrl + path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}
const staffPath = (communityId: string, format: string) => `/api/cohorts/${cohort.id}/communities/${communityId}/portfolio.${format}`;
const json = (bytes: Buffer) => JSON.parse(bytes.toString('utf8')) as PortfolioData;
const hasName = (text: string) => NAMES.some((name) => new RegExp(`\\b${name}\\b`).test(text));

// One cohort with two meetings of "Funds for need" held, shared by every test: holding meetings through sockets is slow.
beforeAll(async () => {
  server = await startTestServer();
  const created = await createCohort(server);
  cohort = { id: created.cohort.id, staffToken: created.facilitatorToken };
  const staff = <T>(method: 'POST' | 'PUT', path: string, body?: unknown, status = 200) =>
    ok(call<T>(server, method, `/api/cohorts/${cohort.id}${path}`, cohort.staffToken, body), status);
  members = new Map();
  for (const name of NAMES) members.set(name, await joinCohort(server, created.joinCode, name, name < 'D' ? 'PTA funds' : 'Chronic absence'));
  pta = await staff<CommunityView>('POST', '/communities', { name: 'Funds for need', challenge: 'PTA funds, and who they reach' }, 201);
  absence = await staff<CommunityView>('POST', '/communities', { name: 'Every day counts', challenge: 'Chronic absence' }, 201);
  for (const [name, m] of members) await staff('PUT', `/members/${m.memberId}/community`, { communityId: name < 'D' ? pta.id : absence.id }, 204);
  const [ana, ben, cleo] = ['Ana', 'Ben', 'Cleo'].map((n) => members.get(n)!);

  const m1 = await staff<MeetingView>('POST', '/meetings', { communityId: pta.id, startsAt: '2026-09-08T16:00' }, 201);
  const first = await holdCommunityMeeting(server, cohort, m1.sessionId, [ana!, ben!, cleo!], {
    final: FIRST,
    category: 'structures',
    commitments: { Ana: 'Ask the PTA chair for last year’s spending, line by line', Cleo: 'Map who uses the after-school fund' },
  });
  // Root causes sorted under the final question's category, written on the server's copy of the board: version 1's lineage.
  await server.rooms.withDoc(boardRef(m1.sessionId), (room) => {
    const board = new Board(room.doc);
    for (const [name, text] of [['Ana', 'Funds follow the loudest parents'], ['Ben', 'Nobody reviews the spending']] as const) {
      const actor = first.joined.get(name)!.participantId;
      board.sortNote({ actor }, board.addNote({ actor }, { text, x: 0, y: 0 }), 'structures');
    }
  });
  await staff('POST', `/meetings/${m1.sessionId}/finish`);
  const m2 = await staff<MeetingView>('POST', '/meetings', { communityId: pta.id, startsAt: '2026-10-13T16:00' }, 201);
  const home = (m: TestMember) => ok(call<MemberHome>(server, 'GET', '/api/me', m.token));
  await ok(call(server, 'POST', `/api/me/commitments/${(await home(ana!)).commitment!.id}/review`, ana!.token, { status: 'done' }));
  await ok(call(server, 'POST', `/api/me/commitments/${(await home(cleo!)).commitment!.id}/review`, cleo!.token, { status: 'carried' }));
  await holdCommunityMeeting(server, cohort, m2.sessionId, [ana!, ben!], { commitments: { Ana: 'Present the spending map to the PTA' } });
  await staff('POST', `/communities/${pta.id}/question`, { text: SECOND, reason: 'The map showed need is not where we thought' }, 201);
  await staff('POST', `/meetings/${m2.sessionId}/finish`);
  return cleanup;
}, 60_000);

describe('the community portfolio', () => {
  it('downloads in all four formats with the staff token, as attachments named after the community and year', async () => {
    const types = { md: 'text/markdown; charset=utf-8', csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8', pdf: 'application/pdf' };
    for (const [format, type] of Object.entries(types)) {
      const res = await download(staffPath(pta.id, format), cohort.staffToken);
      expect(res.status, format).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="funds-for-need-portfolio-2026-2027.${format}"`);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('holds the question lineage back to the notes, the meetings with attendance, and how each commitment ended', async () => {
    const res = await download(staffPath(pta.id, 'json'), cohort.staffToken);
    const parsed = parsePortfolio(json(res.bytes));
    expect(parsed.ok).toBe(true);
    const data = parsed.ok ? parsed.data : null!;
    expect(data).toMatchObject({ scope: 'community', names: true, cohort: { name: 'Equity cohort 2026-27' }, community: { name: 'Funds for need' }, member: null });
    expect(data.questions.map((q) => [q.version, q.text, q.meeting?.index ?? null])).toEqual([
      [1, FIRST, 1],
      [2, SECOND, 2],
    ]);
    expect(data.questions[0]!.source).toEqual({
      category: 'structures',
      cluster: null,
      notes: [
        { text: 'Funds follow the loudest parents', author: 'Ana' },
        { text: 'Nobody reviews the spending', author: 'Ben' },
      ],
    });
    expect(data.questions[1]).toMatchObject({ reason: 'The map showed need is not where we thought', source: null });
    expect(data.meetings.map((m) => [m.index, m.finishedAt !== null, m.attendance, m.attended])).toEqual([
      [1, true, 3, null],
      [2, true, 2, null],
    ]);
    expect(data.commitments.map((c) => [c.owner, c.status, c.madeIn?.index])).toEqual([
      ['Ana', 'done', 1],
      ['Cleo', 'carried', 1],
      ['Cleo', 'open', 2],
      ['Ana', 'open', 2],
    ]);
    expect(data.commitments[0]).toMatchObject({ notice: 'Ana expects to notice something', reviewedAt: expect.any(String) });

    const md = (await download(staffPath(pta.id, 'md'), cohort.staffToken)).bytes.toString('utf8');
    expect(md).toContain(`> **${SECOND}**`);
    expect(md).toContain('1. **Ana**: Ask the PTA chair for last year’s spending, line by line');
    const csv = (await download(staffPath(pta.id, 'csv'), cohort.staffToken)).bytes.toString('utf8');
    expect(csv).toContain('commitment,,Meeting 1,2026-09-08,Map who uses the after-school fund,Cleo expects to notice something,carried,Cleo,');
    const pdf = (await download(staffPath(pta.id, 'pdf'), cohort.staffToken)).bytes;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const all = (await pdfText(pdf)).pages.join(' ').replace(/\s+/g, ' ');
    expect(all).toContain(SECOND);
    expect(all).toContain('Map who uses the after-school fund');
  });

  it('leaves every name out with ?names=0', async () => {
    const data = json((await download(`${staffPath(pta.id, 'json')}?names=0`, cohort.staffToken)).bytes);
    expect(data.names).toBe(false);
    expect(data.commitments.map((c) => c.owner)).toEqual([null, null, null, null]);
    expect(data.questions[0]!.source!.notes).toEqual([
      { text: 'Funds follow the loudest parents', author: null },
      { text: 'Nobody reviews the spending', author: null },
    ]);
    // "Ana expects to notice something" is a test's commitment text, not a name field: it is blanked before looking for names.
    for (const format of ['md', 'csv', 'json']) {
      const text = (await download(`${staffPath(pta.id, format)}?names=0`, cohort.staffToken)).bytes.toString('utf8');
      expect(hasName(text.replace(/\b(\w+) expects to notice something/g, 'someone expects')), format).toBe(false);
    }
    const pdf = await pdfText((await download(`${staffPath(pta.id, 'pdf')}?names=0`, cohort.staffToken)).bytes);
    expect(hasName(pdf.pages.join(' ').replace(/\b(\w+) expects to notice something/g, 'someone expects'))).toBe(false);
    // And the same file with names has them, so the check above can fail.
    expect(hasName((await download(staffPath(pta.id, 'md'), cohort.staffToken)).bytes.toString('utf8'))).toBe(true);
  });

  it('is for staff only: a member’s token, no token, another cohort’s staff token get nothing', async () => {
    const ana = members.get('Ana')!;
    for (const token of [ana.token, undefined, 'not-a-token']) {
      const res = await download(staffPath(pta.id, 'json'), token);
      expect(res.status).toBe(401);
      expect(res.bytes.toString()).not.toContain(FIRST);
    }
    const other = await createCohort(server, { name: 'Another cohort' });
    const res = await download(staffPath(pta.id, 'json'), other.facilitatorToken);
    expect(res.status).toBe(401);
    // Nor can another cohort's staff name this cohort's community from their own cohort.
    const cross = await download(`/api/cohorts/${other.cohort.id}/communities/${pta.id}/portfolio.json`, other.facilitatorToken);
    expect(cross.status).toBe(404);
    expect(cross.bytes.toString()).not.toContain(FIRST);
    expect((await download(staffPath(pta.id, 'docx'), cohort.staffToken)).status).toBe(404);
  });
});

describe('a member’s own portfolio', () => {
  it('holds their meetings, their own commitments and their community’s question, in every format', async () => {
    const ana = members.get('Ana')!;
    const data = json((await download('/api/me/portfolio.json', ana.token)).bytes);
    expect(parsePortfolio(data).ok).toBe(true);
    expect(data).toMatchObject({ scope: 'member', member: { name: 'Ana', challenge: 'PTA funds' }, community: { name: 'Funds for need' } });
    expect(data.questions.map((q) => q.version)).toEqual([1, 2]);
    expect(data.meetings.map((m) => [m.index, m.attended])).toEqual([
      [1, true],
      [2, true],
    ]);
    expect(data.commitments.map((c) => [c.owner, c.action, c.status])).toEqual([
      ['Ana', 'Ask the PTA chair for last year’s spending, line by line', 'done'],
      ['Ana', 'Present the spending map to the PTA', 'open'],
    ]);
    const cleo = json((await download('/api/me/portfolio.json', members.get('Cleo')!.token)).bytes);
    expect(cleo.meetings.map((m) => m.attended)).toEqual([true, false]);
    for (const format of ['md', 'csv', 'json', 'pdf']) {
      const res = await download(`/api/me/portfolio.${format}`, ana.token);
      expect(res.status, format).toBe(200);
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="equity-cohort-2026-27-my-year-2026-2027.${format}"`);
      const text = format === 'pdf' ? (await pdfText(res.bytes)).pages.join(' ') : res.bytes.toString('utf8');
      // Nobody else's commitments.
      expect(text, format).not.toContain('after-school fund');
      expect(text, format).toContain('Present the spending map');
    }
  });

  it('is for that member alone: no token, a staff token, a replaced link get 401; another community’s member gets their own', async () => {
    for (const token of [undefined, cohort.staffToken]) expect((await download('/api/me/portfolio.json', token)).status).toBe(401);
    const dev = json((await download('/api/me/portfolio.json', members.get('Dev')!.token)).bytes);
    expect(dev).toMatchObject({ member: { name: 'Dev' }, community: { name: 'Every day counts' }, questions: [], meetings: [], commitments: [] });
    const fay = members.get('Fay')!;
    await ok(call(server, 'POST', `/api/cohorts/${cohort.id}/members/${fay.memberId}/link`, cohort.staffToken), 201);
    expect((await download('/api/me/portfolio.json', fay.token)).status).toBe(401);
  });
});

describe('carrying a cohort into next year', () => {
  it('creates the communities with their question’s last version as version 1, and no members', async () => {
    const from = await Promise.all([pta, absence].map(async (c) => json((await download(staffPath(c.id, 'json'), cohort.staffToken)).bytes)));
    const next = await createCohort(server, { name: 'Equity cohort 2027-28', startsOn: '2027-09-01', endsOn: '2028-06-30', from });
    const overview = await ok(call<CohortOverview>(server, 'GET', `/api/cohorts/${next.cohort.id}`, next.facilitatorToken));
    expect(overview.communities.map((c) => [c.name, c.challenge])).toEqual([
      ['Funds for need', 'PTA funds, and who they reach'],
      ['Every day counts', 'Chronic absence'],
    ]);
    expect(overview.members).toEqual([]);
    expect(overview.questions).toHaveLength(1);
    expect(overview.questions[0]).toMatchObject({
      communityId: overview.communities[0]!.id,
      version: 1,
      text: SECOND,
      reason: 'Carried from Equity cohort 2026-27 (2026–2027)',
      source: null,
    });
    // The new year's first meeting opens with the carried question pinned.
    const meeting = await ok(
      call<MeetingView>(server, 'POST', `/api/cohorts/${next.cohort.id}/meetings`, next.facilitatorToken, { communityId: overview.communities[0]!.id, startsAt: '2027-09-14T16:00' }),
      201,
    );
    const key = await ok(call<{ token: string }>(server, 'POST', `/api/cohorts/${next.cohort.id}/meetings/${meeting.sessionId}/facilitate`, next.facilitatorToken), 201);
    const year = await ok(call<{ year: SessionYear }>(server, 'GET', `/api/sessions/${meeting.sessionId}/year`, key.token));
    expect(year.year.question).toEqual({ version: 1, text: SECOND });
    // One portfolio on its own works too.
    const single = await createCohort(server, { name: 'Just one', from: from[0] });
    const one = await ok(call<CohortOverview>(server, 'GET', `/api/cohorts/${single.cohort.id}`, single.facilitatorToken));
    expect(one.communities.map((c) => c.name)).toEqual(['Funds for need']);
  });

  it('refuses a bad `from` at the edge, naming the problem', async () => {
    const good = json((await download(staffPath(pta.id, 'json'), cohort.staffToken)).bytes);
    const mine = json((await download('/api/me/portfolio.json', members.get('Ana')!.token)).bytes);
    const cases: Array<[unknown, RegExp]> = [
      [{ ...good, version: 99 }, /^from has portfolio version 99; this server reads versions 1 to 3\. It comes from a newer Howmight/],
      [[good, mine], /^from\[1\] is a member's own portfolio/],
      [{ format: 'howmight.inquiry', version: 1 }, /inquiry brief, not a portfolio/],
      [{ ...good, questions: [{ ...good.questions[0], text: '' }] }, /^from\.questions\[0\]\.text: /],
      ['a string', /^from must be a Howmight portfolio export/],
    ];
    for (const [from, message] of cases) {
      const res = await call<{ error: { code: string; message: string } }>(server, 'POST', '/api/cohorts', null, {
        name: 'Refused', startsOn: '2027-09-01', endsOn: '2028-06-30', yourName: 'Fran', from,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid');
      expect(res.body.error.message).toMatch(message);
    }
    const huge = await call(server, 'POST', '/api/cohorts', null, { name: 'Huge', startsOn: '2027-09-01', endsOn: '2028-06-30', yourName: 'Fran', from: 'x'.repeat(5 * 1024 * 1024) });
    expect(huge.status).toBe(413);
  });
});
