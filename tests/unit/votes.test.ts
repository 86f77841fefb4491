import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Board, BoardError } from '../../shared/board/Board.ts';
import type { Vote } from '../../shared/board/schema.ts';
import { countedVotes, tallyVotes, votesLeft } from '../../shared/board/votes.ts';

const alice = { actor: 'alice' };
const bob = { actor: 'bob' };

function sync(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

/** A board with two questions on it. */
function boardWithQuestions(): { board: Board; q1: string; q2: string } {
  const board = new Board(new Y.Doc());
  const q1 = board.addQuestion(alice, 'How might we reach every family?', 'structures');
  const q2 = board.addQuestion(bob, 'How might we see our discipline data by race?', 'knowledge');
  return { board, q1, q2 };
}

const vote = (authorId: string, questionId: string, createdAt: number, id = `${authorId}-${createdAt}`): Vote => ({
  id,
  authorId,
  questionId,
  createdAt,
});

describe('castVote', () => {
  it('allows exactly votesPerPerson votes, then throws and stores nothing more', () => {
    const { board, q1, q2 } = boardWithQuestions();
    board.castVote(alice, q1, 3);
    board.castVote(alice, q2, 3);
    board.castVote(alice, q1, 3);
    expect(() => board.castVote(alice, q2, 3)).toThrow(BoardError);
    expect(() => board.castVote(alice, q2, 3)).toThrow(/all 3/);
    expect(board.list('votes').filter((v) => v.authorId === 'alice')).toHaveLength(3);
    expect(votesLeft(board.list('votes'), 'alice', 3)).toBe(0);
  });

  it('counts each voter separately', () => {
    const { board, q1 } = boardWithQuestions();
    board.castVote(alice, q1, 1);
    expect(() => board.castVote(alice, q1, 1)).toThrow(BoardError);
    board.castVote(bob, q1, 1);
    expect(tallyVotes(board.list('votes'), 1).get(q1)).toBe(2);
  });

  it('refuses a vote once the limit is lowered below what was cast', () => {
    const { board, q1 } = boardWithQuestions();
    board.castVote(alice, q1, 3);
    board.castVote(alice, q1, 3);
    expect(() => board.castVote(alice, q1, 1)).toThrow(BoardError);
    expect(board.list('votes')).toHaveLength(2);
  });

  it('refuses a vote on a question that is gone', () => {
    const { board } = boardWithQuestions();
    expect(() => board.castVote(alice, 'no-such-question', 3)).toThrow(BoardError);
    expect(board.list('votes')).toEqual([]);
  });

  it('retractVote gives a vote back, and only the voter’s own', () => {
    const { board, q1, q2 } = boardWithQuestions();
    board.castVote(alice, q1, 2);
    board.castVote(alice, q2, 2);
    board.castVote(bob, q1, 2);
    board.retractVote(alice, q1);
    expect(board.list('votes').map((v) => [v.authorId, v.questionId])).toEqual(
      expect.arrayContaining([
        ['alice', q2],
        ['bob', q1],
      ]),
    );
    expect(board.list('votes')).toHaveLength(2);
    expect(votesLeft(board.list('votes'), 'alice', 2)).toBe(1);
    board.castVote(alice, q1, 2);
    board.retractVote(bob, q2); // bob never voted for q2: nothing happens
    expect(board.list('votes')).toHaveLength(3);
  });
});

describe('tallyVotes', () => {
  it('counts votes per question', () => {
    const votes = [vote('alice', 'q1', 1), vote('alice', 'q2', 2), vote('bob', 'q1', 3), vote('cleo', 'q1', 4)];
    expect(Object.fromEntries(tallyVotes(votes, 3))).toEqual({ q1: 3, q2: 1 });
  });

  it('counts at most perPerson votes of each voter: the earliest ones', () => {
    const votes = [vote('alice', 'q2', 5), vote('alice', 'q1', 1), vote('alice', 'q1', 2), vote('alice', 'q3', 9), vote('bob', 'q3', 1)];
    expect(Object.fromEntries(tallyVotes(votes, 2))).toEqual({ q1: 2, q3: 1 });
    expect(countedVotes(votes, 2).filter((v) => v.authorId === 'alice').map((v) => v.createdAt)).toEqual([1, 2]);
  });

  it('breaks a tie in time by id, whatever order the votes come in', () => {
    const votes = [vote('alice', 'q1', 7, 'b'), vote('alice', 'q2', 7, 'a')];
    expect(Object.fromEntries(tallyVotes(votes, 1))).toEqual({ q2: 1 });
    expect(Object.fromEntries(tallyVotes([...votes].reverse(), 1))).toEqual({ q2: 1 });
  });

  it('counts nothing for perPerson 0 and ignores a negative one', () => {
    const votes = [vote('alice', 'q1', 1)];
    expect(tallyVotes(votes, 0).size).toBe(0);
    expect(countedVotes(votes, -1)).toEqual([]);
  });
});

describe('votes cast concurrently over the limit', () => {
  it('two tabs of one voter each cast the last vote; after merging the tally counts only perPerson', () => {
    const { board: a, q1, q2 } = boardWithQuestions();
    const b = new Board(new Y.Doc());
    a.castVote(alice, q1, 3);
    a.castVote(alice, q1, 3);
    sync(a.doc, b.doc);

    // Offline from each other, both tabs see one vote left and use it.
    a.castVote(alice, q1, 3);
    b.castVote(alice, q2, 3);
    sync(a.doc, b.doc);
    sync(b.doc, a.doc);

    expect(a.list('votes')).toHaveLength(4); // all stored: a CRDT merge cannot refuse one
    for (const board of [a, b]) {
      const tally = tallyVotes(board.list('votes'), 3);
      expect([...tally.values()].reduce((x, y) => x + y, 0)).toBe(3);
      expect(votesLeft(board.list('votes'), 'alice', 3)).toBe(0);
      expect(() => board.castVote(alice, q1, 3)).toThrow(BoardError);
    }
    expect(tallyVotes(a.list('votes'), 3)).toEqual(tallyVotes(b.list('votes'), 3));
  });

  it('every voter is capped separately, and both documents agree whichever merges first', () => {
    const { board: a, q1, q2 } = boardWithQuestions();
    const b = new Board(new Y.Doc());
    sync(a.doc, b.doc);
    for (let i = 0; i < 2; i++) {
      a.castVote(alice, q1, 2);
      b.castVote(alice, q2, 2);
      a.castVote(bob, q2, 2);
      b.castVote(bob, q2, 2);
    }
    sync(b.doc, a.doc);
    sync(a.doc, b.doc);

    const tallyA = tallyVotes(a.list('votes'), 2);
    expect(tallyA).toEqual(tallyVotes(b.list('votes'), 2));
    const counted = countedVotes(a.list('votes'), 2);
    expect(counted.filter((v) => v.authorId === 'alice')).toHaveLength(2);
    expect(counted.filter((v) => v.authorId === 'bob')).toHaveLength(2);
    expect((tallyA.get(q1) ?? 0) + (tallyA.get(q2) ?? 0)).toBe(4);
    expect(tallyA.get(q2)).toBeGreaterThanOrEqual(2); // bob's two
  });
});
