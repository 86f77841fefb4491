import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { DEFAULT_ROOMS_OPTIONS } from '../../server/sync/Rooms.ts';
import { DEFAULT_CONTROL_LIMITS } from '../../server/control/controlSocket.ts';
import type { CommandResult } from '../../shared/events.ts';
import { atStep, connectControl, connectYjs, createSession, join, sleep, startTestServer, useCleanup, waitFor } from './helpers.ts';
import { rawYjs } from './rawYjs.ts';
import { CLOSE } from '../../shared/closeCodes.ts';

useCleanup();

function syncStep1(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeSyncStep1(encoder, new Y.Doc());
  return encoding.toUint8Array(encoder);
}

describe('message floods on the board socket', () => {
  it(`closes a socket that sends far more than ${DEFAULT_ROOMS_OPTIONS.messagesPerSecond} messages a second with 4429; the room goes on`, async () => {
    const server = await startTestServer();
    const session = await createSession(server);
    const ada = await join(server, session.joinCode, 'Ada');
    await atStep(server, session, 'sort');
    const watcher = await connectYjs(server, session.id, session.facilitatorToken);
    const flooder = await rawYjs(server.port, session.id, ada.participantToken);
    const message = syncStep1();
    for (let i = 0; i < DEFAULT_ROOMS_OPTIONS.messageBurst * 3; i++) flooder.ws.send(message);
    expect(await flooder.closed).toEqual({ code: CLOSE.tooManyMessages, reason: 'Too many messages; slow down.' });

    const writer = await connectYjs(server, session.id, ada.participantToken);
    writer.board.addNote({ actor: ada.participantId }, { text: 'after the flood', x: 0, y: 0 });
    await waitFor(() => watcher.board.notes().length === 1, 2_000, 'the room to go on');
  });

  it('lets a fast but human client through: 100 messages a second for two seconds', async () => {
    const server = await startTestServer();
    const session = await createSession(server);
    const ada = await join(server, session.joinCode, 'Ada');
    const typist = await rawYjs(server.port, session.id, ada.participantToken);
    const message = syncStep1();
    for (let tick = 0; tick < 20; tick++) {
      for (let i = 0; i < 10; i++) typist.ws.send(message);
      await sleep(100);
    }
    await sleep(100);
    expect(typist.isOpen()).toBe(true);
  });
});

describe('command floods on the control socket', () => {
  it(`throttles a facilitator past ${DEFAULT_CONTROL_LIMITS.eventsPerSecond}/s with rate-limited answers, then serves it again`, async () => {
    const server = await startTestServer();
    const session = await createSession(server);
    const facilitator = await connectControl(server, session.facilitatorToken);
    const results = await Promise.all(
      Array.from({ length: 100 }, () => facilitator.command({ type: 'timer', action: 'addMinute' })),
    );
    const accepted = results.filter((r) => r.ok).length;
    const limited = results.filter((r): r is Extract<CommandResult, { ok: false }> => !r.ok && r.error.code === 'rate-limited').length;
    expect(accepted + limited).toBe(100);
    expect(accepted).toBeGreaterThanOrEqual(DEFAULT_CONTROL_LIMITS.eventBurst - 1);
    expect(accepted).toBeLessThanOrEqual(DEFAULT_CONTROL_LIMITS.eventBurst + 5);
    // Refused commands changed nothing.
    expect((await server.store.sessions.getSession(session.id))!.control.version).toBe(accepted);
    await waitFor(() => facilitator.problems.some((p) => p.code === 'rate-limited'), 1_000, 'a rate-limited problem');

    await sleep(1_100);
    expect(facilitator.socket.connected).toBe(true);
    expect(await facilitator.command({ type: 'lock', locked: true })).toMatchObject({ ok: true });
  });

  it('disconnects a socket that keeps flooding long after being refused', async () => {
    const server = await startTestServer(undefined, { control: { refusalsBeforeDisconnect: 50 } });
    const session = await createSession(server);
    const flooder = await connectControl(server, session.projectorToken);
    const other = await connectControl(server, session.facilitatorToken);
    const untyped = flooder.socket as unknown as { emit(event: string, payload: unknown): void };
    for (let i = 0; i < 500; i++) untyped.emit('command', { type: 'lock', locked: true });
    await waitFor(() => !flooder.socket.connected, 2_000, 'the flooder to be dropped');
    expect(other.socket.connected).toBe(true);
    expect(await other.command({ type: 'lock', locked: true })).toMatchObject({ ok: true });
  });
});
