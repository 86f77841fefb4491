import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PrivateBoard } from '../../shared/board/PrivateBoard.ts';
import { privateDocName } from '../../shared/board/schema.ts';
import { atStep, connectYjs, createSession, join, sleep, sqliteOf, startTestServer, upgradeStatus, useCleanup, waitFor, type TestServer } from './helpers.ts';
import { stockClient, useProviderCleanup } from './stockProvider.ts';
import { CLOSE } from '../../shared/closeCodes.ts';
import { bearerHeader } from '../../shared/bearer.ts';
import { FACILITATOR_ACTOR } from '../../shared/board/Board.ts';

useCleanup();

/** Rows that belong to a session, in every table that has a session column (and the session itself). */
function rowsOf(server: TestServer, sessionId: string): Record<string, number> {
  // Every table with a session column: only the file itself can answer that (helpers.ts, sqliteOf).
  const db = sqliteOf(server);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>;
  const out: Record<string, number> = {};
  for (const { name } of tables) {
    const columns = (db.prepare(`PRAGMA table_info("${name}")`).all() as Array<{ name: string }>).map((c) => c.name);
    const column = name === 'sessions' ? 'id' : columns.includes('session_id') ? 'session_id' : null;
    if (column) out[name] = (db.prepare(`SELECT count(*) AS n FROM "${name}" WHERE ${column} = ?`).get(sessionId) as { n: number }).n;
  }
  return out;
}

/** Whether `text` occurs anywhere in the database file or its WAL, as bytes. */
function onDisk(server: TestServer, text: string): boolean {
  const file = path.join(server.dataDir, 'howmight.sqlite');
  const needle = Buffer.from(text, 'utf8');
  return [file, `${file}-wal`].some((f) => fs.existsSync(f) && fs.readFileSync(f).includes(needle));
}

describe('deleting a session', () => {
  it('removes every row, leaves no text on disk, closes every socket and cannot be undone by a cached copy', async () => {
    const server = await startTestServer();
    const title = 'Title-' + crypto.randomBytes(6).toString('hex');
    const session = await createSession(server, { title });
    const keep = await createSession(server, { title: 'A session that stays' });
    const name = 'Ada-' + crypto.randomBytes(4).toString('hex');
    const ada = await join(server, session.joinCode, name);
    // The story step was current a moment ago, so her story is still taken in the sort step.
    await atStep(server, session, 'story');
    await atStep(server, session, 'sort');
    const marker = {
      note: 'NOTE-' + crypto.randomBytes(12).toString('hex'),
      story: 'STORY-' + crypto.randomBytes(12).toString('hex'),
      draft: 'DRAFT-' + crypto.randomBytes(12).toString('hex'),
    };

    const board = stockClient(server.port, session.id, ada.participantToken);
    await waitFor(() => board.provider.synced, 5_000, 'the board to sync');
    for (let i = 0; i < 20; i++) board.board.addNote({ actor: ada.participantId }, { text: `${marker.note} #${i}`, x: i, y: 0 });
    board.board.shareStory({ actor: ada.participantId }, { who: marker.story, what: 'what', did: 'did', ended: 'ended' });
    const drafts = await connectYjs(server, privateDocName(session.id, ada.participantId), ada.participantToken);
    new PrivateBoard(drafts.doc).addCauseDraft({ actor: ada.participantId }, marker.draft, null);
    const kept = await connectYjs(server, keep.id, keep.facilitatorToken);
    kept.board.addNote({ actor: FACILITATOR_ACTOR }, { text: 'still here', x: 0, y: 0 });
    await sleep(200);
    // Also get some of it into a snapshot, the way a long meeting would.
    await server.rooms.get(session.id)!.compact();
    sqliteOf(server).pragma('wal_checkpoint(TRUNCATE)');
    for (const text of Object.values(marker)) expect(onDisk(server, text), `${text} written before the delete`).toBe(true);

    const events: string[] = [];
    const participantSocket = io(server.baseUrl, { auth: { token: ada.participantToken }, transports: ['websocket'], forceNew: true, reconnectionDelay: 50 });
    participantSocket.on('sessionDeleted', () => events.push('sessionDeleted'));
    participantSocket.on('disconnect', (reason) => events.push(`disconnect: ${reason}`));
    await new Promise((resolve) => participantSocket.once('welcome', resolve));

    const res = await fetch(`${server.baseUrl}/api/sessions/${session.id}`, {
      method: 'DELETE',
      headers: bearerHeader(session.facilitatorToken),
    });
    expect(res.status).toBe(204);

    // Live sockets: the providers get 4410 (a "don't retry" code for y-websocket), socket.io gets told.
    await waitFor(() => board.closes.length > 0, 2_000, 'the board socket to close');
    expect(board.closes[0]).toBe(CLOSE.sessionDeleted);
    await waitFor(() => events.length >= 2, 2_000, 'the socket.io client to hear of it');
    expect(events).toEqual(['sessionDeleted', 'disconnect: io server disconnect']);
    await sleep(300);
    expect(participantSocket.connected).toBe(false);
    participantSocket.close();

    // The rows, and after the checkpoint the bytes, are gone; the other session is untouched.
    expect(Object.values(rowsOf(server, session.id)).every((n) => n === 0), JSON.stringify(rowsOf(server, session.id))).toBe(true);
    expect(rowsOf(server, keep.id)).toMatchObject({ sessions: 1, doc_updates: expect.any(Number) });
    for (const text of [...Object.values(marker), title, name]) expect(onDisk(server, text), `${text} left on disk`).toBe(false);

    // A browser that cached the board offline comes back with it: refused at the door, nothing written.
    const cached = new Y.Doc();
    Y.applyUpdate(cached, Y.encodeStateAsUpdate(board.doc));
    expect(cached.getMap('notes').size).toBe(20);
    const returning = stockClient(server.port, session.id, ada.participantToken, cached);
    expect(await upgradeStatus(server, session.id, ada.participantToken)).toBe(401);
    await sleep(500);
    expect(returning.provider.synced).toBe(false);
    expect(server.rooms.get(session.id)).toBeUndefined();
    expect(Object.values(rowsOf(server, session.id)).every((n) => n === 0)).toBe(true);
    sqliteOf(server).pragma('wal_checkpoint(TRUNCATE)');
    expect(onDisk(server, marker.note)).toBe(false);

    // Deleting twice: the token is gone with the session.
    const again = await fetch(`${server.baseUrl}/api/sessions/${session.id}`, {
      method: 'DELETE',
      headers: bearerHeader(session.facilitatorToken),
    });
    expect(again.status).toBe(401);
    expect(kept.board.notes().map((n) => n.text)).toEqual(['still here']);
  });
});
