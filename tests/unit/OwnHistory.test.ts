import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Board } from '../../shared/board/Board.ts';
import { OwnHistory } from '../../shared/board/OwnHistory.ts';
import { personOrigin } from '../../shared/board/origins.ts';

/** Two people's copies of one board, kept in sync as the network would. */
function room() {
  const docs = [new Y.Doc(), new Y.Doc()] as const;
  docs[0].on('update', (update: Uint8Array, origin: unknown) => origin !== 'net' && Y.applyUpdate(docs[1], update, 'net'));
  docs[1].on('update', (update: Uint8Array, origin: unknown) => origin !== 'net' && Y.applyUpdate(docs[0], update, 'net'));
  const ana = { board: new Board(docs[0]), origin: personOrigin('ana') };
  const ben = { board: new Board(docs[1]), origin: personOrigin('ben') };
  const history = new OwnHistory(docs[0], ana.origin);
  opened.push(history);
  return { ana, ben, history };
}

const opened: OwnHistory[] = [];
afterEach(() => {
  for (const history of opened.splice(0)) history.destroy();
});

describe('OwnHistory: undo and redo of one person’s own board actions', () => {
  it('undoes and redoes an added note, on both copies', () => {
    const { ana, ben, history } = room();
    expect(history.canUndo).toBe(false);
    const id = ana.board.addNote(ana.origin, { text: 'No shared planning time', x: 0, y: 0 });
    expect(history.canUndo).toBe(true);
    expect(history.undo()).toBe(true);
    expect(ben.board.note(id)).toBeNull();
    expect(history.canRedo).toBe(true);
    expect(history.redo()).toBe(true);
    expect(ben.board.note(id)?.text).toBe('No shared planning time');
  });

  it('never undoes someone else’s work: only the person’s own changes leave the stack', () => {
    const { ana, ben, history } = room();
    const bens = ben.board.addNote(ben.origin, { text: 'Ben’s note', x: 0, y: 0 });
    expect(history.canUndo).toBe(false);
    history.stopMerging();
    ana.board.moveNote(ana.origin, bens, 300, 40);
    history.stopMerging();
    const anas = ana.board.addNote(ana.origin, { text: 'Ana’s note', x: 10, y: 10 });
    history.undo();
    expect(ana.board.note(anas)).toBeNull();
    history.undo();
    // Ana's move is reverted; Ben's note itself stays.
    expect(ben.board.note(bens)).toMatchObject({ text: 'Ben’s note', x: 0, y: 0 });
    expect(history.canUndo).toBe(false);
  });

  it('keeps a later change by someone else to the same field', () => {
    const { ana, ben, history } = room();
    const id = ben.board.addNote(ben.origin, { text: 'Shared', x: 0, y: 0 });
    ana.board.sortNote(ana.origin, id, 'structures');
    ben.board.sortNote(ben.origin, id, 'skills');
    history.undo();
    expect(ana.board.note(id)?.category).toBe('skills');
    expect(ben.board.note(id)?.category).toBe('skills');
  });

  it('undoes an edit of one’s own note but keeps another person’s move of it', () => {
    const { ana, ben, history } = room();
    const id = ana.board.addNote(ana.origin, { text: 'First words', x: 0, y: 0 });
    history.stopMerging();
    ana.board.editNote(ana.origin, id, 'Second words');
    ben.board.moveNote(ben.origin, id, 500, 500);
    history.undo();
    expect(ben.board.note(id)).toMatchObject({ text: 'First words', x: 500, y: 500 });
  });

  it('merges a drag’s many moves into one step', () => {
    const { ana, history } = room();
    const id = ana.board.addNote(ana.origin, { text: 'Dragged', x: 0, y: 0 });
    history.stopMerging();
    for (let x = 10; x <= 200; x += 10) ana.board.moveNote(ana.origin, id, x, 0);
    history.undo();
    expect(ana.board.note(id)).toMatchObject({ x: 0, y: 0 });
  });

  it('tells its listeners when the stacks change', () => {
    const { ana, history } = room();
    let calls = 0;
    const stop = history.onChange(() => calls++);
    ana.board.addNote(ana.origin, { text: 'A', x: 0, y: 0 });
    history.undo();
    expect(calls).toBeGreaterThanOrEqual(2);
    stop();
    const before = calls;
    history.redo();
    expect(calls).toBe(before);
  });
});
