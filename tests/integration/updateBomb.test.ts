import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Board, FACILITATOR_ACTOR } from '../../shared/board/Board.ts';
import { atStep, connectYjs, createSession, join, sleep, startTestServer, upgradeStatus, useCleanup, waitFor, type TestServer } from './helpers.ts';
import { rawYjs, updateMessage } from './rawYjs.ts';
import { CLOSE } from '../../shared/closeCodes.ts';
import { DEFAULT_SCAN_LIMITS } from '../../server/sync/scanUpdate.ts';

useCleanup();

/**
 * One client must never stall the event loop every school shares: updates
 * are judged from their bytes before anything is applied, connections and
 * presence are bounded per link, and a refused link waits before it retries.
 */

async function boardAtSort(server: TestServer) {
  const session = await createSession(server);
  const ada = await join(server, session.joinCode, 'Ada');
  await atStep(server, session, 'sort');
  const watcher = await connectYjs(server, session.id, session.facilitatorToken);
  return { session, ada, watcher };
}

/** Counts transactions on the room's document: a refusal made before applying starts none. */
function transactionsOn(doc: Y.Doc): { count: number } {
  const counter = { count: 0 };
  doc.on('beforeTransaction', () => counter.count++);
  return counter;
}

/** A note whose text is a Y.Text: what an attacker uses to carry hidden content or to build a delete bomb. */
function noteWithText(authorId: string, build: (text: Y.Text, doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  const record = new Y.Map<unknown>();
  const text = new Y.Text();
  doc.transact(() => {
    doc.getMap('notes').set('bomb', record);
    for (const [k, v] of Object.entries({ authorId, createdAt: 1, x: 0, y: 0, color: 'yellow', storyId: null, category: null, copyOf: null })) record.set(k, v);
    record.set('text', text);
  });
  build(text, doc);
  return Y.encodeStateAsUpdate(doc);
}

/** Raw update bytes: no structs, then one client's delete ranges exactly as given. */
function deleteSetUpdate(client: number, ranges: Array<[number, number]>): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, client);
  encoding.writeVarUint(encoder, ranges.length);
  for (const [clock, length] of ranges) {
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarUint(encoder, length);
  }
  return encoding.toUint8Array(encoder);
}

/** Raw update bytes: `count` GC structs of one client, no deletions. */
function manyStructs(client: number, count: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, count);
  encoding.writeVarUint(encoder, client);
  encoding.writeVarUint(encoder, 0);
  for (let i = 0; i < count; i++) {
    encoding.writeUint8(encoder, 0);
    encoding.writeVarUint(encoder, 1);
  }
  encoding.writeVarUint(encoder, 0);
  return encoding.toUint8Array(encoder);
}

