import { pulseWindowOf } from '../storedRows.ts';
import type Database from 'better-sqlite3';
import type { PulseResultsView } from '../../../shared/year/pulse.ts';
import type { StoredAnswer } from '../../../shared/year/pulseResults.ts';
import type { AnswerOutcome, PulseStore, PulseWindowRecord } from '../PulseStore.ts';
import { shuffled } from '../shuffled.ts';

type Row = Record<string, unknown>;

/**
 * The trust pulse in SQLite (migration 7). What keeps an answer unlinkable
 * to its receipt for someone holding the file: the answers are one shuffled
 * JSON value in the window's row, rewritten whole at each answer, so neither
 * a row order, a rowid, a page offset nor a timestamp follows the order of
 * answering; `secure_delete` (SqliteStore) zeroes what a rewrite frees; and
 * after each answer the WAL, which holds each transaction's pages in commit
 * order, is checkpointed and truncated, so the order of commits is gone too.
 */
export class SqlitePulseStore implements PulseStore {
  private readonly answerTx: (windowId: string, memberId: string, answer: StoredAnswer, now: number) => AnswerOutcome;
  private readonly closeTx: (windowId: string, at: number, results: PulseResultsView) => boolean;

  constructor(private readonly db: Database.Database) {
    this.answerTx = db.transaction((windowId: string, memberId: string, answer: StoredAnswer, now: number): AnswerOutcome => {
      const row = db.prepare('SELECT closed_at, closes_at, answers FROM pulse_windows WHERE id = ?').get(windowId) as Row | undefined;
      if (!row || row.closed_at !== null || Number(row.closes_at) <= now) return 'closed';
      const receipt = db.prepare('INSERT INTO pulse_receipts (window_id, member_id) VALUES (?, ?) ON CONFLICT DO NOTHING').run(windowId, memberId);
      if (receipt.changes === 0) return 'already-answered';
      const answers = JSON.parse(String(row.answers)) as Array<{ c: string | null; a: Record<string, number> }>;
      answers.push({ c: answer.communityId, a: answer.answers });
      db.prepare('UPDATE pulse_windows SET answers = ? WHERE id = ?').run(JSON.stringify(shuffled(answers)), windowId);
      return 'answered';
    });
    this.closeTx = db.transaction((windowId: string, at: number, results: PulseResultsView) => {
      return (
        db.prepare("UPDATE pulse_windows SET closed_at = ?, results = ?, answers = '[]' WHERE id = ? AND closed_at IS NULL").run(at, JSON.stringify(results), windowId)
          .changes > 0
      );
    });
  }

  async openWindow(w: PulseWindowRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO pulse_windows (id, cohort_id, label, instrument, items, floor, opened_at, closes_at, closed_at, results, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(w.id, w.cohortId, w.label, w.instrument, JSON.stringify(w.items), w.floor, w.openedAt, w.closesAt, w.closedAt, w.results ? JSON.stringify(w.results) : null, w.notes);
  }

  async getWindow(id: string): Promise<PulseWindowRecord | null> {
    const row = this.db.prepare('SELECT * FROM pulse_windows WHERE id = ?').get(id) as Row | undefined;
    return row ? pulseWindowOf(row) : null;
  }

  async listWindows(cohortId: string): Promise<PulseWindowRecord[]> {
    return (this.db.prepare('SELECT * FROM pulse_windows WHERE cohort_id = ? ORDER BY opened_at, id').all(cohortId) as Row[]).map(pulseWindowOf);
  }

  async setNotes(id: string, notes: string): Promise<void> {
    this.db.prepare('UPDATE pulse_windows SET notes = ? WHERE id = ?').run(notes, id);
  }

  async answer(windowId: string, memberId: string, answer: StoredAnswer, now: number): Promise<AnswerOutcome> {
    const outcome = this.answerTx(windowId, memberId, answer, now);
    if (outcome === 'answered') this.forgetCommitOrder();
    return outcome;
  }

  async hasAnswered(windowId: string, memberId: string): Promise<boolean> {
    return this.db.prepare('SELECT 1 FROM pulse_receipts WHERE window_id = ? AND member_id = ?').get(windowId, memberId) !== undefined;
  }

  async countReceipts(windowId: string): Promise<number> {
    return Number((this.db.prepare('SELECT COUNT(*) AS n FROM pulse_receipts WHERE window_id = ?').get(windowId) as Row).n);
  }

  async answersOf(windowId: string): Promise<StoredAnswer[]> {
    const row = this.db.prepare('SELECT answers FROM pulse_windows WHERE id = ?').get(windowId) as Row | undefined;
    const stored = row ? (JSON.parse(String(row.answers)) as Array<{ c: string | null; a: Record<string, number> }>) : [];
    return stored.map((s) => ({ communityId: s.c, answers: s.a }));
  }

  async close(windowId: string, at: number, results: PulseResultsView): Promise<boolean> {
    const closed = this.closeTx(windowId, at, results);
    if (closed) this.forgetCommitOrder();
    return closed;
  }

  /** The WAL keeps each commit's pages in order; copied back and truncated, it keeps nothing. */
  private forgetCommitOrder(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
