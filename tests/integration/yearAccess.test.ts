import { describe, expect, it } from 'vitest';
import type { CohortOverview, CommunityView, MeetingView, MemberHome } from '../../shared/year/api.ts';
import { connectControl, controlHandshakeError, startTestServer, upgradeStatus, useCleanup, type TestServer } from './helpers.ts';
import { call, createCohort, enter, holdCommunityMeeting, joinCohort, ok, type TestMember } from './yearSetup.ts';

useCleanup();

/**
 * Issue 12, item 8: who may do what to a cohort. Each row is a resource (every
 * route of server/http/yearRouter.ts and both sockets of a community meeting),
 * each column a role; a cell is the status that role gets. The sockets' 101 is
 * an opened Yjs upgrade or a control `welcome`; their 401 an upgrade refused
 * or a handshake refused as `unauthorized`.
 *
 * The cohort: Fran (facilitator) and a coach; community A (Ana, Ben, Rae) and
 * community B (Dev); Moe was in A, entered A's meeting, then was moved out of
 * every community; Rae's link was re-issued (her old one is `oldLink`); Sam was
 * a facilitator, took a facilitator key of A's meeting, and was removed. Yan
 * and Yuri are a member and the facilitator of another cohort.
 */
const ROLES = ['fac', 'coach', 'memA', 'memB', 'otherMem', 'otherStaff', 'unplaced', 'oldLink', 'rmStaff', 'sessKey', 'none', 'garbage'] as const;
type Role = (typeof ROLES)[number];

/** The facilitator's DELETE of a cohort or a member, when its hook is not wired in yet (routes answer 404 without it). */
const HOOK = -1;
/** A control socket welcomed into the session its key names, which is not A's meeting (the handshake names no session). */
const OWN = -2;

// prettier-ignore
const MATRIX: Array<[string, ...number[]]> = [
  //                                    fac  coach memA memB othM othS unpl old  rmSt key  none garb
  ['GET cohort',                        200, 200,  401, 401, 401, 401, 401, 401, 401, 401, 401, 401],
  ['POST staff (invite)',               201, 403,  401, 401, 401, 401, 401, 401, 401, 401, 401, 401],
  ['DELETE staff',                      204, 403,  401, 401, 401, 401, 401, 401, 401, 401, 401, 401],
  ['POST member link (re-issue)',       201, 201,  401, 401, 401, 401, 401, 401, 401, 401, 401, 401],
  ['PUT member community',              204, 204,  401, 401, 401, 401, 401, 401, 401, 401, 401, 401],
  ['DELETE member',                     HOOK, 403, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401],
  ['POST community',                    201, 201,  401, 401, 401, 401, 401, 401, 401, 401, 401, 401],
  ['PATCH community',                   200, 200,  401, 401, 401, 401, 401, 401, 401, 401, 401, 401],
  ['DELETE community',                  204, 204,  401, 401, 401, 401, 401, 401, 401, 401, 401, 401],
  ['POST question (revise)',            201, 201,  401, 401, 401, 401, 401, 401, 401, 401, 401, 401],
  ['POST meeting',                      201, 201,  401, 401, 401, 401, 401, 401, 401, 401, 401, 401],
  ['POST meeting finish',               200, 200,  401, 401, 401, 401, 401, 401, 401, 401, 401, 401],
  ['POST meeting facilitate',           201, 201,  401, 401, 401, 401, 401, 401, 401, 401, 401, 401],
  ['GET /me',                           401, 401,  200, 200, 200, 401, 200, 401, 401, 401, 401, 401],
  ["POST /me enter A's meeting",        401, 401,  200, 403, 404, 401, 403, 401, 401, 401, 401, 401],
  ["POST /me review Ana's commitment",  401, 401,  200, 404, 404, 401, 404, 401, 401, 401, 401, 401],
  ['GET /me/calendar.ics',              401, 401,  200, 200, 200, 401, 200, 401, 401, 401, 401, 401],
  ['POST /me/calendar-feed',            401, 401,  201, 201, 201, 401, 201, 401, 401, 401, 401, 401],
  ['GET /api/calendar/<key>.ics',       404, 404,  404, 404, 404, 404, 404, 404, 404, 404, 404, 404],
  ["GET A's meeting /year",             401, 401,  401, 401, 401, 401, 401, 401, 401, 200, 401, 401],
  ["POST A's meeting /year review",     401, 401,  401, 401, 401, 401, 401, 401, 401, 200, 401, 401],
  // A participant's key is refused: only the meeting's facilitator keeps its shape.
  ["POST A's meeting agenda-default",   401, 401,  401, 401, 401, 401, 401, 401, 401, 403, 401, 401],
  // The sockets, with the key each role was given for A's meeting (see socketKey).
  ["Yjs upgrade, A's board",            101, 101,  101, 401, 401, 401, 401, 401, 401, 101, 401, 401],
  ["control socket, A's meeting",       101, 101,  101, OWN, OWN, OWN, 401, 401, 401, 101, 401, 401],
  // Last: it ends the cohort when the hook is wired.
  ['DELETE cohort',                     HOOK, 403, 401, 401, 401, 401, 401, 401, 401, 401, 401, 401],
];

