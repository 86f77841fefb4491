import path from 'node:path';
import fs from 'node:fs/promises';
import os from 'node:os';
import * as encoding from 'lib0/encoding';
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { configFromEnv } from '../../server/config.ts';
import { startServer } from '../../server/index.ts';
import { Board } from '../../shared/board/Board.ts';
import { privateDocName } from '../../shared/board/schema.ts';
import type { CommandResult } from '../../shared/events.ts';
import {
  atStep,
  connectControl,
  connectYjs,
  controlHandshakeError,
  createSession,
  join,
  sleep,
  startTestServer,
  upgradeStatus,
  sqliteOf,
  useCleanup,
  waitFor,
  type ControlClient,
  type TestServer,
} from './helpers.ts';
import { bearerHeader } from '../../shared/bearer.ts';
import { yjsProtocols } from '../../shared/yjsProtocols.ts';

useCleanup();

/** Row counts of every table, to show a refused client created nothing. */
function rowCounts(server: TestServer): Record<string, number> {
  // Every table, whatever it is: only the file itself can answer that (helpers.ts, sqliteOf).
  const db = sqliteOf(server);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>;
  return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]));
}

function wrongSecret(token: string): string {
  const [id, secret] = token.split('.') as [string, string];
  return `${id}.${secret.startsWith('A') ? 'B' : 'A'}${secret.slice(1)}`;
}

async function twoSessions(server: TestServer) {
  const session = await createSession(server);
  const other = await createSession(server, { title: 'Another group' });
  const ada = await join(server, session.joinCode, 'Ada');
  const ben = await join(server, session.joinCode, 'Ben');
  const otherPerson = await join(server, other.joinCode, 'Olu');
  return { session, other, ada, ben, otherPerson };
}

