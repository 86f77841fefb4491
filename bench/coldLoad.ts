import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { SqliteStore } from '../server/storage/sqlite/SqliteStore.ts';
import { Board } from '../shared/board/Board.ts';
import { BenchClient } from './clients.ts';
import { createSession, joinSession } from './http.ts';
import { diagnostics, startOurs, type ServerProcess } from './servers.ts';
import { round, sleep, summarize, waitFor, type Summary } from './stats.ts';

export interface ColdLoadResult {
  notes: number;
  runs: number;
  /** Connect to synced, room not in memory (loaded from SQLite). */
  cold: Summary;
  /** Connect to synced while another client keeps the room in memory, for comparison. */
  warm: Summary;
  /** Applying the same document in the client process alone (part of both figures). */
  clientApplyMs: number;
  /**
   * The server's share, replayed in this process with the server's own store
   * code on the same SQLite file (medians): read the stored rows, apply them
   * to a new Y.Doc, encode the full state for a new client's sync step 2.
   */
  serverReadMs: number;
  serverApplyMs: number;
  serverEncodeMs: number;
  storedSnapshotBytes: number;
  storedUpdateBytes: number;
  storedUpdateRows: number;
  /** The SQLite file (and its WAL) holding this one board, sessions and tokens. */
  sqliteFileBytes: number;
  /** Y.encodeStateAsUpdate of the synced document: v1, and v2 for comparison. */
  snapshotBytes: number;
  snapshotV2Bytes: number;
}

/** Notes per seeding document: the Board refuses more than its per-board limit on one document. */
const CHUNK = 1000;

export async function coldLoad(sizes: number[], runs: number, log: (line: string) => void): Promise<ColdLoadResult[]> {
  const results: ColdLoadResult[] = [];
  for (const notes of sizes) {
    // A fresh server and SQLite file per size, so the file sizes are this board's.
    const server = await startOurs();
    try {
      results.push(await one(server, notes, runs, log));
    } finally {
      await server.stop();
    }
  }
  return results;
}

async function one(server: ServerProcess, notes: number, runs: number, log: (line: string) => void): Promise<ColdLoadResult> {
  const session = await createSession(server.baseUrl, `Cold load ${notes}`);
  const me = await joinSession(server.baseUrl, session.joinCode, 'Cold reader');
  const client = (doc?: Y.Doc) =>
    new BenchClient({ yjsUrl: server.yjsUrl, room: session.id, token: me.participantToken, actor: me.participantId, ...(doc ? { doc } : {}) });

  // Seed through the store, as the server itself leaves a board at rest
  // (one compacted snapshot). The server refuses updates past the per-board
  // limit (LIMITS.itemsPerBoard), and so does Board on one document, so the
  // notes are written by several writers on documents of their own, merged.
  const seedStart = performance.now();
  const merged = new Y.Doc();
  for (let from = 0; from < notes; from += CHUNK) {
    const doc = new Y.Doc();
    const board = new Board(doc);
    for (let i = from; i < Math.min(notes, from + CHUNK); i++) {
      board.addNote(
        { actor: me.participantId },
        { text: `Root cause ${i + 1}: families are not asked what they need before the meeting`, x: (i % 50) * 40, y: Math.floor(i / 50) * 30 },
      );
    }
    Y.applyUpdate(merged, Y.encodeStateAsUpdate(doc));
    doc.destroy();
  }
  const store = new SqliteStore(path.join(server.dataDir, 'howmight.sqlite'));
  try {
    const { snapshotSeq, updates } = await store.documents.load(session.id);
    await store.documents.compact(session.id, session.id, Y.encodeStateAsUpdate(merged), updates.at(-1)?.seq ?? snapshotSeq);
  } finally {
    await store.close();
    merged.destroy();
  }
  const check = client();
  await check.ready();
  if (!(await waitFor(() => check.board.noteCount === notes, 30_000, 50))) {
    throw new Error(`cold load: the server holds ${check.board.noteCount} notes, expected ${notes}`);
  }
  const snapshot = Y.encodeStateAsUpdate(check.doc);
  const snapshotV2 = Y.encodeStateAsUpdateV2(check.doc);
  check.close();
  await waitUnloaded(server);
  log(`  cold load: seeded ${notes} notes in ${round((performance.now() - seedStart) / 1000, 1)} s`);

  const stored = storedBytes(server.dataDir, session.id);

  // Rooms unload as their last socket closes. Between runs the bench just
  // waits; it checks the server's heap (/__diag) only after the last run,
  // since walking the heap right before a run would disturb what is measured.
  const cold: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const c = client();
    await c.ready();
    cold.push(performance.now() - t0);
    if (c.board.noteCount !== notes) throw new Error(`cold load: saw ${c.board.noteCount} notes`);
    c.close();
    await sleep(600);
  }
  await waitUnloaded(server);

  const keeper = client();
  await keeper.ready();
  const warm: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const c = client();
    await c.ready();
    warm.push(performance.now() - t0);
    c.close();
    await sleep(50);
  }
  keeper.close();
  await waitUnloaded(server);

  const applies: number[] = [];
  for (let r = 0; r < 5; r++) {
    const doc = new Y.Doc();
    const t0 = performance.now();
    Y.applyUpdate(doc, snapshot);
    applies.push(performance.now() - t0);
    doc.destroy();
  }

  const breakdown = await serverBreakdown(server.dataDir, session.id);

  return {
    notes,
    runs,
    ...breakdown,
    cold: summarize(cold),
    warm: summarize(warm),
    clientApplyMs: summarize(applies).p50,
    ...stored,
    snapshotBytes: snapshot.byteLength,
    snapshotV2Bytes: snapshotV2.byteLength,
  };
}

