import { describe, expect, it } from 'vitest';
import { initialControl } from '../../shared/protocol/control.ts';
import {
  connectControl,
  controlHandshakeError,
  controlHandshakeRefusal,
  createSession,
  join,
  onlineByName,
  restartServer,
  sleep,
  startTestServer,
  useCleanup,
  waitFor,
  type ControlClient,
  type TestServer,
} from './helpers.ts';

useCleanup();

async function meeting(server: TestServer, lengthMinutes = 90) {
  const session = await createSession(server, { title: 'Family engagement', lengthMinutes });
  const ada = await join(server, session.joinCode, 'Ada');
  const ben = await join(server, session.joinCode, 'Ben');
  return { session, ada, ben };
}

const storedStep = async (server: TestServer, sessionId: string) => (await server.store.sessions.getSession(sessionId))!.control.step;

describe('welcome', () => {
  it('tells each token its role, the session and the control state', async () => {
    const server = await startTestServer();
    const { session, ada } = await meeting(server, 120);
    const common = {
      sessionId: session.id,
      title: 'Family engagement',
      joinCode: session.joinCode,
      lengthMinutes: 120,
      control: initialControl(120),
      serverTime: expect.any(Number),
    };

    const facilitator = await connectControl(server, session.facilitatorToken);
    expect(facilitator.welcome).toEqual({ ...common, role: 'facilitator', me: null });
    const participant = await connectControl(server, ada.participantToken);
    expect(participant.welcome).toEqual({ ...common, role: 'participant', me: { participantId: ada.participantId, name: 'Ada' } });
    const projector = await connectControl(server, session.projectorToken);
    expect(projector.welcome).toEqual({ ...common, role: 'projector', me: null });
    expect(Math.abs(projector.welcome.serverTime - Date.now())).toBeLessThan(5_000);
  });

  it('refuses a bad or missing token with connect_error', async () => {
    const server = await startTestServer();
    const { session } = await meeting(server);
    const [id, secret] = session.facilitatorToken.split('.') as [string, string];
    const tampered = `${id}.${secret.startsWith('A') ? 'B' : 'A'}${secret.slice(1)}`;
    expect(await controlHandshakeError(server, tampered)).toBe('unauthorized');
    expect(await controlHandshakeError(server, 'garbage')).toBe('unauthorized');
    expect(await controlHandshakeError(server, undefined)).toBe('unauthorized');
    expect(await controlHandshakeError(server, { token: session.facilitatorToken })).toBe('unauthorized');
  });

  it('says why in the one problem shape: the refusal carries { code, message } as its data', async () => {
    const server = await startTestServer();
    expect(await controlHandshakeRefusal(server, 'garbage')).toEqual({
      message: 'unauthorized',
      data: { code: 'unauthorized', message: expect.stringMatching(/token/) },
    });
  });
});

describe('roster', () => {
  it('lists participants by name with online flags and updates on connect and disconnect', async () => {
    const server = await startTestServer();
    const { session, ada, ben } = await meeting(server);
    const facilitator = await connectControl(server, session.facilitatorToken);
    await waitFor(() => facilitator.rosters.length > 0, 5_000, 'a first roster');
    expect(onlineByName(facilitator)).toEqual({ Ada: false, Ben: false });

    const adaClient = await connectControl(server, ada.participantToken);
    await waitFor(() => onlineByName(facilitator).Ada === true, 5_000, 'Ada online');
    expect(onlineByName(facilitator)).toEqual({ Ada: true, Ben: false });
    expect(facilitator.rosters.at(-1)).toEqual([
      { participantId: ada.participantId, name: 'Ada', online: true },
      { participantId: ben.participantId, name: 'Ben', online: false },
    ]);

    const benClient = await connectControl(server, ben.participantToken);
    await waitFor(() => onlineByName(adaClient).Ben === true, 5_000, 'Ada to see Ben online');

    benClient.close();
    await waitFor(() => onlineByName(facilitator).Ben === false, 5_000, 'Ben offline');
    await waitFor(() => onlineByName(adaClient).Ben === false, 5_000, 'Ada to see Ben offline');
    expect(onlineByName(facilitator)).toEqual({ Ada: true, Ben: false });
  });

  it('keeps someone online while another of their tabs is open', async () => {
    const server = await startTestServer();
    const { session, ada } = await meeting(server);
    const facilitator = await connectControl(server, session.facilitatorToken);
    const tab1 = await connectControl(server, ada.participantToken);
    await connectControl(server, ada.participantToken);
    await waitFor(() => onlineByName(facilitator).Ada === true, 5_000, 'Ada online');
    const seen = facilitator.rosters.length;

    tab1.close();
    await waitFor(() => facilitator.rosters.length > seen, 5_000, 'a roster after the tab closed');
    expect(onlineByName(facilitator).Ada).toBe(true);
  });
});