describe('the update bomb and its kin are refused from their bytes, before anything is applied', () => {
  const BOMBS: Array<[string, (author: string, serverClient: number) => Uint8Array, RegExp]> = [
    [
      // As the attack was built: one long text, then 30,000 one-character deletes in descending order.
      'a long text, then tens of thousands of one-character deletes in descending order',
      (author) => {
        const structs = noteWithText(author, (text) => text.insert(0, 'x'.repeat(60_000)));
        const textClient = Y.decodeUpdate(structs).structs[0]!.id.client;
        const ranges = Array.from({ length: 30_000 }, (_, i) => [59_990 - i * 2, 1] as [number, number]);
        // The update ends with an empty delete set (one 0 byte): put the bomb's in its place.
        const ds = deleteSetUpdate(textClient, ranges).subarray(1);
        return new Uint8Array([...structs.subarray(0, structs.length - 1), ...ds]);
      },
      /shared type other than a record map/,
    ],
    ['delete ranges in descending order', (_a, client) => deleteSetUpdate(client, [[10, 1], [5, 1], [1, 1]]), /out of order or overlapping/],
    ['overlapping delete ranges', (_a, client) => deleteSetUpdate(client, [[1, 5], [3, 5]]), /out of order or overlapping/],
    ['more delete ranges for one writer than the cap', (_a, client) => deleteSetUpdate(client, Array.from({ length: 1501 }, (_, i) => [i * 2, 1] as [number, number])), /more than 1500 deletions/],
    ['more structs than the cap', () => manyStructs(987_654, DEFAULT_SCAN_LIMITS.maxStructs + 1), new RegExp(`more than ${DEFAULT_SCAN_LIMITS.maxStructs} changes`)],
    ['an update over 256 KiB', () => manyStructs(987_654, 140_000), /more than 256 KiB/],
    ['a root type outside the board’s collections', () => {
      const doc = new Y.Doc();
      doc.getMap('mallory').set('x', 1);
      return Y.encodeStateAsUpdate(doc);
    }, /unknown collection "mallory"/],
  ];

  it.each(BOMBS)('refuses %s without starting a transaction, and the room goes on', async (_what, build, reason) => {
    const server = await startTestServer(undefined, { rooms: { refusalBackoffMs: 0 } });
    const { session, ada, watcher } = await boardAtSort(server);
    const room = server.rooms.get(session.id)!;
    const serverClient = [...room.doc.store.clients.keys()][0] ?? 1;
    const transactions = transactionsOn(room.doc);
    const before = Y.encodeStateAsUpdate(room.doc);

    const bomb = await rawYjs(server.port, session.id, ada.participantToken);
    bomb.ws.send(updateMessage(build(ada.participantId, serverClient)));
    const closed = await bomb.closed;
    expect(closed.code).toBe(CLOSE.badMessage);
    expect(closed.reason).toMatch(reason);
    expect(transactions.count).toBe(0);
    expect(Y.encodeStateAsUpdate(room.doc)).toEqual(before);

    watcher.board.addNote({ actor: FACILITATOR_ACTOR }, { text: 'the room goes on', x: 0, y: 0 });
    await waitFor(() => new Board(room.doc).notes().length === 1, 2_000, 'a good note after the bomb');
  });
});

describe('deletions are bounded too', () => {
  it('refuses one update that deletes more than 1,500 items (250 notes with their fields), and takes 100', async () => {
    const server = await startTestServer(undefined, { rooms: { refusalBackoffMs: 0 } });
    const { session, watcher } = await boardAtSort(server);
    for (let batch = 0; batch < 4; batch++) {
      watcher.doc.transact(() => {
        for (let i = 0; i < 100; i++) watcher.board.addNote({ actor: FACILITATOR_ACTOR }, { text: `n${batch}-${i}`, x: 0, y: 0 });
      });
    }
    const room = server.rooms.get(session.id)!;
    await waitFor(() => new Board(room.doc).noteCount === 400, 3_000, '400 notes');
    const notes = watcher.board.notes();
    watcher.doc.transact(() => {
      for (const note of notes.slice(0, 100)) watcher.board.deleteNote({ actor: FACILITATOR_ACTOR }, note.id);
    });
    await waitFor(() => new Board(room.doc).noteCount === 300, 3_000, '100 notes deleted');
    const refused = new Promise<string>((resolve) =>
      watcher.provider.on('connection-close', (event: CloseEvent | null) => event && resolve(event.reason)),
    );
    watcher.doc.transact(() => {
      for (const note of notes.slice(100, 350)) watcher.board.deleteNote({ actor: FACILITATOR_ACTOR }, note.id);
    });
    expect(await refused).toMatch(/deletes more than 1500 items at once/);
    expect(new Board(room.doc).noteCount).toBe(300);
  });
});

