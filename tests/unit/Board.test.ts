import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { Board, BoardError, FACILITATOR_ACTOR, type BoardChanges } from '../../shared/board/Board.ts';
import { LIMITS } from '../../shared/board/schema.ts';
import { estimateNoteHeight, NOTE_SIZE } from '../../shared/board/noteSize.ts';
import { REVEAL_GRID } from '../../shared/board/records/notes.ts';

/** One observed callback: the changed ids per collection, and whether it was local. */
interface Observed {
  changes: BoardChanges;
  local: boolean;
}

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
      storyId: null,
      category: null,
      copyOf: null,
      clusterId: null,
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
    board.editNote(alice, id, 'second');
    expect(board.note(id)!.text).toBe('second');
    expect(board.note(id)!.authorId).toBe('alice');

    let updates = 0;
    board.doc.on('update', () => updates++);
    board.editNote(alice, id, 'second');
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
    board.deleteNote(alice, id);
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
    const raw = board.doc.getMap<unknown>('notes');
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

  it('counts the records it cannot show, per collection, so the app can say so', () => {
    const board = freshBoard();
    expect(board.invalidRecords()).toEqual({});
    board.addNote(alice, { text: 'good', x: 0, y: 0 });
    board.addHope(alice, 'a hope');
    board.doc.transact(() => {
      board.doc.getMap<unknown>('notes').set('not-a-map', 'just a string');
      const hope = new Y.Map<unknown>();
      board.doc.getMap<unknown>('hopes').set('no-author', hope);
      hope.set('text', 'a hope without an author');
    });
    expect(board.invalidRecords()).toEqual({ notes: 1, hopes: 1 });
    expect(board.notes()).toHaveLength(1);
    expect(board.list('hopes')).toHaveLength(1);
  });
});

