import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { Board, BoardError } from '../../shared/board/Board.ts';
import { PrivateBoard, type PrivateChanges } from '../../shared/board/PrivateBoard.ts';
import { COLLECTION_NAMES, LIMITS, privateDocName } from '../../shared/board/schema.ts';

const ada = { actor: 'ada' };
const server = { actor: 'server' };
const story = { who: 'A Grade 7 family', what: 'Letters home went unanswered', did: 'Sent another letter', ended: 'Still no reply' };

function fresh(): PrivateBoard {
  return new PrivateBoard(new Y.Doc());
}

function sync(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

describe('privateDocName', () => {
  it('names one document per participant, distinct from the board', () => {
    expect(privateDocName('s1', 'p1')).toBe('s1.private.p1');
    expect(privateDocName('s1', 'p1')).not.toBe(privateDocName('s1', 'p2'));
    expect(privateDocName('s1', 'p1')).not.toBe('s1');
  });
});

describe('story draft', () => {
  it('starts empty, then keeps one draft that later saves update', () => {
    const drafts = fresh();
    expect(drafts.storyDraft()).toBeNull();
    drafts.saveStoryDraft(ada, story);
    const first = drafts.storyDraft()!;
    expect(first).toMatchObject({ authorId: 'ada', ...story });

    drafts.saveStoryDraft(ada, { ...story, ended: 'We met on Friday' });
    expect(drafts.storyDraft()).toEqual({ ...first, ended: 'We met on Friday' });
    expect(drafts.doc.getMap('storyDrafts').size).toBe(1);
  });

  it('saves only the story fields when given a whole draft record (the server refuses any other field)', () => {
    const drafts = fresh();
    drafts.saveStoryDraft(ada, story);
    const saved = drafts.storyDraft()!;
    drafts.saveStoryDraft(ada, { ...saved, who: 'Another family', id: 'not-a-field', authorId: 'someone', createdAt: 1 } as typeof saved);
    const record = drafts.doc.getMap<Y.Map<unknown>>('storyDrafts').get(saved.id)!;
    expect([...record.keys()].sort()).toEqual(['authorId', 'createdAt', 'did', 'ended', 'what', 'who']);
    expect(drafts.storyDraft()).toMatchObject({ who: 'Another family', authorId: 'ada', createdAt: saved.createdAt });
  });

  it('rejects a field longer than the limit and keeps the saved draft', () => {
    const drafts = fresh();
    drafts.saveStoryDraft(ada, story);
    expect(() => drafts.saveStoryDraft(ada, { ...story, what: 'x'.repeat(LIMITS.storyField + 1) })).toThrow(BoardError);
    expect(drafts.storyDraft()!.what).toBe(story.what);
  });
});

describe('cause drafts', () => {
  it('adds, edits and removes drafts, listed in writing order', () => {
    const drafts = fresh();
    const first = drafts.addCauseDraft(ada, 'No time for home visits', 'story-1');
    const second = drafts.addCauseDraft(ada, 'We never asked families', null);
    expect(drafts.causeDrafts().map((d) => [d.id, d.text, d.storyId, d.authorId])).toEqual([
      [first, 'No time for home visits', 'story-1', 'ada'],
      [second, 'We never asked families', null, 'ada'],
    ]);
    drafts.editCauseDraft(ada, second, 'We never asked families what works');
    drafts.removeCauseDraft(ada, first);
    expect(drafts.causeDrafts().map((d) => d.text)).toEqual(['We never asked families what works']);
  });

  it('rejects a draft longer than a note can hold', () => {
    const drafts = fresh();
    expect(() => drafts.addCauseDraft(ada, 'x'.repeat(LIMITS.noteText + 1), null)).toThrow(BoardError);
    expect(drafts.causeDrafts()).toEqual([]);
  });

  it('clearCauseDrafts removes the given drafts in one transaction and keeps any written since', () => {
    const drafts = fresh();
    const ids = [drafts.addCauseDraft(ada, 'one', null), drafts.addCauseDraft(ada, 'two', null)];
    const later = drafts.addCauseDraft(ada, 'written after the reveal started', null);
    let transactions = 0;
    drafts.doc.on('afterTransaction', () => transactions++);
    drafts.clearCauseDrafts(server, ids);
    expect(transactions).toBe(1);
    expect(drafts.causeDrafts().map((d) => d.id)).toEqual([later]);
    drafts.clearCauseDrafts(server, ids); // already gone: nothing to do
    expect(drafts.causeDrafts().map((d) => d.id)).toEqual([later]);
  });

  it('a half-written draft survives a reload (the document encoded and loaded again)', () => {
    const drafts = fresh();
    drafts.addCauseDraft(ada, 'Half a thou', 'story-1');
    drafts.saveStoryDraft(ada, { ...story, ended: '' });
    const reloaded = new PrivateBoard(new Y.Doc());
    Y.applyUpdate(reloaded.doc, Y.encodeStateAsUpdate(drafts.doc));
    expect(reloaded.causeDrafts()).toEqual(drafts.causeDrafts());
    expect(reloaded.storyDraft()).toEqual(drafts.storyDraft());
  });

  it('the author’s two tabs converge', () => {
    const tab1 = fresh();
    const tab2 = fresh();
    tab1.addCauseDraft(ada, 'from tab 1', null);
    tab2.addCauseDraft(ada, 'from tab 2', null);
    sync(tab1.doc, tab2.doc);
    sync(tab2.doc, tab1.doc);
    expect(tab1.causeDrafts()).toEqual(tab2.causeDrafts());
    expect(tab1.causeDrafts().map((d) => d.text).sort()).toEqual(['from tab 1', 'from tab 2']);
  });
});

describe('observe', () => {
  it('reports the drafts a transaction touched, per collection', () => {
    const drafts = fresh();
    const seen: Array<{ changes: PrivateChanges; local: boolean }> = [];
    const stop = drafts.observe((changes, local) => seen.push({ changes, local }));
    const id = drafts.addCauseDraft(ada, 'x', null);
    drafts.editCauseDraft(ada, id, 'y');
    drafts.saveStoryDraft(ada, story);
    expect(seen.map((s) => [...s.changes.keys()])).toEqual([['causeDrafts'], ['causeDrafts'], ['storyDrafts']]);
    expect([...seen[1]!.changes.get('causeDrafts')!]).toEqual([id]);
    expect(seen.every((s) => s.local)).toBe(true);
    stop();
    drafts.removeCauseDraft(ada, id);
    expect(seen).toHaveLength(3);
  });
});

describe('drafts and the shared board', () => {
  it('use different maps: drafts never show up as board records', () => {
    const doc = new Y.Doc();
    const drafts = new PrivateBoard(doc);
    drafts.addCauseDraft(ada, 'private cause', null);
    drafts.saveStoryDraft(ada, story);
    const board = new Board(doc);
    for (const name of COLLECTION_NAMES) expect(board.list(name), name).toEqual([]);
  });

  it('a revealed draft becomes a note under its author and can be cleared from the drafts', () => {
    const drafts = fresh();
    drafts.addCauseDraft(ada, 'Schedules leave no time', 'story-1');
    const board = new Board(new Y.Doc());
    const ids = board.revealDrafts(server, 'ada', drafts.causeDrafts());
    drafts.clearCauseDrafts(server, drafts.causeDrafts().map((d) => d.id));
    expect(board.notes().map((n) => [n.id, n.text, n.authorId, n.storyId])).toEqual([[ids[0], 'Schedules leave no time', 'ada', 'story-1']]);
    expect(drafts.causeDrafts()).toEqual([]);
  });

  it('drafts written in one millisecond, or while the clock steps back, list and reveal in writing order', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const drafts = fresh();
      const texts = Array.from({ length: 30 }, (_, i) => `cause ${i}`);
      texts.forEach((text, i) => {
        // Ten in one millisecond, then a clock that goes back one millisecond per draft.
        vi.setSystemTime(1_700_000_000_000 - Math.max(0, i - 10));
        drafts.addCauseDraft(ada, text, null);
      });
      expect(drafts.causeDrafts().map((d) => d.text)).toEqual(texts);
      const board = new Board(new Y.Doc());
      board.revealDrafts(server, 'ada', drafts.causeDrafts());
      expect(board.notes().map((n) => n.text)).toEqual(texts);
    } finally {
      vi.useRealTimers();
    }
  });
});
