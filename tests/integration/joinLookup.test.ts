import { describe, expect, it } from 'vitest';
import type { ApiError, LookupSessionResponse } from '../../shared/api.ts';
import { createSession, join, post, startTestServer, useCleanup, type TestServer } from './helpers.ts';

useCleanup();

const LOOKUP = '/api/sessions/lookup';
/** Wrong codes a device may send before it is held up (apiRouter's MISSES.burst). */
const MISS_BURST = 20;
const device = (name: string) => `device-${name}`.padEnd(20, '0');

const lookup = (server: TestServer, body: unknown) => post<LookupSessionResponse & ApiError>(server, LOOKUP, body);

describe('the join page names the session', () => {
  it('answers the title for a right code, and nothing else', async () => {
    const server = await startTestServer();
    const s = await createSession(server, { title: 'Eastside attendance CoP' });
    const typed = await lookup(server, { joinCode: s.joinCode.toLowerCase() });
    expect(typed.status).toBe(200);
    expect(typed.body).toEqual({ title: 'Eastside attendance CoP' });
    const scanned = await lookup(server, { joinCode: s.joinCode, joinSecret: s.joinSecret, deviceId: device('ada') });
    expect(scanned.body).toEqual({ title: 'Eastside attendance CoP' });
    expect(scanned.headers.get('cache-control')).toBe('no-store');
    // Looking up joins nobody.
    expect(await server.store.sessions.listParticipants(s.id)).toEqual([]);
  });

  it('validates the body', async () => {
    const server = await startTestServer();
    expect((await lookup(server, { joinCode: 42 })).status).toBe(400);
    expect((await lookup(server, { joinCode: 'X'.repeat(33) })).status).toBe(400);
    expect((await lookup(server, { joinCode: 'ABCDEF', deviceId: 'short' })).status).toBe(400);
    expect((await lookup(server, '[]')).status).toBe(400);
  });

  it('counts a wrong code as a miss, shared with joining: a guesser learns no more than by joining', async () => {
    const server = await startTestServer();
    const s = await createSession(server, { title: 'Secret-ish' });
    const statuses: number[] = [];
    for (let i = 0; i < MISS_BURST + 2; i++) {
      statuses.push((await lookup(server, { joinCode: `ZZZZ${String(i).padStart(2, '0')}`, deviceId: device('guesser') })).status);
    }
    expect(statuses.slice(0, MISS_BURST)).toEqual(Array(MISS_BURST).fill(404));
    expect(statuses.slice(MISS_BURST)).toEqual([429, 429]);
    // Held up for the right code too, on both routes…
    const held = await lookup(server, { joinCode: s.joinCode, deviceId: device('guesser') });
    expect(held.status).toBe(429);
    expect(held.body).not.toHaveProperty('title');
    const joinHeld = await post(server, '/api/sessions/join', { joinCode: s.joinCode, name: 'G', deviceId: device('guesser') });
    expect(joinHeld.status).toBe(429);
    // …while the QR code's secret still gets the title, and another device is not held up.
    expect((await lookup(server, { joinCode: s.joinCode, joinSecret: s.joinSecret, deviceId: device('guesser') })).status).toBe(200);
    expect((await lookup(server, { joinCode: s.joinCode, deviceId: device('teacher') })).status).toBe(200);
    await join(server, s.joinCode, 'Teacher');
  });
});
