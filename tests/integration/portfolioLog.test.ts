import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CohortOverview, CommunityView, MemberHome } from '../../shared/year/api.ts';
import { parsePortfolio, type PortfolioData } from '../../shared/year/portfolio.ts';
import type { LogEntryInput, PeerNoteView } from '../../shared/year/practiceLog.ts';
import { pdfText } from '../pdfText.ts';
import { cleanup } from './cleanup.ts';
import { startTestServer, type TestServer } from './helpers.ts';
import { call, createCohort, holdCommunityMeeting, joinCohort, ok, type TestMember } from './yearSetup.ts';

const FORMATS = ['md', 'csv', 'json', 'pdf'] as const;
const marker = (what: string) => `${what}${crypto.randomBytes(5).toString('hex')}`;
const entryId = () => crypto.randomBytes(12).toString('base64url');

/** Each text that must reach exactly the portfolios named in the test. */
const M = {
  anaPrivate: marker('ANAPRIVATE'),
  anaPeer: marker('ANAPEER'),
  anaCommunity: marker('ANACOMMUNITY'),
  anaSelfNote: marker('ANASELFNOTE'),
  benPeerNote: marker('BENPEERNOTE'),
  cleoNote: marker('CLEONOTE'),
  benCommunity: marker('BENCOMMUNITY'),
  cleoPrivate: marker('CLEOPRIVATE'),
  devCohort: marker('DEVCOHORT'),
};

let server: TestServer;
let cohort: { id: string; staffToken: string };
let pta: CommunityView;
let absence: CommunityView;
let ana: TestMember, ben: TestMember, cleo: TestMember, dev: TestMember;
const COMMITMENT = 'Invite two families to the budget meeting';
let ids: { private: string; peer: string; community: string };

async function download(path: string, token: string): Promise<string> {
  const res = await fetch(server.baseUrl + path, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, path).toBe(200);
  const bytes = Buffer.from(await res.arrayBuffer());
  if (!path.includes('.pdf')) return bytes.toString('utf8');
  // A long marker could be cut at a line's end only where it has a space: it has none.
  return (await pdfText(bytes)).pages.join(' ').replace(/\s+/g, ' ');
}
const communityPath = (c: CommunityView, format: string, query = '') => `/api/cohorts/${cohort.id}/communities/${c.id}/portfolio.${format}${query}`;
const communityJson = async (c: CommunityView, query = '') => JSON.parse(await download(communityPath(c, 'json', query), cohort.staffToken)) as PortfolioData;
const memberJson = async (m: TestMember) => JSON.parse(await download('/api/me/portfolio.json', m.token)) as PortfolioData;

const entry = (patch: Partial<LogEntryInput>): LogEntryInput => ({
  tried: 'A family-voice slot at the PTA meeting',
  what: '',
  soWhat: 'Being asked matters',
  nowWhat: '',
  actual: '',
  decision: null,
  visibility: 'private',
  peerId: null,
  editedAt: Date.now(),
  ...patch,
});
const save = (m: TestMember, id: string, body: LogEntryInput) => ok(call(server, 'PUT', `/api/me/log/${id}`, m.token, body));
const note = (m: TestMember, id: string, text: string) => ok(call<PeerNoteView>(server, 'POST', `/api/me/log/${id}/notes`, m.token, { text }), 201);

// Ana, Ben and Cleo in "Funds for need", Dev in "Every day counts"; Ana logs after her first commitment.
beforeAll(async () => {
  server = await startTestServer();
  const created = await createCohort(server);
  cohort = { id: created.cohort.id, staffToken: created.facilitatorToken };
  const staff = <T>(method: 'POST' | 'PUT', path: string, body?: unknown, status = 200) =>
    ok(call<T>(server, method, `/api/cohorts/${cohort.id}${path}`, cohort.staffToken, body), status);
  ana = await joinCohort(server, created.joinCode, 'Ana');
  ben = await joinCohort(server, created.joinCode, 'Ben');
  cleo = await joinCohort(server, created.joinCode, 'Cleo');
  dev = await joinCohort(server, created.joinCode, 'Dev');
  pta = await staff<CommunityView>('POST', '/communities', { name: 'Funds for need', challenge: 'PTA funds' }, 201);
  absence = await staff<CommunityView>('POST', '/communities', { name: 'Every day counts', challenge: 'Attendance' }, 201);
  for (const m of [ana, ben, cleo]) await staff('PUT', `/members/${m.memberId}/community`, { communityId: pta.id }, 204);
  await staff('PUT', `/members/${dev.memberId}/community`, { communityId: absence.id }, 204);
  const m1 = await staff<{ sessionId: string }>('POST', '/meetings', { communityId: pta.id, startsAt: '2026-09-08T16:00' }, 201);
  await holdCommunityMeeting(server, cohort, m1.sessionId, [ana, ben, cleo], { commitments: { Ana: COMMITMENT } });
  await staff('POST', `/meetings/${m1.sessionId}/finish`);
  const commitment = (await ok(call<MemberHome>(server, 'GET', '/api/me', ana.token))).commitment!;

  ids = { private: entryId(), peer: entryId(), community: entryId() };
  await save(ana, ids.private, entry({ what: M.anaPrivate }));
  await note(ana, ids.private, M.anaSelfNote);
  await save(ana, ids.peer, entry({ what: M.anaPeer, visibility: 'peer', peerId: ben.memberId }));
  await note(ben, ids.peer, M.benPeerNote);
  await save(ana, ids.community, entry({ what: M.anaCommunity, visibility: 'community', commitmentId: commitment.id, decision: 'adapt' }));
  await note(cleo, ids.community, M.cleoNote);
  await save(ben, entryId(), entry({ what: M.benCommunity, visibility: 'community' }));
  await save(cleo, entryId(), entry({ what: M.cleoPrivate }));
  await save(dev, entryId(), entry({ what: M.devCohort, visibility: 'cohort' }));
  return cleanup;
}, 60_000);

