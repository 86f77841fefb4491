import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Board, FACILITATOR_ACTOR } from '../../shared/board/Board.ts';
import { COLLECTION_NAMES } from '../../shared/board/schema.ts';
import { notTaken, type Snapshot } from '../../client/lib/notTaken.ts';
import { plainReason } from '../../client/lib/plainReason.ts';
import { retryCommand } from '../../client/lib/retryCommand.ts';
import { hasUnsent, unsentOnto } from '../../client/lib/unsentOnto.ts';

const ana = { actor: 'ana' };
const facilitator = { actor: FACILITATOR_ACTOR };

function read(doc: Y.Doc): Snapshot {
  const board = new Board(doc);
  return Object.fromEntries(COLLECTION_NAMES.map((name) => [name, board.list(name)]));
}

function copyOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

const note = (id: string, authorId: string, text: string) => ({ id, authorId, text, x: 0, y: 0 });

describe('notTaken', () => {
  it('finds records of this author that are missing on the server or whose words differ', () => {
    const local: Snapshot = {
      notes: [note('a', 'ana', 'Kept'), note('b', 'ana', 'Edited here'), note('c', 'ana', 'New here'), note('d', 'ben', 'Not mine')],
    };
    const server: Snapshot = { notes: [note('a', 'ana', 'Kept'), note('b', 'ana', 'Before'), note('d', 'ben', 'Changed by Ben')] };
    const items = notTaken(local, server, 'ana');
    expect(items.map((i) => [i.collection, i.label, i.text, i.record.id])).toEqual([
      ['notes', 'Note', 'Edited here', 'b'],
      ['notes', 'Note', 'New here', 'c'],
    ]);
  });

  it('ignores moves and sorting, empty records and records without words', () => {
    const local: Snapshot = {
      notes: [{ ...note('a', 'ana', 'Same'), x: 400, category: 'skills' }, note('e', 'ana', '   ')],
      votes: [{ id: 'v', authorId: 'ana', questionId: 'q' }],
    };
    expect(notTaken(local, { notes: [note('a', 'ana', 'Same')] }, 'ana')).toEqual([]);
  });

  it('labels each field of a story and a commitment, one per line', () => {
    const story = { id: 's', authorId: 'ana', who: 'A family', what: 'They missed the meeting', did: '', ended: 'Nobody called' };
    const [item] = notTaken({ stories: [story] }, {}, 'ana');
    expect(item?.label).toBe('Your story');
    expect(item?.text).toBe('Who was involved: A family\nWhat happened: They missed the meeting\nHow it ended: Nobody called');
    const commitment = { id: 'c', authorId: 'ana', action: 'Call two families', notice: 'Who answers', partner: 'Ben', date: '' };
    expect(notTaken({ commitments: [commitment] }, { commitments: [{ ...commitment, partner: 'Chloe' }] }, 'ana')[0]?.text).toBe(
      'What I will try: Call two families\nHow I will notice: Who answers\nPeer partner: Ben',
    );
  });
});

describe('unsentOnto + notTaken: what a refused update left behind', () => {
  it('reports the refused edit and the new note, not a newer server edit this device had not seen', () => {
    const device = new Y.Doc();
    const mine = new Board(device);
    const first = mine.addNote(ana, { text: 'First', x: 0, y: 0 });
    const second = mine.addNote(ana, { text: 'Second', x: 200, y: 0 });
    // The server has everything so far; then the device goes offline.
    const server = copyOf(device);
    mine.editNote(ana, first, 'First, edited offline');
    mine.addNote(ana, { text: 'Written offline', x: 0, y: 200 });
    // Meanwhile the facilitator tidies Ana's second note on the server.
    new Board(server).editNote(facilitator, second, 'Second, tidied by the facilitator');

    // The device's update is refused; a fresh doc syncs from the server alone.
    const fresh = copyOf(server);
    const items = notTaken(read(unsentOnto(device, fresh)), read(fresh), ana.actor);
    expect(items.map((i) => i.text).sort()).toEqual(['First, edited offline', 'Written offline']);

    // Comparing the stale copy directly would wrongly claim the second note too.
    expect(notTaken(read(device), read(fresh), ana.actor).map((i) => i.text)).toContain('Second');
  });

  it('finds nothing when everything reached the server', () => {
    const device = new Y.Doc();
    new Board(device).addNote(ana, { text: 'Synced', x: 0, y: 0 });
    const fresh = copyOf(device);
    expect(notTaken(read(unsentOnto(device, fresh)), read(fresh), ana.actor)).toEqual([]);
    expect(hasUnsent(device, fresh)).toBe(false);
    new Board(device).addNote(ana, { text: 'Not yet sent', x: 0, y: 0 });
    expect(hasUnsent(device, fresh)).toBe(true);
  });
});

describe('retryCommand', () => {
  it('edits a refused note that is still on the board, and writes a new one that is not', () => {
    const device = new Y.Doc();
    const board = new Board(device);
    const kept = board.addNote(ana, { text: 'Before', x: 10, y: 20 });
    const local: Snapshot = {
      notes: [
        { ...board.note(kept)!, text: 'Edited, refused' },
        { ...board.note(kept)!, id: 'gone', text: 'Added, refused', x: 300, color: 'pink' },
      ],
    };
    for (const item of notTaken(local, read(device), ana.actor)) {
      const command = retryCommand(item);
      expect(command?.board?.(board, ana)).toBe(true);
    }
    expect(board.notes().map((n) => [n.text, n.x, n.color])).toEqual([
      ['Edited, refused', 10, 'yellow'],
      ['Added, refused', 300, 'pink'],
    ]);
  });

  it('has nothing to retry for an item without a record', () => {
    expect(retryCommand({ collection: '', label: 'A change', text: '', record: { id: '', authorId: 'ana' } })).toBeNull();
  });
});

describe('plainReason', () => {
  it.each([
    ['Update refused: the board is locked', 'The facilitator locked the board'],
    ['Update refused: notes: this step does not take them now', 'The meeting had moved on to another step'],
    ['Update refused: notes go on the board after the reveal', 'Notes go on the board after the facilitator reveals them'],
    ['Update refused: notes: only its author can change text', 'Only its author can change that'],
    ['Update refused: notes: only its author can remove it', 'Only its author can change that'],
    ['Update refused: hopes: at most 5 per person', 'You reached the limit of 5'],
    ['Update refused: the board is full (2000 items)', 'The board is full'],
    ['Update refused: the board holds at most 5 MB', 'The board is full'],
    ['Update refused: voting is not open', 'Voting was not open'],
    ['Update refused: something new', 'Something new'],
    ['Malformed message.', 'Malformed message'],
    ['', 'The server did not take it'],
  ])('%s → %s', (reason, words) => {
    expect(plainReason(reason)).toBe(words);
  });
});