interface World {
  server: TestServer;
  cohortId: string;
  joinCode: string;
  fran: string;
  /** HTTP credential of each role. */
  token: Record<Role, string | undefined>;
  /** The key each role holds for A's meeting, for the sockets. */
  socketKey: Record<Role, string | undefined>;
  communityA: string;
  communityB: string;
  meetingA: string;
  meetingToFinish: string;
  ben: TestMember;
  rae: TestMember;
  ana: TestMember;
  other: { cohortId: string; fac: string; member: TestMember; communityId: string; meetingId: string; staffId: string };
}

const staffPath = (w: World, rest = '') => `/api/cohorts/${w.cohortId}${rest}`;
const overview = (w: World) => ok(call<CohortOverview>(w.server, 'GET', staffPath(w), w.fran));
const tokenOf = (url: string) => url.split('#')[1]!;

async function invite(server: TestServer, cohortId: string, fac: string, name: string, role: 'facilitator' | 'coach'): Promise<string> {
  const { url } = await ok(call<{ url: string }>(server, 'POST', `/api/cohorts/${cohortId}/staff`, fac, { name, role }), 201);
  return tokenOf(url);
}

async function facilitateKey(server: TestServer, cohortId: string, staffToken: string, sessionId: string): Promise<string> {
  return (await ok(call<{ token: string }>(server, 'POST', `/api/cohorts/${cohortId}/meetings/${sessionId}/facilitate`, staffToken), 201)).token;
}