/** Waits until the server holds no room (Room objects counted on its heap after a GC). */
async function waitUnloaded(server: ServerProcess): Promise<void> {
  const ok = await waitFor(async () => (await diagnostics(server)).rooms === 0, 15_000, 50);
  if (!ok) throw new Error('cold load: the room did not leave memory');
}

async function serverBreakdown(dataDir: string, docName: string) {
  const store = new SqliteStore(path.join(dataDir, 'howmight.sqlite'));
  const read: number[] = [];
  const apply: number[] = [];
  const encode: number[] = [];
  try {
    for (let r = 0; r < 5; r++) {
      let t = performance.now();
      const stored = await store.documents.load(docName);
      read.push(performance.now() - t);
      const doc = new Y.Doc();
      t = performance.now();
      Y.transact(doc, () => {
        if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
        for (const { update } of stored.updates) Y.applyUpdate(doc, update);
      });
      apply.push(performance.now() - t);
      t = performance.now();
      Y.encodeStateAsUpdate(doc, new Uint8Array([0]));
      encode.push(performance.now() - t);
      doc.destroy();
    }
  } finally {
    await store.close();
  }
  return { serverReadMs: summarize(read).p50, serverApplyMs: summarize(apply).p50, serverEncodeMs: summarize(encode).p50 };
}

function storedBytes(dataDir: string, docName: string) {
  const file = path.join(dataDir, 'howmight.sqlite');
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const snap = db.prepare('SELECT COALESCE(SUM(length(data)), 0) AS bytes FROM doc_snapshots WHERE doc_name = ?').get(docName) as { bytes: number };
    const upd = db
      .prepare('SELECT COALESCE(SUM(length(data)), 0) AS bytes, COUNT(*) AS n FROM doc_updates WHERE doc_name = ?')
      .get(docName) as { bytes: number; n: number };
    const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
    return {
      storedSnapshotBytes: snap.bytes,
      storedUpdateBytes: upd.bytes,
      storedUpdateRows: upd.n,
      sqliteFileBytes: size(file) + size(`${file}-wal`),
    };
  } finally {
    db.close();
  }
}