describe('Board.observe', () => {
  it('reports the ids of added, changed and deleted notes, and whether the change was local', () => {
    const board = freshBoard();
    const changes: Observed[] = [];
    const stop = board.observe((c, local) => changes.push({ changes: c, local }));

    const id = board.addNote(alice, { text: 'x', x: 0, y: 0 });
    board.editNote(alice, id, 'y');
    board.moveNote(alice, id, 5, 5);
    board.deleteNote(alice, id);
    expect(changes.map((c) => [...c.changes.keys()])).toEqual([['notes'], ['notes'], ['notes'], ['notes']]);
    expect(changes.map((c) => [...c.changes.get('notes')!])).toEqual([[id], [id], [id], [id]]);
    expect(changes.every((c) => c.local)).toBe(true);

    stop();
    board.addNote(alice, { text: 'unseen', x: 0, y: 0 });
    expect(changes).toHaveLength(4);
  });

  it('marks changes that arrive from another document as remote', () => {
    const [a, b] = pair();
    const changes: Observed[] = [];
    b.observe((c, local) => changes.push({ changes: c, local }));
    const id = a.addNote(alice, { text: 'x', x: 0, y: 0 });
    sync(a.doc, b.doc);
    expect(changes).toEqual([{ changes: new Map([['notes', new Set([id])]]), local: false }]);
  });

  it('reports several notes changed in one remote update together', () => {
    const [a, b] = pair();
    const ids = [a.addNote(alice, { text: '1', x: 0, y: 0 }), a.addNote(alice, { text: '2', x: 0, y: 0 })];
    const changes: Observed[] = [];
    b.observe((c, local) => changes.push({ changes: c, local }));
    sync(a.doc, b.doc);
    expect(changes).toHaveLength(1);
    expect([...changes[0]!.changes.keys()]).toEqual(['notes']);
    expect([...changes[0]!.changes.get('notes')!].sort()).toEqual([...ids].sort());
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
        // The author on two devices edits the same note at once; a partner moves it.
        a.editNote(alice, id, 'edited by a');
        b.editNote(alice, id, 'edited by b');
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

describe('Board authorship', () => {
  const facilitator = { actor: FACILITATOR_ACTOR };

  it('someone else cannot edit or delete my note, and the note stays as it was', () => {
    const board = freshBoard();
    const id = board.addNote(alice, { text: 'mine', x: 10, y: 10 });
    expect(() => board.editNote(bob, id, 'taken over')).toThrow(BoardError);
    expect(() => board.deleteNote(bob, id)).toThrow(BoardError);
    expect(board.note(id)).toMatchObject({ text: 'mine', authorId: 'alice', x: 10, y: 10 });
    expect(board.noteCount).toBe(1);
  });

  it('someone else may move and sort my note', () => {
    const board = freshBoard();
    const id = board.addNote(alice, { text: 'mine', x: 10, y: 10 });
    board.moveNote(bob, id, 200, 300);
    board.sortNote(bob, id, 'skills');
    expect(board.note(id)).toMatchObject({ text: 'mine', authorId: 'alice', x: 200, y: 300, category: 'skills' });
    board.sortNote(bob, id, null);
    expect(board.note(id)!.category).toBeNull();
  });

  it('the facilitator may edit and delete anyone’s note', () => {
    const board = freshBoard();
    const id = board.addNote(alice, { text: 'blames families', x: 0, y: 0 });
    board.editNote(facilitator, id, 'no translation process');
    expect(board.note(id)).toMatchObject({ text: 'no translation process', authorId: 'alice' });
    board.deleteNote(facilitator, id);
    expect(board.note(id)).toBeNull();
  });

  it('the same rule holds for questions and needs', () => {
    const board = freshBoard();
    const question = board.addQuestion(alice, 'How might we reach every family?', 'structures');
    const need = board.addNeed(alice, 'I needed to know which families we were not reaching');
    expect(() => board.editQuestion(bob, question, { text: 'How might we not?' })).toThrow(BoardError);
    expect(() => board.removeQuestion(bob, question)).toThrow(BoardError);
    expect(() => board.editNeed(bob, need, 'changed')).toThrow(BoardError);
    expect(() => board.removeNeed(bob, need)).toThrow(BoardError);
    expect(board.get('questions', question)!.text).toBe('How might we reach every family?');
    expect(board.get('needs', need)!.text).toBe('I needed to know which families we were not reaching');

    board.editQuestion(alice, question, { category: 'knowledge' });
    expect(board.get('questions', question)!.category).toBe('knowledge');
    board.removeQuestion(facilitator, question);
    expect(board.get('questions', question)).toBeNull();
  });
});

describe('Board.duplicateNote', () => {
  it('copies a note into a second category and leaves the original where it was', () => {
    const board = freshBoard();
    const original = board.addNote(alice, { text: 'No translation process', x: 100, y: 100, color: 'pink', storyId: 'story-1' });
    board.sortNote(alice, original, 'structures');
    const copy = board.duplicateNote(bob, original, 'knowledge');

    expect(copy).not.toBe(original);
    expect(board.noteCount).toBe(2);
    expect(board.note(original)).toMatchObject({ category: 'structures', copyOf: null, x: 100, y: 100 });
    expect(board.note(copy)).toMatchObject({
      id: copy,
      text: 'No translation process',
      color: 'pink',
      storyId: 'story-1',
      category: 'knowledge',
      copyOf: original,
    });
    // Offset so the copy does not hide the original.
    expect([board.note(copy)!.x, board.note(copy)!.y]).not.toEqual([100, 100]);
  });

  it('a copy of a copy points at the first note', () => {
    const board = freshBoard();
    const original = board.addNote(alice, { text: 'x', x: 0, y: 0 });
    const copy = board.duplicateNote(alice, original, 'skills');
    const second = board.duplicateNote(alice, copy, 'dispositions');
    expect(board.note(second)).toMatchObject({ copyOf: original, category: 'dispositions' });
  });

  it('throws for a note that is gone', () => {
    const board = freshBoard();
    expect(() => board.duplicateNote(alice, 'missing', 'skills')).toThrow(BoardError);
    expect(board.noteCount).toBe(0);
  });

  it('works for a note moved to the edge of the board', () => {
    const board = freshBoard();
    const id = board.addNote(alice, { text: 'at the edge', x: 0, y: 0 });
    board.moveNote(alice, id, LIMITS.boardExtent, LIMITS.boardExtent);
    const copy = board.duplicateNote(alice, id, 'skills');
    expect(board.note(copy)).toMatchObject({ text: 'at the edge', category: 'skills', copyOf: id });
  });
});

describe('Board stories', () => {
  const draft = { who: 'A Grade 9 student', what: 'Missed the field trip', did: 'Called home', ended: 'No answer' };

  it('shareStory puts the story on the board once per author and updates it on a second share', () => {
    const board = freshBoard();
    const first = board.shareStory(alice, draft);
    expect(board.storyOf('alice')).toMatchObject({ id: first, authorId: 'alice', ...draft });

    const second = board.shareStory(alice, { ...draft, ended: 'We set up a meeting' });
    expect(second).toBe(first);
    expect(board.list('stories')).toHaveLength(1);
    expect(board.storyOf('alice')).toMatchObject({ id: first, ended: 'We set up a meeting', what: 'Missed the field trip' });

    const bobs = board.shareStory(bob, draft);
    expect(bobs).not.toBe(first);
    expect(board.list('stories').map((s) => s.authorId).sort()).toEqual(['alice', 'bob']);
  });

  it('unshareStory takes back only my own story', () => {
    const board = freshBoard();
    board.shareStory(alice, draft);
    board.shareStory(bob, draft);
    board.unshareStory(alice);
    expect(board.storyOf('alice')).toBeNull();
    expect(board.storyOf('bob')).not.toBeNull();
  });

  it('a need is linked to its author’s shared story', () => {
    const board = freshBoard();
    const story = board.shareStory(alice, draft);
    const need = board.addNeed(alice, 'I needed to know who to call');
    const unlinked = board.addNeed(bob, 'I needed time');
    expect(board.get('needs', need)!.storyId).toBe(story);
    expect(board.get('needs', unlinked)!.storyId).toBeNull();
  });

  it('assumptions need a shared story; either partner may mark one', () => {
    const board = freshBoard();
    expect(() => board.addAssumption(bob, 'no-such-story', 'They did not care')).toThrow(BoardError);
    const story = board.shareStory(alice, draft);
    const id = board.addAssumption(bob, story, 'The family had no phone');
    expect(board.get('assumptions', id)).toMatchObject({ storyId: story, status: 'to test', authorId: 'bob' });
    board.markAssumption(alice, id, 'doubtful');
    expect(board.get('assumptions', id)!.status).toBe('doubtful');
  });
});

describe('Board.saveCommitment', () => {
  const fields = { action: 'Call three families', notice: 'Keep a log', partner: 'Ben', date: '2025-10-01' };

  it('keeps one commitment per author and saves over it', () => {
    const board = freshBoard();
    const first = board.saveCommitment(alice, fields);
    const again = board.saveCommitment(alice, { ...fields, partner: 'Cleo', date: '' });
    expect(again).toBe(first);
    expect(board.list('commitments')).toEqual([
      { id: first, authorId: 'alice', createdAt: expect.any(Number), ...fields, partner: 'Cleo', date: '' },
    ]);
    const bobs = board.saveCommitment(bob, fields);
    expect(bobs).not.toBe(first);
    expect(board.list('commitments')).toHaveLength(2);
  });

  it('rejects a malformed date and keeps the saved commitment', () => {
    const board = freshBoard();
    board.saveCommitment(alice, fields);
    expect(() => board.saveCommitment(alice, { ...fields, date: 'next week' })).toThrow(BoardError);
    expect(board.list('commitments')[0]!.date).toBe('2025-10-01');
  });
});

describe('Board.revealDrafts', () => {
  let clock = 1_700_000_000_000;
  const draft = (text: string, storyId: string | null = null) => ({
    id: `draft-${text}`,
    authorId: 'alice',
    createdAt: clock++,
    text,
    storyId,
  });

  it('adds the author’s drafts as notes in one transaction, skipping blank ones', () => {
    const board = freshBoard();
    const origins: unknown[] = [];
    board.doc.on('afterTransaction', (tx) => origins.push(tx.origin));
    const server = { actor: 'server' };
    const ids = board.revealDrafts(server, 'alice', [draft('No time', 'story-1'), draft('   '), draft('No data')]);
    expect(ids).toHaveLength(2);
    expect(origins).toEqual([server]);
    expect(board.notes().map((n) => [n.text, n.authorId, n.storyId, n.category])).toEqual([
      ['No time', 'alice', 'story-1', null],
      ['No data', 'alice', null, null],
    ]);
    const positions = new Set(board.notes().map((n) => `${n.x},${n.y}`));
    expect(positions.size).toBe(2);
  });

  it('lays out a large group’s drafts inside the board (15 people x 40 notes, well under itemsPerBoard)', () => {
    const board = freshBoard();
    for (let person = 0; person < 15; person++) {
      const drafts = Array.from({ length: 40 }, (_, i) => draft(`cause ${person}-${i}`));
      expect(board.revealDrafts({ actor: 'server' }, `p${person}`, drafts)).toHaveLength(40);
    }
    expect(board.noteCount).toBe(600);
    for (const note of board.notes()) {
      expect(Math.abs(note.x)).toBeLessThanOrEqual(LIMITS.boardExtent);
      expect(Math.abs(note.y)).toBeLessThanOrEqual(LIMITS.boardExtent);
    }
  });
});

describe('Board.revealDrafts layout', () => {
  let clock = 1_700_000_000_000;
  const draft = (text: string) => ({ id: `draft-${clock}`, authorId: 'alice', createdAt: clock++, text, storyId: null });
  const rect = (n: { x: number; y: number; text: string }) => ({ minX: n.x, minY: n.y, maxX: n.x + NOTE_SIZE.width, maxY: n.y + estimateNoteHeight(n.text) });
  const overlapping = (notes: Array<{ x: number; y: number; text: string }>) => {
    const pairs: string[] = [];
    notes.forEach((a, i) =>
      notes.slice(i + 1).forEach((b) => {
        const r = rect(a);
        const q = rect(b);
        if (r.minX < q.maxX && q.minX < r.maxX && r.minY < q.maxY && q.minY < r.maxY) pairs.push(`${a.text.slice(0, 10)} / ${b.text.slice(0, 10)}`);
      }),
    );
    return pairs;
  };

  it('puts long notes in columns of their own length, so none covers another, six columns wide', () => {
    const board = freshBoard();
    const texts = Array.from({ length: 20 }, (_, i) => (i % 4 === 0 ? 'A long cause that goes on. '.repeat(18) : `short cause ${i}`));
    board.revealDrafts({ actor: 'server' }, 'alice', texts.slice(0, 10).map(draft));
    // A later reveal (someone else's drafts) goes under what is there.
    board.revealDrafts({ actor: 'server' }, 'bob', texts.slice(10).map(draft));
    expect(overlapping(board.notes())).toEqual([]);
    expect(new Set(board.notes().map((n) => n.x)).size).toBe(REVEAL_GRID.columns);
    expect(Math.max(...board.notes().map((n) => n.x + NOTE_SIZE.width))).toBeLessThanOrEqual(REVEAL_GRID.margin + REVEAL_GRID.columns * (NOTE_SIZE.width + REVEAL_GRID.gap));
  });

  it('estimates a note at least the base size and taller for longer text', () => {
    expect(estimateNoteHeight('')).toBe(NOTE_SIZE.height);
    expect(estimateNoteHeight('short')).toBe(NOTE_SIZE.height);
    expect(estimateNoteHeight('x'.repeat(500))).toBeGreaterThan(estimateNoteHeight('x'.repeat(250)));
    expect(estimateNoteHeight('a\nb\nc\nd\ne\nf\ng')).toBeGreaterThan(NOTE_SIZE.height);
  });
});

describe('Board record order', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** One write: who writes, on which device (a or b), and where the device's clock stands. */
  interface Write {
    by: 'alice' | 'bob';
    on: 'a' | 'b';
    clock: number;
  }

  const T = 1_700_000_000_000;
  const frozen = (writes: number): Write[] =>
    Array.from({ length: writes }, (_, i) => ({ by: i % 3 === 0 ? 'bob' : 'alice', on: i % 3 === 0 ? 'b' : 'a', clock: T }));

  /** Each case: a sequence of writes; the list must keep every author's writing order. */
  const CASES: Record<string, Write[]> = {
    'forty notes by two people in one millisecond': frozen(40),
    'a clock that jumps back an hour mid-meeting': [
      { by: 'alice', on: 'a', clock: T },
      { by: 'alice', on: 'a', clock: T + 5 },
      { by: 'bob', on: 'b', clock: T + 5 },
      { by: 'alice', on: 'a', clock: T - 3_600_000 },
      { by: 'bob', on: 'b', clock: T - 3_600_000 },
      { by: 'alice', on: 'a', clock: T - 3_600_000 },
      { by: 'alice', on: 'a', clock: T - 3_599_999 },
    ],
    'a clock that steps back one millisecond at a time': Array.from({ length: 20 }, (_, i) => ({
      by: i % 2 ? 'bob' : 'alice',
      on: i % 2 ? 'b' : 'a',
      clock: T - i,
    })),
    'both authors on one device, one millisecond': Array.from({ length: 20 }, (_, i) => ({
      by: i % 2 ? 'bob' : 'alice',
      on: 'a',
      clock: T,
    })),
  };

  function write(writes: Write[], add: (board: Board, origin: { actor: string }, text: string) => void) {
    vi.useFakeTimers({ toFake: ['Date'] });
    const boards = { a: freshBoard(), b: freshBoard() };
    const written: Record<string, string[]> = { alice: [], bob: [] };
    writes.forEach((w, i) => {
      vi.setSystemTime(w.clock);
      const text = `${w.by} ${i}`;
      add(boards[w.on], { actor: w.by }, text);
      written[w.by]!.push(text);
    });
    return { ...boards, written };
  }

  const byAuthor = (items: Array<{ authorId: string; text: string }>, author: string) =>
    items.filter((item) => item.authorId === author).map((item) => item.text);

  for (const [name, writes] of Object.entries(CASES)) {
    it(`${name}: every author's notes list in writing order, the same on both devices whichever syncs first`, () => {
      const { a, b, written } = write(writes, (board, origin, text) => board.addNote(origin, { text, x: 0, y: 0 }));
      // Two more devices that receive the same documents in opposite orders.
      const first = freshBoard();
      const second = freshBoard();
      sync(a.doc, first.doc);
      sync(b.doc, first.doc);
      sync(b.doc, second.doc);
      sync(a.doc, second.doc);
      for (const board of [first, second]) {
        expect(byAuthor(board.notes(), 'alice')).toEqual(written.alice);
        expect(byAuthor(board.notes(), 'bob')).toEqual(written.bob);
      }
      expect(second.notes()).toEqual(first.notes());
      expect(second.notes().map((n) => n.text)).toEqual(first.notes().map((n) => n.text));
    });
  }

  it('holds across collections: hopes, needs, questions and votes of one author keep writing order in one millisecond', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T);
    const board = freshBoard();
    const hopes = Array.from({ length: 10 }, (_, i) => `hope ${i}`);
    for (const hope of hopes) board.addHope(alice, hope);
    expect(board.list('hopes').map((h) => h.text)).toEqual(hopes);
    const needs = Array.from({ length: 10 }, (_, i) => `I needed ${i}`);
    for (const need of needs) board.addNeed(alice, need);
    expect(board.list('needs').map((n) => n.text)).toEqual(needs);
    const questions = Array.from({ length: 5 }, (_, i) => board.addQuestion(alice, `How might we ${i}?`, null));
    expect(board.list('questions').map((q) => q.id)).toEqual(questions);
    const votes = questions.map((q) => board.castVote(alice, q, 5));
    expect(board.list('votes').map((v) => v.id)).toEqual(votes);
    // Retracting takes back the latest vote for that question, as cast: a second vote on the first question.
    const again = board.castVote(alice, questions[0]!, 6);
    board.retractVote(alice, questions[0]!);
    expect(board.list('votes').map((v) => v.id)).toEqual(votes);
    expect(board.get('votes', again)).toBeNull();
  });

  it('a record with an absurd time written by a faulty client does not stop its author from writing', () => {
    const board = freshBoard();
    for (const createdAt of [Number.MAX_SAFE_INTEGER, 1e300, -5, 1.5]) {
      const forged = new Y.Map<unknown>();
      board.doc.transact(() => {
        board.doc.getMap<unknown>('notes').set(`forged-${createdAt}`, forged);
        for (const [key, value] of Object.entries({ authorId: 'alice', text: 'forged', x: 0, y: 0, color: 'yellow', createdAt })) forged.set(key, value);
      });
    }
    const id = board.addNote(alice, { text: 'still mine', x: 0, y: 0 });
    expect(board.note(id)).toMatchObject({ text: 'still mine', authorId: 'alice' });
  });

  it('breaks a tie across authors by author, then id: the same order on every device', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T);
    const [a, b] = pair();
    b.addNote(bob, { text: 'bob first', x: 0, y: 0 });
    a.addNote(alice, { text: 'alice second', x: 0, y: 0 });
    sync(a.doc, b.doc);
    sync(b.doc, a.doc);
    expect(a.notes().map((n) => [n.text, n.createdAt])).toEqual([
      ['alice second', T],
      ['bob first', T],
    ]);
    expect(b.notes()).toEqual(a.notes());
  });

  it('revealed drafts keep their order among themselves, after what their author already has on the board', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T);
    const board = freshBoard();
    board.addNote(alice, { text: 'already on the board', x: 0, y: 0 });
    // Drafts written earlier, on a clock that was behind, all in one millisecond but strictly ordered by the private document's rule.
    const drafts = Array.from({ length: 12 }, (_, i) => ({ id: `d${i}`, authorId: 'alice', createdAt: T - 60_000 + i, text: `draft ${i}`, storyId: null }));
    board.revealDrafts({ actor: 'server' }, 'alice', drafts);
    expect(board.notes().map((n) => n.text)).toEqual(['already on the board', ...drafts.map((d) => d.text)]);
  });
});
