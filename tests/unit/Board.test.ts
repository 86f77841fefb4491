import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Board, BoardError, type BoardChange } from '../../shared/board/Board.ts';
import { LIMITS, MAPS } from '../../shared/board/schema.ts';

const alice = { actor: 'alice' };
const bob = { actor: 'bob' };

function freshBoard(): Board {
  return new Board(new Y.Doc());
}

/** Applies every update of `from` that `to` lacks. */
function sync(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

/** Two boards that start from the same state, as two clients after a sync. */
function pair(): [Board, Board] {
  return [freshBoard(), freshBoard()];
}

describe('Board commands', () => {
  it('addNote stores a validated note with defaults and the author', () => {
    const board = freshBoard();
    const before = Date.now();
    const id = board.addNote(alice, { text: 'No common planning time', x: 10, y: -20 });
    expect(board.note(id)).toEqual({
      id,
      authorId: 'alice',
      text: 'No common planning time',
      x: 10,
      y: -20,
      color: 'yellow',
      createdAt: expect.any(Number),
    });
    expect(board.note(id)!.createdAt).toBeGreaterThanOrEqual(before);
    expect(board.noteCount).toBe(1);
  });

  it('addNote keeps an explicit colour and gives every note its own id', () => {
    const board = freshBoard();
    const a = board.addNote(alice, { text: 'a', x: 0, y: 0, color: 'pink' });
    const b = board.addNote(alice, { text: 'b', x: 0, y: 0 });
    expect(a).not.toBe(b);
    expect(board.note(a)!.color).toBe('pink');
    expect(board.notes().map((n) => n.text).sort()).toEqual(['a', 'b']);
  });

  it('addNote runs in one transaction with the origin', () => {
    const board = freshBoard();
    const origins: unknown[] = [];
    board.doc.on('afterTransaction', (tx) => origins.push(tx.origin));
    board.addNote(alice, { text: 'x', x: 0, y: 0 });
    expect(origins).toEqual([alice]);
  });

  it('editNote changes the text and is a no-op for the same text', () => {
    const board = freshBoard();
    const id = board.addNote(alice, { text: 'first', x: 0, y: 0 });
    board.editNote(bob, id, 'second');
    expect(board.note(id)!.text).toBe('second');
    expect(board.note(id)!.authorId).toBe('alice');

    let updates = 0;
    board.doc.on('update', () => updates++);
    board.editNote(bob, id, 'second');
    expect(updates).toBe(0);
  });

  it('moveNote moves, rounds and clamps to the board extent', () => {
    const board = freshBoard();
    const id = board.addNote(alice, { text: 'x', x: 0, y: 0 });
    board.moveNote(bob, id, 12.4, -7.6);
    expect(board.note(id)).toMatchObject({ x: 12, y: -8 });
    board.moveNote(bob, id, 1e9, -1e9);
    expect(board.note(id)).toMatchObject({ x: LIMITS.boardExtent, y: -LIMITS.boardExtent });
  });

  it('moveNote with a non-finite coordinate never leaves the note unreadable', () => {
    const board = freshBoard();
    const id = board.addNote(alice, { text: 'keep me', x: 10, y: 20 });
    try {
      board.moveNote(bob, id, Number.NaN, 0);
    } catch (err) {
      expect(err).toBeInstanceOf(BoardError);
    }
    // A rejected move must leave the note where it was, not corrupt it.
    expect(board.note(id)).toMatchObject({ text: 'keep me', x: 10, y: 20 });
  });

  it('deleteNote removes the note and ignores unknown ids', () => {
    const board = freshBoard();
    const id = board.addNote(alice, { text: 'x', x: 0, y: 0 });
    board.deleteNote(bob, 'no-such-note');
    expect(board.noteCount).toBe(1);
    board.deleteNote(bob, id);
    expect(board.note(id)).toBeNull();
    expect(board.notes()).toEqual([]);
  });

  it('editing or moving an unknown note throws BoardError', () => {
    const board = freshBoard();
    expect(() => board.editNote(alice, 'missing', 'x')).toThrow(BoardError);
    expect(() => board.moveNote(alice, 'missing', 0, 0)).toThrow(BoardError);
  });
});

describe('Board validation', () => {
  const tooLong = 'x'.repeat(LIMITS.noteText + 1);

  it('rejects too-long text on add and edit', () => {
    const board = freshBoard();
    expect(() => board.addNote(alice, { text: tooLong, x: 0, y: 0 })).toThrow(BoardError);
    expect(board.noteCount).toBe(0);
    const id = board.addNote(alice, { text: 'x'.repeat(LIMITS.noteText), x: 0, y: 0 });
    expect(() => board.editNote(alice, id, tooLong)).toThrow(BoardError);
    expect(board.note(id)!.text).toHaveLength(LIMITS.noteText);
  });

  it('rejects out-of-range coordinates and unknown colours on add', () => {
    const board = freshBoard();
    expect(() => board.addNote(alice, { text: 'x', x: LIMITS.boardExtent + 1, y: 0 })).toThrow(BoardError);
    expect(() => board.addNote(alice, { text: 'x', x: 0, y: Number.NaN })).toThrow(BoardError);
    expect(() => board.addNote(alice, { text: 'x', x: 0, y: 0, color: 'black' as 'yellow' })).toThrow(BoardError);
    expect(board.noteCount).toBe(0);
  });

  it('notes() skips malformed records written by a faulty client', () => {
    const board = freshBoard();
    const good = board.addNote(alice, { text: 'good', x: 0, y: 0 });
    const raw = board.doc.getMap<unknown>(MAPS.notes);
    const bad = new Y.Map<unknown>();
    board.doc.transact(() => {
      raw.set('bad-record', bad);
      bad.set('text', 42);
      bad.set('x', 0);
      raw.set('not-a-map', 'just a string');
    });
    expect(board.notes().map((n) => n.id)).toEqual([good]);
    expect(board.note('bad-record')).toBeNull();
    expect(board.note('not-a-map')).toBeNull();
  });
});

describe('Board.observe', () => {
  it('reports the ids of added, changed and deleted notes, and whether the change was local', () => {
    const board = freshBoard();
    const changes: BoardChange[] = [];
    const stop = board.observe((c) => changes.push(c));

    const id = board.addNote(alice, { text: 'x', x: 0, y: 0 });
    board.editNote(alice, id, 'y');
    board.moveNote(alice, id, 5, 5);
    board.deleteNote(alice, id);
    expect(changes.map((c) => [...c.notes])).toEqual([[id], [id], [id], [id]]);
    expect(changes.every((c) => c.local)).toBe(true);

    stop();
    board.addNote(alice, { text: 'unseen', x: 0, y: 0 });
    expect(changes).toHaveLength(4);
  });

  it('marks changes that arrive from another document as remote', () => {
    const [a, b] = pair();
    const changes: BoardChange[] = [];
    b.observe((c) => changes.push(c));
    const id = a.addNote(alice, { text: 'x', x: 0, y: 0 });
    sync(a.doc, b.doc);
    expect(changes).toEqual([{ notes: new Set([id]), local: false }]);
  });

  it('reports several notes changed in one remote update together', () => {
    const [a, b] = pair();
    const ids = [a.addNote(alice, { text: '1', x: 0, y: 0 }), a.addNote(alice, { text: '2', x: 0, y: 0 })];
    const changes: BoardChange[] = [];
    b.observe((c) => changes.push(c));
    sync(a.doc, b.doc);
    expect(changes).toHaveLength(1);
    expect([...changes[0]!.notes].sort()).toEqual([...ids].sort());
  });
});

describe('Board convergence', () => {
  /** Exchanges updates in the given order and checks both boards agree. */
  function exchange(a: Board, b: Board, order: 'a-first' | 'b-first'): void {
    if (order === 'a-first') {
      sync(a.doc, b.doc);
      sync(b.doc, a.doc);
    } else {
      sync(b.doc, a.doc);
      sync(a.doc, b.doc);
    }
    expect(a.notes()).toEqual(b.notes());
  }

  for (const order of ['a-first', 'b-first'] as const) {
    describe(`applying updates ${order}`, () => {
      it('merges notes added on both sides', () => {
        const [a, b] = pair();
        a.addNote(alice, { text: 'from a', x: 0, y: 0 });
        b.addNote(bob, { text: 'from b', x: 1, y: 1 });
        exchange(a, b, order);
        expect(a.notes().map((n) => n.text).sort()).toEqual(['from a', 'from b']);
      });

      it('settles concurrent edits of the same note on one text', () => {
        const [a, b] = pair();
        const id = a.addNote(alice, { text: 'start', x: 0, y: 0 });
        sync(a.doc, b.doc);
        a.editNote(alice, id, 'edited by a');
        b.editNote(bob, id, 'edited by b');
        b.moveNote(bob, id, 50, 60);
        exchange(a, b, order);
        expect(['edited by a', 'edited by b']).toContain(a.note(id)!.text);
        expect(a.note(id)).toMatchObject({ x: 50, y: 60 });
      });

      it('lets a delete win over a concurrent move of the same note', () => {
        const [a, b] = pair();
        const id = a.addNote(alice, { text: 'contested', x: 0, y: 0 });
        const other = a.addNote(alice, { text: 'bystander', x: 0, y: 0 });
        sync(a.doc, b.doc);
        a.deleteNote(alice, id);
        b.moveNote(bob, id, 100, 100);
        exchange(a, b, order);
        expect(a.note(id)).toBeNull();
        expect(b.note(id)).toBeNull();
        expect(a.notes().map((n) => n.id)).toEqual([other]);
      });
    });
  }

  it('converges when the same updates arrive one by one in opposite orders', () => {
    const source = freshBoard();
    const updates: Uint8Array[] = [];
    source.doc.on('update', (u: Uint8Array) => updates.push(u));
    const id = source.addNote(alice, { text: 'one', x: 0, y: 0 });
    source.editNote(alice, id, 'two');
    source.addNote(alice, { text: 'three', x: 3, y: 3 });
    source.moveNote(alice, id, 9, 9);

    const forward = freshBoard();
    const backward = freshBoard();
    for (const u of updates) Y.applyUpdate(forward.doc, u);
    for (const u of [...updates].reverse()) Y.applyUpdate(backward.doc, u);
    expect(forward.notes()).toEqual(source.notes());
    expect(backward.notes()).toEqual(source.notes());
  });
});
