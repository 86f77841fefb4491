import type pg from 'pg';
import { withTransaction, type Queryable } from './transaction.ts';
import type { DocumentLog, LogAppend, StoredDocument } from '../DocumentLog.ts';

/**
 * The next seqs of one document, under its row lock: `head_seq` grows by the
 * number of updates and they are inserted at the seqs it passed. The row stays
 * locked until commit, so seqs are dense and commit in order: once head_seq = S
 * is visible, every seq ≤ S is (docs/SCALEOUT.md §2). With one update this is
 * SCALEOUT's statement exactly. 0 rows: no such document, or it is frozen.
 */
const APPEND = `
  WITH h AS (
    UPDATE documents SET head_seq = head_seq + cardinality($2::bytea[])
    WHERE doc_id = $1 AND accepting_edits
    RETURNING head_seq - cardinality($2::bytea[]) AS base)
  INSERT INTO doc_updates (doc_id, seq, data)
  SELECT $1, h.base + u.ord, u.data FROM h, unnest($2::bytea[]) WITH ORDINALITY AS u(data, ord)
  RETURNING seq`;

const ENSURE = `INSERT INTO documents (doc_id, session_id) VALUES ($1, $2) ON CONFLICT (doc_id) DO NOTHING`;

/**
 * One statement reads with one snapshot of the database, so the snapshot and
 * the rows after it cannot straddle a compaction (as two reads could) without
 * a REPEATABLE READ transaction's extra round trips. Part 0 is the document
 * row, part 1 its rows after the snapshot.
 */
const LOAD = `
  SELECT 0 AS part, snapshot_seq AS seq, snapshot AS data FROM documents WHERE doc_id = $1
  UNION ALL
  SELECT 1, u.seq, u.data FROM doc_updates u JOIN documents d ON d.doc_id = u.doc_id
  WHERE u.doc_id = $1 AND u.seq > d.snapshot_seq
  ORDER BY part, seq`;

/**
 * The rows after $2 in one statement, hence one view: if a compaction has
 * covered some of them, the snapshot comes as part 0 (else part 0 has no data).
 */
const LOAD_SINCE = `
  SELECT 0 AS part, snapshot_seq AS seq, CASE WHEN snapshot_seq > $2 THEN snapshot END AS data FROM documents WHERE doc_id = $1
  UNION ALL
  SELECT 1, u.seq, u.data FROM doc_updates u JOIN documents d ON d.doc_id = u.doc_id
  WHERE u.doc_id = $1 AND u.seq > GREATEST(d.snapshot_seq, $2)
  ORDER BY part, seq`;

/**
 * Compare-and-set on snapshot_seq: the snapshot is stored only over one that
 * covers less, and then exactly the rows it covers are deleted, in the same
 * statement. Of two compactors racing on the same rows the second waits for
 * the first's row lock, re-reads snapshot_seq and changes nothing. Appends
 * racing with it only add seqs past uptoSeq.
 */
const COMPACT = `
  WITH won AS (
    UPDATE documents SET snapshot = $2, snapshot_seq = $3, head_seq = GREATEST(head_seq, $3), updated_at = $4
    WHERE doc_id = $1 AND snapshot_seq < $3
    RETURNING doc_id),
  gone AS (DELETE FROM doc_updates WHERE doc_id IN (SELECT doc_id FROM won) AND seq <= $3 RETURNING 1)
  SELECT (SELECT count(*) FROM won) AS won, (SELECT count(*) FROM gone) AS deleted`;

/** A snapshot for a document with no row yet (SQLite's log allows it): it starts there. */
const COMPACT_NEW = `
  INSERT INTO documents (doc_id, session_id, head_seq, snapshot, snapshot_seq, updated_at) VALUES ($1, $2, $3, $4, $3, $5)
  ON CONFLICT (doc_id) DO NOTHING`;

/** Appends refused because the document was frozen (accepting_edits false) or deleted while they waited. */
export class DocumentRefusedError extends Error {
  constructor(readonly docName: string) {
    super(`document ${docName} refused the update: it is not accepting edits, or it was deleted meanwhile`);
    this.name = 'DocumentRefusedError';
  }
}

/** Inside a group's transaction: these documents have no row yet (or are frozen). */
class MissingDocuments extends Error {
  constructor(readonly batches: DocumentBatch[]) {
    super('documents without a row');
  }
}

interface DocumentBatch {
  docName: string;
  sessionId: string;
  /** Where each of this document's updates sits in the caller's entries. */
  indices: number[];
  updates: Buffer[];
}

/**
 * The document log in PostgreSQL: a `documents` row per document holding its
 * head seq and snapshot, its updates in `doc_updates(doc_id, seq)`. Any
 * number of processes may append to one document at once.
 */
export class PgDocumentLog implements DocumentLog {
  constructor(private readonly pool: pg.Pool) {}

  async load(docName: string): Promise<StoredDocument> {
    return storedDocumentOf((await this.pool.query<DocumentPart>(LOAD, [docName])).rows);
  }

  async loadSince(docName: string, afterSeq: number): Promise<StoredDocument> {
    return storedDocumentOf((await this.pool.query<DocumentPart>(LOAD_SINCE, [docName, afterSeq])).rows);
  }

