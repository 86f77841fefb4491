import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { LIMITS_TRANSPORT } from '../../server/index.ts';
import { Board, FACILITATOR_ACTOR } from '../../shared/board/Board.ts';
import { LIMITS, privateDocName } from '../../shared/board/schema.ts';
import { atStep, connectControl, connectYjs, createSession, join, sleep, startTestServer, useCleanup, waitFor, type TestServer } from './helpers.ts';
import { rawYjs, updateMessage } from './rawYjs.ts';
import { CLOSE } from '../../shared/closeCodes.ts';

useCleanup();

/** An update that writes `fields` as record `id` of `collection`, the way a modified client could. */
function recordUpdate(collection: string, id: string, fields: Record<string, unknown>): Uint8Array {
  const doc = new Y.Doc();
  const record = new Y.Map<unknown>();
  doc.transact(() => {
    doc.getMap(collection).set(id, record);
    for (const [key, value] of Object.entries(fields)) record.set(key, value);
  });
  return Y.encodeStateAsUpdate(doc);
}

const note = (text: string, extra: Record<string, unknown> = {}) => ({
  authorId: 'p1',
  createdAt: 1,
  text,
  x: 0,
  y: 0,
  color: 'yellow',
  storyId: null,
  category: null,
  copyOf: null,
  ...extra,
});
const story = (who: string) => ({ authorId: 'p1', createdAt: 1, who, what: '', did: '', ended: '' });

/** These tests reconnect with the same link right after a refusal; the back-off has its own test. */
const NO_BACKOFF = { rooms: { refusalBackoffMs: 0 } };

async function boardWithWatcher(server: TestServer) {
  const session = await createSession(server);
  const ada = await join(server, session.joinCode, 'Ada');
  await atStep(server, session, 'sort');
  const watcher = await connectYjs(server, session.id, session.facilitatorToken);
  // Decoded now, and the schema version a new board's first decode stores is committed, before anything is counted.
  void server.rooms.get(session.id)!.doc;
  await server.rooms.flush();
  return { session, ada, watcher };
}

