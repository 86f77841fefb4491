import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ApiError, JoinSessionResponse } from '../../shared/api.ts';
import type { JoinGuessReport } from '../../shared/events.ts';
import { connectControl, createSession, join, post, sleep, sqliteOf, startTestServer, useCleanup, waitFor, type TestServer } from './helpers.ts';

useCleanup();

const JOIN = '/api/sessions/join';
/** Wrong codes a device may send before it is held up (apiRouter's MISSES.burst). */
const MISS_BURST = 20;

const device = (name: string) => `device-${name}`.padEnd(20, '0');

function attempt(server: TestServer, joinCode: string, name: string, extra: Record<string, string> = {}) {
  return post<JoinSessionResponse & ApiError>(server, JOIN, { joinCode, name, ...extra });
}

/** One device sending wrong codes until it is refused; returns the statuses. */
async function guess(server: TestServer, deviceId: string, times: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) statuses.push((await attempt(server, `ZZZZ${String(i).padStart(2, '0')}`, 'Guesser', { deviceId })).status);
  return statuses;
}

describe('one guessing device does not lock out the school', () => {
  it('holds up the guessing device only: another device on the same address joins with the code', async () => {
    const server = await startTestServer();
    const s = await createSession(server);
    const statuses = await guess(server, device('guesser'), MISS_BURST + 3);
    expect(statuses.slice(0, MISS_BURST)).toEqual(Array(MISS_BURST).fill(404));
    expect(statuses.slice(MISS_BURST)).toEqual([429, 429, 429]);

    // The guesser itself is held up even with the right code...
    const held = await attempt(server, s.joinCode, 'Guesser', { deviceId: device('guesser') });
    expect(held.status).toBe(429);
    expect(held.body).toEqual({ error: { code: 'rate-limited', message: expect.stringMatching(/wrong join codes from this device/) } });
    // ...its neighbours are not, with the right code or with a typo of their own.
    for (let i = 0; i < 5; i++) {
      expect((await attempt(server, s.joinCode, `Teacher ${i}`, { deviceId: device(`teacher${i}`) })).status).toBe(200);
    }
    expect((await attempt(server, 'QQQQQQ', 'Typo', { deviceId: device('typo') })).status).toBe(404);
  });

  it('lets the QR code and join link in past the wrong-code limit, with the secret from POST /api/sessions', async () => {
    const server = await startTestServer();
    const s = await createSession(server);
    expect(s.urls.participant.endsWith(`/j/${s.joinCode}#${s.joinSecret}`)).toBe(true);
    // A client without a device id is keyed by its address, which then guesses its way to the limit.
    for (let i = 0; i < MISS_BURST; i++) await attempt(server, 'ZZZZZZ', 'Guesser');
    expect((await attempt(server, s.joinCode, 'Ada')).status).toBe(429);

    const scanned = await attempt(server, s.joinCode, 'Ada', { joinSecret: s.joinSecret });
    expect(scanned.status).toBe(200);
    expect(scanned.body.sessionId).toBe(s.id);
    // A wrong secret counts for nothing: that join is judged by its code, and held up.
    const forged = crypto.randomBytes(16).toString('base64url');
    expect((await attempt(server, s.joinCode, 'Ben', { joinSecret: forged })).status).toBe(429);
    // Nor does one session's secret open another.
    const other = await createSession(server);
    expect((await attempt(server, other.joinCode, 'Ben', { joinSecret: s.joinSecret })).status).toBe(429);
  });

  it('stores the join secret only as a hash', async () => {
    const server = await startTestServer();
    const s = await createSession(server);
    // The bytes as stored: what the file itself holds (helpers.ts, sqliteOf).
    const rows = sqliteOf(server).prepare('SELECT * FROM tokens').all() as Array<Record<string, unknown>>;
    const everything = JSON.stringify(rows);
    expect(everything).not.toContain(s.joinSecret);
    const hash = crypto.createHash('sha256').update(s.joinSecret).digest();
    expect(rows.some((r) => Buffer.isBuffer(r.secret_hash) && (r.secret_hash as Buffer).equals(hash))).toBe(true);
  });

  it("tells the session's facilitator about wrong codes from the network its people joined from", async () => {
    const server = await startTestServer();
    const s = await createSession(server);
    const facilitator = await connectControl(server, s.facilitatorToken);
    const ana = await join(server, s.joinCode, 'Ana');
    const participant = await connectControl(server, ana.participantToken);
    await guess(server, device('guesser'), 3);
    const reports = () => facilitator.events.filter((e) => e.event === 'joinGuesses').map((e) => e.args[0] as JoinGuessReport);
    await waitFor(() => reports().length > 0, 5_000, 'a report to the facilitator');
    expect(reports().at(-1)).toEqual({ wrongCodes: 3, minutes: 10 });
    // A facilitator who opens the view later hears it at once; participants never do.
    const late = await connectControl(server, s.facilitatorToken);
    await waitFor(() => late.events.some((e) => e.event === 'joinGuesses'), 2_000, 'the report on connect');
    expect(participant.events.some((e) => e.event === 'joinGuesses')).toBe(false);
    // A session nobody joined from this address hears nothing.
    const elsewhere = await createSession(server);
    const otherFacilitator = await connectControl(server, elsewhere.facilitatorToken);
    await guess(server, device('guesser2'), 1);
    await waitFor(() => reports().at(-1)?.wrongCodes === 4, 5_000, 'the next report');
    await sleep(100);
    expect(otherFacilitator.events.some((e) => e.event === 'joinGuesses')).toBe(false);
  });
});
