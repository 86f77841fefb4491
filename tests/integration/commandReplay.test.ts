import { describe, expect, it } from 'vitest';
import { connectControl, createSession, sleep, startTestServer, useCleanup, waitFor } from './helpers.ts';

useCleanup();

const stored = async (server: Awaited<ReturnType<typeof startTestServer>>, id: string) => (await server.store.sessions.getSession(id))!.control;

describe('acknowledged, idempotent control commands', () => {
  it('a replayed timer addMinute with the same id adds one minute, and both deliveries are acknowledged', async () => {
    const server = await startTestServer();
    const session = await createSession(server);
    const facilitator = await connectControl(server, session.facilitatorToken);
    const projector = await connectControl(server, session.projectorToken);
    const start = (await stored(server, session.id)).timer.durationMs;

    const first = await facilitator.command({ type: 'timer', action: 'addMinute', id: 'cmd-1' });
    const replay = await facilitator.command({ type: 'timer', action: 'addMinute', id: 'cmd-1' });
    expect(first).toMatchObject({ ok: true, control: { version: 1, timer: { durationMs: start + 60_000 } } });
    expect(replay).toEqual(first);
    await sleep(100);
    expect((await stored(server, session.id)).timer.durationMs).toBe(start + 60_000);
    expect(projector.controls).toHaveLength(1);

    // A new id is a new command.
    const second = await facilitator.command({ type: 'timer', action: 'addMinute', id: 'cmd-2' });
    expect(second).toMatchObject({ ok: true, control: { version: 2, timer: { durationMs: start + 120_000 } } });
  });

  it('a replay after a reconnect is still recognised, and answers with the current state', async () => {
    const server = await startTestServer();
    const session = await createSession(server);
    const before = await connectControl(server, session.facilitatorToken);
    await before.command({ type: 'timer', action: 'addMinute', id: 'tab-1:7' });
    await before.command({ type: 'lock', locked: true });
    before.close();

    const after = await connectControl(server, session.facilitatorToken);
    // The welcome re-sends the authoritative state after the reconnect.
    expect(after.welcome.control).toEqual(await stored(server, session.id));
    expect(after.welcome.control).toMatchObject({ version: 2, locked: true });
    const replay = await after.command({ type: 'timer', action: 'addMinute', id: 'tab-1:7' });
    expect(replay).toMatchObject({ ok: true, control: { version: 2, locked: true } });
    expect((await stored(server, session.id)).version).toBe(2);
  });

  it('a replayed rejected command is rejected again without being applied', async () => {
    const server = await startTestServer();
    const session = await createSession(server);
    const facilitator = await connectControl(server, session.facilitatorToken);
    await facilitator.command({ type: 'goto', step: 'close' });
    const first = await facilitator.command({ type: 'next', from: 'close', id: 'x' });
    expect(first).toMatchObject({ ok: false, error: { code: 'rejected' } });
    expect(await facilitator.command({ type: 'next', from: 'close', id: 'x' })).toEqual(first);
  });

  it('command ids are per session: the same id in another session is applied there', async () => {
    const server = await startTestServer();
    const one = await createSession(server);
    const two = await createSession(server, { title: 'Second group' });
    const a = await connectControl(server, one.facilitatorToken);
    const b = await connectControl(server, two.facilitatorToken);
    await a.command({ type: 'timer', action: 'addMinute', id: 'same' });
    const other = await b.command({ type: 'timer', action: 'addMinute', id: 'same' });
    expect(other).toMatchObject({ ok: true, control: { version: 1 } });
  });

  it('a participant cannot use up or poison a facilitator command id', async () => {
    const server = await startTestServer();
    const session = await createSession(server);
    const facilitator = await connectControl(server, session.facilitatorToken);
    const projector = await connectControl(server, session.projectorToken);
    expect(await projector.command({ type: 'lock', locked: true, id: 'guess' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await facilitator.command({ type: 'lock', locked: true, id: 'guess' })).toMatchObject({ ok: true, control: { locked: true } });
    await waitFor(async () => (await stored(server, session.id)).locked, 2_000, 'the lock');
  });

  it('refuses a malformed command id', async () => {
    const server = await startTestServer();
    const session = await createSession(server);
    const facilitator = await connectControl(server, session.facilitatorToken);
    for (const id of ['', 'x'.repeat(65), 42]) {
      expect(await facilitator.command({ type: 'lock', locked: true, id })).toMatchObject({ ok: false, error: { code: 'invalid' } });
    }
    expect((await stored(server, session.id)).version).toBe(0);
  });
});
