import { describe, expect, it } from 'vitest';
import type { ApiError, JoinSessionResponse } from '../../shared/api.ts';
import { connectControl, connectYjs, createSession, join, post, startTestServer, useCleanup, waitFor } from './helpers.ts';

useCleanup();

const JOIN = '/api/sessions/join';

describe('names at the door', () => {
  it.each([
    ['the same name', 'Ana'],
    ['another case and spacing', '  ANA '],
    ['a zero-width space inside', 'A\u200bna'],
    ['a Cyrillic а', 'Аnа'],
    ['a Greek alpha', 'Αna'],
    ['full-width letters', 'Ａｎａ'],
  ])("refuses %s as a present participant's name with 409", async (_what, name) => {
    const server = await startTestServer();
    const s = await createSession(server);
    await join(server, s.joinCode, 'Ana');
    const res = await post<ApiError>(server, JOIN, { joinCode: s.joinCode, name });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: { code: 'name-taken', message: expect.stringMatching(/already has that name/) } });
    expect(await server.store.sessions.listParticipants(s.id)).toHaveLength(1);
  });

  it.each(['Facilitator', 'facilitator', 'Fаcilitator', 'F\u200dacilitator', 'PROJECTOR', 'Host', 'Admin', 'Moderator', 'Coach'])(
    'refuses the role name %j with 409',
    async (name) => {
      const server = await startTestServer();
      const s = await createSession(server);
      const res = await post<ApiError>(server, JOIN, { joinCode: s.joinCode, name });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ error: { code: 'name-reserved', message: expect.stringMatching(/reserved for a role/) } });
    },
  );

  it('takes names that only look alike to a person, not to the fold: Ana and Anna, Chloé and Chloe', async () => {
    const server = await startTestServer();
    const s = await createSession(server);
    for (const name of ['Ana', 'Anna', 'Chloé', 'Chloe', 'Ana B']) await join(server, s.joinCode, name);
    expect((await server.store.sessions.listParticipants(s.id))).toHaveLength(5);
  });

  it('stores a name without bidi controls, and refuses one made of invisible characters only', async () => {
    const server = await startTestServer();
    const s = await createSession(server);
    await join(server, s.joinCode, '\u202eBen\u202c');
    expect((await server.store.sessions.listParticipants(s.id)).map((p) => p.name)).toEqual(['Ben']);
    const res = await post<ApiError>(server, JOIN, { joinCode: s.joinCode, name: '\u200b\u2060\u200d' });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'invalid', message: expect.stringMatching(/name must not be blank/) });
  });
});

describe('size', () => {
  it('takes 40 people and refuses the 41st with 403', async () => {
    const server = await startTestServer();
    const s = await createSession(server);
    for (let i = 0; i < 40; i++) await join(server, s.joinCode, `Person ${i}`);
    const res = await post<ApiError>(server, JOIN, { joinCode: s.joinCode, name: 'One more' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: { code: 'session-full', message: expect.stringMatching(/full: 40 people/) } });
    expect(await server.store.sessions.listParticipants(s.id)).toHaveLength(40);
  });
});

describe('closing joining', () => {
  it('the facilitator closes joining: joins get 403, members keep their seats, reopening lets people in', async () => {
    const server = await startTestServer();
    const s = await createSession(server);
    const ana = await join(server, s.joinCode, 'Ana');
    const facilitator = await connectControl(server, s.facilitatorToken);
    const watcher = await connectControl(server, ana.participantToken);

    const closed = await facilitator.command({ type: 'joining', open: false });
    expect(closed).toMatchObject({ ok: true, control: { joining: false } });
    await waitFor(() => watcher.controls.at(-1)?.control.joining === false, 2_000, 'the closed state to reach Ana');

    for (const body of [{ name: 'Ben' }, { name: 'Ben', joinSecret: s.joinSecret }]) {
      const res = await post<ApiError>(server, JOIN, { joinCode: s.joinCode, ...body });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: { code: 'joining-closed', message: expect.stringMatching(/^Joining is closed for this session/) } });
    }
    expect((await server.store.sessions.listParticipants(s.id))).toHaveLength(1);

    // Ana, already in, reconnects with her token on both sockets.
    watcher.close();
    const again = await connectControl(server, ana.participantToken);
    expect(again.welcome.control.joining).toBe(false);
    await connectYjs(server, s.id, ana.participantToken);

    expect(await facilitator.command({ type: 'joining', open: true })).toMatchObject({ ok: true, control: { joining: true } });
    const ben = await post<JoinSessionResponse>(server, JOIN, { joinCode: s.joinCode, name: 'Ben' });
    expect(ben.status).toBe(200);
  });

  it('only the facilitator may close joining', async () => {
    const server = await startTestServer();
    const s = await createSession(server);
    const ana = await join(server, s.joinCode, 'Ana');
    const participant = await connectControl(server, ana.participantToken);
    const projector = await connectControl(server, s.projectorToken);
    for (const client of [participant, projector]) {
      expect(await client.command({ type: 'joining', open: false })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect((await server.store.sessions.getSession(s.id))?.control.joining).toBe(true);
  });
});