describe('hidden payloads: a record holds plain values only', () => {
  const note = (author: string, text: unknown) => {
    const doc = new Y.Doc();
    const record = new Y.Map<unknown>();
    doc.transact(() => {
      doc.getMap('notes').set('n1', record);
      for (const [k, v] of Object.entries({ authorId: author, createdAt: 1, x: 0, y: 0, color: 'yellow', storyId: null, category: null, copyOf: null })) record.set(k, v);
      record.set('text', text);
    });
    return Y.encodeStateAsUpdate(doc);
  };
  const HIDDEN: Array<[string, (author: string) => Uint8Array, RegExp]> = [
    ['a Y.Text whose visible string is innocent but carries format attributes', (a) =>
      noteWithText(a, (text) => text.insert(0, 'innocent', { payload: 'x'.repeat(50_000) })), /shared type other than a record map/],
    ['a Y.Text with an embed', (a) => noteWithText(a, (text) => text.insertEmbed(0, { blob: 'x'.repeat(50_000) })), /shared type other than a record map/],
    ['binary content in a field', (a) => note(a, new Uint8Array(50_000)), /binary content/],
    ['a subdocument in a field', (a) => note(a, new Y.Doc()), /subdocument/],
    ['a nested map in a field', (a) => note(a, new Y.Map()), /text holds a plain value, not a nested type/],
    ['an array in a field', (a) => note(a, new Y.Array()), /shared type other than a record map/],
    ['an object value in a field', (a) => note(a, { text: 'innocent', hidden: 'x'.repeat(1000) }), /not plain/],
  ];

  it.each(HIDDEN)('refuses %s', async (_what, build, reason) => {
    const server = await startTestServer(undefined, { rooms: { refusalBackoffMs: 0 } });
    const { session, ada, watcher } = await boardAtSort(server);
    const transactions = transactionsOn(server.rooms.get(session.id)!.doc);
    const sender = await rawYjs(server.port, session.id, ada.participantToken);
    sender.ws.send(updateMessage(build(ada.participantId)));
    const closed = await sender.closed;
    expect(closed).toMatchObject({ code: CLOSE.badMessage, reason: expect.stringMatching(reason) });
    expect(transactions.count).toBe(0);
    await sleep(50);
    expect(watcher.doc.getMap('notes').size).toBe(0);
  });

  it('caps the bytes a board takes in storage, while deletes still go through', async () => {
    const server = await startTestServer(undefined, { rooms: { refusalBackoffMs: 0, maxDocBytes: 40_000 } });
    const { session, watcher } = await boardAtSort(server);
    // A second reader keeps the room loaded after the writer's refusal.
    await connectYjs(server, session.id, session.projectorToken);
    const closes: number[] = [];
    watcher.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code));
    const ids: string[] = [];
    for (let i = 0; i < 100 && closes.length === 0; i++) {
      ids.push(watcher.board.addNote({ actor: FACILITATOR_ACTOR }, { text: `${i} ${'y'.repeat(480)}`, x: 0, y: 0 }));
      await sleep(5);
    }
    await waitFor(() => closes.length > 0, 3_000, 'the refusal');
    expect(closes).toEqual([CLOSE.badMessage]);
    const stored = new Board(server.rooms.get(session.id)!.doc).noteCount;
    expect(stored).toBeGreaterThan(40);
    expect(stored).toBeLessThan(100);
  });
});

describe('connections per link', () => {
  it('keeps at most 3 connections per token, closing the oldest with 4409', async () => {
    const server = await startTestServer();
    const { session, ada } = await boardAtSort(server);
    const sockets = [];
    for (let i = 0; i < 5; i++) sockets.push(await rawYjs(server.port, session.id, ada.participantToken));
    expect((await sockets[0]!.closed).code).toBe(CLOSE.replaced);
    expect((await sockets[1]!.closed).code).toBe(CLOSE.replaced);
    expect(sockets.slice(2).every((s) => s.isOpen())).toBe(true);
    expect(server.rooms.get(session.id)!.connectionsOf(ada.participantToken.split('.')[0]!)).toHaveLength(3);
  });

  it('keeps slots for the facilitator and the projector when participants fill the board', async () => {
    const server = await startTestServer(undefined, { rooms: { maxConnectionsPerRoom: 8, reservedConnections: 2 } });
    const session = await createSession(server);
    const people = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((i) => join(server, session.joinCode, `P${i}`)));
    const open = [];
    for (const person of people.slice(0, 6)) open.push(await rawYjs(server.port, session.id, person.participantToken));
    const seventh = await rawYjs(server.port, session.id, people[6]!.participantToken);
    expect(await seventh.closed).toEqual({ code: CLOSE.roomFull, reason: 'Too many connections to this board.' });
    const facilitator = await rawYjs(server.port, session.id, session.facilitatorToken);
    const projector = await rawYjs(server.port, session.id, session.projectorToken);
    await sleep(100);
    expect(facilitator.isOpen() && projector.isOpen()).toBe(true);
    expect(open.every((s) => s.isOpen())).toBe(true);
  });
});

