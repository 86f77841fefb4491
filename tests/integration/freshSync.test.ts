import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { boardRef } from '../../shared/board/DocRef.ts';
import { Board } from '../../shared/board/Board.ts';
import { atStep, connectYjs, createSession, join, sleep, startTestServer, useCleanup, waitFor } from './helpers.ts';
import { rawYjs } from './rawYjs.ts';

useCleanup();

/** The client's half of the handshake: sync step 1 with an empty state vector (it holds nothing). */
const EMPTY_STEP1 = new Uint8Array([0, 0, 1, 0]);

/** Opens a raw socket that holds nothing, asks for everything, and collects the sync frames it gets back. */
async function freshReader(port: number, docName: string, token: string) {
  const raw = await rawYjs(port, docName, token);
  const frames: Array<{ sub: number; update: Uint8Array }> = [];
  raw.ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(decoder) !== 0) return;
    const sub = decoding.readVarUint(decoder);
    frames.push({ sub, update: decoding.readVarUint8Array(decoder) });
  });
  raw.ws.send(EMPTY_STEP1);
  return { raw, frames, stepTwos: () => frames.filter((f) => f.sub === 1) };
}

describe('a client that holds nothing is sent what the log holds', () => {
  it('gets a stored board at once; the server decodes it only later, and never asks it for anything back', async () => {
    const server = await startTestServer(undefined, { rooms: { decodeIdleMs: 400 } });
    const session = await createSession(server);
    const ada = await join(server, session.joinCode, 'Ada');
    await atStep(server, session, 'sort');
    const writer = await connectYjs(server, session.id, ada.participantToken);
    writer.board.addNote({ actor: ada.participantId }, { text: 'stored, not decoded', x: 0, y: 0 });
    await waitFor(() => server.rooms.get(session.id)?.doc.getMap('notes').size === 1, 5_000, 'the server to store the note');
    writer.destroy();
    await waitFor(() => server.rooms.size === 0, 5_000, 'the room to unload');

    const reader = await freshReader(server.port, session.id, ada.participantToken);
    await waitFor(() => reader.stepTwos().length > 0, 5_000, 'the stored board');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, reader.stepTwos()[0]!.update);
    expect(new Board(doc).notes().map((n) => n.text)).toEqual(['stored, not decoded']);
    // Decoding a full board takes as long as the client's own apply of it: the server waits.
    const room = server.rooms.get(session.id)!;
    await sleep(150);
    expect(room.decoded).toBe(false);
    await waitFor(() => room.decoded, 5_000, 'the server to decode the board');
    // It held nothing, so it has nothing to send back: it is never sent the server's sync step 1.
    expect(reader.frames.filter((f) => f.sub === 0)).toEqual([]);
  });

  it('gets the stored snapshot byte for byte, not a new encoding of the document', async () => {
    const server = await startTestServer();
    const session = await createSession(server);
    const ada = await join(server, session.joinCode, 'Ada');
    // A snapshot written without garbage collection still holds the texts
    // it overwrote; the server's document drops them, so encoding it again
    // would give other bytes, and the test tells the two apart.
    const source = new Y.Doc({ gc: false });
    const board = new Board(source);
    for (let i = 0; i < 50; i++) {
      const id = board.addNote({ actor: 'facilitator' }, { text: `cause ${i}`, x: i, y: 0 });
      board.editNote({ actor: 'facilitator' }, id, `root cause ${i}`);
    }
    const snapshot = Y.encodeStateAsUpdate(source);
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, snapshot);
    expect(Buffer.from(snapshot).equals(Buffer.from(Y.encodeStateAsUpdate(reloaded)))).toBe(false);
    await server.store.documents.compact(session.id, session.id, snapshot, 0);
    const stored = await server.store.documents.load(session.id);
    expect(stored.updates).toHaveLength(0);

    const reader = await freshReader(server.port, session.id, ada.participantToken);
    await waitFor(() => reader.stepTwos().length > 0, 5_000, 'sync step 2');
    expect(Buffer.from(reader.stepTwos()[0]!.update).equals(Buffer.from(snapshot))).toBe(true);
  });

  it('gets the snapshot and then the committed rows since, which together are the whole board', async () => {
    const server = await startTestServer();
    const session = await createSession(server);
    const ada = await join(server, session.joinCode, 'Ada');
    const ben = await join(server, session.joinCode, 'Ben');
    await server.rooms.withDoc(boardRef(session.id), (room) => {
      new Board(room.doc).addNote({ actor: 'facilitator' }, { text: 'before the meeting', x: 0, y: 0 });
    });
    await atStep(server, session, 'sort');
    const writer = await connectYjs(server, session.id, ada.participantToken);
    for (let i = 0; i < 5; i++) writer.board.addNote({ actor: ada.participantId }, { text: `Ada ${i}`, x: i, y: 1 });
    await waitFor(async () => (await server.store.documents.load(session.id)).updates.length >= 5, 5_000, 'the rows committed');

    const reader = await freshReader(server.port, session.id, ben.participantToken);
    await waitFor(() => reader.frames.length >= 2, 5_000, 'snapshot and rows');
    const doc = new Y.Doc();
    for (const frame of reader.frames.filter((f) => f.sub === 1 || f.sub === 2)) Y.applyUpdate(doc, frame.update);
    expect(new Board(doc).noteCount).toBe(6);
    expect(doc.store.pendingStructs).toBeNull();
    expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(writer.doc));
    reader.raw.ws.close();
  });
});