describe('the practice log in the portfolios', () => {
  it('a community portfolio holds only what its members shared with the community or wider, without notes, in every format', async () => {
    const hidden = [M.anaPrivate, M.anaPeer, M.anaSelfNote, M.benPeerNote, M.cleoNote, M.cleoPrivate, M.devCohort];
    for (const format of FORMATS) {
      const text = await download(communityPath(pta, format), cohort.staffToken);
      // Present, so the absences below are of a file that does carry the log.
      expect(text, format).toContain(M.anaCommunity);
      expect(text, format).toContain(M.benCommunity);
      for (const secret of hidden) expect(text, `${format}: ${secret}`).not.toContain(secret);
    }
    const data = await communityJson(pta);
    expect(parsePortfolio(data).ok).toBe(true);
    expect(data.log.map((e) => [e.author, e.what, e.visibility, e.decision, e.notes])).toEqual([
      ['Ana', M.anaCommunity, 'community', 'adapt', []],
      ['Ben', M.benCommunity, 'community', null, []],
    ]);
    expect(data.log[0]!.commitment).toEqual({ action: COMMITMENT, notice: 'Ana expects to notice something' });
    expect(data.log[0]!.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    // Dev's cohort-wide entry is his own community's.
    expect((await communityJson(absence)).log.map((e) => [e.author, e.what])).toEqual([['Dev', M.devCohort]]);
    // Names left out: the entries stay, their authors go.
    expect((await communityJson(pta, '?names=0')).log.map((e) => e.author)).toEqual([null, null]);
  });

  it('a member’s portfolio holds every entry of theirs with every note on it, and nobody else’s, in every format', async () => {
    const mine = [M.anaPrivate, M.anaPeer, M.anaCommunity, M.anaSelfNote, M.benPeerNote, M.cleoNote];
    for (const format of FORMATS) {
      const text = await download(`/api/me/portfolio.${format}`, ana.token);
      for (const own of mine) expect(text, `${format}: ${own}`).toContain(own);
      for (const theirs of [M.benCommunity, M.cleoPrivate, M.devCohort]) expect(text, `${format}: ${theirs}`).not.toContain(theirs);
    }
    const data = await memberJson(ana);
    expect(parsePortfolio(data).ok).toBe(true);
    expect(data.log.map((e) => [e.what, e.visibility, e.notes.map((n) => [n.author, n.text])])).toEqual([
      [M.anaPrivate, 'private', [['Ana', M.anaSelfNote]]],
      [M.anaPeer, 'peer', [['Ben', M.benPeerNote]]],
      [M.anaCommunity, 'community', [['Cleo', M.cleoNote]]],
    ]);
    // Ben's holds his own entry, not the one Ana shared with him, nor his note on it.
    const benData = await memberJson(ben);
    expect(benData.log.map((e) => e.what)).toEqual([M.benCommunity]);
    expect(JSON.stringify(benData)).not.toContain(M.benPeerNote);
  });

  it('follows the author: a member moved to another community takes their shared entries along', async () => {
    await ok(call(server, 'PUT', `/api/cohorts/${cohort.id}/members/${ben.memberId}/community`, cohort.staffToken, { communityId: absence.id }), 204);
    try {
      expect((await communityJson(pta)).log.map((e) => e.what)).toEqual([M.anaCommunity]);
      expect((await communityJson(absence)).log.map((e) => e.what)).toEqual([M.benCommunity, M.devCohort]);
    } finally {
      await ok(call(server, 'PUT', `/api/cohorts/${cohort.id}/members/${ben.memberId}/community`, cohort.staffToken, { communityId: pta.id }), 204);
    }
  });

  it('exports the longer next commitment "adapt" opens, in the member’s portfolio and the community’s', async () => {
    const action = `${marker('NEXT')} ${'and then some '.repeat(100)}`.trim();
    expect(action.length).toBeGreaterThan(1000);
    await ok(call(server, 'POST', `/api/me/log/${ids.community}/next-commitment`, ana.token, { action, notice: 'n'.repeat(1500) }), 201);
    expect((await memberJson(ana)).commitments.at(-1)).toMatchObject({ action, status: 'open' });
    expect((await communityJson(pta)).commitments.map((c) => c.action)).toContain(action);
  });

  it('carries a community portfolio with its log into next year, taking nothing of the log', async () => {
    const from = await communityJson(pta);
    expect(from.version).toBe(3);
    const next = await createCohort(server, { name: 'Equity cohort 2027-28', startsOn: '2027-09-01', endsOn: '2028-06-30', from });
    const overview = await ok(call<CohortOverview>(server, 'GET', `/api/cohorts/${next.cohort.id}`, next.facilitatorToken));
    expect(overview.communities.map((c) => c.name)).toEqual(['Funds for need']);
    expect(JSON.stringify(overview)).not.toContain(M.anaCommunity);
    // Last year's file of version 1, from before the log, still carries.
    const { log: _log, ...v1 } = { ...from, version: 1 };
    const older = await createCohort(server, { name: 'From version 1', from: v1 });
    const olderOverview = await ok(call<CohortOverview>(server, 'GET', `/api/cohorts/${older.cohort.id}`, older.facilitatorToken));
    expect(olderOverview.communities.map((c) => c.name)).toEqual(['Funds for need']);
  });
});
