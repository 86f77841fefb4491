import { logEntryOf } from '../storedRows.ts';
import type pg from 'pg';
import type { Visibility } from '../../../shared/year/practiceLog.ts';
import type { LogEntryMeta, LogEntryRecord, LogNoteRecord, LogStore } from '../LogStore.ts';
import { withTransaction } from './transaction.ts';
import { all, changes, one, type Row } from './rows.ts';

/** The practice log's tables in PostgreSQL, what SqliteLogStore does; ties in a list go by the `rowid` identity column. */
export class PgLogStore implements LogStore {
  constructor(readonly pool: pg.Pool) {}

  async saveEntry(e: LogEntryRecord): Promise<'saved' | 'stale'> {
    // One statement, so two processes saving the same entry cannot both read
    // the old edited_at and let the older edit land last: the row lock the
    // upsert takes decides, and the WHERE refuses an edit older than the stored one.
    const saved = await changes(
      this.pool,
      `INSERT INTO log_entries (id, cohort_id, author_id, commitment_id, tried, what, so_what, now_what, actual, decision, visibility, peer_id, created_at, updated_at, edited_at, shared_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
       ON CONFLICT (id) DO UPDATE SET commitment_id = excluded.commitment_id, tried = excluded.tried, what = excluded.what,
         so_what = excluded.so_what, now_what = excluded.now_what, actual = excluded.actual, decision = excluded.decision,
         visibility = excluded.visibility, peer_id = excluded.peer_id, updated_at = excluded.updated_at,
         edited_at = excluded.edited_at, shared_at = excluded.shared_at
       WHERE log_entries.edited_at <= excluded.edited_at`,
      [e.id, e.cohortId, e.authorId, e.commitmentId, e.tried, e.what, e.soWhat, e.nowWhat, e.actual, e.decision, e.visibility, e.peerId, e.createdAt, e.updatedAt, e.editedAt, e.sharedAt],
    );
    return saved > 0 ? 'saved' : 'stale';
  }

  async getEntry(id: string): Promise<LogEntryRecord | null> {
    const row = await one(this.pool, 'SELECT * FROM log_entries WHERE id = $1', [id]);
    return row ? logEntryOf(row) : null;
  }

  async listEntriesOf(authorId: string): Promise<LogEntryRecord[]> {
    return (await all(this.pool, 'SELECT * FROM log_entries WHERE author_id = $1 ORDER BY created_at, rowid', [authorId])).map(logEntryOf);
  }

  async countEntriesOf(authorId: string): Promise<number> {
    return Number((await one(this.pool, 'SELECT COUNT(*) AS n FROM log_entries WHERE author_id = $1', [authorId]))!.n);
  }

  async listSharedEntries(cohortId: string): Promise<LogEntryRecord[]> {
    return (await all(this.pool, "SELECT * FROM log_entries WHERE cohort_id = $1 AND visibility <> 'private' ORDER BY created_at, rowid", [cohortId])).map(logEntryOf);
  }

  async listEntryMeta(cohortId: string): Promise<LogEntryMeta[]> {
    return (
      await all(this.pool, 'SELECT id, author_id, visibility, created_at, updated_at FROM log_entries WHERE cohort_id = $1 ORDER BY created_at, rowid', [cohortId])
    ).map((r) => ({ id: String(r.id), authorId: String(r.author_id), visibility: r.visibility as Visibility, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) }));
  }

  async deleteEntry(id: string): Promise<void> {
    await this.pool.query('DELETE FROM log_entries WHERE id = $1', [id]);
  }

  async addNote(note: LogNoteRecord): Promise<void> {
    await this.pool.query('INSERT INTO log_notes (id, entry_id, author_id, text, created_at) VALUES ($1, $2, $3, $4, $5)', [
      note.id, note.entryId, note.authorId, note.text, note.createdAt,
    ]);
  }

  async listNotesOn(entryIds: readonly string[]): Promise<LogNoteRecord[]> {
    if (entryIds.length === 0) return [];
    // The ids go as one array parameter, so the statement is the same whatever their number.
    return (await all(this.pool, 'SELECT * FROM log_notes WHERE entry_id = ANY($1::text[]) ORDER BY created_at, rowid', [[...entryIds]])).map((r) => ({
      id: String(r.id), entryId: String(r.entry_id), authorId: String(r.author_id), text: String(r.text), createdAt: Number(r.created_at),
    }));
  }

  async countNotesOn(entryId: string): Promise<number> {
    return Number((await one(this.pool, 'SELECT COUNT(*) AS n FROM log_notes WHERE entry_id = $1', [entryId]))!.n);
  }

  async markSeen(memberId: string, itemIds: readonly string[], at: number): Promise<void> {
    if (itemIds.length === 0) return;
    // One statement for all (atomic, as SQLite's transaction); DISTINCT because
    // one upsert may not touch the same row twice, and an id given twice is one mark.
    await this.pool.query(
      `INSERT INTO log_reads (member_id, item_id, seen_at) SELECT $1, item, $3 FROM (SELECT DISTINCT unnest($2::text[]) AS item) AS items
       ON CONFLICT (member_id, item_id) DO UPDATE SET seen_at = excluded.seen_at`,
      [memberId, [...itemIds], at],
    );
  }

  async seenBy(memberId: string): Promise<Map<string, number>> {
    const rows = await all(this.pool, 'SELECT item_id, seen_at FROM log_reads WHERE member_id = $1', [memberId]);
    return new Map(rows.map((r) => [String(r.item_id), Number(r.seen_at)]));
  }

  async deleteLogOf(memberId: string): Promise<void> {
    await withTransaction(this.pool, async (db) => {
      await db.query('DELETE FROM log_notes WHERE author_id = $1', [memberId]);
      await db.query('DELETE FROM log_entries WHERE author_id = $1', [memberId]);
      await db.query('DELETE FROM log_reads WHERE member_id = $1', [memberId]);
    });
  }
}
