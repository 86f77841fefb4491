import { logEntryOf } from '../storedRows.ts';
import type Database from 'better-sqlite3';
import type { Visibility } from '../../../shared/year/practiceLog.ts';
import type { LogEntryMeta, LogEntryRecord, LogNoteRecord, LogStore } from '../LogStore.ts';
import { Statements, type Row } from './Statements.ts';

/** The practice log's tables in SQLite (migration 5). */
export class SqliteLogStore implements LogStore {
  private readonly sql: Statements;
  private readonly saveTx: (entry: LogEntryRecord) => 'saved' | 'stale';
  private readonly markTx: (memberId: string, ids: readonly string[], at: number) => void;
  private readonly deleteOfTx: (memberId: string) => void;

  constructor(db: Database.Database) {
    this.sql = new Statements(db);
    this.saveTx = db.transaction((e: LogEntryRecord) => {
      const stored = this.sql.prepared('SELECT edited_at FROM log_entries WHERE id = ?').get(e.id) as Row | undefined;
      if (stored && Number(stored.edited_at) > e.editedAt) return 'stale';
      this.sql.prepared(
        `INSERT INTO log_entries (id, cohort_id, author_id, commitment_id, tried, what, so_what, now_what, actual, decision, visibility, peer_id, created_at, updated_at, edited_at, shared_at)
         VALUES (@id, @cohortId, @authorId, @commitmentId, @tried, @what, @soWhat, @nowWhat, @actual, @decision, @visibility, @peerId, @createdAt, @updatedAt, @editedAt, @sharedAt)
         ON CONFLICT (id) DO UPDATE SET commitment_id = excluded.commitment_id, tried = excluded.tried, what = excluded.what,
           so_what = excluded.so_what, now_what = excluded.now_what, actual = excluded.actual, decision = excluded.decision,
           visibility = excluded.visibility, peer_id = excluded.peer_id, updated_at = excluded.updated_at,
           edited_at = excluded.edited_at, shared_at = excluded.shared_at`,
      ).run(e);
      return 'saved';
    });
    this.markTx = db.transaction((memberId: string, ids: readonly string[], at: number) => {
      const upsert = this.sql.prepared(
        'INSERT INTO log_reads (member_id, item_id, seen_at) VALUES (?, ?, ?) ON CONFLICT (member_id, item_id) DO UPDATE SET seen_at = excluded.seen_at',
      );
      for (const id of ids) upsert.run(memberId, id, at);
    });
    this.deleteOfTx = db.transaction((memberId: string) => {
      this.sql.prepared('DELETE FROM log_notes WHERE author_id = ?').run(memberId);
      this.sql.prepared('DELETE FROM log_entries WHERE author_id = ?').run(memberId);
      this.sql.prepared('DELETE FROM log_reads WHERE member_id = ?').run(memberId);
    });
  }

  async saveEntry(entry: LogEntryRecord): Promise<'saved' | 'stale'> {
    return this.saveTx(entry);
  }

  async getEntry(id: string): Promise<LogEntryRecord | null> {
    const row = this.sql.prepared('SELECT * FROM log_entries WHERE id = ?').get(id) as Row | undefined;
    return row ? logEntryOf(row) : null;
  }

  async listEntriesOf(authorId: string): Promise<LogEntryRecord[]> {
    return this.sql.all('SELECT * FROM log_entries WHERE author_id = ? ORDER BY created_at, rowid', authorId).map(logEntryOf);
  }

  async countEntriesOf(authorId: string): Promise<number> {
    return Number((this.sql.prepared('SELECT COUNT(*) AS n FROM log_entries WHERE author_id = ?').get(authorId) as Row).n);
  }

  async listSharedEntries(cohortId: string): Promise<LogEntryRecord[]> {
    return this.sql.all("SELECT * FROM log_entries WHERE cohort_id = ? AND visibility <> 'private' ORDER BY created_at, rowid", cohortId).map(logEntryOf);
  }

  async listEntryMeta(cohortId: string): Promise<LogEntryMeta[]> {
    return this.sql.all('SELECT id, author_id, visibility, created_at, updated_at FROM log_entries WHERE cohort_id = ? ORDER BY created_at, rowid', cohortId).map(
      (r) => ({ id: String(r.id), authorId: String(r.author_id), visibility: r.visibility as Visibility, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) }),
    );
  }

  async deleteEntry(id: string): Promise<void> {
    this.sql.prepared('DELETE FROM log_entries WHERE id = ?').run(id);
  }

  async addNote(note: LogNoteRecord): Promise<void> {
    this.sql.prepared('INSERT INTO log_notes (id, entry_id, author_id, text, created_at) VALUES (@id, @entryId, @authorId, @text, @createdAt)').run(note);
  }

  async listNotesOn(entryIds: readonly string[]): Promise<LogNoteRecord[]> {
    if (entryIds.length === 0) return [];
    // json_each takes the ids as one parameter, so the statement is prepared once whatever their number.
    return this.sql.all(
      'SELECT * FROM log_notes WHERE entry_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, rowid',
      JSON.stringify(entryIds),
    ).map((r) => ({ id: String(r.id), entryId: String(r.entry_id), authorId: String(r.author_id), text: String(r.text), createdAt: Number(r.created_at) }));
  }

  async countNotesOn(entryId: string): Promise<number> {
    return Number((this.sql.prepared('SELECT COUNT(*) AS n FROM log_notes WHERE entry_id = ?').get(entryId) as Row).n);
  }

  async markSeen(memberId: string, itemIds: readonly string[], at: number): Promise<void> {
    this.markTx(memberId, itemIds, at);
  }

  async seenBy(memberId: string): Promise<Map<string, number>> {
    return new Map(this.sql.all('SELECT item_id, seen_at FROM log_reads WHERE member_id = ?', memberId).map((r) => [String(r.item_id), Number(r.seen_at)]));
  }

  async deleteLogOf(memberId: string): Promise<void> {
    this.deleteOfTx(memberId);
  }
}