async function buildWorld(): Promise<World> {
  const server = await startTestServer();
  const created = await createCohort(server);
  const cohortId = created.cohort.id;
  const fran = created.facilitatorToken;
  const staff = <T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', rest: string, body?: unknown, status = 200) =>
    ok(call<T>(server, method, `/api/cohorts/${cohortId}${rest}`, fran, body), status);

  const coach = await invite(server, cohortId, fran, 'Cory', 'coach');
  const sam = await invite(server, cohortId, fran, 'Sam', 'facilitator');
  const [ana, ben, rae, dev, moe] = await Promise.all(['Ana', 'Ben', 'Rae', 'Dev', 'Moe'].map((n) => joinCohort(server, created.joinCode, n)));
  const a = await staff<CommunityView>('POST', '/communities', { name: 'Funds for need' }, 201);
  const b = await staff<CommunityView>('POST', '/communities', { name: 'Every day counts' }, 201);
  for (const m of [ana!, ben!, rae!, moe!]) await staff('PUT', `/members/${m.memberId}/community`, { communityId: a.id }, 204);
  await staff('PUT', `/members/${dev!.memberId}/community`, { communityId: b.id }, 204);

  // A first meeting of A gives Ana an open commitment.
  const first = await staff<MeetingView>('POST', '/meetings', { communityId: a.id, startsAt: '2026-09-08T16:00' }, 201);
  await holdCommunityMeeting(server, { id: cohortId, staffToken: fran }, first.sessionId, [ana!, ben!], { commitments: { Ana: 'Ask the PTA chair' } });
  await staff('POST', `/meetings/${first.sessionId}/finish`);

  const meetingA = (await staff<MeetingView>('POST', '/meetings', { communityId: a.id, startsAt: '2026-10-13T16:00' }, 201)).sessionId;
  const meetingB = (await staff<MeetingView>('POST', '/meetings', { communityId: b.id, startsAt: '2026-10-14T16:00' }, 201)).sessionId;
  const meetingToFinish = (await staff<MeetingView>('POST', '/meetings', { communityId: b.id, startsAt: '2026-11-14T16:00' }, 201)).sessionId;

  const anaKey = (await enter(server, ana!, meetingA)).participantToken;
  const devKeyB = (await enter(server, dev!, meetingB)).participantToken;
  // Keys given before the change that should revoke them.
  const moeKey = (await enter(server, moe!, meetingA)).participantToken;
  await staff('PUT', `/members/${moe!.memberId}/community`, { communityId: null }, 204);
  const raeKey = (await enter(server, rae!, meetingA)).participantToken;
  await staff('POST', `/members/${rae!.memberId}/link`, undefined, 201);
  const samKey = await facilitateKey(server, cohortId, sam, meetingA);
  const samId = (await overview({ server, cohortId, fran } as World)).staff.find((s) => s.name === 'Sam')!.id;
  await staff('DELETE', `/staff/${samId}`, undefined, 204);

  // Another cohort, with a meeting of its own.
  const y = await createCohort(server, { name: 'Another district', yourName: 'Yuri' });
  const yan = await joinCohort(server, y.joinCode, 'Yan');
  const yStaff = <T>(method: 'GET' | 'POST' | 'PUT', rest: string, body?: unknown, status = 200) =>
    ok(call<T>(server, method, `/api/cohorts/${y.cohort.id}${rest}`, y.facilitatorToken, body), status);
  const yc = await yStaff<CommunityView>('POST', '/communities', { name: 'Elsewhere' }, 201);
  await yStaff('PUT', `/members/${yan.memberId}/community`, { communityId: yc.id }, 204);
  const yMeeting = (await yStaff<MeetingView>('POST', '/meetings', { communityId: yc.id, startsAt: '2026-10-13T16:00' }, 201)).sessionId;
  const yanKey = (await enter(server, yan, yMeeting)).participantToken;
  const yFacKey = await facilitateKey(server, y.cohort.id, y.facilitatorToken, yMeeting);
  const yOverview = await yStaff<CohortOverview>('GET', '');

  const world: World = {
    server,
    cohortId,
    joinCode: created.joinCode,
    fran,
    token: {
      fac: fran, coach, memA: ana!.token, memB: dev!.token, otherMem: yan.token, otherStaff: y.facilitatorToken,
      unplaced: moe!.token, oldLink: rae!.token, rmStaff: sam, sessKey: anaKey, none: undefined, garbage: 'garbage',
    },
    socketKey: {
      fac: await facilitateKey(server, cohortId, fran, meetingA),
      coach: await facilitateKey(server, cohortId, coach, meetingA),
      memA: anaKey, memB: devKeyB, otherMem: yanKey, otherStaff: yFacKey, unplaced: moeKey, oldLink: raeKey, rmStaff: samKey,
      sessKey: anaKey, none: undefined, garbage: 'garbage',
    },
    communityA: a.id,
    communityB: b.id,
    meetingA,
    meetingToFinish,
    ana: ana!,
    ben: ben!,
    rae: rae!,
    other: { cohortId: y.cohort.id, fac: y.facilitatorToken, member: yan, communityId: yc.id, meetingId: yMeeting, staffId: yOverview.staff[0]!.id },
  };
  return world;
}

