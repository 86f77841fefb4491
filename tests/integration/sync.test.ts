import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { Board, FACILITATOR_ACTOR } from '../../shared/board/Board.ts';
import {
  atStep,
  connectYjs,
  createSession,
  join,
  recordYjsFrames,
  restartServer,
  sleep,
  startTestServer,
  upgradeStatus,
  useCleanup,
  waitFor,
  type TestServer,
} from './helpers.ts';
import { rawYjs, updateMessage, useRawCleanup } from './rawYjs.ts';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { yjsProtocols } from '../../shared/yjsProtocols.ts';

useCleanup();
useRawCleanup();

/** A y-websocket frame's decoder past its message type. */
function decoderAfterType(frame: Uint8Array): decoding.Decoder {
  const decoder = decoding.createDecoder(frame);
  decoding.readVarUint(decoder);
  return decoder;
}

const texts = (board: Board) => board.notes().map((n) => n.text).sort();

async function sessionWithTwo(server: TestServer) {
  const session = await createSession(server);
  const ada = await join(server, session.joinCode, 'Ada');
  const ben = await join(server, session.joinCode, 'Ben');
  await atStep(server, session, 'sort');
  return { session, ada, ben };
}

describe('content sync over y-websocket', () => {
  it('two participants converge on notes either of them adds', async () => {
    const server = await startTestServer();
    const { session, ada, ben } = await sessionWithTwo(server);
    const a = await connectYjs(server, session.id, ada.participantToken);
    const b = await connectYjs(server, session.id, ben.participantToken);

    a.board.addNote({ actor: ada.participantId }, { text: 'No shared planning time', x: 0, y: 0 });
    const fromBen = b.board.addNote({ actor: ben.participantId }, { text: 'Unclear referral process', x: 5, y: 5 });
    await waitFor(() => a.board.notes().length === 2 && b.board.notes().length === 2, 5_000, 'both notes on both sides');
    expect(a.board.notes()).toEqual(b.board.notes());
    expect(a.board.note(fromBen)?.authorId).toBe(ben.participantId);

    b.board.moveNote({ actor: ben.participantId }, fromBen, 300, 400);
    await waitFor(() => a.board.note(fromBen)?.x === 300, 5_000, 'the move to reach Ada');
    expect(new Board(server.rooms.get(session.id)!.doc).notes()).toEqual(a.board.notes());
  });

  it('a projector receives notes but its own writes are dropped', async () => {
    const server = await startTestServer();
    const { session, ada } = await sessionWithTwo(server);
    const participant = await connectYjs(server, session.id, ada.participantToken);
    const projector = await connectYjs(server, session.id, session.projectorToken);

    participant.board.addNote({ actor: ada.participantId }, { text: 'visible to all', x: 0, y: 0 });
    await waitFor(() => texts(projector.board).includes('visible to all'), 5_000, 'the projector to see the note');

    projector.board.addNote({ actor: 'projector' }, { text: 'written by the projector', x: 0, y: 0 });
    await sleep(300);
    const roomDoc = new Board(server.rooms.get(session.id)!.doc);
    expect(texts(roomDoc)).toEqual(['visible to all']);
    expect(texts(participant.board)).toEqual(['visible to all']);

    const fresh = await connectYjs(server, session.id, session.facilitatorToken);
    await sleep(100);
    expect(texts(fresh.board)).toEqual(['visible to all']);
  });

  it('relays an update to every other connection and not back to the one that sent it', async () => {
    const server = await startTestServer();
    const { session, ada, ben } = await sessionWithTwo(server);
    const reader = await recordYjsFrames(server, session.id, ben.participantToken);
    const writer = await rawYjs(server.port, session.id, ada.participantToken);
    const toWriter: Uint8Array[] = [];
    writer.ws.on('message', (data: Buffer) => toWriter.push(new Uint8Array(data)));
    const isUpdate = (frame: Uint8Array) => frame[0] === 0 && frame[1] === 2;

    const draft = new Y.Doc();
    new Board(draft).addNote({ actor: ada.participantId }, { text: 'sent once', x: 0, y: 0 });
    writer.ws.send(updateMessage(Y.encodeStateAsUpdate(draft)));
    await waitFor(() => reader.frames.some(isUpdate), 5_000, 'the update relayed to Ben');
    await sleep(200);
    expect(texts(new Board(server.rooms.get(session.id)!.doc))).toEqual(['sent once']);
    // The writer may hear the server's own writes (the schema version it stores on a new board's first decode), never its note.
    const echoed = new Y.Doc();
    for (const frame of toWriter.filter(isUpdate)) {
      const decoder = decoderAfterType(frame);
      decoding.readVarUint(decoder);
      Y.applyUpdate(echoed, decoding.readVarUint8Array(decoder));
    }
    expect(new Board(echoed).notes()).toEqual([]);
  });
});

