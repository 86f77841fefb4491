import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Board } from '../../shared/board/Board.ts';
import { SessionService } from '../../server/sessions/SessionService.ts';
import { SqliteStore } from '../../server/storage/sqlite/SqliteStore.ts';
import { WalSync } from '../../server/storage/sqlite/WalSync.ts';
import { atStep, connectYjs, createSession, join, sleep, sqliteOf, startTestServer, useCleanup, waitFor } from './helpers.ts';

useCleanup();

/** The notes a copy of the main database file alone holds for a board (snapshot + log). */
async function notesInMainFileOnly(dataDir: string, docName: string): Promise<string[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'howmight-mainonly-'));
  try {
    // Only the .sqlite file: whatever still sits in -wal is not in the copy.
    await fs.copyFile(path.join(dataDir, 'howmight.sqlite'), path.join(dir, 'copy.sqlite'));
    const db = new Database(path.join(dir, 'copy.sqlite'));
    try {
      const doc = new Y.Doc();
      const snapshot = db.prepare('SELECT data FROM doc_snapshots WHERE doc_name = ?').get(docName) as { data: Buffer } | undefined;
      if (snapshot) Y.applyUpdate(doc, snapshot.data);
      for (const row of db.prepare('SELECT data FROM doc_updates WHERE doc_name = ? ORDER BY seq').all(docName) as Array<{ data: Buffer }>) {
        Y.applyUpdate(doc, row.data);
      }
      return new Board(doc).notes().map((n) => n.text);
    } finally {
      db.close();
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

describe('data on disk', () => {
  it('runs with synchronous = FULL, so every relayed update was fsynced first', async () => {
    const server = await startTestServer();
    // 2 is FULL (0 OFF, 1 NORMAL, 3 EXTRA).
    const store = server.store;
    if (!(store instanceof SqliteStore)) throw new Error('expected the SQLite store');
    expect(store.settings()).toMatchObject({ synchronous: 2, journalMode: 'wal', secureDelete: 1 });
  });

  it("resolves an append only once the WAL's fdatasync for it finished, and leaves every other commit FULL", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'howmight-walsync-'));
    const store = new SqliteStore(path.join(dir, 'howmight.sqlite'));
    try {
      const { session } = await new SessionService(store.sessions).create('WAL sync', 90);
      const wal = store.documents.walSync!;
      for (let i = 1; i <= 3; i++) {
        const before = wal.completed;
        const appended = store.documents.append([{ sessionId: session.id, docName: session.id, update: new Uint8Array([i]) }]);
        // Committed (under NORMAL) when append returns; not yet durable, so not yet resolved.
        expect(wal.completed).toBe(before);
        expect(await appended).toEqual([i]);
        expect(wal.completed).toBe(before + 1);
        expect(store.settings().synchronous).toBe(2);
      }
      // A group that fails to commit (no such session) still sets the connection back to FULL.
      await expect(store.documents.append([{ sessionId: 'nobody', docName: 'nobody', update: new Uint8Array([1]) }])).rejects.toThrow();
      expect(store.settings().synchronous).toBe(2);
    } finally {
      await store.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('syncs the WAL file now at its path: a replaced file is opened again, the old one let go', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'howmight-walsync-'));
    const file = path.join(dir, 'db.sqlite');
    const heldFiles = async () => {
      const fds = await fs.readdir('/proc/self/fd');
      const targets = await Promise.all(fds.map((fd) => fs.readlink(`/proc/self/fd/${fd}`).catch(() => '')));
      return targets.filter((target) => target.startsWith(dir));
    };
    const sync = new WalSync(file);
    try {
      await fs.writeFile(`${file}-wal`, 'first');
      await sync.sync();
      expect(await heldFiles()).toEqual([`${file}-wal`]);
      await fs.rm(`${file}-wal`);
      await fs.writeFile(`${file}-wal`, 'second');
      await sync.sync();
      expect(await heldFiles()).toEqual([`${file}-wal`]);
      expect(sync.completed).toBe(2);
      await sync.close();
      expect(await heldFiles()).toEqual([]);
      await expect(sync.sync()).rejects.toThrow('closed');
    } finally {
      await sync.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('checkpoints the WAL on a timer: after one interval the main file alone holds every note', async () => {
    const server = await startTestServer(undefined, { store: { checkpointIntervalMs: 100 } });
    const session = await createSession(server);
    const ada = await join(server, session.joinCode, 'Ada');
    await atStep(server, session, 'sort');
    const client = await connectYjs(server, session.id, ada.participantToken);
    const texts = Array.from({ length: 20 }, (_, i) => `checkpointed ${i}`);
    for (const text of texts) client.board.addNote({ actor: ada.participantId }, { text, x: 0, y: 0 });
    const logRows = async () => (await server.store.documents.load(session.id)).updates.length;
    await waitFor(async () => (await logRows()) >= texts.length, 5_000, 'the notes to reach the update log');

    // The room is still open (no compaction, no close): only the timer can move these rows out of the WAL.
    await sleep(400);
    expect(server.rooms.get(session.id)).toBeDefined();
    expect((await notesInMainFileOnly(server.dataDir, session.id)).sort()).toEqual([...texts].sort());
    // Nothing left in the WAL that the main file lacks: a checkpoint now has no frame to copy.
    const [state] = sqliteOf(server).pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number; checkpointed: number }>;
    expect(state!.checkpointed).toBe(state!.log);
  });

  it('empties the WAL on close even while another connection (a backup, a reader) keeps SQLite from deleting it', async () => {
    const server = await startTestServer(undefined, { store: { checkpointIntervalMs: 50 } });
    const session = await createSession(server);
    const ada = await join(server, session.joinCode, 'Ada');
    await atStep(server, session, 'sort');
    const client = await connectYjs(server, session.id, ada.participantToken);
    for (let i = 0; i < 20; i++) client.board.addNote({ actor: ada.participantId }, { text: `before close ${i}`, x: 0, y: 0 });
    await sleep(200);
    const reader = new Database(path.join(server.dataDir, 'howmight.sqlite'), { readonly: true });
    reader.prepare('SELECT count(*) FROM sessions').get(); // now it has the WAL open too
    try {
      await server.close();
      const wal = path.join(server.dataDir, 'howmight.sqlite-wal');
      expect(await fs.stat(wal).then((s) => s.size, () => 0)).toBe(0);
      expect(await notesInMainFileOnly(server.dataDir, session.id)).toHaveLength(20);
      // The timer was cleared with the store: nothing fires into the closed database.
      await sleep(150);
    } finally {
      reader.close();
    }
  });
});
