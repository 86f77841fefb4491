import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { keyOf, updateKey } from '../../bench/capacity.ts';
import { Board } from '../../shared/board/Board.ts';
import { encodeSyncStep1, encodeSyncStep2, encodeUpdate } from '../../server/sync/messages.ts';

/** The capacity bench finds a relayed change by the (client, clock) in its frame's header: it must read what a server relays. */
describe('capacity bench: updateKey', () => {
  it('reads the writer and clock of each update a server doc relays', () => {
    const writer = new Y.Doc();
    writer.clientID = 4242;
    const board = new Board(writer);
    const sent: Uint8Array[] = [];
    writer.on('update', (u: Uint8Array) => sent.push(u));
    const id = board.addNote({ actor: 'p1' }, { text: 'a note', x: 0, y: 0 });
    const clockBeforeMove = Y.getState(writer.store, 4242);
    board.moveNote({ actor: 'p1' }, id, 30, 40);

    // The server applies each update and relays the one its own doc emits (Room.onDocUpdate).
    const server = new Y.Doc();
    const relayed: Uint8Array[] = [];
    server.on('update', (u: Uint8Array) => relayed.push(encodeUpdate(u)));
    for (const u of sent) Y.applyUpdate(server, u);

    expect(relayed.map(updateKey)).toEqual([keyOf(4242, 0), keyOf(4242, clockBeforeMove)]);
    expect(clockBeforeMove).toBeGreaterThan(0);
  });

  it('answers -1 for frames that are no update with structs', () => {
    const doc = new Y.Doc();
    new Board(doc).addNote({ actor: 'p1' }, { text: 'x', x: 0, y: 0 });
    expect(updateKey(encodeSyncStep1(doc))).toBe(-1);
    expect(updateKey(encodeSyncStep2(doc, new Uint8Array([0])))).toBe(-1);
    expect(updateKey(new Uint8Array([1, 2, 0, 0, 0, 0, 0]))).toBe(-1);
    // A delete carries only a delete set: no struct to name.
    const deletes: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => deletes.push(encodeUpdate(u)));
    const notes = doc.getMap('notes');
    for (const key of [...notes.keys()]) notes.delete(key);
    expect(deletes).toHaveLength(1);
    expect(updateKey(deletes[0]!)).toBe(-1);
    // Cut short: no reading past the end.
    expect(updateKey(encodeUpdate(Y.encodeStateAsUpdate(doc)).subarray(0, 5))).toBe(-1);
  });
});