/** One device's note and then its edit, as two updates: the second builds on the first. */
function twoEdits(actor: string, text: string, edited: string): { device: Y.Doc; updates: Uint8Array[] } {
  const device = new Y.Doc();
  const board = new Board(device);
  const updates: Uint8Array[] = [];
  device.on('update', (u: Uint8Array) => updates.push(u));
  board.editNote({ actor }, board.addNote({ actor }, { text, x: 0, y: 0 }), edited);
  return { device, updates };
}

describe('a client back from a dropped connection', () => {
  it('may send a new edit before the older ones it still holds: it waits for its sync step 2 instead of being refused', async () => {
    const server = await startTestServer();
    const { session, ada } = await sessionWithTwo(server);
    // Two edits by one client, the second building on the first, which the server never got (lost with a dead process).
    const { device, updates } = twoEdits(ada.participantId, 'first, never delivered', 'edited after reconnecting');
    const raw = await rawYjs(server.port, session.id, ada.participantToken);
    // As a reconnecting provider may: the new edit first, then its answer to the server's sync step 1.
    raw.ws.send(updateMessage(updates[1]!));
    await sleep(200);
    expect(raw.isOpen()).toBe(true);
    expect(texts(new Board(server.rooms.get(session.id)!.doc))).toEqual([]);
    const step2 = encoding.createEncoder();
    encoding.writeVarUint(step2, 0);
    syncProtocol.writeSyncStep2(step2, device, Y.encodeStateVector(server.rooms.get(session.id)!.doc));
    raw.ws.send(encoding.toUint8Array(step2));
    await waitFor(() => texts(new Board(server.rooms.get(session.id)!.doc)).includes('edited after reconnecting'), 5_000, 'both edits applied');
    expect(raw.isOpen()).toBe(true);
    await server.rooms.flush();
    const stored = await server.store.documents.load(session.id);
    const reloaded = new Y.Doc();
    for (const row of stored.updates) Y.applyUpdate(reloaded, row.update);
    expect(texts(new Board(reloaded))).toEqual(['edited after reconnecting']);
  });

  it('is refused for an edit that still builds on what nobody sent once its sync step 2 is in', async () => {
    const server = await startTestServer();
    const { session, ada } = await sessionWithTwo(server);
    const { updates } = twoEdits(ada.participantId, 'never sent', 'orphan edit');
    const raw = await rawYjs(server.port, session.id, ada.participantToken);
    raw.ws.send(updateMessage(updates[1]!));
    const empty = encoding.createEncoder();
    encoding.writeVarUint(empty, 0);
    syncProtocol.writeSyncStep2(empty, new Y.Doc(), new Uint8Array([0]));
    raw.ws.send(encoding.toUint8Array(empty));
    expect((await raw.closed).code).toBe(4400);
  });
});

describe('keeping quiet sockets alive', () => {
  it('sends a projector alone on a board a message every heartbeat, so its client never times out', async () => {
    const server = await startTestServer(undefined, { rooms: { heartbeatMs: 150 } });
    const session = await createSession(server);
    const projector = new WebSocket(`ws://127.0.0.1:${server.port}/yjs/${session.id}`, yjsProtocols(session.projectorToken));
    const arrivals: number[] = [];
    projector.on('message', () => arrivals.push(Date.now()));
    await new Promise((resolve) => projector.once('open', resolve));
    await sleep(1500);
    projector.close();
    // The sync step 1 on connect, then keep-alives. Without them nothing follows the
    // first frame; the bound on gaps is loose because shared machines stall timers.
    expect(arrivals.length).toBeGreaterThanOrEqual(4);
    const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]!);
    expect(Math.max(...gaps)).toBeLessThan(1000);
  });
});