describe('what a client may write into a board', () => {
  const REFUSED: Array<[string, string, Uint8Array, RegExp]> = [
    ['a note of 501 characters', 'notes', recordUpdate('notes', 'n1', note('x'.repeat(LIMITS.noteText + 1))), /notes: text/],
    ['a story field of 1251 characters', 'stories', recordUpdate('stories', 's1', story('x'.repeat(LIMITS.storyField + 1))), /stories: who/],
    ['a note off the board', 'notes', recordUpdate('notes', 'n1', note('fine', { x: 1e9 })), /notes: x/],
    ['a note with an extra field', 'notes', recordUpdate('notes', 'n1', note('fine', { payload: 'x'.repeat(1000) })), /unknown field "payload"/],
    ['a record that is not a map', 'notes', (() => {
      const doc = new Y.Doc();
      doc.getMap('notes').set('n1', 'x'.repeat(1000));
      return Y.encodeStateAsUpdate(doc);
    })(), /must be a map/],
    ['a collection the board does not have', 'junk', recordUpdate('junk', 'j1', { blob: 'x'.repeat(1000) }), /unknown collection "junk"/],
    ['list content in a collection', 'notes', (() => {
      const doc = new Y.Doc();
      doc.getArray('notes').push(['x']);
      return Y.encodeStateAsUpdate(doc);
    })(), /list content/],
  ];

  it.each(REFUSED)('refuses %s: closes that socket with 4400 and a reason, applies and relays nothing', async (_what, _collection, update, reason) => {
    const server = await startTestServer(undefined, NO_BACKOFF);
    const { session, ada, watcher } = await boardWithWatcher(server);
    const room = server.rooms.get(session.id)!;
    const before = Y.encodeStateVector(room.doc);
    const logRows = async () => (await server.store.documents.load(session.id)).updates.length;
    const rowsBefore = await logRows();

    const sender = await rawYjs(server.port, session.id, ada.participantToken);
    sender.ws.send(updateMessage(update));
    const closed = await sender.closed;
    expect(closed.code).toBe(CLOSE.badMessage);
    expect(closed.reason).toMatch(/^Update refused: /);
    expect(closed.reason).toMatch(reason);
    expect(Y.encodeStateVector(room.doc)).toEqual(before);
    expect(await logRows()).toBe(rowsBefore);

    // The room goes on: the watcher hears nothing of it, and a good write still works.
    const good = await rawYjs(server.port, session.id, ada.participantToken);
    good.ws.send(updateMessage(recordUpdate('notes', 'ok', note('x'.repeat(LIMITS.noteText), { authorId: ada.participantId }))));
    await waitFor(() => watcher.board.notes().length === 1, 2_000, 'the good note');
    expect(good.isOpen()).toBe(true);
    expect(watcher.doc.share.has('junk')).toBe(false);
    expect(watcher.board.notes().map((n) => n.text.length)).toEqual([LIMITS.noteText]);
  });

  it('a stock provider refused with 4400 stops instead of retrying in a loop', async () => {
    const server = await startTestServer();
    const { session, ada } = await boardWithWatcher(server);
    const client = await connectYjs(server, session.id, ada.participantToken);
    const closes: number[] = [];
    client.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code));
    client.doc.getMap('notes').set('long', new Y.Map(Object.entries(note('x'.repeat(600)))));
    await waitFor(() => closes.length > 0, 2_000, 'the close');
    await sleep(700);
    expect(closes).toEqual([CLOSE.badMessage]);
    expect(client.provider.wsconnected).toBe(false);
  });

  it('also guards private drafts', async () => {
    const server = await startTestServer(undefined, NO_BACKOFF);
    const session = await createSession(server);
    const ada = await join(server, session.joinCode, 'Ada');
    const docName = privateDocName(session.id, ada.participantId);
    const sender = await rawYjs(server.port, docName, ada.participantToken);
    sender.ws.send(updateMessage(recordUpdate('causeDrafts', 'c1', { authorId: 'p1', createdAt: 1, text: 'x'.repeat(501), storyId: null })));
    expect(await sender.closed).toMatchObject({ code: CLOSE.badMessage, reason: expect.stringMatching(/causeDrafts: text/) });
    // The shared board's collections are not a private document's.
    const again = await rawYjs(server.port, docName, ada.participantToken);
    again.ws.send(updateMessage(recordUpdate('notes', 'n1', note('hi'))));
    expect(await again.closed).toMatchObject({ code: CLOSE.badMessage, reason: expect.stringMatching(/unknown collection "notes"/) });
  });

  it(`caps a board at ${LIMITS.itemsPerBoard} items, but still lets a full board be edited and emptied`, async () => {
    const server = await startTestServer();
    const { session, ada, watcher } = await boardWithWatcher(server);
    // Only the facilitator may fill the last items (a participant holds at most 150 notes), in
    // updates of 100 notes: one update carries at most 1,650 changes.
    const filler = new Y.Doc();
    const board = new Board(filler);
    const fill = await rawYjs(server.port, session.id, session.facilitatorToken);
    for (let batch = 0; batch < LIMITS.itemsPerBoard / 100; batch++) {
      const before = Y.encodeStateVector(filler);
      filler.transact(() => {
        for (let i = 0; i < 100; i++) board.addNote({ actor: FACILITATOR_ACTOR }, { text: `n${batch * 100 + i}`, x: 0, y: 0 });
      });
      fill.ws.send(updateMessage(Y.encodeStateAsUpdate(filler, before)));
    }
    await waitFor(() => watcher.board.noteCount === LIMITS.itemsPerBoard, 5_000, 'a full board');

    const over = await rawYjs(server.port, session.id, ada.participantToken);
    over.ws.send(updateMessage(recordUpdate('notes', 'one-too-many', note('over', { authorId: ada.participantId }))));
    expect(await over.closed).toMatchObject({ code: CLOSE.badMessage, reason: expect.stringMatching(/board is full/) });
    expect(new Board(server.rooms.get(session.id)!.doc).noteCount).toBe(LIMITS.itemsPerBoard);

    // Edits and deletes on the full board go through.
    const first = watcher.board.notes()[0]!;
    watcher.board.moveNote({ actor: FACILITATOR_ACTOR }, first.id, 5, 5);
    watcher.board.deleteNote({ actor: FACILITATOR_ACTOR }, first.id);
    await sleep(200);
    expect(new Board(server.rooms.get(session.id)!.doc).noteCount).toBe(LIMITS.itemsPerBoard - 1);
    expect(watcher.provider.wsconnected).toBe(true);
  });
});

