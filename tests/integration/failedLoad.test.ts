import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { privateDocName } from '../../shared/board/schema.ts';
import { PrivateBoard } from '../../shared/board/PrivateBoard.ts';
import {
  atStep,
  connectControl,
  connectYjs,
  createSession,
  join,
  sleep,
  startTestServer,
  useCleanup,
  waitFor,
  type TestServer,
} from './helpers.ts';
import { CLOSE } from '../../shared/closeCodes.ts';

useCleanup();

/** Every stored byte of a session's documents, in a comparable form. */
function storedBytes(server: TestServer, sessionId: string) {
  const db = server.store.db;
  return {
    snapshots: db.prepare('SELECT doc_name, hex(data) AS data, updated_at FROM doc_snapshots WHERE session_id = ? ORDER BY doc_name').all(sessionId),
    updates: db.prepare('SELECT seq, doc_name, hex(data) AS data FROM doc_updates WHERE session_id = ? ORDER BY seq').all(sessionId),
  };
}

/** Opens /yjs/<doc> and resolves with the close code the server sends. */
function closeCodeOf(server: TestServer, docName: string, token: string): Promise<{ code: number; reason: string }> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/yjs/${encodeURIComponent(docName)}?token=${encodeURIComponent(token)}`);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      ws.terminate();
      resolve({ code: -1, reason: 'still open after 2 s' });
    }, 2_000);
    ws.once('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
    ws.once('error', reject);
  });
}

/** A board with notes in its snapshot and in its update log. */
async function boardWithHistory(server: TestServer) {
  const session = await createSession(server);
  const ada = await join(server, session.joinCode, 'Ada');
  await atStep(server, session, 'sort');
  const client = await connectYjs(server, session.id, ada.participantToken);
  for (let i = 0; i < 5; i++) client.board.addNote({ actor: ada.participantId }, { text: `kept ${i}`, x: i, y: 0 });
  await sleep(100);
  server.rooms.get(session.id)!.compact();
  for (let i = 5; i < 8; i++) client.board.addNote({ actor: ada.participantId }, { text: `kept ${i}`, x: i, y: 0 });
  await sleep(100);
  client.destroy();
  await waitFor(() => server.rooms.size === 0, 2_000, 'the room to unload');
  return { session, ada };
}

const CORRUPTIONS: Record<string, (server: TestServer, docName: string) => void> = {
  'random bytes in the snapshot': (server, docName) => {
    server.store.db.prepare('UPDATE doc_snapshots SET data = ? WHERE doc_name = ?').run(crypto.randomBytes(300), docName);
  },
  'a truncated snapshot': (server, docName) => {
    const { data } = server.store.db.prepare('SELECT data FROM doc_snapshots WHERE doc_name = ?').get(docName) as { data: Buffer };
    server.store.db.prepare('UPDATE doc_snapshots SET data = ? WHERE doc_name = ?').run(data.subarray(0, Math.floor(data.length / 2)), docName);
  },
  'a garbage row in the update log': (server, docName) => {
    const { session_id } = server.store.db.prepare('SELECT session_id FROM doc_snapshots WHERE doc_name = ?').get(docName) as { session_id: string };
    server.store.db.prepare('INSERT INTO doc_updates (session_id, doc_name, data) VALUES (?, ?, ?)').run(session_id, docName, Buffer.from([0xff, 0xff, 0xff, 0x07, 1, 2, 3]));
  },
  'a log row that builds on a row that is missing': (server, docName) => {
    // Well-formed Yjs, but the change it builds on was never stored: loading it would leave a gap.
    const elsewhere = new Y.Doc();
    const updates: Uint8Array[] = [];
    elsewhere.on('update', (u: Uint8Array) => updates.push(u));
    elsewhere.getMap('notes').set('first', new Y.Map());
    elsewhere.getMap('notes').set('second', new Y.Map());
    const { session_id } = server.store.db.prepare('SELECT session_id FROM doc_snapshots WHERE doc_name = ?').get(docName) as { session_id: string };
    server.store.db.prepare('INSERT INTO doc_updates (session_id, doc_name, data) VALUES (?, ?, ?)').run(session_id, docName, updates[1]!);
  },
};

describe('a stored board that cannot be read', () => {
  it.each(Object.keys(CORRUPTIONS))('with %s: clients get 4500 and the stored bytes never change', async (kind) => {
    const server = await startTestServer();
    const { session, ada } = await boardWithHistory(server);
    CORRUPTIONS[kind]!(server, session.id);
    const before = storedBytes(server, session.id);

    expect(await closeCodeOf(server, session.id, ada.participantToken)).toEqual({ code: CLOSE.loadFailed, reason: 'This board could not be loaded.' });
    expect(await closeCodeOf(server, session.id, session.facilitatorToken)).toMatchObject({ code: CLOSE.loadFailed });
    // A stock provider keeps retrying (4500 means "try later"); each attempt must leave the bytes alone.
    const retrying = connectYjs(server, session.id, ada.participantToken, 1_000).catch((err: Error) => err);
    expect(await retrying).toBeInstanceOf(Error);
    await sleep(200);
    expect(server.rooms.size).toBe(0);
    expect(storedBytes(server, session.id)).toEqual(before);

    // And after a restart, the same.
    await server.close();
    const again = await startTestServer(server.dataDir);
    expect(await closeCodeOf(again, session.id, ada.participantToken)).toMatchObject({ code: CLOSE.loadFailed });
    expect(storedBytes(again, session.id)).toEqual(before);
  });

  it('a reveal that meets an unreadable private document is refused and leaves every byte and the state alone', async () => {
    const server = await startTestServer();
    const session = await createSession(server);
    const ada = await join(server, session.joinCode, 'Ada');
    const privateName = privateDocName(session.id, ada.participantId);
    const drafts = await connectYjs(server, privateName, ada.participantToken);
    new PrivateBoard(drafts.doc).addCauseDraft({ actor: ada.participantId }, 'No shared planning time', null);
    await sleep(100);
    drafts.destroy();
    await waitFor(() => server.rooms.size === 0, 2_000, 'the room to unload');
    CORRUPTIONS['random bytes in the snapshot']!(server, privateName);
    const before = storedBytes(server, session.id);

    const facilitator = await connectControl(server, session.facilitatorToken);
    const result = await facilitator.command({ type: 'reveal' });
    expect(result).toMatchObject({ ok: false, error: { code: 'rejected' } });
    expect(server.store.getSession(session.id)!.control.revealed).toBe(false);
    expect(storedBytes(server, session.id)).toEqual(before);
  });
});