describe('no anonymous rooms', () => {
  it('refuses Yjs upgrades without a valid token of that session, and writes no row', async () => {
    const server = await startTestServer();
    const { session, other, ada, ben, otherPerson } = await twoSessions(server);
    const before = rowCounts(server);
    const refusals: Array<[string, string | undefined]> = [
      [session.id, undefined],
      [session.id, ''],
      [session.id, 'garbage'],
      [session.id, wrongSecret(ada.participantToken)],
      [session.id, wrongSecret(session.facilitatorToken)],
      [session.id, other.facilitatorToken],
      [session.id, otherPerson.participantToken],
      ['no-such-session', session.facilitatorToken],
      [other.id, session.facilitatorToken],
      [encodeURIComponent(privateDocName(session.id, ada.participantId)), ben.participantToken],
      [encodeURIComponent(privateDocName(session.id, ada.participantId)), session.facilitatorToken],
      [encodeURIComponent(privateDocName(session.id, ada.participantId)), session.projectorToken],
      [encodeURIComponent(privateDocName(other.id, ada.participantId)), ada.participantToken],
    ];
    for (const [doc, token] of refusals) expect(await upgradeStatus(server, doc, token), `${doc} with ${token}`).toBe(401);
    await sleep(100);
    expect(server.rooms.size).toBe(0);
    expect(rowCounts(server)).toEqual(before);
  });

  it('refuses a name that is no document with the same 401, even with the token of the document it resembles', async () => {
    const server = await startTestServer();
    const { session, ada } = await twoSessions(server);
    const drafts = `${session.id}.private.${ada.participantId}`;
    for (const name of [
      '',
      `${session.id}:private:${ada.participantId}`,
      `${drafts}.`,
      `${session.id}.public.${ada.participantId}`,
      `${session.id}${'x'.repeat(64)}`,
      `${session.id}%252Eprivate%252E${ada.participantId}`,
      `${session.id}%00`,
    ]) {
      expect(await upgradeStatus(server, name, ada.participantToken), name).toBe(401);
    }
    // Percent-decoding once is the URL's, as before: the name it spells opens.
    expect(await upgradeStatus(server, `${session.id}%2Eprivate%2E${ada.participantId}`, ada.participantToken)).toBe(101);
    expect(await upgradeStatus(server, drafts, ada.participantToken)).toBe(101);
  });

  it('refuses socket.io handshakes without a valid token, and writes no row', async () => {
    const server = await startTestServer();
    const { session, ada } = await twoSessions(server);
    const before = rowCounts(server);
    for (const token of [undefined, null, '', 'garbage', 42, { id: 'x' }, wrongSecret(ada.participantToken), wrongSecret(session.facilitatorToken)]) {
      expect(await controlHandshakeError(server, token), JSON.stringify(token)).toBe('unauthorized');
    }
    expect(rowCounts(server)).toEqual(before);
  });

  it('a valid token of another session joins that session only, whatever else it claims', async () => {
    const server = await startTestServer();
    const { session, other } = await twoSessions(server);
    const client = await connectControl(server, other.facilitatorToken);
    expect(client.welcome.sessionId).toBe(other.id);
    // Claims in the handshake beyond the token are ignored.
    const claiming = io(server.baseUrl, {
      auth: { token: other.facilitatorToken, sessionId: session.id, role: 'facilitator' },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    const welcome = await new Promise<{ sessionId: string }>((resolve) => claiming.once('welcome', resolve));
    claiming.disconnect();
    expect(welcome.sessionId).toBe(other.id);
  });
});

describe('origin allowlist', () => {
  function handshake(server: { baseUrl: string }, token: string, origin?: string): Promise<string> {
    const socket = io(server.baseUrl, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      extraHeaders: origin ? { origin } : {},
    });
    return new Promise((resolve) => {
      socket.once('welcome', () => {
        socket.disconnect();
        resolve('welcome');
      });
      socket.once('connect_error', (err) => {
        socket.disconnect();
        resolve(`refused: ${err.message}`);
      });
    });
  }

  it('socket.io: a foreign Origin is refused even with a valid token; no Origin and the own origin are allowed', async () => {
    const server = await startTestServer();
    const session = await createSession(server);
    expect(await handshake(server, session.facilitatorToken, 'https://evil.example')).toMatch(/^refused/);
    expect(await handshake(server, session.facilitatorToken, 'null')).toMatch(/^refused/);
    expect(await handshake(server, session.facilitatorToken)).toBe('welcome');
    expect(await handshake(server, session.facilitatorToken, server.baseUrl)).toBe('welcome');
  });

  it('ALLOWED_ORIGINS adds origins on both transports', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'howmight-origins-'));
    const config = configFromEnv({ ALLOWED_ORIGINS: 'https://board.school.example, https://other.example' });
    const running = await startServer({ ...config, port: 0, host: '127.0.0.1', dataDir });
    try {
      const server = { ...running, dataDir, baseUrl: `http://127.0.0.1:${running.port}` } as TestServer;
      const session = await createSession(server);
      for (const origin of ['https://board.school.example', 'https://other.example']) {
        expect(await handshake(server, session.facilitatorToken, origin)).toBe('welcome');
        expect(await upgradeStatus(server, session.id, session.facilitatorToken, origin)).toBe(101);
      }
      expect(await handshake(server, session.facilitatorToken, 'https://evil.example')).toMatch(/^refused/);
      expect(await upgradeStatus(server, session.id, session.facilitatorToken, 'https://evil.example')).toBe(403);
      expect(await upgradeStatus(server, session.id, session.facilitatorToken)).toBe(101);
    } finally {
      await running.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});

/** One valid payload of every control command. */
const COMMANDS: unknown[] = [
  { type: 'goto', step: 'sort' },
  { type: 'next', from: 'open' },
  { type: 'previous', from: 'open' },
  { type: 'timer', action: 'start' },
  { type: 'timer', action: 'pause' },
  { type: 'timer', action: 'addMinute' },
  { type: 'timer', action: 'reset' },
  { type: 'lock', locked: true },
  { type: 'spotlight', target: { kind: 'note', id: 'n1' } },
  { type: 'turns', action: 'start' },
  { type: 'speaker', participantId: 'p1' },
  { type: 'pairs', action: 'form' },
  { type: 'movePerson', participantId: 'p1', group: 0 },
  { type: 'reveal' },
  { type: 'heaviest', category: 'skills' },
  { type: 'voting', status: 'open', perPerson: 2 },
  { type: 'final', questionId: 'q1', final: true },
];

describe('role matrix: every command x every role x own and other session', () => {
  it('only the facilitator of a session changes its control state; nobody changes another session', async () => {
    const server = await startTestServer();
    const { session, other, ada } = await twoSessions(server);
    const control = async (id: string) => JSON.stringify((await server.store.sessions.getSession(id))!.control);
    const clients: Record<string, ControlClient> = {
      facilitator: await connectControl(server, session.facilitatorToken),
      participant: await connectControl(server, ada.participantToken),
      projector: await connectControl(server, session.projectorToken),
    };
    const otherFacilitator = await connectControl(server, other.facilitatorToken);

    for (const command of COMMANDS) {
      for (const role of ['participant', 'projector'] as const) {
        const mine = await control(session.id);
        const theirs = await control(other.id);
        const result = await clients[role]!.command(command);
        expect(result, `${role} ${JSON.stringify(command)}`).toMatchObject({ ok: false, error: { code: 'forbidden' } });
        expect(await control(session.id)).toBe(mine);
        expect(await control(other.id)).toBe(theirs);
      }
      // The facilitator is never forbidden; what it does stays in its own session.
      const theirs = await control(other.id);
      const result: CommandResult = await clients.facilitator!.command(command);
      if (!result.ok) expect(result.error.code, JSON.stringify(command)).not.toBe('forbidden');
      expect(await control(other.id)).toBe(theirs);
    }
    // Another session's facilitator is the facilitator of that session only.
    const mine = await control(session.id);
    for (const command of COMMANDS) await otherFacilitator.command(command);
    expect(await control(session.id)).toBe(mine);
    expect(clients.participant!.controls.every((c) => c.control.version > 0)).toBe(true);
    expect(otherFacilitator.controls.length).toBeGreaterThan(0);
  });

  it('projectorLink is the facilitator’s alone and mints nothing for others', async () => {
    const server = await startTestServer();
    const { session, ada } = await twoSessions(server);
    const tokens = () => rowCounts(server).tokens;
    for (const token of [ada.participantToken, session.projectorToken]) {
      const client = await connectControl(server, token);
      const before = tokens();
      const link = await new Promise<{ url: string } | null>((resolve) => client.socket.emit('projectorLink', resolve));
      expect(link).toBeNull();
      expect(tokens()).toBe(before);
    }
    const facilitator = await connectControl(server, session.facilitatorToken);
    const link = (await new Promise<{ url: string } | null>((resolve) => facilitator.socket.emit('projectorLink', resolve))) as { url: string };
    expect(link.url).toMatch(new RegExp(`^/s/${session.id}/project#`));
  });

  it('HTTP routes: DELETE a session and the exports answer each role as they should', async () => {
    const server = await startTestServer();
    const { session, other, ada } = await twoSessions(server);
    const request = async (method: string, url: string, token?: string) =>
      (await fetch(server.baseUrl + url, { method, headers: token ? bearerHeader(token) : {} })).status;

    const exportsExist = (await request('GET', `/api/sessions/${session.id}/export.md`, session.facilitatorToken)) !== 404;
    if (exportsExist) {
      for (const format of ['md', 'csv', 'json']) {
        const url = `/api/sessions/${session.id}/export.${format}`;
        expect(await request('GET', url, session.facilitatorToken), url).toBe(200);
        expect(await request('GET', url, ada.participantToken), url).toBe(200);
        expect(await request('GET', url, session.projectorToken), url).toBe(403);
        expect(await request('GET', url, other.facilitatorToken), url).toBe(404);
        expect(await request('GET', url, wrongSecret(session.facilitatorToken)), url).toBe(401);
        expect(await request('GET', url), url).toBe(401);
      }
      // The token is never taken from the query string.
      expect(await request('GET', `/api/sessions/${session.id}/export.md?token=${session.facilitatorToken}`)).toBe(401);
    }

    const url = `/api/sessions/${session.id}`;
    const before = rowCounts(server);
    expect(await request('DELETE', url)).toBe(401);
    expect(await request('DELETE', url, wrongSecret(session.facilitatorToken))).toBe(401);
    expect(await request('DELETE', `${url}?token=${session.facilitatorToken}`)).toBe(401);
    expect(await request('DELETE', url, ada.participantToken)).toBe(403);
    expect(await request('DELETE', url, session.projectorToken)).toBe(403);
    expect(await request('DELETE', url, other.facilitatorToken)).toBe(403);
    expect(rowCounts(server)).toEqual(before);
    expect(await request('DELETE', url, session.facilitatorToken)).toBe(204);
    expect((await server.store.sessions.getSession(session.id))).toBeNull();
    expect((await server.store.sessions.getSession(other.id))).not.toBeNull();
  });
});

/** One y-websocket protocol message around `write`. */
function message(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

describe('a projector that forges writes', () => {
  it('changes nothing with a sync step 2, an update or an awareness message', async () => {
    const server = await startTestServer();
    const session = await createSession(server);
    const ada = await join(server, session.joinCode, 'Ada');
    await atStep(server, session, 'sort');
    const participant = await connectYjs(server, session.id, ada.participantToken);
    participant.board.addNote({ actor: ada.participantId }, { text: 'real note', x: 0, y: 0 });
    await sleep(100);
    const room = server.rooms.get(session.id)!;
    const stateBefore = Y.encodeStateVector(room.doc);
    const logBefore = rowCounts(server).doc_updates;

    // What a tampered projector page would send: a note, as step 2 and as an update, and a presence.
    const forged = new Y.Doc();
    new Board(forged).addNote({ actor: 'projector' }, { text: 'forged by the projector', x: 0, y: 0 });
    const forgedUpdate = Y.encodeStateAsUpdate(forged);
    const forgedAwareness = new awarenessProtocol.Awareness(forged);
    forgedAwareness.setLocalState({ user: { name: 'Facilitator' } });

    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/yjs/${session.id}`, yjsProtocols(session.projectorToken));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(message((e) => (encoding.writeVarUint(e, 0), syncProtocol.writeSyncStep2(e, forged, new Uint8Array([0])))));
    ws.send(message((e) => (encoding.writeVarUint(e, 0), encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2), encoding.writeVarUint8Array(e, forgedUpdate))));
    ws.send(message((e) => (encoding.writeVarUint(e, 0), syncProtocol.writeUpdate(e, forgedUpdate))));
    ws.send(message((e) => (encoding.writeVarUint(e, 1), encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(forgedAwareness, [forged.clientID])))));
    await sleep(300);

    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(Y.encodeStateVector(room.doc)).toEqual(stateBefore);
    expect(new Board(room.doc).notes().map((n) => n.text)).toEqual(['real note']);
    expect(participant.board.notes().map((n) => n.text)).toEqual(['real note']);
    expect(rowCounts(server).doc_updates).toBe(logBefore);
    expect([...participant.provider.awareness.getStates().keys()]).not.toContain(forged.clientID);
    ws.close();
    await waitFor(() => room.connectionCount === 1, 2_000, 'the projector to leave');
  });
});