/** A coach, a community or a member that a refused DELETE must leave and an allowed one may take; made again once taken. */
async function spare(w: World, kind: 'coach' | 'community' | 'member'): Promise<string> {
  const o = await overview(w);
  if (kind === 'coach') {
    const found = o.staff.find((s) => s.name.startsWith('Spare'));
    if (found) return found.id;
    await invite(w.server, w.cohortId, w.fran, `Spare ${o.staff.length}`, 'coach');
  } else if (kind === 'community') {
    const found = o.communities.find((c) => c.name.startsWith('Spare'));
    if (found) return found.id;
    await ok(call(w.server, 'POST', staffPath(w, '/communities'), w.fran, { name: 'Spare' }), 201);
  } else {
    const found = o.members.find((m) => m.name.startsWith('Spare'));
    if (found) return found.id;
    await joinCohort(w.server, w.joinCode, `Spare ${'x'.repeat(o.members.length)}`);
  }
  return spare(w, kind);
}

async function anaOpenCommitment(w: World): Promise<string> {
  const home = await ok(call<MemberHome>(w.server, 'GET', '/api/me', w.ana.token));
  return home.commitment!.id;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Resource = (w: World, role: Role) => Promise<number>;

const http = (method: Method, path: (w: World) => string | Promise<string>, body?: unknown): Resource => async (w, role) =>
  (await call(w.server, method, await path(w), w.token[role], body)).status;

async function controlStatus(server: TestServer, sessionId: string, token: string | undefined): Promise<number> {
  if (token === undefined) return (await controlHandshakeError(server, undefined)) === 'unauthorized' ? 401 : 0;
  try {
    const client = await connectControl(server, token);
    client.close();
    return client.welcome.sessionId === sessionId ? 101 : OWN;
  } catch (err) {
    return (err as Error).message === 'unauthorized' ? 401 : 0;
  }
}

const RESOURCES: Record<string, Resource> = {
  'GET cohort': http('GET', (w) => staffPath(w)),
  'POST staff (invite)': http('POST', (w) => staffPath(w, '/staff'), { name: 'Chris', role: 'coach' }),
  'DELETE staff': http('DELETE', async (w) => staffPath(w, `/staff/${await spare(w, 'coach')}`)),
  'POST member link (re-issue)': http('POST', (w) => staffPath(w, `/members/${w.rae.memberId}/link`)),
  'PUT member community': http('PUT', (w) => staffPath(w, `/members/${w.ben.memberId}/community`), { communityId: null }),
  'DELETE member': http('DELETE', async (w) => staffPath(w, `/members/${await spare(w, 'member')}`), { mode: 'anonymise' }),
  'POST community': http('POST', (w) => staffPath(w, '/communities'), { name: 'Family voice' }),
  'PATCH community': http('PATCH', (w) => staffPath(w, `/communities/${w.communityA}`), { challenge: 'PTA funds' }),
  'DELETE community': http('DELETE', async (w) => staffPath(w, `/communities/${await spare(w, 'community')}`)),
  'POST question (revise)': http('POST', (w) => staffPath(w, `/communities/${w.communityA}/question`), { text: 'How might we…?', reason: 'A sharper aim' }),
  'POST meeting': http('POST', (w) => staffPath(w, '/meetings'), { communityId: null, startsAt: '2027-01-12T16:00' }),
  'POST meeting finish': http('POST', (w) => staffPath(w, `/meetings/${w.meetingToFinish}/finish`)),
  'POST meeting facilitate': http('POST', (w) => staffPath(w, `/meetings/${w.meetingA}/facilitate`)),
  'GET /me': http('GET', () => '/api/me'),
  "POST /me enter A's meeting": http('POST', (w) => `/api/me/meetings/${w.meetingA}/enter`),
  "POST /me review Ana's commitment": http('POST', async (w) => `/api/me/commitments/${await anaOpenCommitment(w)}/review`, { status: 'carried' }),
  'GET /me/calendar.ics': http('GET', () => '/api/me/calendar.ics'),
  'POST /me/calendar-feed': http('POST', () => '/api/me/calendar-feed'),
  'GET /api/calendar/<key>.ics': async (w, role) => (await call(w.server, 'GET', `/api/calendar/${w.token[role] ?? ''}.ics`)).status,
  "GET A's meeting /year": http('GET', (w) => `/api/sessions/${w.meetingA}/year`),
  "POST A's meeting /year review": http('POST', async (w) => `/api/sessions/${w.meetingA}/year/commitments/${await anaOpenCommitment(w)}/review`, { status: 'carried' }),
  "POST A's meeting agenda-default": http('POST', (w) => `/api/sessions/${w.meetingA}/year/agenda-default`, {}),
  "Yjs upgrade, A's board": (w, role) => upgradeStatus(w.server, w.meetingA, w.socketKey[role]),
  "control socket, A's meeting": (w, role) => controlStatus(w.server, w.meetingA, w.socketKey[role]),
  'DELETE cohort': http('DELETE', (w) => staffPath(w)),
};

/** Whether the delete hooks are wired in (other branches add them): a throwaway cohort tells. */
async function hooksWired(server: TestServer): Promise<{ deleteCohort: boolean; removeMember: boolean }> {
  const z = await createCohort(server, { name: 'Probe' });
  const zoe = await joinCohort(server, z.joinCode, 'Zoe');
  const removed = await call(server, 'DELETE', `/api/cohorts/${z.cohort.id}/members/${zoe.memberId}`, z.facilitatorToken, { mode: 'remove' });
  const deleted = await call(server, 'DELETE', `/api/cohorts/${z.cohort.id}`, z.facilitatorToken);
  return { removeMember: removed.status === 204, deleteCohort: deleted.status === 204 };
}

describe('the year: role × resource × cohort', () => {
  it('every role gets the answer the matrix says on every route and both sockets', async () => {
    expect(MATRIX.map(([name]) => name).sort()).toEqual(Object.keys(RESOURCES).sort());
    for (const [, ...cells] of MATRIX) expect(cells).toHaveLength(ROLES.length);
    const w = await buildWorld();
    const wired = await hooksWired(w.server);
    const got: string[] = [];
    const want: string[] = [];
    for (const [name, ...cells] of MATRIX) {
      // A destructive call by the facilitator goes last in its row, so the others meet what it would destroy.
      const order = [...ROLES.keys()].sort((a, b) => Number(cells[a] === HOOK) - Number(cells[b] === HOOK));
      const answers = new Map<number, number>();
      for (const i of order) answers.set(i, await RESOURCES[name]!(w, ROLES[i]!));
      for (const [i, role] of ROLES.entries()) {
        let expected = cells[i]!;
        if (expected === HOOK) expected = (name === 'DELETE cohort' ? wired.deleteCohort : wired.removeMember) ? 204 : 404;
        want.push(`${name} × ${role}: ${expected}`);
        got.push(`${name} × ${role}: ${answers.get(i)}`);
      }
    }
    // One comparison, so a failure lists every cell that differs.
    expect(got).toEqual(want);
  });

  it('another cohort learns nothing: its keys and made-up ids get the same answers, word for word', async () => {
    const w = await buildWorld();
    const answer = async (method: Method, path: string, token: string | undefined, body?: unknown) => {
      const r = await call(w.server, method, path, token, body);
      return { status: r.status, body: r.body, auth: r.headers.get('www-authenticate') };
    };
    const made = 'madeUpId0000';
    const staffRoutes: Array<[Method, string, unknown?]> = [
      ['GET', ''],
      ['DELETE', ''],
      ['POST', '/staff', { name: 'Chris', role: 'coach' }],
      ['DELETE', `/staff/${made}`],
      ['POST', `/members/${made}/link`],
      ['PUT', `/members/${made}/community`, { communityId: null }],
      ['DELETE', `/members/${made}`, { mode: 'remove' }],
      ['POST', '/communities', { name: 'X' }],
      ['PATCH', `/communities/${made}`, { name: 'X' }],
      ['DELETE', `/communities/${made}`],
      ['POST', `/communities/${made}/question`, { text: 'How?', reason: 'Why' }],
      ['POST', '/meetings', { communityId: null, startsAt: '2026-12-01T16:00' }],
      ['POST', `/meetings/${made}/finish`],
      ['POST', `/meetings/${made}/facilitate`],
    ];
    for (const [method, rest, body] of staffRoutes) {
      // Cohort Y's facilitator on cohort X, and on a cohort that does not exist.
      const onReal = await answer(method, `/api/cohorts/${w.cohortId}${rest}`, w.other.fac, body);
      const onMadeUp = await answer(method, `/api/cohorts/${made}${rest}`, w.other.fac, body);
      expect(onReal, `${method} ${rest}`).toEqual(onMadeUp);
      expect(onReal.status).toBe(401);
    }

    // X's facilitator naming Y's things gets what a made-up id gets.
    const theirs: Array<[Method, (id: string) => string, string, unknown?]> = [
      ['DELETE', (id) => `/staff/${id}`, w.other.staffId],
      ['POST', (id) => `/members/${id}/link`, w.other.member.memberId],
      ['PUT', (id) => `/members/${id}/community`, w.other.member.memberId, { communityId: null }],
      ['PUT', () => `/members/${w.ben.memberId}/community`, '', { communityId: w.other.communityId }],
      ['PATCH', (id) => `/communities/${id}`, w.other.communityId, { name: 'Taken over' }],
      ['DELETE', (id) => `/communities/${id}`, w.other.communityId],
      ['POST', (id) => `/communities/${id}/question`, w.other.communityId, { text: 'How?', reason: 'Why' }],
      ['POST', () => '/meetings', '', { communityId: w.other.communityId, startsAt: '2026-12-01T16:00' }],
      ['POST', (id) => `/meetings/${id}/finish`, w.other.meetingId],
      ['POST', (id) => `/meetings/${id}/facilitate`, w.other.meetingId],
    ];
    for (const [method, path, id, body] of theirs) {
      // Where the body names Y's community, the made-up request names a made-up one.
      const madeBody = (body as { communityId?: unknown } | undefined)?.communityId === w.other.communityId ? { ...(body as object), communityId: made } : body;
      const onTheirs = await answer(method, `/api/cohorts/${w.cohortId}${path(id)}`, w.fran, body);
      const onMadeUp = await answer(method, `/api/cohorts/${w.cohortId}${path(made)}`, w.fran, madeBody);
      expect(onTheirs, `${method} ${path(id)}`).toEqual(onMadeUp);
      expect(onTheirs.status).toBe(404);
    }
    // Nothing of Y changed.
    const y = await ok(call<CohortOverview>(w.server, 'GET', `/api/cohorts/${w.other.cohortId}`, w.other.fac));
    expect(y.communities.map((c) => c.name)).toEqual(['Elsewhere']);
    expect(y.members.map((m) => [m.name, m.communityId])).toEqual([['Yan', w.other.communityId]]);
    expect(y.meetings.map((m) => m.finishedAt)).toEqual([null]);

    // Y's member on X's meeting and Ana's commitment, and on made-up ones.
    const yan = w.other.member.token;
    expect(await answer('POST', `/api/me/meetings/${w.meetingA}/enter`, yan)).toEqual(await answer('POST', `/api/me/meetings/${made}/enter`, yan));
    const review = { status: 'done' };
    expect(await answer('POST', `/api/me/commitments/${await anaOpenCommitment(w)}/review`, yan, review)).toEqual(
      await answer('POST', `/api/me/commitments/${made}/review`, yan, review),
    );
    // A session key of another meeting on A's meeting, and on a made-up session.
    const yanKey = w.socketKey.otherMem!;
    expect(await answer('GET', `/api/sessions/${w.meetingA}/year`, yanKey)).toEqual(await answer('GET', `/api/sessions/${made}/year`, yanKey));
    expect(await answer('POST', `/api/sessions/${w.meetingA}/year/commitments/${made}/review`, yanKey, review)).toEqual(
      await answer('POST', `/api/sessions/${made}/year/commitments/${made}/review`, yanKey, review),
    );
  });

  it("a member reads their cohort's shared data and their own community's meetings only", async () => {
    const w = await buildWorld();
    const home = (token: string) => ok(call<MemberHome>(w.server, 'GET', '/api/me', token));
    const ana = await home(w.token.memA!);
    expect(ana.community?.name).toBe('Funds for need');
    expect(ana.community?.members.sort()).toEqual(['Ana', 'Ben', 'Rae']);
    expect(ana.nextMeeting?.sessionId).toBe(w.meetingA);
    const dev = await home(w.token.memB!);
    expect(dev.community?.members).toEqual(['Dev']);
    expect(JSON.stringify(dev)).not.toContain('Funds for need');
    expect(JSON.stringify(dev)).not.toContain(w.meetingA);
    expect(dev.commitments).toEqual([]);
    const devCalendar = await call<string>(w.server, 'GET', '/api/me/calendar.ics', w.token.memB);
    expect(devCalendar.body).not.toContain('Funds for need');
    // Moved out of every community, Moe sees no community's meetings.
    const moe = await home(w.token.unplaced!);
    expect(moe.community).toBeNull();
    expect(JSON.stringify(moe)).not.toContain(w.meetingA);
    // Put back into A, he enters again as the same participant, with a new key.
    await ok(call(w.server, 'PUT', staffPath(w, `/members/${moe.me.id}/community`), w.fran, { communityId: w.communityA }), 204);
    const again = await ok(call<{ participantToken: string }>(w.server, 'POST', `/api/me/meetings/${w.meetingA}/enter`, w.token.unplaced));
    expect(await upgradeStatus(w.server, w.meetingA, again.participantToken)).toBe(101);
    expect(await upgradeStatus(w.server, w.meetingA, w.socketKey.unplaced)).toBe(401);
  });

  it('a calendar feed opens with its own key only, and stops with a new feed or a re-issued link', async () => {
    const w = await buildWorld();
    const feed = async (token: string) => (await ok(call<{ url: string }>(w.server, 'POST', '/api/me/calendar-feed', token), 201)).url;
    const path = (url: string) => new URL(url).pathname;
    const first = path(await feed(w.token.memA!));
    expect((await call(w.server, 'GET', first)).status).toBe(200);
    const second = path(await feed(w.token.memA!));
    expect((await call(w.server, 'GET', first)).status).toBe(404);
    expect((await call(w.server, 'GET', second)).status).toBe(200);
    // The feed key opens nothing else.
    const key = second.slice('/api/calendar/'.length, -'.ics'.length);
    expect((await call(w.server, 'GET', '/api/me', key)).status).toBe(401);
    expect((await call(w.server, 'GET', `/api/cohorts/${w.cohortId}`, key)).status).toBe(401);
    const anaId = (await ok(call<MemberHome>(w.server, 'GET', '/api/me', w.token.memA))).me.id;
    await ok(call(w.server, 'POST', staffPath(w, `/members/${anaId}/link`), w.fran), 201);
    expect((await call(w.server, 'GET', second)).status).toBe(404);
    // And Ana's meeting key went with her old link.
    expect(await upgradeStatus(w.server, w.meetingA, w.socketKey.memA)).toBe(401);
  });
});
