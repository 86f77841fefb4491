import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { Board, BoardError } from '../../shared/board/Board.ts';
import { defaultClusterLabel, liveClusterOf, normalizedText } from '../../shared/board/schema.ts';
import { renderPdf } from '../../server/export/renderPdf.ts';
import { pdfText } from '../pdfText.ts';
import { buildInquiryData } from '../../shared/export/inquiryData.ts';
import { parseInquiry } from '../../shared/export/jsonSchema.ts';
import { renderCsv } from '../../shared/export/renderCsv.ts';
import { renderJson } from '../../shared/export/renderJson.ts';
import { renderMarkdown } from '../../shared/export/renderMarkdown.ts';
import type { CategoryId } from '../../shared/protocol/categories.ts';
import { initialControl } from '../../shared/protocol/control.ts';

const ana = { actor: 'ana' };
const ben = { actor: 'ben' };

// Notes list in creation order, ties across authors broken by author: each note here gets
// its own millisecond, so the order is the order written whatever the machine's speed.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

function boardWith(...notes: Array<[string, CategoryId | null, { actor: string }?]>): { board: Board; ids: string[] } {
  const board = new Board(new Y.Doc());
  const ids = notes.map(([text, category, who]) => {
    vi.setSystemTime(Date.now() + 1);
    const id = board.addNote(who ?? ana, { text, x: 0, y: 0 });
    if (category) board.sortNote(ana, id, category);
    return id;
  });
  return { board, ids };
}

