import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Board, BoardError } from '../../shared/board/Board.ts';
import { ANONYMOUS_ACTOR, ANONYMOUS_ORIGIN, SERVER_ORIGIN } from '../../shared/board/origins.ts';
import { PrivateBoard } from '../../shared/board/PrivateBoard.ts';
import { PRIVATE_RULES } from '../../shared/board/writeRules.ts';
import { anonymousNoteRequestSchema } from '../../shared/protocol/anonymousNote.ts';

/** The anonymous mode's pieces in shared/: the reveal's anonymous notes, the writer's claims, the request schema. */

const T0 = 1_700_000_000_000;
const draft = (text: string, storyId: string | null = null, createdAt = T0) => ({ id: `d-${text}`, authorId: 'ada', createdAt, text, storyId });

describe('an anonymous reveal', () => {
  it('writes the marker as author, no story and the reveal time, never the draft’s', () => {
    const board = new Board(new Y.Doc());
    const reveal = T0 + 60_000;
    const ids = board.revealDrafts(ANONYMOUS_ORIGIN, ANONYMOUS_ACTOR, [draft('No time', 'story-of-ada', T0 + 5), draft('No data', null, T0 + 9)], reveal);
    expect(ids).toHaveLength(2);
    expect(board.notes().map((n) => [n.text, n.authorId, n.storyId])).toEqual([
      ['No time', ANONYMOUS_ACTOR, null],
      ['No data', ANONYMOUS_ACTOR, null],
    ]);
    // One author's records keep strictly increasing times, so they start at the reveal and go up by one.
    expect(board.notes().map((n) => n.createdAt)).toEqual([reveal, reveal + 1]);
  });

  it('an attributed reveal keeps the author, story and time as before', () => {
    const board = new Board(new Y.Doc());
    board.revealDrafts(SERVER_ORIGIN, 'ada', [draft('No time', 'story-of-ada', T0 + 5)]);
    expect(board.notes()[0]).toMatchObject({ authorId: 'ada', storyId: 'story-of-ada', createdAt: T0 + 5 });
  });

  it('only the marker (the server) edits and deletes an anonymous note; nobody else may', () => {
    const board = new Board(new Y.Doc());
    const [id] = board.revealDrafts(ANONYMOUS_ORIGIN, ANONYMOUS_ACTOR, [draft('No time')], T0);
    expect(() => board.editNote({ actor: 'ada' }, id!, 'mine?')).toThrow(BoardError);
    board.editNote(ANONYMOUS_ORIGIN, id!, 'Rewritten');
    expect(board.note(id!)!.text).toBe('Rewritten');
    board.moveNote({ actor: 'ben' }, id!, 300, 300);
    expect(board.note(id!)).toMatchObject({ x: 300, y: 300 });
  });

  it('adds a note under the id its writer chose, once', () => {
    const board = new Board(new Y.Doc());
    board.addNote(ANONYMOUS_ORIGIN, { text: '', x: 0, y: 0 }, 'chosenId0001');
    expect(board.note('chosenId0001')).toMatchObject({ authorId: ANONYMOUS_ACTOR });
    expect(() => board.addNote(ANONYMOUS_ORIGIN, { text: '', x: 0, y: 0 }, 'chosenId0001')).toThrow(BoardError);
  });
});

describe('the writer’s claims, in their private document', () => {
  it('list, answer and release the notes the server put up for them', () => {
    const mine = new PrivateBoard(new Y.Doc());
    mine.claimAnonymousNote(SERVER_ORIGIN, 'n1');
    mine.claimAnonymousNote(SERVER_ORIGIN, 'n2');
    expect(mine.anonymousNoteIds().sort()).toEqual(['n1', 'n2']);
    expect(mine.ownsAnonymousNote('n1')).toBe(true);
    expect(mine.ownsAnonymousNote('n3')).toBe(false);
    mine.releaseAnonymousNote(SERVER_ORIGIN, 'n1');
    expect(mine.anonymousNoteIds()).toEqual(['n2']);
  });

  it('are the server’s alone: the write rule lets no participant add one', () => {
    expect(PRIVATE_RULES.anonymousNotes).toMatchObject({ creators: 'facilitator', shared: [], quota: 0 });
  });
});

describe('the anonymousNote request', () => {
  it('takes add, edit and delete with their fields, and nothing else', () => {
    expect(anonymousNoteRequestSchema.safeParse({ action: 'add', id: 'abcdefgh', x: 1, y: 2, color: 'pink' }).success).toBe(true);
    expect(anonymousNoteRequestSchema.safeParse({ action: 'edit', id: 'abcdefgh', text: 'New words' }).success).toBe(true);
    expect(anonymousNoteRequestSchema.safeParse({ action: 'delete', id: 'abcdefgh' }).success).toBe(true);
    for (const bad of [
      { action: 'edit', id: 'abcdefgh', text: 'x'.repeat(501) },
      { action: 'edit', id: 'short', text: 'ok' },
      { action: 'edit', id: '../../etc/passwd', text: 'ok' },
      { action: 'add', id: 'abcdefgh', x: 1e9, y: 0 },
      { action: 'add', id: 'abcdefgh', x: 0, y: 0, color: 'black' },
      { action: 'claim', id: 'abcdefgh' },
      { action: 'revealLate', id: 'abcdefgh', extra: 1 },
      { id: 'abcdefgh' },
      null,
    ]) {
      expect(anonymousNoteRequestSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