describe('who may open a board', () => {
  it('accepts a participant, facilitator and projector token of this session', async () => {
    const server = await startTestServer();
    const { session, ada } = await sessionWithTwo(server);
    expect(await upgradeStatus(server, session.id, ada.participantToken)).toBe(101);
    expect(await upgradeStatus(server, session.id, session.facilitatorToken)).toBe(101);
    expect(await upgradeStatus(server, session.id, session.projectorToken)).toBe(101);
  });

  it('refuses a wrong, missing or foreign token, and an unknown session, with 401 at the upgrade', async () => {
    const server = await startTestServer();
    const { session, ada } = await sessionWithTwo(server);
    const other = await createSession(server, { title: 'Another group' });
    const [tokenId, secret] = ada.participantToken.split('.') as [string, string];
    const wrongSecret = `${tokenId}.${secret.startsWith('A') ? 'B' : 'A'}${secret.slice(1)}`;

    expect(await upgradeStatus(server, session.id, wrongSecret)).toBe(401);
    expect(await upgradeStatus(server, session.id, 'not-a-token')).toBe(401);
    expect(await upgradeStatus(server, session.id, '')).toBe(401);
    expect(await upgradeStatus(server, session.id)).toBe(401);
    expect(await upgradeStatus(server, session.id, other.facilitatorToken)).toBe(401);
    expect(await upgradeStatus(server, 'no-such-session', session.facilitatorToken)).toBe(401);
    expect(server.rooms.size).toBe(0);
  });

  it('refuses a browser handshake from another site with 403, even with a valid token', async () => {
    const server = await startTestServer();
    const { session } = await sessionWithTwo(server);
    const token = session.facilitatorToken;
    expect(await upgradeStatus(server, session.id, token, 'https://evil.example')).toBe(403);
    expect(await upgradeStatus(server, session.id, token, server.baseUrl)).toBe(101);
  });
});

describe('persistence', () => {
  it('serves the same board after a restart on the same data dir', async () => {
    let server = await startTestServer();
    const { session, ada } = await sessionWithTwo(server);
    const a = await connectYjs(server, session.id, ada.participantToken);
    a.board.addNote({ actor: ada.participantId }, { text: 'survives restarts', x: 1, y: 2 });
    await waitFor(() => server.rooms.get(session.id)?.doc.getMap('notes').size === 1, 5_000, 'the server to apply the note');
    const before = a.board.notes();

    // Clients still connected: close() must not hang on them.
    server = await restartServer(server);
    a.destroy();
    const b = await connectYjs(server, session.id, ada.participantToken);
    expect(b.board.notes()).toEqual(before);
  });

  it('unloads a room when its last client leaves and reloads it on reconnect', async () => {
    const server = await startTestServer();
    const { session, ada, ben } = await sessionWithTwo(server);
    const a = await connectYjs(server, session.id, ada.participantToken);
    const b = await connectYjs(server, session.id, ben.participantToken);
    a.board.addNote({ actor: ada.participantId }, { text: 'kept while nobody is here', x: 0, y: 0 });
    await waitFor(() => b.board.notes().length === 1, 5_000, 'Ben to see the note');
    expect(server.rooms.size).toBe(1);

    a.destroy();
    await sleep(100);
    expect(server.rooms.size).toBe(1);
    b.destroy();
    await waitFor(() => server.rooms.size === 0, 5_000, 'the room to unload');

    const again = await connectYjs(server, session.id, ben.participantToken);
    expect(texts(again.board)).toEqual(['kept while nobody is here']);
    expect(server.rooms.size).toBe(1);
  });

  it('compacts the update log and a fresh client still sees everything', async () => {
    // 520 updates from one connection as fast as it can: this is about compaction, not the
    // per-connection time budget, which a busy machine's slower checks would otherwise spend.
    const server = await startTestServer(undefined, { rooms: { cpuMsPerSecond: 10_000, cpuBurstMs: 60_000 } });
    const { session } = await sessionWithTwo(server);
    // The facilitator: a participant may hold at most 150 notes.
    const a = await connectYjs(server, session.id, session.facilitatorToken);
    const logRows = async () => (await server.store.documents.load(session.id)).updates.length;
    const total = 520;

    let maxRows = 0;
    for (let i = 0; i < total; i++) {
      a.board.addNote({ actor: FACILITATOR_ACTOR }, { text: `cause ${i}`, x: i, y: 0 });
      if (i % 50 === 49) {
        await waitFor(() => server.rooms.get(session.id)!.doc.getMap('notes').size === i + 1, 5_000, `note ${i}`);
        maxRows = Math.max(maxRows, await logRows());
      }
    }
    await waitFor(() => server.rooms.get(session.id)!.doc.getMap('notes').size === total, 5_000, 'every note');

    const rows = await logRows();
    expect(maxRows).toBeGreaterThan(400); // the log really grew before it was compacted
    expect(rows).toBeLessThan(total - 400);
    expect((await server.store.documents.load(session.id)).snapshot).not.toBeNull();

    const fresh = await connectYjs(server, session.id, session.facilitatorToken);
    expect(fresh.board.notes()).toHaveLength(total);
    expect(fresh.board.notes()).toEqual(a.board.notes());
  });
});
