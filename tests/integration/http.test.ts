import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiError, CreateSessionResponse, JoinSessionResponse } from '../../shared/api.ts';
import { createSession, join, post, startTestServer, useCleanup, type TestServer } from './helpers.ts';

useCleanup();

const SESSIONS = '/api/sessions';
const JOIN = '/api/sessions/join';

async function expectBadRequest(server: TestServer, urlPath: string, body: unknown, contentType?: string) {
  const res = await post<ApiError>(server, urlPath, body, contentType);
  expect(res.status).toBe(400);
  expect(res.body.error).toEqual({ code: 'invalid', message: expect.any(String) });
  expect(res.body.error.message.length).toBeGreaterThan(0);
  return res.body.error.message;
}

describe('POST /api/sessions', () => {
  it('creates a session with a join code, two tokens and three links', async () => {
    const server = await startTestServer();
    const res = await post<CreateSessionResponse>(server, SESSIONS, { title: 'Chronic absence', lengthMinutes: 60 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      joinCode: expect.stringMatching(/^[A-Z2-9]{6}$/),
      facilitatorToken: expect.any(String),
      projectorToken: expect.any(String),
      joinSecret: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      urls: { facilitator: expect.any(String), participant: expect.any(String), projector: expect.any(String) },
    });
    expect(res.body.facilitatorToken).not.toBe(res.body.projectorToken);
    const stored = (await server.store.sessions.getSession(res.body.id));
    expect(stored).toMatchObject({ title: 'Chronic absence', lengthMinutes: 60, joinCode: res.body.joinCode });
  });

  it('defaults to a 90 minute meeting and trims the title', async () => {
    const server = await startTestServer();
    const { id } = await createSession(server, { title: '  Reading groups  ' });
    expect((await server.store.sessions.getSession(id))).toMatchObject({ title: 'Reading groups', lengthMinutes: 90 });
  });

  it.each([
    ['a missing title', {}],
    ['a blank title', { title: '   ' }],
    ['a non-string title', { title: 42 }],
    ['an overlong title', { title: 'x'.repeat(121) }],
    ['an invalid lengthMinutes', { title: 'ok', lengthMinutes: 45 }],
    ['a string lengthMinutes', { title: 'ok', lengthMinutes: '90' }],
    ['a JSON array', [1, 2]],
  ])('answers %s with 400 and an error', async (_name, body) => {
    const server = await startTestServer();
    await expectBadRequest(server, SESSIONS, body);
  });

  it('answers a non-JSON body with 400 and an error', async () => {
    const server = await startTestServer();
    expect(await expectBadRequest(server, SESSIONS, '{"title": ')).toMatch(/JSON/);
    await expectBadRequest(server, SESSIONS, 'title=hello', 'application/x-www-form-urlencoded');
    await expectBadRequest(server, SESSIONS, 'hello', 'text/plain');
  });

  it('draws join codes only from the unambiguous alphabet', async () => {
    const server = await startTestServer();
    const codes: string[] = [];
    // 30 is the per-address creation burst.
    for (let i = 0; i < 30; i++) codes.push((await createSession(server, { title: `s${i}` })).joinCode);
    for (const code of codes) expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
    expect(codes.join('')).not.toMatch(/[0O1IL]/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('keeps tokens out of the participant link and behind # in the others', async () => {
    const server = await startTestServer();
    const s = await createSession(server);
    // The join secret (not a token) rides behind #, which browsers never send.
    expect(s.urls.participant).toBe(`${server.baseUrl}/j/${s.joinCode}#${s.joinSecret}`);
    for (const token of [s.facilitatorToken, s.projectorToken]) expect(s.urls.participant).not.toContain(token);

    const [facilitatorPage, facilitatorFragment] = s.urls.facilitator.split('#');
    expect(facilitatorPage).toBe(`${server.baseUrl}/s/${s.id}/facilitate`);
    expect(facilitatorFragment).toBe(s.facilitatorToken);
    const [projectorPage, projectorFragment] = s.urls.projector.split('#');
    expect(projectorPage).toBe(`${server.baseUrl}/s/${s.id}/project`);
    expect(projectorFragment).toBe(s.projectorToken);
  });

  it('stores token secrets only as hashes', async () => {
    const server = await startTestServer();
    const title = 'Findable title 7c1e';
    const s = await createSession(server, { title });
    const joined = await join(server, s.joinCode, 'Ada');
    const files = fs
      .readdirSync(server.dataDir)
      .filter((f) => f.startsWith('howmight.sqlite'))
      .map((f) => fs.readFileSync(path.join(server.dataDir, f)));
    const everything = Buffer.concat(files);

    // The files are readable as stored: the title is in there.
    expect(everything.includes(title)).toBe(true);
    for (const token of [s.facilitatorToken, s.projectorToken, joined.participantToken]) {
      const secret = token.split('.')[1]!;
      expect(secret.length).toBeGreaterThan(20);
      expect(everything.includes(secret)).toBe(false);
      expect(everything.includes(crypto.createHash('sha256').update(secret).digest())).toBe(true);
    }
  });

  it('limits how many sessions one address creates in a burst', async () => {
    const server = await startTestServer();
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await post(server, SESSIONS, { title: `s${i}` })).status);
    expect(statuses.slice(0, 30).every((s) => s === 201)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('POST /api/sessions/join', () => {
  it('joins with a code and a name', async () => {
    const server = await startTestServer();
    const s = await createSession(server);
    const res = await post<JoinSessionResponse>(server, JOIN, { joinCode: s.joinCode, name: '  Ada Lovelace ' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sessionId: s.id, participantId: expect.any(String), participantToken: expect.any(String) });
    expect((await server.store.sessions.listParticipants(s.id))).toEqual([
      expect.objectContaining({ id: res.body.participantId, name: 'Ada Lovelace' }),
    ]);
  });

  it('normalises the code: lower case, dashes and spaces', async () => {
    const server = await startTestServer();
    const s = await createSession(server);
    const code = s.joinCode.toLowerCase();
    const typings = [code, `${code.slice(0, 3)}-${code.slice(3)}`, ` ${code.slice(0, 3)} ${code.slice(3)} `];
    for (const [i, typed] of typings.entries()) {
      expect((await join(server, typed, `Ada ${i}`)).sessionId).toBe(s.id);
    }
  });

  it('gives every participant their own id and token', async () => {
    const server = await startTestServer();
    const s = await createSession(server);
    const a = await join(server, s.joinCode, 'Ada');
    const b = await join(server, s.joinCode, 'Ben');
    expect(a.participantId).not.toBe(b.participantId);
    expect(a.participantToken).not.toBe(b.participantToken);
  });

  it('answers an unknown code with 404', async () => {
    const server = await startTestServer();
    await createSession(server);
    const res = await post<ApiError>(server, JOIN, { joinCode: 'ZZZZZZ', name: 'Ada' });
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({ code: 'unknown-code', message: expect.any(String) });
  });

  it.each([
    ['a blank name', { name: '   ' }],
    ['a 41-character name', { name: 'x'.repeat(41) }],
    ['a missing name', {}],
    ['a missing code', { joinCode: undefined, name: 'Ada' }],
  ])('answers %s with 400', async (_name, patch) => {
    const server = await startTestServer();
    const s = await createSession(server);
    await expectBadRequest(server, JOIN, { joinCode: s.joinCode, ...patch });
    expect((await server.store.sessions.listParticipants(s.id))).toEqual([]);
  });

  it('accepts a 40-character name', async () => {
    const server = await startTestServer();
    const s = await createSession(server);
    await join(server, s.joinCode, 'x'.repeat(40));
  });

  it('lets a whole school behind one address join at once', async () => {
    const server = await startTestServer();
    // Two sessions, since one takes 40 people (joinNames.test.ts).
    const sessions = [await createSession(server), await createSession(server)];
    const results = await Promise.all(
      Array.from({ length: 61 }, (_, i) => post(server, JOIN, { joinCode: sessions[i % 2]!.joinCode, name: `Person ${i}` })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(61).fill(200));
    expect((await server.store.sessions.listParticipants(sessions[0]!.id))).toHaveLength(31);
    expect((await server.store.sessions.listParticipants(sessions[1]!.id))).toHaveLength(30);
  });

  it('stops an address that keeps guessing codes with 429', async () => {
    const server = await startTestServer();
    const s = await createSession(server);
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 25; i++) {
      const res = await post(server, JOIN, { joinCode: `NOPE0${i}`, name: 'Guesser' });
      statuses.push(res.status);
      if (res.status === 429) retryAfter ??= res.headers.get('retry-after');
    }
    const firstRefusal = statuses.indexOf(429);
    expect(firstRefusal).toBeGreaterThanOrEqual(5); // a few typos are fine
    expect(statuses.slice(0, firstRefusal).every((st) => st === 404)).toBe(true);
    expect(statuses.slice(firstRefusal).every((st) => st === 429)).toBe(true);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // The right code is refused too while that client is blocked (it sends no device id,
    // so it is its address; see joinLockout.test.ts for devices).
    expect((await post(server, JOIN, { joinCode: s.joinCode, name: 'Guesser' })).status).toBe(429);
  });
});

describe('other routes', () => {
  it('GET /healthz answers ok', async () => {
    const server = await startTestServer();
    const res = await fetch(`${server.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('an unknown API route is a JSON 404', async () => {
    const server = await startTestServer();
    const res = await post<ApiError>(server, '/api/nope', {});
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not-found', message: 'Not found.' } });
  });
});
