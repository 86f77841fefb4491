import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JoinSessionResponse } from '../../shared/api.ts';
import type { CommunityView, MeetingView } from '../../shared/year/api.ts';
import type { MyPulse, PulseWindowView } from '../../shared/year/pulse.ts';
import { sqliteOf, startTestServer, useCleanup, type TestServer } from './helpers.ts';
import { call, createCohort, enter, joinCohort, ok, type TestMember } from './yearSetup.ts';

useCleanup();

const CORE = ['ben1', 'ben2', 'int1', 'int2', 'pre1', 'pre2', 'com1', 'com2'];
const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

interface Cohort {
  id: string;
  staffToken: string;
  staff: <T>(method: 'GET' | 'POST' | 'PUT', urlPath: string, body?: unknown, status?: number) => Promise<T>;
  /** Six in Funds for need, four in Every day counts, the rest in no community. */
  funds: TestMember[];
  days: TestMember[];
  loose: TestMember[];
  fundsId: string;
  daysId: string;
}

async function aCohort(server: TestServer, looseCount = 2): Promise<Cohort> {
  const created = await createCohort(server);
  const id = created.cohort.id;
  const staff = <T>(method: 'GET' | 'POST' | 'PUT', urlPath: string, body?: unknown, status = 200) =>
    ok(call<T>(server, method, `/api/cohorts/${id}${urlPath}`, created.facilitatorToken, body), status);
  const join = async (prefix: string, n: number) => {
    const out: TestMember[] = [];
    for (let i = 0; i < n; i++) out.push(await joinCohort(server, created.joinCode, `${prefix} ${i + 1}`));
    return out;
  };
  const [funds, days, loose] = [await join('Funds', 6), await join('Days', 4), await join('Loose', looseCount)];
  const fundsC = await staff<CommunityView>('POST', '/communities', { name: 'Funds for need' }, 201);
  const daysC = await staff<CommunityView>('POST', '/communities', { name: 'Every day counts' }, 201);
  for (const m of funds) await staff('PUT', `/members/${m.memberId}/community`, { communityId: fundsC.id }, 204);
  for (const m of days) await staff('PUT', `/members/${m.memberId}/community`, { communityId: daysC.id }, 204);
  return { id, staffToken: created.facilitatorToken, staff, funds, days, loose, fundsId: fundsC.id, daysId: daysC.id };
}

const everything = (value: number) => Object.fromEntries(CORE.map((id) => [id, value]));
const answer = (server: TestServer, m: TestMember, windowId: string, answers: Record<string, number>) =>
  call<{ error?: { message: string } }>(server, 'POST', `/api/me/pulse/${windowId}`, m.token, { answers });