function sync(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

describe('clusters', () => {
  it('dropping a note on another stacks both into a new cluster labelled with the target’s first words', () => {
    const { board, ids } = boardWith(['No time to plan together across grade teams', 'structures'], ['No shared planning time', 'structures', ben]);
    const [target, dropped] = ids as [string, string];
    const clusterId = board.groupNotes(ben, dropped, target);
    expect(board.get('clusters', clusterId)).toMatchObject({ label: 'No time to plan together', category: 'structures', authorId: 'ben' });
    expect(board.note(target)!.clusterId).toBe(clusterId);
    expect(board.note(dropped)!.clusterId).toBe(clusterId);
  });

  it('a note dropped on a clustered note joins that cluster, moving into its category', () => {
    const { board, ids } = boardWith(['a', 'skills'], ['b', 'skills'], ['c', null]);
    const [a, b, c] = ids as [string, string, string];
    const clusterId = board.groupNotes(ana, b, a);
    expect(board.groupNotes(ben, c, b)).toBe(clusterId);
    expect(board.note(c)).toMatchObject({ category: 'skills', clusterId });
    expect(board.list('clusters')).toHaveLength(1);
  });

  it('refuses grouping with oneself or with a note still in the tray', () => {
    const { board, ids } = boardWith(['a', null], ['b', 'skills']);
    const [a, b] = ids as [string, string];
    expect(() => board.groupNotes(ana, b, b)).toThrow(BoardError);
    expect(() => board.groupNotes(ana, b, a)).toThrow(/Sort a note into a category/);
    expect(board.list('clusters')).toHaveLength(0);
  });

  it('a note sorted into another category, or taken out, leaves its cluster; its maker’s empty cluster goes', () => {
    const { board, ids } = boardWith(['a', 'knowledge'], ['b', 'knowledge'], ['c', 'knowledge']);
    const [a, b, c] = ids as [string, string, string];
    const clusterId = board.groupNotes(ana, b, a);
    board.addToCluster(ana, c, clusterId);
    board.sortNote(ben, c, 'skills');
    expect(board.note(c)).toMatchObject({ category: 'skills', clusterId: null });
    board.ungroupNote(ana, b);
    expect(board.note(b)!.clusterId).toBeNull();
    expect(board.get('clusters', clusterId)).not.toBeNull();
    board.ungroupNote(ana, a);
    expect(board.get('clusters', clusterId)).toBeNull();
  });

  it('leaves someone else’s emptied cluster in place (only its author removes it) but it names no note', () => {
    const { board, ids } = boardWith(['a', 'knowledge'], ['b', 'knowledge']);
    const [a, b] = ids as [string, string];
    const clusterId = board.groupNotes(ana, b, a);
    board.ungroupNote(ben, a);
    board.ungroupNote(ben, b);
    expect(board.get('clusters', clusterId)).not.toBeNull();
    expect(board.notes().some((n) => n.clusterId === clusterId)).toBe(false);
  });

  it('anyone renames a cluster, within 60 characters, spaces tidied', () => {
    const { board, ids } = boardWith(['a', 'knowledge'], ['b', 'knowledge']);
    const clusterId = board.groupNotes(ana, ids[1]!, ids[0]!);
    board.renameCluster(ben, clusterId, '  Data   we never see ');
    expect(board.get('clusters', clusterId)!.label).toBe('Data we never see');
    expect(() => board.renameCluster(ben, clusterId, 'x'.repeat(61))).toThrow(/at most 60/);
    expect(board.get('clusters', clusterId)!.label).toBe('Data we never see');
  });

  it('merges exact duplicates (case and spacing aside) into clusters, deleting and rewriting nothing', () => {
    const { board, ids } = boardWith(
      ['No translation process', 'structures'],
      ['  no  translation PROCESS ', 'structures', ben],
      ['No translation process', 'skills'],
      ['Schedules clash', 'structures'],
      ['schedules clash', 'structures', ben],
      ['Nothing like it', 'structures'],
    );
    const result = board.mergeDuplicates(ana, 'structures');
    expect(result).toEqual({ clusters: 2, notes: 4 });
    expect(board.noteCount).toBe(6);
    expect(board.note(ids[1]!)!.text).toBe('  no  translation PROCESS ');
    const [t1, t2, other, s1, s2, alone] = ids.map((id) => board.note(id)!);
    expect(t1!.clusterId).not.toBeNull();
    expect(t2!.clusterId).toBe(t1!.clusterId);
    expect(s2!.clusterId).toBe(s1!.clusterId);
    expect(s1!.clusterId).not.toBe(t1!.clusterId);
    expect(other!.clusterId).toBeNull();
    expect(alone!.clusterId).toBeNull();
    expect(board.mergeDuplicates(ana, 'structures')).toEqual({ clusters: 0, notes: 0 });
  });

  it('merging brings loose duplicates into the cluster one of them is already in', () => {
    const { board, ids } = boardWith(['Same words', 'dispositions'], ['other', 'dispositions'], ['same words', 'dispositions']);
    const [first, other, dup] = ids as [string, string, string];
    const clusterId = board.groupNotes(ana, other, first);
    expect(board.mergeDuplicates(ben, 'dispositions')).toEqual({ clusters: 1, notes: 1 });
    expect(board.note(dup)!.clusterId).toBe(clusterId);
  });

  it('a copy into a second category does not carry the cluster', () => {
    const { board, ids } = boardWith(['a', 'knowledge'], ['b', 'knowledge']);
    board.groupNotes(ana, ids[1]!, ids[0]!);
    const copy = board.duplicateNote(ben, ids[0]!, 'skills');
    expect(board.note(copy)).toMatchObject({ category: 'skills', clusterId: null });
  });

  it('shows a note in no cluster when its cluster is gone or in another category', () => {
    const cluster = { id: 'c', authorId: 'ana', createdAt: 1, label: 'x', category: 'skills' as const };
    const clusters = new Map([['c', cluster]]);
    expect(liveClusterOf({ clusterId: 'c', category: 'skills' }, clusters)).toBe(cluster);
    expect(liveClusterOf({ clusterId: 'c', category: 'knowledge' }, clusters)).toBeNull();
    expect(liveClusterOf({ clusterId: 'gone', category: 'skills' }, clusters)).toBeNull();
    expect(liveClusterOf({ clusterId: 'c', category: null }, clusters)).toBeNull();
  });

  it('two people grouping at once converge to the same board', () => {
    const { board: a, ids } = boardWith(['a', 'skills'], ['b', 'skills'], ['c', 'skills']);
    const b = new Board(new Y.Doc());
    sync(a.doc, b.doc);
    a.groupNotes(ana, ids[1]!, ids[0]!);
    b.groupNotes(ben, ids[2]!, ids[0]!);
    sync(a.doc, b.doc);
    sync(b.doc, a.doc);
    expect(a.notes()).toEqual(b.notes());
    expect(a.list('clusters')).toEqual(b.list('clusters'));
  });

  it('reads a note and a question stored before clusters existed as in no cluster, and can cluster it', () => {
    const doc = new Y.Doc();
    const note = new Y.Map<unknown>();
    const question = new Y.Map<unknown>();
    doc.transact(() => {
      doc.getMap('notes').set('old', note);
      for (const [k, v] of Object.entries({ authorId: 'ana', createdAt: 1, text: 'old words', x: 0, y: 0, color: 'yellow', storyId: null, category: 'skills', copyOf: null })) note.set(k, v);
      doc.getMap('questions').set('q', question);
      for (const [k, v] of Object.entries({ authorId: 'ana', createdAt: 2, text: 'How might we?', category: null, noteIds: [] })) question.set(k, v);
    });
    const board = new Board(doc);
    expect(board.note('old')!.clusterId).toBeNull();
    expect(board.get('questions', 'q')!.clusterId).toBeNull();
    const other = board.addNote(ben, { text: 'new', x: 0, y: 0 });
    const clusterId = board.groupNotes(ben, other, 'old');
    expect(board.note('old')!.clusterId).toBe(clusterId);
  });

  it('labels and normalises text as people read it', () => {
    expect(normalizedText('  No\ttranslation \n PROCESS ')).toBe('no translation process');
    expect(defaultClusterLabel('one two three four five six seven')).toBe('one two three four five');
    expect(defaultClusterLabel('x'.repeat(80)).length).toBeLessThanOrEqual(60);
  });
});

describe('clusters in the export', () => {
  function exported() {
    const { board, ids } = boardWith(['No translation process', 'structures'], ['Letters in English only', 'structures', ben], ['alone', 'structures'], ['x', 'skills']);
    const clusterId = board.groupNotes(ben, ids[1]!, ids[0]!);
    board.renameCluster(ana, clusterId, 'Language');
    // A cluster nobody is in any more is not exported, nor is a question's link to it.
    const third = board.addNote(ben, { text: 'third', x: 0, y: 0 });
    board.sortNote(ben, third, 'structures');
    board.groupNotes(ben, third, ids[2]!);
    board.ungroupNote(ana, third);
    board.ungroupNote(ana, ids[2]!);
    board.deleteNote(ben, third);
    board.addQuestion(ana, 'How might we speak every family’s language?', 'structures', [], clusterId);
    const data = buildInquiryData(
      { board, control: initialControl(90), session: { title: 'March', createdAt: 0, lengthMinutes: 90 }, participants: [] },
      { names: false, now: 0 },
    );
    return { data, ids, clusterId };
  }

  it('lists each cluster with its notes’ count, and notes and questions name theirs; JSON, CSV and Markdown carry it', () => {
    const { data, ids, clusterId } = exported();
    expect(data.clusters).toEqual([{ id: clusterId, label: 'Language', category: 'structures', count: 2 }]);
    expect(data.notes.map((n) => n.clusterId)).toEqual([clusterId, clusterId, null, null]);
    expect(data.questions[0]!.clusterId).toBe(clusterId);
    expect(parseInquiry(JSON.parse(renderJson(data)))).toEqual({ ok: true, data });
    const csv = renderCsv(data);
    expect(csv).toContain(`sort,cluster,${clusterId},Language,,structures`);
    expect(csv).toContain(`cluster:${clusterId}`);
    const md = renderMarkdown(data);
    expect(md).toContain('- **Language** (cluster of 2 notes)\n  - No translation process\n  - Letters in English only');
    expect(md).toContain('- From the cluster “Language”');
  });

  it('the PDF puts each clustered note under its cluster’s label', async () => {
    const { data } = exported();
    const { pages } = await pdfText(await renderPdf(data));
    const all = pages.join(' ').replace(/\s+/g, ' ');
    expect(all).toContain('Language (cluster of 2 notes) No translation process');
    expect(all).toContain('Language (cluster of 2 notes) Letters in English only');
  });

  it('reads an export from before clusters as one with none', () => {
    const { data } = exported();
    const { clusters: _, ...old } = JSON.parse(renderJson(data)) as Record<string, unknown> & { notes: Array<Record<string, unknown>>; questions: Array<Record<string, unknown>> };
    for (const n of old.notes) delete n.clusterId;
    for (const q of old.questions) delete q.clusterId;
    const parsed = parseInquiry(old);
    expect(parsed.ok && parsed.data.clusters).toEqual([]);
    expect(parsed.ok && parsed.data.notes.every((n) => n.clusterId === null)).toBe(true);
  });
});