describe('presence', () => {
  it('relays nobody’s awareness state, so one socket cannot flood or overwrite the others', async () => {
    const server = await startTestServer();
    const { session, ada } = await boardAtSort(server);
    const ben = await join(server, session.joinCode, 'Ben');
    const reader = await connectYjs(server, session.id, ben.participantToken);
    const sender = await rawYjs(server.port, session.id, ada.participantToken);
    // Ada's own presence, and a forged one under Ben's client id.
    const frame = (clientID: number, clock: number) => {
      const doc = new Y.Doc();
      doc.clientID = clientID;
      const awareness = new awarenessProtocol.Awareness(doc);
      awareness.setLocalState({ user: { name: clientID === reader.doc.clientID ? 'not Ben' : 'Ada', pad: 'x'.repeat(900) } });
      awareness.meta.set(clientID, { clock, lastUpdated: Date.now() });
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 1);
      encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, [clientID]));
      return encoding.toUint8Array(encoder);
    };
    for (let i = 0; i < 50; i++) sender.ws.send(frame(i % 2 ? reader.doc.clientID : 424242, 100 + i));
    await sleep(300);
    expect(sender.isOpen()).toBe(true);
    expect([...reader.provider.awareness.getStates().keys()]).toEqual([reader.doc.clientID]);
  });

  it('closes a socket whose presence message is over 1 KiB', async () => {
    const server = await startTestServer();
    const { session, ada } = await boardAtSort(server);
    const sender = await rawYjs(server.port, session.id, ada.participantToken);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint8Array(encoder, new Uint8Array(1025));
    sender.ws.send(encoding.toUint8Array(encoder));
    expect(await sender.closed).toEqual({ code: CLOSE.badMessage, reason: 'Presence message too large.' });
  });
});

describe('the cost of one connection', () => {
  it('closes a connection that spends its budget of server time with 4429', async () => {
    const server = await startTestServer(undefined, { rooms: { cpuMsPerSecond: 0.001, cpuBurstMs: 0.001 } });
    const { session, ada, watcher } = await boardAtSort(server);
    const writer = await connectYjs(server, session.id, ada.participantToken);
    const closes: Array<{ code: number; reason: string }> = [];
    writer.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push({ code: event.code, reason: event.reason }));
    for (let i = 0; i < 5; i++) writer.board.addNote({ actor: ada.participantId }, { text: `n${i}`, x: 0, y: 0 });
    await waitFor(() => closes.length > 0, 3_000, 'the close');
    expect(closes[0]).toEqual({ code: CLOSE.tooManyMessages, reason: 'Too much work from this connection; slow down.' });
    expect(watcher.provider.wsconnected).toBe(true);
  });

  it('makes a refused link wait before it may reconnect, longer after each refusal; other links are not affected', async () => {
    // Waits of 1 s, then 2 s: margins of a second on every check, for a busy machine.
    const server = await startTestServer(undefined, { rooms: { refusalBackoffMs: 1000 } });
    const { session, ada } = await boardAtSort(server);
    const ben = await join(server, session.joinCode, 'Ben');
    const refuse = async () => {
      const sender = await rawYjs(server.port, session.id, ada.participantToken);
      sender.ws.send(updateMessage(deleteSetUpdate(1, [[5, 1], [1, 1]])));
      expect((await sender.closed).code).toBe(CLOSE.badMessage);
    };
    await refuse();
    expect(await upgradeStatus(server, session.id, ada.participantToken)).toBe(429);
    expect(await upgradeStatus(server, session.id, ben.participantToken)).toBe(101);
    await sleep(1100);
    await refuse();
    // The second refusal doubles the wait: still refused after the first wait's length.
    await sleep(1000);
    expect(await upgradeStatus(server, session.id, ada.participantToken)).toBe(429);
    await sleep(1200);
    expect(await upgradeStatus(server, session.id, ada.participantToken)).toBe(101);
  });
});
