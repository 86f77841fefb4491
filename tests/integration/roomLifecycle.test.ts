import { boardRef } from '../../shared/board/DocRef.ts';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Board } from '../../shared/board/Board.ts';
import { atStep, connectYjs, createSession, join, startTestServer, useCleanup, waitFor } from './helpers.ts';
import { rawYjs, updateMessage, useRawCleanup } from './rawYjs.ts';

useCleanup();
useRawCleanup();

/** Rooms are loaded and unloaded asynchronously; these are the races that tracking them by name rules out. */
describe('a room on its way in or out', () => {
  it('connects that arrive together share one load: every writer reaches every other', async () => {
    const server = await startTestServer();
    const session = await createSession(server);
    const people = await Promise.all(['Ada', 'Ben', 'Cleo', 'Dev'].map((name) => join(server, session.joinCode, name)));
    await atStep(server, session, 'sort');
    const clients = await Promise.all(people.map((p) => connectYjs(server, session.id, p.participantToken)));
    clients.forEach((c, i) => c.board.addNote({ actor: people[i]!.participantId }, { text: `from ${i}`, x: i, y: 0 }));
    for (const c of clients) await waitFor(() => c.board.noteCount === people.length, 5_000, 'every note at every client');
    expect(server.rooms.size).toBe(1);
  });

  it('handles, in order, the frames a socket sends while its room is still loading', async () => {
    const server = await startTestServer();
    const session = await createSession(server);
    const ada = await join(server, session.joinCode, 'Ada');
    await atStep(server, session, 'sort');
    // A board heavy enough that loading it takes a while after the socket opens.
    await server.rooms.withDoc(boardRef(session.id), (room) => {
      const board = new Board(room.doc);
      room.doc.transact(() => {
        for (let i = 0; i < 1500; i++) board.addNote({ actor: 'facilitator' }, { text: `earlier ${i}`.padEnd(400, '.'), x: 0, y: i });
      });
    });
    expect(server.rooms.size).toBe(0);

    // Two updates where the second builds on the first: out of order, the server would refuse it.
    const local = new Y.Doc();
    const updates: Uint8Array[] = [];
    local.on('update', (u: Uint8Array) => updates.push(u));
    const board = new Board(local);
    const id = board.addNote({ actor: ada.participantId }, { text: 'first', x: 0, y: 0 });
    board.editNote({ actor: ada.participantId }, id, 'second');
    expect(updates).toHaveLength(2);

    const writer = await rawYjs(server.port, session.id, ada.participantToken);
    for (const u of updates) writer.ws.send(updateMessage(u));
    await waitFor(() => server.rooms.get(session.id)?.doc.getMap('notes').has(id) === true, 10_000, 'the note on the server');
    await waitFor(() => new Board(server.rooms.get(session.id)!.doc).note(id)?.text === 'second', 5_000, 'the edit on the server');
    expect(writer.isOpen()).toBe(true);
  });

  it('a load asked for while the room unloads waits for the unload: never two live copies of one document', async () => {
    const server = await startTestServer();
    const session = await createSession(server);
    let during: Promise<{ notes: number; firstGone: boolean }> | null = null;
    await server.rooms.withDoc(boardRef(session.id), (first) => {
      new Board(first.doc).addNote({ actor: 'facilitator' }, { text: 'saved on the way out', x: 0, y: 0 });
      // Runs once this edit is over and its room has started to unload (compacting).
      queueMicrotask(() => {
        during = server.rooms.withDoc(boardRef(session.id), (again) => ({
          notes: new Board(again.doc).noteCount,
          firstGone: first.doc.isDestroyed,
        }));
      });
    });
    expect(await during).toEqual({ notes: 1, firstGone: true });
    expect(server.rooms.size).toBe(0);
    expect((await server.store.documents.load(session.id)).snapshot).not.toBeNull();
  });
});
