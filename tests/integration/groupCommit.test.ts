import { describe, expect, it } from 'vitest';
import { Board } from '../../shared/board/Board.ts';
import { atStep, connectYjs, createSession, join, sleep, sqliteOf, startTestServer, useCleanup, waitFor } from './helpers.ts';
import { CLOSE } from '../../shared/closeCodes.ts';

useCleanup();

/**
 * Updates are committed in groups (one transaction per turn of the event loop)
 * and relayed only after their commit: an update the server could not store
 * reaches nobody.
 */
describe('group commit keeps write-through', () => {
  it('relays an update only once it is stored: when the commit fails, nobody sees it and the writer is closed with 1011', async () => {
    const server = await startTestServer();
    const session = await createSession(server);
    const ada = await join(server, session.joinCode, 'Ada');
    await atStep(server, session, 'sort');
    const writer = await connectYjs(server, session.id, ada.participantToken);
    const watcher = await connectYjs(server, session.id, session.facilitatorToken);
    writer.board.addNote({ actor: ada.participantId }, { text: 'stored and relayed', x: 0, y: 0 });
    await waitFor(() => watcher.board.notes().length === 1, 3_000, 'the first note');

    // The disk goes away: the log's table can no longer be written.
    // On a connection of the test's own (helpers.ts, sqliteOf): the server's statements then find no table.
    sqliteOf(server).exec('ALTER TABLE doc_updates RENAME TO doc_updates_gone');
    const closes: number[] = [];
    writer.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code));
    writer.board.addNote({ actor: ada.participantId }, { text: 'never stored', x: 0, y: 0 });
    await waitFor(() => closes.length > 0, 3_000, 'the writer to be closed');
    expect(closes[0]).toBe(CLOSE.internalError);
    await sleep(200);
    expect(watcher.board.notes().map((n) => n.text)).toEqual(['stored and relayed']);
    sqliteOf(server).exec('ALTER TABLE doc_updates_gone RENAME TO doc_updates');
  });

  it('stores and relays every update when many rooms write in the same moment (batches share a commit)', async () => {
    const server = await startTestServer();
    const rooms = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        const session = await createSession(server, { title: `Room ${i}` });
        const person = await join(server, session.joinCode, `P${i}`);
        await atStep(server, session, 'sort');
        return { session, person, writer: await connectYjs(server, session.id, person.participantToken), watcher: await connectYjs(server, session.id, session.facilitatorToken) };
      }),
    );
    // The real append, counted: how many updates each commit carried.
    const log = server.store.documents;
    const append = log.append.bind(log);
    const batchSizes: number[] = [];
    log.append = (entries) => {
      batchSizes.push(entries.length);
      return append(entries);
    };
    for (let n = 0; n < 20; n++) for (const r of rooms) r.writer.board.addNote({ actor: r.person.participantId }, { text: `n${n}`, x: n, y: 0 });
    for (const r of rooms) await waitFor(() => r.watcher.board.notes().length === 20, 5_000, 'every note in every room');
    let stored = 0;
    for (const r of rooms) stored += (await server.store.documents.load(r.session.id)).updates.length;
    expect(stored).toBeGreaterThanOrEqual(100);
    // Updates that arrived together went into one commit: fewer commits than updates.
    expect(batchSizes.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(100);
    expect(batchSizes.length).toBeLessThan(100);
    for (const r of rooms) expect(new Board(server.rooms.get(r.session.id)!.doc).noteCount).toBe(20);
  });
});
