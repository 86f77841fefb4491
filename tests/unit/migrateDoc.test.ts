import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { z } from 'zod';
import { Board } from '../../shared/board/Board.ts';
import { DOC_META, describeDocLoad, invalidRecords, migrateDoc, storedVersion, type DocSchema } from '../../shared/board/migrateDoc.ts';
import { BOARD_DOC } from '../../shared/board/schema.ts';
import { MigrationSequence, VersionError } from '../../shared/MigrationSequence.ts';

const server = { actor: 'server' };
const alice = { actor: 'alice' };

/**
 * A layout that exists only in this test: version 2 renames a note's `text`
 * to `body`, as a real change to a record file would add a step to
 * BOARD_DOC's sequence.
 */
const renamed: DocSchema = {
  collections: { notes: z.object({ id: z.string(), authorId: z.string(), body: z.string() }) },
  migrations: new MigrationSequence<Y.Doc>('test document', 1, [
    {
      version: 2,
      name: 'a note’s text is its body',
      up(doc) {
        for (const record of doc.getMap<Y.Map<unknown>>('notes').values()) {
          if (!record.has('text')) continue;
          record.set('body', record.get('text'));
          record.delete('text');
        }
      },
    },
  ]),
};

/** A board of today's layout (version 1, no version stored) with two notes. */
function versionOneBoard(): Y.Doc {
  const board = new Board(new Y.Doc());
  board.addNote(alice, { text: 'No shared planning time', x: 0, y: 0 });
  board.addNote(alice, { text: 'Letters go home in English only', x: 0, y: 0 });
  return board.doc;
}

function updatesOf(doc: Y.Doc, act: () => void): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const listener = (update: Uint8Array) => updates.push(update);
  doc.on('update', listener);
  try {
    act();
  } finally {
    doc.off('update', listener);
  }
  return updates;
}

describe('migrateDoc', () => {
  it('takes a document without a version for version 1 and stamps it with the current one, changing nothing else', () => {
    const doc = versionOneBoard();
    const notes = new Board(doc).notes();
    expect(storedVersion(doc)).toBeUndefined();
    const load = migrateDoc(doc, BOARD_DOC, server);
    expect(load).toEqual({ version: BOARD_DOC.migrations.current, migratedFrom: null });
    expect(storedVersion(doc)).toBe(BOARD_DOC.migrations.current);
    expect(new Board(doc).notes()).toEqual(notes);
  });

  it('runs the steps a stored document is behind, as one update with the given origin', () => {
    const doc = versionOneBoard();
    const origins: unknown[] = [];
    doc.on('update', (_u: Uint8Array, origin: unknown) => origins.push(origin));
    const load = migrateDoc(doc, renamed, server);
    expect(load).toEqual({ version: 2, migratedFrom: 1, });
    expect(origins).toEqual([server]);
    const records = [...doc.getMap<Y.Map<unknown>>('notes').values()].map((r) => r.toJSON());
    expect(records.map((r) => r.body).sort()).toEqual(['Letters go home in English only', 'No shared planning time']);
    expect(records.every((r) => !('text' in r))).toBe(true);
    expect(storedVersion(doc)).toBe(2);
    expect(describeDocLoad({ ...load, invalid: {} })).toBe('migrated from schema version 1 to 2');
  });

  it('is a no-op the second time: no update, nothing migrated', () => {
    const doc = versionOneBoard();
    migrateDoc(doc, renamed, server);
    const before = Y.encodeStateAsUpdate(doc);
    let load;
    expect(updatesOf(doc, () => (load = migrateDoc(doc, renamed, server)))).toEqual([]);
    expect(load).toEqual({ version: 2, migratedFrom: null });
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
    expect(describeDocLoad({ ...load!, invalid: {} })).toBeNull();
  });

  it('sends a replica the migration as an ordinary update: it converges', () => {
    const doc = versionOneBoard();
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    for (const update of updatesOf(doc, () => migrateDoc(doc, renamed, server))) Y.applyUpdate(replica, update);
    expect(replica.getMap('notes').toJSON()).toEqual(doc.getMap('notes').toJSON());
    expect(storedVersion(replica)).toBe(2);
  });

  it('refuses a document a newer server wrote, and changes nothing', () => {
    const doc = versionOneBoard();
    doc.getMap<unknown>(DOC_META).set('schemaVersion', 3);
    const before = Y.encodeStateAsUpdate(doc);
    expect(() => migrateDoc(doc, renamed, server)).toThrow(VersionError);
    expect(() => migrateDoc(doc, renamed, server)).toThrow('test document version 3 was written by a newer server; this one reads up to version 2.');
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('refuses a version that is not one, and leaves a document whose step throws as it was', () => {
    const odd = versionOneBoard();
    odd.getMap<unknown>(DOC_META).set('schemaVersion', 'two');
    expect(() => migrateDoc(odd, renamed, server)).toThrow(/version "two" is not one this server knows/);

    const doc = versionOneBoard();
    const before = Y.encodeStateAsUpdate(doc);
    const failing: DocSchema = {
      collections: renamed.collections,
      migrations: new MigrationSequence<Y.Doc>('test document', 1, [
        {
          version: 2,
          name: 'half done, then fails',
          up(copy) {
            copy.getMap('notes').clear();
            throw new Error('step failed');
          },
        },
      ]),
    };
    expect(updatesOf(doc, () => expect(() => migrateDoc(doc, failing, server)).toThrow('step failed'))).toEqual([]);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('counts, per collection, the records that fail their schema', () => {
    const doc = versionOneBoard();
    doc.transact(() => {
      doc.getMap<unknown>('notes').set('not-a-map', 'just a string');
      doc.getMap<unknown>('votes').set('empty', new Y.Map());
    });
    const load = { ...migrateDoc(doc, BOARD_DOC, server), invalid: invalidRecords(doc, BOARD_DOC) };
    expect(load.invalid).toEqual({ notes: 1, votes: 1 });
    expect(describeDocLoad(load)).toBe('records that fail their schema and are not shown: 1 in notes, 1 in votes');
  });
});

describe('MigrationSequence', () => {
  it('needs each step to bring the version one further', () => {
    expect(() => new MigrationSequence<number>('test', 1, [{ version: 3, name: 'skips 2', up: (n) => n }])).toThrow(/must bring version 1 to 2/);
  });

  it('runs only the steps after the given version, in order', () => {
    const sequence = new MigrationSequence<string[]>('test', 1, [
      { version: 2, name: 'two', up: (log) => [...log, 'two'] },
      { version: 3, name: 'three', up: (log) => [...log, 'three'] },
    ]);
    expect(sequence.current).toBe(3);
    expect(sequence.migrate([], 1)).toEqual(['two', 'three']);
    expect(sequence.migrate([], 2)).toEqual(['three']);
    expect(sequence.migrate([], 3)).toEqual([]);
    expect(() => sequence.migrate([], 0)).toThrow(VersionError);
  });
});