describe('commands', () => {
  async function everyone(server: TestServer) {
    const m = await meeting(server);
    return {
      ...m,
      facilitator: await connectControl(server, m.session.facilitatorToken),
      participant: await connectControl(server, m.ada.participantToken),
      projector: await connectControl(server, m.session.projectorToken),
    };
  }

  it.each(['participant', 'projector'] as const)('rejects a %s command as forbidden, changing nothing', async (who) => {
    const server = await startTestServer();
    const all = await everyone(server);
    const sender: ControlClient = all[who];

    const result = await sender.command({ type: 'goto', step: 'sort' });
    expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: expect.any(String) } });
    await waitFor(() => sender.problems.length === 1, 5_000, 'a problem event');
    expect(sender.problems[0]!.code).toBe('forbidden');

    await sleep(100);
    expect(await storedStep(server, all.session.id)).toBe('open');
    for (const client of [all.facilitator, all.participant, all.projector]) expect(client.controls).toEqual([]);
  });

  it('a facilitator goto and next change the step and reach every other client', async () => {
    const server = await startTestServer();
    const { session, facilitator, participant, projector } = await everyone(server);

    const went = await facilitator.command({ type: 'goto', step: 'causes' });
    expect(went).toMatchObject({ ok: true, control: { step: 'causes', version: 1 } });
    await waitFor(() => participant.controls.length === 1 && projector.controls.length === 1, 5_000, 'the broadcast');
    expect(participant.controls[0]!.control.step).toBe('causes');
    expect(projector.controls[0]!.control).toEqual(went.ok ? went.control : null);

    const advanced = await facilitator.command({ type: 'next', from: 'causes' });
    expect(advanced).toMatchObject({ ok: true, control: { step: 'sort', version: 2 } });
    await waitFor(() => projector.controls.length === 2, 5_000, 'the second broadcast');
    expect(projector.controls[1]!.control.step).toBe('sort');
    expect(facilitator.controls.map((c) => c.control.step)).toEqual(['causes', 'sort']);
    expect(await storedStep(server, session.id)).toBe('sort');
  });

  it('a replayed next {from} advances only once', async () => {
    const server = await startTestServer();
    const { session, facilitator, participant } = await everyone(server);
    const next = { type: 'next', from: 'open' };

    const first = await facilitator.command(next);
    const replay = await facilitator.command(next);
    expect(first).toMatchObject({ ok: true, control: { step: 'story', version: 1 } });
    expect(replay).toMatchObject({ ok: true, control: { step: 'story', version: 1 } });
    await sleep(100);
    expect(participant.controls.map((c) => c.control.step)).toEqual(['story']);
    expect(await storedStep(server, session.id)).toBe('story');
  });

  it('answers next from the last step with a rejected problem', async () => {
    const server = await startTestServer();
    const { facilitator } = await everyone(server);
    await facilitator.command({ type: 'goto', step: 'close' });
    const result = await facilitator.command({ type: 'next', from: 'close' });
    expect(result).toMatchObject({ ok: false, error: { code: 'rejected' } });
    await waitFor(() => facilitator.problems.length === 1, 5_000, 'a problem event');
  });

  it('answers invalid payloads with a problem and stays usable', async () => {
    const server = await startTestServer();
    const { session, facilitator } = await everyone(server);
    const invalid: unknown[] = [null, 42, 'next', { type: 'nope' }, { type: 'goto', step: 'x' }, { type: 'next' }];

    for (const payload of invalid) {
      const result = await facilitator.command(payload);
      expect(result, JSON.stringify(payload)).toEqual({ ok: false, error: { code: 'invalid', message: expect.any(String) } });
    }
    await waitFor(() => facilitator.problems.length === invalid.length, 5_000, 'a problem per payload');
    expect(facilitator.problems.every((p) => p.code === 'invalid')).toBe(true);
    expect(await storedStep(server, session.id)).toBe('open');

    expect(facilitator.socket.connected).toBe(true);
    expect(await facilitator.command({ type: 'goto', step: 'hmw' })).toMatchObject({ ok: true, control: { step: 'hmw' } });
  });

  it('a command sent without an ack still works', async () => {
    const server = await startTestServer();
    const { session, facilitator, projector } = await everyone(server);
    // The typed socket insists on an ack; a plain client may not send one.
    const untyped = facilitator.socket as unknown as { emit(event: string, payload: unknown): void };
    untyped.emit('command', { type: 'lock', locked: true });
    await waitFor(() => projector.controls.length === 1, 5_000, 'the broadcast');
    expect(projector.controls[0]!.control.locked).toBe(true);
    expect((await server.store.sessions.getSession(session.id))!.control.locked).toBe(true);
  });
});

describe('persistence', () => {
  it('keeps the control state across a restart on the same data dir', async () => {
    let server = await startTestServer();
    const { session } = await meeting(server);
    const facilitator = await connectControl(server, session.facilitatorToken);
    await facilitator.command({ type: 'goto', step: 'assumptions' });
    await facilitator.command({ type: 'timer', action: 'start' });
    const last = await facilitator.command({ type: 'lock', locked: true });
    if (!last.ok) throw new Error(last.error.message);

    server = await restartServer(server);
    const again = await connectControl(server, session.facilitatorToken);
    expect(again.welcome.control).toEqual(last.control);
    expect(again.welcome.control).toMatchObject({ step: 'assumptions', locked: true, version: 3 });
    expect(again.welcome.control.timer.runningSince).toEqual(expect.any(Number));
  });
});