describe('the trust pulse on the real server', () => {
  it('one answer per member, none after close, no result before close; suppressed groups never leave the server', async () => {
    const server = await startTestServer();
    const c = await aCohort(server);
    const opened = await c.staff<PulseWindowView>('POST', '/pulse', { label: 'After meeting 1', closesOn: tomorrow() }, 201);
    expect(opened).toMatchObject({ status: 'open', items: CORE, floor: 5, results: null });
    // One window at a time; a coach or a bad body is refused.
    expect((await call(server, 'POST', `/api/cohorts/${c.id}/pulse`, c.staffToken, { label: 'Again', closesOn: tomorrow() })).status).toBe(409);
    expect((await call(server, 'POST', `/api/cohorts/${c.id}/pulse`, c.staffToken, { label: 'Low', closesOn: tomorrow(), floor: 4 })).status).toBe(400);

    for (const [i, m] of c.funds.entries()) expect((await answer(server, m, opened.id, everything(6 - (i % 2)))).status).toBe(204);
    for (const m of c.days) expect((await answer(server, m, opened.id, everything(1))).status).toBe(204);
    // Twice: refused, and the first answer stands alone.
    const again = await answer(server, c.funds[0]!, opened.id, everything(1));
    expect(again.status).toBe(409);
    expect(again.body.error!.message).toMatch(/answered this pulse already/);
    // An item not in the window, a value off the scale: refused.
    expect((await answer(server, c.loose[0]!, opened.id, { opn1: 3 })).status).toBe(400);
    expect((await answer(server, c.loose[0]!, opened.id, { ben1: 7 })).status).toBe(400);

    // While open nobody reads results or counts: the member sees only that they answered.
    const before = await ok(call<MyPulse>(server, 'GET', '/api/me/pulse', c.funds[0]!.token));
    expect(before.closed).toEqual([]);
    expect(before.open).toEqual([expect.objectContaining({ id: opened.id, answered: true })]);
    expect(JSON.stringify(before.open)).not.toMatch(/respondents|count/);
    const staffBefore = await c.staff<PulseWindowView[]>('GET', '/pulse');
    expect(staffBefore[0]!.results).toBeNull();

    const closed = await c.staff<PulseWindowView>('POST', `/pulse/${opened.id}/close`);
    expect(closed.status).toBe('closed');
    expect(closed.results!.respondents).toBe(10);
    expect(closed.results!.cohort.benevolence).toMatchObject({ n: 10 });
    // Every Day Counts has four members: never written on their answers, never a figure of its own.
    expect(Object.keys(closed.results!.communities)).toEqual([]);
    expect(JSON.stringify(closed.results)).not.toContain(c.daysId);
    // Funds for need (6) is not shown either: cohort minus Funds would be the four of Every day counts.
    // After close: no more answers, and the raw answers are gone from the store.
    expect((await answer(server, c.loose[1]!, opened.id, everything(3))).status).toBe(409);
    expect(await server.store.pulses.answersOf(opened.id)).toEqual([]);

    // The download holds the figures, never an answer, and nothing of a group under the floor.
    for (const format of ['json', 'csv', 'md']) {
      const file = await call<string>(server, 'GET', `/api/cohorts/${c.id}/pulse/results.${format}`, c.staffToken);
      expect(file.status, format).toBe(200);
      expect(file.headers.get('content-disposition')).toMatch(new RegExp(`trust-pulse-\\d{4}-\\d{2}-\\d{2}\\.${format}`));
      const text = typeof file.body === 'string' ? file.body : JSON.stringify(file.body);
      expect(text).toContain('After meeting 1');
      expect(text).not.toContain('Every day counts');
      expect(text).not.toContain('"answers"');
      for (const m of [...c.funds, ...c.days]) expect(text).not.toContain(m.memberId);
      expect(text).not.toContain('Funds 1');
    }
    expect((await call(server, 'GET', `/api/cohorts/${c.id}/pulse/results.json`, c.funds[0]!.token)).status).toBe(401);
    // A member of the small community gets the cohort figure and nothing of their own.
    const theirs = await ok(call<MyPulse>(server, 'GET', '/api/me/pulse', c.days[0]!.token));
    expect(theirs.closed[0]!.results!.communities).toEqual({});
    expect(theirs.closed[0]!.results!.cohort.benevolence!.mean).toBeCloseTo((5.5 * 6 + 1 * 4) / 10, 1);
  });

  it('a community of five or more with enough others around it gets its own figure, to its members and the staff only', async () => {
    const server = await startTestServer();
    const c = await aCohort(server, 6);
    const w = await c.staff<PulseWindowView>('POST', '/pulse', { label: 'Mid-year', closesOn: tomorrow() }, 201);
    for (const m of c.funds) await answer(server, m, w.id, everything(6));
    for (const m of c.loose.slice(0, 5)) await answer(server, m, w.id, everything(2));
    const closed = await c.staff<PulseWindowView>('POST', `/pulse/${w.id}/close`);
    expect(Object.keys(closed.results!.communities)).toEqual([c.fundsId]);
    expect(closed.results!.communities[c.fundsId]!.predictability).toMatchObject({ mean: 6, n: 6 });
    const member = await ok(call<MyPulse>(server, 'GET', '/api/me/pulse', c.funds[0]!.token));
    expect(Object.keys(member.closed[0]!.results!.communities)).toEqual([c.fundsId]);
    const other = await ok(call<MyPulse>(server, 'GET', '/api/me/pulse', c.days[0]!.token));
    expect(other.closed[0]!.results!.communities).toEqual({});
  });

  it('someone holding the database file cannot tell who gave which answer', async () => {
    const server = await startTestServer();
    // Twenty members in no community answer, one after another, each with a pattern of their own.
    const c = await aCohort(server, 20);
    const w = await c.staff<PulseWindowView>('POST', '/pulse', { label: 'Linkage', closesOn: tomorrow() }, 201);
    const order = c.loose;
    const patternOf = (i: number) => Object.fromEntries(CORE.map((id, k) => [id, ((i >> k) & 1) + 1 + (k === 7 ? (i >> 3) % 4 : 0)]));
    for (const [i, m] of order.entries()) expect((await answer(server, m, w.id, patternOf(i))).status).toBe(204);

    const db = sqliteOf(server);
    // No column of the answers' table can say who or when: the window's row holds them as one value.
    const columns = (table: string) => (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((r) => r.name);
    expect(columns('pulse_receipts')).toEqual(['window_id', 'member_id']);
    expect(columns('pulse_windows')).not.toContain('member_id');
    expect(() => db.prepare('SELECT rowid FROM pulse_receipts').all()).toThrow();
    // Attempt 1: pair the stored answers, in their stored order, with the receipts in theirs.
    const stored = (JSON.parse((db.prepare('SELECT answers FROM pulse_windows WHERE id = ?').get(w.id) as { answers: string }).answers) as Array<{ a: Record<string, number> }>).map((s) =>
      JSON.stringify(s.a),
    );
    const given = order.map((_, i) => JSON.stringify(patternOf(i)));
    expect([...stored].sort()).toEqual([...given].sort());
    const receipts = (db.prepare('SELECT member_id FROM pulse_receipts WHERE window_id = ?').all(w.id) as Array<{ member_id: string }>).map((r) => r.member_id);
    const truth = new Map(order.map((m, i) => [m.memberId, given[i]!]));
    const rightByStoredOrder = receipts.filter((id, i) => truth.get(id) === stored[i]).length;
    // Attempt 2: the order of answering itself, against the stored order (a random order matches ~1 in 20).
    const rightByAnswerOrder = given.filter((g, i) => stored[i] === g).length;
    // A random pairing gets one right on average; 8 of 20 happens about once in 100,000 runs.
    expect(rightByStoredOrder).toBeLessThan(8);
    expect(rightByAnswerOrder).toBeLessThan(8);
    // Attempt 3: the WAL, which holds each commit's pages in order: truncated after every answer.
    const wal = path.join(server.dataDir, 'howmight.sqlite-wal');
    expect(fs.existsSync(wal) ? fs.statSync(wal).size : 0).toBe(0);
  });

  it('the meeting’s screens read closed results with any key of the meeting; a participant answers from the meeting', async () => {
    const server = await startTestServer();
    const c = await aCohort(server, 3);
    const meeting = await c.staff<MeetingView>('POST', '/meetings', { communityId: c.fundsId, startsAt: '2026-10-13T16:00' }, 201);
    const w = await c.staff<PulseWindowView>('POST', '/pulse', { label: 'After meeting 1', closesOn: tomorrow() }, 201);
    const inMeeting: JoinSessionResponse = await enter(server, c.funds[0]!, meeting.sessionId);
    const viaMeeting = await call(server, 'POST', `/api/sessions/${meeting.sessionId}/year/pulse/${w.id}`, inMeeting.participantToken, { answers: everything(4) });
    expect(viaMeeting.status).toBe(204);
    expect((await answer(server, c.funds[0]!, w.id, everything(4))).status).toBe(409);
    const open = await ok(call<{ windows: PulseWindowView[]; open: MyPulse['open'] }>(server, 'GET', `/api/sessions/${meeting.sessionId}/year/pulse`, inMeeting.participantToken));
    expect(open.windows).toEqual([]);
    expect(open.open).toEqual([expect.objectContaining({ id: w.id, answered: true })]);
    for (const m of [...c.funds.slice(1), ...c.days]) await answer(server, m, w.id, everything(5));
    await c.staff('POST', `/pulse/${w.id}/close`);
    await c.staff('PUT', `/pulse/${w.id}/notes`, { notes: 'We fixed our monthly rhythm.' });
    const after = await ok(call<{ windows: PulseWindowView[] }>(server, 'GET', `/api/sessions/${meeting.sessionId}/year/pulse`, inMeeting.participantToken));
    expect(after.windows).toEqual([expect.objectContaining({ id: w.id, notes: 'We fixed our monthly rhythm.', status: 'closed' })]);
    expect(after.windows[0]!.results!.respondents).toBe(10);
    // Another session's key reads nothing of it.
    expect((await call(server, 'GET', `/api/sessions/${meeting.sessionId}/year/pulse`, 'nope.nope')).status).toBe(401);
  });
});
