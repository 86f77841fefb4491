import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../shared/events.ts';
import { connectControl, createSession, join, onlineByName, sleep, startTestServer, useCleanup, waitFor, type ControlSocket } from './helpers.ts';

useCleanup();

/** Opens `count` control sockets with one token at once, recording what each was told before it closed. */
function burst(baseUrl: string, token: string, count: number) {
  const sockets: ControlSocket[] = [];
  const problems: Problem[] = [];
  for (let i = 0; i < count; i++) {
    const socket: ControlSocket = io(baseUrl, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('problem', (p) => problems.push(p));
    sockets.push(socket);
  }
  return { sockets, problems, close: () => sockets.forEach((s) => s.disconnect()) };
}

describe('one token, many control sockets', () => {
  it('keeps at most 3 sockets per token, closing the oldest with a reason; others get a few rosters, then the right one', async () => {
    const server = await startTestServer();
    const s = await createSession(server);
    const ana = await join(server, s.joinCode, 'Ana');
    await join(server, s.joinCode, 'Ben');
    const facilitator = await connectControl(server, s.facilitatorToken);
    await sleep(300);
    const before = facilitator.rosters.length;

    const flood = burst(server.baseUrl, ana.participantToken, 20);
    try {
      const anaSockets = async () => (await server.io.fetchSockets()).filter((sock) => sock.data.participantId === ana.participantId);
      let open = 0;
      await waitFor(() => flood.problems.length === 17, 10_000, '17 sockets told why they were closed');
      open = (await anaSockets()).length;
      expect(open).toBe(3);
      await waitFor(() => flood.sockets.filter((sock) => sock.connected).length === 3, 5_000, 'three sockets left open');
      expect(flood.problems[0]).toEqual({ code: 'rejected', message: expect.stringMatching(/more than 3 tabs or devices/) });
      // Let the last coalesced roster arrive.
      await sleep(500);
      const during = facilitator.rosters.length - before;
      expect(during).toBeGreaterThanOrEqual(1);
      expect(during).toBeLessThanOrEqual(5);
      expect(onlineByName(facilitator)).toEqual({ Ana: true, Ben: false });

      // Closing them all is one more roster or two, and says Ana left.
      flood.close();
      await waitFor(() => onlineByName(facilitator).Ana === false, 5_000, 'Ana offline');
      expect(facilitator.rosters.length - before - during).toBeLessThanOrEqual(3);
    } finally {
      flood.close();
    }
  });

  it('a newcomer gets the roster at once, in its own welcome burst', async () => {
    const server = await startTestServer();
    const s = await createSession(server);
    const ana = await join(server, s.joinCode, 'Ana');
    const client = await connectControl(server, ana.participantToken);
    await waitFor(() => client.rosters.length > 0, 1_000, 'a roster');
    expect(onlineByName(client)).toEqual({ Ana: true });
  });

  it('counts each token on its own: facilitator and projector sockets do not close a participant’s', async () => {
    const server = await startTestServer();
    const s = await createSession(server);
    const ana = await join(server, s.joinCode, 'Ana');
    const mine = [await connectControl(server, ana.participantToken), await connectControl(server, ana.participantToken)];
    for (let i = 0; i < 3; i++) await connectControl(server, s.facilitatorToken);
    await connectControl(server, s.projectorToken);
    await sleep(200);
    expect(mine.every((c) => c.socket.connected)).toBe(true);
    expect(mine.flatMap((c) => c.problems)).toEqual([]);
  });
});
