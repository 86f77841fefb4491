import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { mintToken } from '../../server/auth/tokens.ts';
import type { CommandResult } from '../../shared/events.ts';
import { atStep, createSession, join, upgradeStatus, waitFor, type TestServer } from './helpers.ts';
import { spawnServer } from './serverProcess.ts';
import { rawYjs } from './rawYjs.ts';
import { stockClient, synced } from './stockProvider.ts';
import { bearerHeader } from '../../shared/bearer.ts';
import { useCleanup } from './cleanup.ts';

useCleanup();

describe('tokens', () => {
  it('carry 192 random bits of secret and never repeat', () => {
    const minted = Array.from({ length: 2_000 }, () => mintToken('s', 'participant', 'p').token);
    expect(new Set(minted).size).toBe(minted.length);
    expect(new Set(minted.map((t) => t.split('.')[0])).size).toBe(minted.length);
    for (const token of minted.slice(0, 50)) expect(token).toMatch(/^[A-Za-z0-9_-]{11}\.[A-Za-z0-9_-]{32}$/);
  });

  it('never show up in the server log of a whole meeting, with request logging on', async () => {
    const server = await spawnServer({ env: { LOG_REQUESTS: '1' } });
    const http = { baseUrl: server.baseUrl, port: server.port } as TestServer;
    const session = await createSession(http);
    for (const [role, url] of Object.entries(session.urls)) {
      // Links keep secrets behind '#', which browsers never send to a server.
      const [page] = url.split('#');
      expect(page, role).not.toContain(session.facilitatorToken.split('.')[1]);
      expect(page, role).not.toContain(session.projectorToken.split('.')[1]);
    }
    const ada = await join(http, session.joinCode, 'Ada');
    await atStep(http, session, 'sort');
    const tokens = [session.facilitatorToken, session.projectorToken, ada.participantToken];

    // The content plane carries the token as a subprotocol, not in its URL (which proxies log).
    const board = stockClient(server.port, session.id, ada.participantToken);
    const projector = stockClient(server.port, session.id, session.projectorToken);
    await Promise.all([synced(board), synced(projector)]);
    expect(board.provider.url).not.toContain(ada.participantToken.split('.')[1]);
    // A token in the query string alone opens nothing.
    expect(await upgradeStatus(http, `${session.id}?token=${encodeURIComponent(ada.participantToken)}`)).toBe(401);
    board.board.addNote({ actor: ada.participantId }, { text: 'a note', x: 0, y: 0 });
    await waitFor(() => projector.board.notes().length === 1, 5_000, 'the note');
    // Refused and failing requests are where tokens tend to leak into logs.
    await rawYjs(server.port, session.id, `${ada.participantToken.split('.')[0]}.${'A'.repeat(32)}`).catch(() => {});
    const garbage = await rawYjs(server.port, session.id, ada.participantToken);
    garbage.ws.send(new Uint8Array([0xff, 0xff]));
    await garbage.closed;

    const control = io(server.baseUrl, { auth: { token: session.facilitatorToken }, transports: ['websocket'], forceNew: true });
    await new Promise((resolve) => control.once('welcome', resolve));
    const send = (payload: unknown) => new Promise<CommandResult>((resolve) => control.emit('command', payload, resolve));
    await send({ type: 'goto', step: 'causes' });
    await send({ type: 'reveal' });
    await send({ type: 'nope' });
    const link = await new Promise<{ url: string } | null>((resolve) => control.emit('projectorLink', resolve));
    tokens.push(link!.url.split('#')[1]!);
    control.disconnect();
    const refused = io(server.baseUrl, { auth: { token: `${session.facilitatorToken}x` }, transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise((resolve) => refused.once('connect_error', resolve));
    refused.close();

    const auth = bearerHeader(session.facilitatorToken);
    await fetch(`${server.baseUrl}/api/sessions/${session.id}/export.md`, { headers: auth });
    // A client that wrongly puts a token in a query string: refused, and the path alone is logged.
    expect((await fetch(`${server.baseUrl}/api/sessions/${session.id}/export.json?token=${session.facilitatorToken}`)).status).toBe(401);
    await fetch(`${server.baseUrl}/api/nothing?token=${ada.participantToken}`);
    await fetch(`${server.baseUrl}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: '{' });
    expect((await fetch(`${server.baseUrl}/api/sessions/${session.id}`, { method: 'DELETE', headers: auth })).status).toBe(204);
    await waitFor(() => board.closes.length > 0, 2_000, 'the board to close');

    server.child.kill('SIGTERM');
    await server.exited;
    const log = server.output.stdout + server.output.stderr;
    expect(log).toContain('POST /api/sessions');
    expect(log).toContain(`DELETE /api/sessions/${session.id}`);
    for (const token of tokens) {
      const [id, secret] = token.split('.') as [string, string];
      expect(log).not.toContain(secret);
      expect(log).not.toContain(id);
    }
  });
});
