import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../server/storage/sqlite/migrations.ts';
import { DATABASE_FILE_NAME, SqliteStore } from '../../server/storage/sqlite/SqliteStore.ts';
import { initialControl } from '../../shared/protocol/control.ts';
import { storageContract } from '../storage/storageContract.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await fs.rm(dir, { recursive: true, force: true });
});

async function freshFile(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'howmight-store-'));
  dirs.push(dir);
  return path.join(dir, DATABASE_FILE_NAME);
}

storageContract('SQLite', async () => new SqliteStore(await freshFile()));

describe('SQLite migrations', () => {
  it('numbers the rows of a database from before seq per document, densely, in their stored order', async () => {
    const file = await freshFile();
    // A database as the first schema left it: one global seq across documents, a snapshot covering nothing numbered.
    const old = new Database(file);
    old.exec(MIGRATIONS[0]!);
    old.pragma('user_version = 1');
    old.prepare('INSERT INTO sessions (id, title, length_minutes, join_code, created_at, control) VALUES (?, ?, ?, ?, ?, ?)')
      .run('s1', 'Old', 90, 'OLD111', 1, JSON.stringify(initialControl(90)));
    const insert = old.prepare('INSERT INTO doc_updates (session_id, doc_name, data) VALUES (?, ?, ?)');
    const order = ['a', 'b', 'a', 'a', 'b'];
    order.forEach((doc, i) => insert.run('s1', doc, Buffer.from([i])));
    old.prepare('INSERT INTO doc_snapshots (doc_name, session_id, data, updated_at) VALUES (?, ?, ?, ?)').run('b', 's1', Buffer.from([9]), 1);
    old.close();

    const store = new SqliteStore(file);
    try {
      expect(await store.documents.load('a')).toEqual({
        snapshot: null,
        snapshotSeq: 0,
        updates: [0, 2, 3].map((byte, i) => ({ seq: i + 1, update: new Uint8Array([byte]) })),
      });
      expect(await store.documents.load('b')).toEqual({
        snapshot: new Uint8Array([9]),
        snapshotSeq: 0,
        updates: [1, 4].map((byte, i) => ({ seq: i + 1, update: new Uint8Array([byte]) })),
      });
      expect(await store.documents.append([{ sessionId: 's1', docName: 'a', update: new Uint8Array([7]) }])).toEqual([4]);
    } finally {
      await store.close();
    }
  });
});