  async heads(docNames: readonly string[]): Promise<Map<string, number>> {
    if (docNames.length === 0) return new Map();
    const { rows } = await this.pool.query<{ doc_id: string; head_seq: number }>(
      'SELECT doc_id, head_seq FROM documents WHERE doc_id = ANY($1::text[]) AND head_seq > 0',
      [docNames],
    );
    return new Map(rows.map((r) => [r.doc_id, r.head_seq]));
  }

  async append(entries: readonly LogAppend[]): Promise<number[]> {
    if (entries.length === 0) return [];
    const batches = batchByDocument(entries);
    const seqs = new Array<number>(entries.length);
    const take = (batch: DocumentBatch, got: number[]) => batch.indices.forEach((index, i) => (seqs[index] = got[i]!));

    if (batches.length === 1) {
      // One statement is one transaction: no BEGIN/COMMIT round trips.
      const batch = batches[0]!;
      let got = await appendBatch(this.pool, batch);
      if (!got) {
        await this.pool.query(ENSURE, [batch.docName, batch.sessionId]);
        got = await appendBatch(this.pool, batch);
        if (!got) throw new DocumentRefusedError(batch.docName);
      }
      take(batch, got);
      return seqs;
    }

    // Several documents, all or none: one transaction, their rows locked in
    // name order so two such appends can never wait on each other in a cycle.
    // A missing document row is created outside it and the transaction run
    // again: creating it inside, after other rows are locked, could wait on a
    // session being deleted that waits on those rows.
    for (let attempt = 0; ; attempt++) {
      try {
        await withTransaction(this.pool, async (db) => {
          const missing: DocumentBatch[] = [];
          for (const batch of batches) {
            const got = await appendBatch(db, batch);
            if (got) take(batch, got);
            else missing.push(batch);
          }
          // Thrown to roll back what the others wrote.
          if (missing.length > 0) throw new MissingDocuments(missing);
        });
        return seqs;
      } catch (err) {
        if (!(err instanceof MissingDocuments)) throw err;
        if (attempt > 0) throw new DocumentRefusedError(err.batches[0]!.docName);
        for (const batch of err.batches) await this.pool.query(ENSURE, [batch.docName, batch.sessionId]);
      }
    }
  }

  async compact(sessionId: string, docName: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    await this.compactIfNewer(sessionId, docName, snapshot, uptoSeq);
  }

  /** compact, saying whether it won: true if this snapshot was stored, false if one covering as much or more was there first. */
  async compactIfNewer(sessionId: string, docName: string, snapshot: Uint8Array, uptoSeq: number): Promise<boolean> {
    const params = [docName, toBuffer(snapshot), uptoSeq, Date.now()];
    const { rows } = await this.pool.query<{ won: number }>(COMPACT, params);
    if (rows[0]!.won > 0) return true;
    const inserted = await this.pool.query(COMPACT_NEW, [docName, sessionId, uptoSeq, toBuffer(snapshot), Date.now()]);
    return inserted.rowCount === 1;
  }

  async deleteDocument(docName: string): Promise<void> {
    // Its rows go with it (ON DELETE CASCADE); a new document of that name numbers from 1 again.
    await this.pool.query('DELETE FROM documents WHERE doc_id = $1', [docName]);
  }
}

/** A row of LOAD or LOAD_SINCE: part 0 the document (its snapshot, if sent), part 1 its rows. */
interface DocumentPart {
  part: number;
  seq: number;
  data: Buffer | null;
}

function storedDocumentOf(rows: DocumentPart[]): StoredDocument {
  const head = rows[0];
  if (!head || head.part !== 0) return { snapshot: null, snapshotSeq: 0, updates: [] };
  return {
    snapshot: head.data ? new Uint8Array(head.data) : null,
    snapshotSeq: head.seq,
    updates: rows.slice(1).map((r) => ({ seq: r.seq, update: new Uint8Array(r.data!) })),
  };
}

/** The document's seqs in order, or null if its row is missing or frozen. */
async function appendBatch(db: Queryable, batch: DocumentBatch): Promise<number[] | null> {
  const { rows } = await db.query<{ seq: number }>(APPEND, [batch.docName, batch.updates]);
  if (rows.length === 0) return null;
  // RETURNING's order is not promised; the seqs are.
  return rows.map((r) => r.seq).sort((a, b) => a - b);
}

/** The entries grouped by document, in name order, each document's updates in the order given. */
function batchByDocument(entries: readonly LogAppend[]): DocumentBatch[] {
  const byName = new Map<string, DocumentBatch>();
  entries.forEach((entry, index) => {
    let batch = byName.get(entry.docName);
    if (!batch) byName.set(entry.docName, (batch = { docName: entry.docName, sessionId: entry.sessionId, indices: [], updates: [] }));
    batch.indices.push(index);
    batch.updates.push(toBuffer(entry.update));
  });
  return [...byName.values()].sort((a, b) => (a.docName < b.docName ? -1 : a.docName > b.docName ? 1 : 0));
}

/** pg sends a Buffer as bytea, also inside an array; a plain Uint8Array it would not. No copy. */
function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
