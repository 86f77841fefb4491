import type Database from 'better-sqlite3';
import type { DocumentLog, LogAppend, StoredDocument } from '../DocumentLog.ts';
import type { WalSync } from './WalSync.ts';

/**
 * The document log in SQLite: rows keyed by (doc_name, seq), the snapshot saying which seq it covers.
 *
 * An append is durable before its promise resolves, as every commit on this
 * connection is (`synchronous = FULL`), but its wait for the disk is not on the
 * event loop: the group is committed under NORMAL, which leaves the WAL's
 * fsync out, and `WalSync` then runs that fsync in the thread pool. The loop
 * relays other rooms' committed updates meanwhile, and what arrives forms the
 * next group.
 */
export class SqliteDocumentLog implements DocumentLog {
  /**
   * Null (an in-memory database, or the durability benchmark's comparison):
   * an append commits under the connection's own setting and waits there.
   */
  walSync: WalSync | null;
  private readonly stmt;
  private readonly appendTx: (entries: readonly LogAppend[]) => number[];
  private readonly compactTx: (sessionId: string, docName: string, snapshot: Uint8Array, uptoSeq: number) => void;
  private readonly deleteTx: (docName: string) => number;

  constructor(
    private readonly db: Database.Database,
    walSync: WalSync | null = null,
  ) {
    this.walSync = walSync;
    this.stmt = {
      syncNormal: db.prepare('PRAGMA synchronous = NORMAL'),
      syncFull: db.prepare('PRAGMA synchronous = FULL'),
      snapshot: db.prepare<[string], { data: Buffer; seq: number }>('SELECT data, seq FROM doc_snapshots WHERE doc_name = ?'),
      updates: db.prepare<[string, number], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM doc_updates WHERE doc_name = ? AND seq > ? ORDER BY seq',
      ),
      // The next seq follows both the newest row and what the snapshot covers, so numbering
      // never restarts after a compaction emptied the log.
      append: db.prepare<{ doc: string; session: string; data: Uint8Array }, { seq: number }>(
        `INSERT INTO doc_updates (doc_name, seq, session_id, data)
         VALUES (@doc, max(
           COALESCE((SELECT MAX(seq) FROM doc_updates WHERE doc_name = @doc), 0),
           COALESCE((SELECT seq FROM doc_snapshots WHERE doc_name = @doc), 0)) + 1, @session, @data)
         RETURNING seq`,
      ),
      // A snapshot never gives way to one that covers less.
      upsertSnapshot: db.prepare(
        `INSERT INTO doc_snapshots (doc_name, session_id, data, seq, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(doc_name) DO UPDATE SET data = excluded.data, seq = excluded.seq, updated_at = excluded.updated_at
         WHERE excluded.seq >= doc_snapshots.seq`,
      ),
      head: db.prepare<[string, string], { seq: number }>(
        `SELECT max(COALESCE((SELECT MAX(seq) FROM doc_updates WHERE doc_name = ?), 0),
                    COALESCE((SELECT seq FROM doc_snapshots WHERE doc_name = ?), 0)) AS seq`,
      ),
      deleteCovered: db.prepare('DELETE FROM doc_updates WHERE doc_name = ? AND seq <= ?'),
      deleteUpdates: db.prepare('DELETE FROM doc_updates WHERE doc_name = ?'),
      deleteSnapshot: db.prepare('DELETE FROM doc_snapshots WHERE doc_name = ?'),
    };
    this.appendTx = db.transaction((entries: readonly LogAppend[]) =>
      entries.map(({ sessionId, docName, update }) => this.stmt.append.get({ doc: docName, session: sessionId, data: update })!.seq),
    );
    this.compactTx = db.transaction((sessionId: string, docName: string, snapshot: Uint8Array, uptoSeq: number) => {
      this.stmt.upsertSnapshot.run(docName, sessionId, snapshot, uptoSeq, Date.now());
      this.stmt.deleteCovered.run(docName, uptoSeq);
    });
    this.deleteTx = db.transaction(
      (docName: string) => this.stmt.deleteUpdates.run(docName).changes + this.stmt.deleteSnapshot.run(docName).changes,
    );
  }

  async load(docName: string): Promise<StoredDocument> {
    const snapshot = this.stmt.snapshot.get(docName);
    const snapshotSeq = snapshot?.seq ?? 0;
    const updates = this.stmt.updates.all(docName, snapshotSeq).map((r) => ({ seq: r.seq, update: new Uint8Array(r.data) }));
    return { snapshot: snapshot ? new Uint8Array(snapshot.data) : null, snapshotSeq, updates };
  }

  async loadSince(docName: string, afterSeq: number): Promise<StoredDocument> {
    // One process holds the file and these reads run in one turn: no compaction can come between them.
    const snapshot = this.stmt.snapshot.get(docName);
    if (snapshot && snapshot.seq > afterSeq) return this.load(docName);
    const updates = this.stmt.updates.all(docName, afterSeq).map((r) => ({ seq: r.seq, update: new Uint8Array(r.data) }));
    return { snapshot: null, snapshotSeq: snapshot?.seq ?? 0, updates };
  }

  async heads(docNames: readonly string[]): Promise<Map<string, number>> {
    const heads = new Map<string, number>();
    for (const name of docNames) {
      const seq = this.stmt.head.get(name, name)!.seq;
      if (seq > 0) heads.set(name, seq);
    }
    return heads;
  }

  async append(entries: readonly LogAppend[]): Promise<number[]> {
    if (entries.length === 0) return [];
    const wal = this.walSync;
    if (!wal) return this.appendTx(entries);
    let seqs: number[];
    this.stmt.syncNormal.run();
    try {
      seqs = this.appendTx(entries);
    } finally {
      // Every other commit on this connection stays FULL.
      this.stmt.syncFull.run();
    }
    await wal.sync();
    return seqs;
  }

  async compact(sessionId: string, docName: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    this.compactTx(sessionId, docName, snapshot, uptoSeq);
  }

  async deleteDocument(docName: string): Promise<void> {
    // secure_delete zeroes the freed cells; the checkpoint takes the old pages out of the WAL (as deleteSession does).
    if (this.deleteTx(docName) > 0) this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