describe('transport limits', () => {
  it('refuses an oversized presence (awareness) message with 4400, since the room would relay it to everyone', async () => {
    const server = await startTestServer();
    const { session, ada, watcher } = await boardWithWatcher(server);
    const sender = await rawYjs(server.port, session.id, ada.participantToken);
    const doc = new Y.Doc();
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState({ user: { name: 'x'.repeat(20_000) } });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]));
    sender.ws.send(encoding.toUint8Array(encoder));
    expect(await sender.closed).toEqual({ code: CLOSE.badMessage, reason: 'Presence message too large.' });
    await sleep(100);
    expect([...watcher.provider.awareness.getStates().keys()]).not.toContain(doc.clientID);
  });


  it(`closes a Yjs socket that sends a frame over ${LIMITS_TRANSPORT.yjsFrameBytes} bytes (1009), and only that one`, async () => {
    const server = await startTestServer();
    const { session, ada, watcher } = await boardWithWatcher(server);
    const big = await rawYjs(server.port, session.id, ada.participantToken);
    big.ws.send(new Uint8Array(LIMITS_TRANSPORT.yjsFrameBytes + 1));
    expect((await big.closed).code).toBe(1009);
    const writer = await connectYjs(server, session.id, ada.participantToken);
    writer.board.addNote({ actor: ada.participantId }, { text: 'after the big frame', x: 0, y: 0 });
    await waitFor(() => watcher.board.notes().length === 1, 2_000, 'a normal note');
  });

  it(`disconnects a socket.io client whose packet is over ${LIMITS_TRANSPORT.socketIoPacketBytes} bytes, and only that one`, async () => {
    const server = await startTestServer();
    const session = await createSession(server);
    const big = await connectControl(server, session.facilitatorToken);
    const other = await connectControl(server, session.facilitatorToken);
    const reasons: string[] = [];
    big.socket.on('disconnect', (reason) => reasons.push(reason));
    (big.socket as unknown as { emit(e: string, p: unknown): void }).emit('command', { type: 'lock', locked: true, pad: 'x'.repeat(LIMITS_TRANSPORT.socketIoPacketBytes) });
    await waitFor(() => reasons.length > 0, 2_000, 'the disconnect');
    expect((await server.store.sessions.getSession(session.id))!.control.locked).toBe(false);
    expect(await other.command({ type: 'lock', locked: true })).toMatchObject({ ok: true });
  });

  it('caps connections per room (closing with roomFull), leaving the others connected', async () => {
    const server = await startTestServer(undefined, { rooms: { maxConnectionsPerRoom: 3, reservedConnections: 1 } });
    const { session, ada, watcher } = await boardWithWatcher(server);
    const second = await rawYjs(server.port, session.id, ada.participantToken);
    const third = await rawYjs(server.port, session.id, ada.participantToken);
    const fourth = await rawYjs(server.port, session.id, ada.participantToken);
    expect(await fourth.closed).toEqual({ code: CLOSE.roomFull, reason: 'Too many connections to this board.' });
    expect(second.isOpen() && third.isOpen()).toBe(true);
    expect(watcher.provider.wsconnected).toBe(true);
    expect(server.rooms.get(session.id)!.connectionCount).toBe(3);
  });
});
