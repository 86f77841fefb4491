import path from 'node:path';
import * as Y from 'yjs';
import { SqliteStore } from '../server/storage/sqlite/SqliteStore.ts';
import { Board, FACILITATOR_ACTOR, type BoardOrigin } from '../shared/board/Board.ts';
import { diagnostics, type ServerProcess } from './servers.ts';
import { waitFor } from './stats.ts';

/** Waits until the server holds no room (Room objects counted on its heap after a GC). */
export async function waitUnloaded(server: ServerProcess, what = 'bench'): Promise<void> {
  const ok = await waitFor(async () => (await diagnostics(server)).rooms === 0, 15_000, 50);
  if (!ok) throw new Error(`${what}: a room did not leave memory`);
}

/**
 * Writes a board into the server's SQLite file as the server leaves one at
 * rest (one compacted snapshot), as coldLoad.ts does: `build` runs the Board's
 * own commands, as the facilitator, on a local document. The server must hold
 * no room for it (checked). Written this way rather than over a socket: one
 * connection sending hundreds of board actions in a second runs out of the
 * server's per-connection CPU budget (4429) on a busy machine, as it should.
 */
export async function seedBoard(server: ServerProcess, docName: string, build: (board: Board, origin: BoardOrigin) => void): Promise<void> {
  await waitUnloaded(server, 'seed');
  const doc = new Y.Doc();
  build(new Board(doc), { actor: FACILITATOR_ACTOR });
  const store = new SqliteStore(path.join(server.dataDir, 'howmight.sqlite'));
  try {
    const { snapshotSeq, updates } = await store.documents.load(docName);
    await store.documents.compact(docName, docName, Y.encodeStateAsUpdate(doc), updates.at(-1)?.seq ?? snapshotSeq);
  } finally {
    await store.close();
    doc.destroy();
  }
}
