import ICAL from 'ical.js';
import { describe, expect, it, vi } from 'vitest';
import type { CommunityView, MeetingView } from '../../shared/year/api.ts';
import { createSession, post, startTestServer, useCleanup, type TestServer } from './helpers.ts';
import { call, createCohort, joinCohort, ok, SCHOOL_YEAR } from './yearSetup.ts';

useCleanup();

async function cohortWithCommunity(server: TestServer) {
  const created = await createCohort(server);
  const staff = (method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', rest: string, body?: unknown) =>
    call<{ error: { code: string; message: string } }>(server, method, `/api/cohorts/${created.cohort.id}${rest}`, created.facilitatorToken, body);
  const community = (await ok(staff('POST', '/communities', { name: 'Funds for need' }), 201)) as unknown as CommunityView;
  const ana = await joinCohort(server, created.joinCode, 'Ana');
  return { created, staff, community, ana };
}

/** The 400's message, after checking it is one. */
async function refusal(result: Promise<{ status: number; body: unknown }>, status = 400): Promise<string> {
  const r = await result;
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  return (r.body as { error: { message: string } }).error.message;
}

describe('the year refuses bad bodies, naming the field', () => {
  it('creating a cohort', async () => {
    const server = await startTestServer();
    const create = (patch: Record<string, unknown>) => call(server, 'POST', '/api/cohorts', null, { ...SCHOOL_YEAR, ...patch });
    expect(await refusal(create({ startsOn: '2026-02-30' }))).toMatch(/^startsOn: not a real calendar date/);
    expect(await refusal(create({ endsOn: '2027-13-01' }))).toMatch(/^endsOn: not a real calendar date/);
    expect(await refusal(create({ startsOn: '1 Sept 2026' }))).toMatch(/^startsOn: dates are YYYY-MM-DD/);
    expect(await refusal(create({ endsOn: '2026-08-31' }))).toBe('endsOn must be after startsOn');
    expect(await refusal(create({ endsOn: SCHOOL_YEAR.startsOn }))).toBe('endsOn must be after startsOn');
    expect(await refusal(create({ lengthMinutes: 45 }))).toMatch(/^lengthMinutes must be one of/);
    expect(await refusal(create({ name: '   ' }))).toBe('name must not be blank');
    expect(await refusal(create({ yourName: '\u200b' }))).toMatch(/^yourName must not be blank/);
    expect(await refusal(create({ name: 'x'.repeat(121) }))).toMatch(/^name must be at most 120/);
    expect(await refusal(create({ startsOn: undefined }))).toMatch(/^startsOn: /);
  });

  it('every staff route', async () => {
    const server = await startTestServer();
    const { staff, community, ana } = await cohortWithCommunity(server);
    expect(await refusal(staff('POST', '/staff', { name: 'Cory', role: 'admin' }))).toBe('role must be facilitator or coach');
    expect(await refusal(staff('POST', '/staff', { name: ' ', role: 'coach' }))).toBe('name must not be blank');
    expect(await refusal(staff('PUT', `/members/${ana.memberId}/community`, { communityId: 'no' }))).toBe('communityId: not an id');
    expect(await refusal(staff('PUT', `/members/${ana.memberId}/community`, {}))).toMatch(/^communityId: /);
    expect(await refusal(staff('DELETE', `/members/${ana.memberId}`, { mode: 'erase' }))).toBe('mode must be remove or anonymise');
    expect(await refusal(staff('DELETE', `/members/${ana.memberId}`))).toBe('Expected a JSON object body.');
    expect(await refusal(staff('POST', '/communities', { name: '' }))).toBe('name must not be blank');
    expect(await refusal(staff('PATCH', `/communities/${community.id}`, { series: { kind: 'weekday', week: 5, weekday: 'TU', time: '16:00' } }))).toBe(
      'week must be 1-4 or -1 (last)',
    );
    expect(await refusal(staff('PATCH', `/communities/${community.id}`, { series: { kind: 'monthday', day: 31, time: '16:00' } }))).toBe('day must be 1-28');
    expect(await refusal(staff('PATCH', `/communities/${community.id}`, { series: { kind: 'monthday', day: 3, time: '25:00' } }))).toMatch(/^time must be HH:MM/);
    expect(await refusal(staff('PATCH', `/communities/${community.id}`, { challenge: 'x'.repeat(201) }))).toMatch(/^challenge: /);
    expect(await refusal(staff('PATCH', `/communities/${community.id}`, { lengthMinutes: 30 }))).toMatch(/^lengthMinutes must be one of/);
    expect(await refusal(staff('POST', `/communities/${community.id}/question`, { text: 'How might we?', reason: ' ' }))).toBe('reason must not be blank');
    expect(await refusal(staff('POST', '/meetings', { communityId: community.id, startsAt: '2026-09-31T16:00' }))).toMatch(/^startsAt: not a real calendar date/);
    expect(await refusal(staff('POST', '/meetings', { communityId: community.id, startsAt: '2026-09-08 16:00' }))).toMatch(/^startsAt: times are/);
    // After the school year's last day (2027-06-30).
    expect(await refusal(staff('POST', '/meetings', { communityId: community.id, startsAt: '2027-07-01T16:00' }))).toMatch(/school year ends on 2027-06-30/);
    expect((await staff('POST', '/meetings', { communityId: community.id, startsAt: '2027-06-30T16:00' })).status).toBe(201);
  });

  it('member routes and the in-meeting review', async () => {
    const server = await startTestServer();
    const { staff, community, ana } = await cohortWithCommunity(server);
    await ok(staff('PUT', `/members/${ana.memberId}/community`, { communityId: community.id }), 204);
    const meeting = (await ok(staff('POST', '/meetings', { communityId: community.id, startsAt: '2026-09-08T16:00' }), 201)) as unknown as MeetingView;
    expect(await refusal(call(server, 'POST', '/api/me/commitments/abcdefgh/review', ana.token, { status: 'open' }))).toBe('status must be done, carried or dropped');
    const key = (await ok(call<{ participantToken: string }>(server, 'POST', `/api/me/meetings/${meeting.sessionId}/enter`, ana.token))).participantToken;
    expect(await refusal(call(server, 'POST', `/api/sessions/${meeting.sessionId}/year/commitments/abcdefgh/review`, key, { status: 'later' }))).toBe(
      'status must be done, carried or dropped',
    );
  });

  it('joining: a role name and look-alike duplicates are refused', async () => {
    const server = await startTestServer();
    const { created } = await cohortWithCommunity(server);
    const join = (name: string) => call(server, 'POST', '/api/cohorts/join', null, { joinCode: created.joinCode, name });
    for (const name of ['Coach', 'facilitator', 'ＣＯＡＣＨ']) expect(await refusal(join(name), 409), name).toMatch(/reserved for a role/);
    // Ana is in: a Cyrillic а, a zero-width space, odd spacing and case all read as Ana.
    for (const name of ['Аna', 'A\u200bna', ' ana ', 'ANA']) expect(await refusal(join(name), 409), name).toMatch(/already has that name/);
    expect(await refusal(join('  '))).toBe('name must not be blank');
    expect((await join('Ana B.')).status).toBe(201);
  });

  it('a community takes at most 8 members: the 9th is refused with 409', async () => {
    const server = await startTestServer();
    const { created, staff, community, ana } = await cohortWithCommunity(server);
    const others = [];
    for (const name of ['Ben', 'Cleo', 'Dev', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo']) others.push(await joinCohort(server, created.joinCode, name));
    const place = (memberId: string) => staff('PUT', `/members/${memberId}/community`, { communityId: community.id });
    for (const m of [ana, ...others.slice(0, 7)]) expect((await place(m.memberId)).status).toBe(204);
    expect(await refusal(place(others[7]!.memberId), 409)).toBe('A community has at most 8 members.');
    // Placing one already in it again is not a 9th.
    expect((await place(ana.memberId)).status).toBe(204);
  });

  it('bodies: too large (413), not JSON (400), not declared JSON (400); a stranger gets 401 before any body is read', async () => {
    const server = await startTestServer();
    const { created } = await cohortWithCommunity(server);
    const url = `${server.baseUrl}/api/cohorts/${created.cohort.id}/communities`;
    const send = async (body: string, headers: Record<string, string>) => {
      const res = await fetch(url, { method: 'POST', headers, body });
      return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
    };
    const auth = { authorization: `Bearer ${created.facilitatorToken}` };
    const json = { 'content-type': 'application/json' };
    const big = JSON.stringify({ name: 'x', challenge: 'y'.repeat(5_000) });
    expect(await send(big, { ...json, ...auth })).toEqual({ status: 413, body: { error: { code: 'too-large', message: 'The request body is too large.' } } });
    expect(await send('{"name":', { ...json, ...auth })).toEqual({ status: 400, body: { error: { code: 'invalid', message: 'The request body is not valid JSON.' } } });
    expect(await send('name=x', { 'content-type': 'application/x-www-form-urlencoded', ...auth })).toEqual({
      status: 400,
      body: { error: { code: 'invalid', message: 'Expected a JSON object body.' } },
    });
    expect(await send('[1,2]', { ...json, ...auth })).toMatchObject({ status: 400, body: { error: { message: 'Expected a JSON object body.' } } });
    // Without a key of this cohort, the body is never parsed: the same 401 whatever it is.
    for (const body of [big, '{"name":', 'x'.repeat(100_000)]) {
      for (const headers of [json, { ...json, authorization: 'Bearer garbage' }]) {
        expect((await send(body, headers)).status).toBe(401);
      }
    }
    // The in-meeting review too: a wrong key is refused before its body is read.
    const review = await fetch(`${server.baseUrl}/api/sessions/abcdefgh/year/commitments/abcdefgh/review`, { method: 'POST', headers: json, body: '{' });
    expect(review.status).toBe(401);
  });
});

describe('joining a cohort shares the wrong-code budget with joining a session', () => {
  const deviceId = 'device-guesser-000000';
  const wrong = (i: number) => `ZZZZ${String(i).padStart(2, '0')}`;

  it('20 wrong cohort codes hold the device up on session joins too, and the other way round', async () => {
    const server = await startTestServer();
    const created = await createCohort(server);
    const session = await createSession(server);
    const cohortJoin = (joinCode: string, name = 'Guesser', device = deviceId) =>
      post(server, '/api/cohorts/join', { joinCode, name, deviceId: device });
    const sessionJoin = (joinCode: string, name = 'Guesser', device = deviceId) =>
      post(server, '/api/sessions/join', { joinCode, name, deviceId: device });
    for (let i = 0; i < 20; i++) expect((await cohortJoin(wrong(i))).status).toBe(404);
    expect((await cohortJoin(created.joinCode)).status).toBe(429);
    expect((await sessionJoin(session.joinCode)).status).toBe(429);
    expect((await post(server, '/api/cohorts/join/lookup', { joinCode: created.joinCode, deviceId })).status).toBe(429);
    // The link's secret still lets the device in; another device is not held up.
    expect((await post(server, '/api/cohorts/join', { joinCode: created.joinCode, joinSecret: created.joinSecret, name: 'Ana', deviceId })).status).toBe(201);
    expect((await cohortJoin(created.joinCode, 'Ben', 'device-neighbour-0000')).status).toBe(201);

    // Half and half: 10 wrong session codes and 10 wrong cohort codes are one budget.
    const mixed = 'device-mixed-00000000';
    for (let i = 0; i < 10; i++) expect((await sessionJoin(wrong(i), 'Mix', mixed)).status).toBe(404);
    for (let i = 0; i < 10; i++) expect((await cohortJoin(wrong(i), 'Mix', mixed)).status).toBe(404);
    expect((await cohortJoin(created.joinCode, 'Mix', mixed)).status).toBe(429);
    expect((await sessionJoin(session.joinCode, 'Mix', mixed)).status).toBe(429);
  });
});

describe('the calendar feed', () => {
  it('is left out of the request log and parses as a calendar', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    try {
      const server = await startTestServer(undefined, {}, { logRequests: true });
      const { staff, community, ana } = await cohortWithCommunity(server);
      await ok(staff('PUT', `/members/${ana.memberId}/community`, { communityId: community.id }), 204);
      await ok(staff('PATCH', `/communities/${community.id}`, { series: { kind: 'weekday', week: 2, weekday: 'TU', time: '16:00' } }));
      await ok(staff('POST', '/meetings', { communityId: community.id, startsAt: '2026-09-08T16:00' }), 201);
      const { url } = await ok(call<{ url: string }>(server, 'POST', '/api/me/calendar-feed', ana.token), 201);
      const feedPath = new URL(url).pathname;
      const key = feedPath.slice('/api/calendar/'.length, -'.ics'.length);
      const res = await fetch(server.baseUrl + feedPath);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
      const calendar = new ICAL.Component(ICAL.parse(await res.text()));
      const events = calendar.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
      expect(events.some((e) => e.summary.includes('Funds for need'))).toBe(true);
      expect(events.some((e) => e.isRecurring())).toBe(true);
      // A refused feed, and an odd-cased one (express matches paths regardless of case).
      await fetch(`${server.baseUrl}/api/calendar/${key}x.ics`);
      await fetch(`${server.baseUrl}/API/Calendar/${key}.ics`);

      const log = lines.join('\n');
      expect(log).toContain('POST /api/me/calendar-feed');
      expect(log).toContain('GET /api/calendar/…');
      const [id, secret] = key.split('.') as [string, string];
      expect(log).not.toContain(secret);
      expect(log).not.toContain(id);
    } finally {
      spy.mockRestore();
    }
  });
});
