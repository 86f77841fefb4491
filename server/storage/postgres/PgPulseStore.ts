import { pulseWindowOf } from '../storedRows.ts';
import type pg from 'pg';
import type { PulseResultsView } from '../../../shared/year/pulse.ts';
import type { StoredAnswer } from '../../../shared/year/pulseResults.ts';
import type { AnswerOutcome, PulseStore, PulseWindowRecord } from '../PulseStore.ts';
import { shuffled } from '../shuffled.ts';
import { checkOut, withTransaction } from './transaction.ts';
import { all, one, type Row } from './rows.ts';

type Stored = Array<{ c: string | null; a: Record<string, number> }>;

/**
 * The trust pulse in PostgreSQL, what SqlitePulseStore does as far as
 * PostgreSQL allows (docs/security.md, "The trust pulse", "On PostgreSQL").
 * The answers are one JSON value in the window's row, rewritten whole and
 * shuffled with the CSPRNG at every answer, under the row's lock so answers
 * from several processes never overwrite each other. An UPDATE leaves the
 * row's previous version (the answers before this one) in the table until
 * VACUUM: after each answer and each close the store vacuums `pulse_windows`,
 * so no earlier version stays a tuple PostgreSQL could return. What it cannot
 * remove: the bytes of removed versions until PostgreSQL reuses the space
 * (there is no secure_delete), the WAL, which records each commit in order
 * until its segments are recycled, anything archived or replicated from it,
 * and the order of the receipts' ctid and xmin.
 */
export class PgPulseStore implements PulseStore {
  private vacuumWarned = false;

  constructor(readonly pool: pg.Pool) {}

  async openWindow(w: PulseWindowRecord): Promise<void> {
    await this.pool.query(
      'INSERT INTO pulse_windows (id, cohort_id, label, instrument, items, floor, opened_at, closes_at, closed_at, results, notes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)',
      [w.id, w.cohortId, w.label, w.instrument, JSON.stringify(w.items), w.floor, w.openedAt, w.closesAt, w.closedAt, w.results ? JSON.stringify(w.results) : null, w.notes],
    );
  }

  async getWindow(id: string): Promise<PulseWindowRecord | null> {
    const row = await one(this.pool, 'SELECT * FROM pulse_windows WHERE id = $1', [id]);
    return row ? pulseWindowOf(row) : null;
  }

  async listWindows(cohortId: string): Promise<PulseWindowRecord[]> {
    return (await all(this.pool, 'SELECT * FROM pulse_windows WHERE cohort_id = $1 ORDER BY opened_at, id COLLATE "C"', [cohortId])).map(pulseWindowOf);
  }

  async setNotes(id: string, notes: string): Promise<void> {
    await this.pool.query('UPDATE pulse_windows SET notes = $1 WHERE id = $2', [notes, id]);
  }

  async answer(windowId: string, memberId: string, answer: StoredAnswer, now: number): Promise<AnswerOutcome> {
    const outcome = await withTransaction(this.pool, async (db): Promise<AnswerOutcome> => {
      // FOR UPDATE: a second answer to the window (from any process) waits here
      // and then reads this one's value, instead of writing over it.
      const row = await one(db, 'SELECT closed_at, closes_at, answers FROM pulse_windows WHERE id = $1 FOR UPDATE', [windowId]);
      if (!row || row.closed_at !== null || Number(row.closes_at) <= now) return 'closed';
      const receipt = await db.query('INSERT INTO pulse_receipts (window_id, member_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [windowId, memberId]);
      if (receipt.rowCount === 0) return 'already-answered';
      const answers = JSON.parse(String(row.answers)) as Stored;
      answers.push({ c: answer.communityId, a: answer.answers });
      await db.query('UPDATE pulse_windows SET answers = $1 WHERE id = $2', [JSON.stringify(shuffled(answers)), windowId]);
      return 'answered';
    });
    if (outcome === 'answered') await this.dropOldVersions();
    return outcome;
  }

  async hasAnswered(windowId: string, memberId: string): Promise<boolean> {
    return (await one(this.pool, 'SELECT 1 FROM pulse_receipts WHERE window_id = $1 AND member_id = $2', [windowId, memberId])) !== undefined;
  }

  async countReceipts(windowId: string): Promise<number> {
    return Number((await one(this.pool, 'SELECT COUNT(*) AS n FROM pulse_receipts WHERE window_id = $1', [windowId]))!.n);
  }

  async answersOf(windowId: string): Promise<StoredAnswer[]> {
    const row = await one(this.pool, 'SELECT answers FROM pulse_windows WHERE id = $1', [windowId]);
    const stored = row ? (JSON.parse(String(row.answers)) as Stored) : [];
    return stored.map((s) => ({ communityId: s.c, answers: s.a }));
  }

  async close(windowId: string, at: number, results: PulseResultsView): Promise<boolean> {
    const closed =
      ((
        await this.pool.query("UPDATE pulse_windows SET closed_at = $1, results = $2, answers = '[]' WHERE id = $3 AND closed_at IS NULL", [
          at, JSON.stringify(results), windowId,
        ])
      ).rowCount ?? 0) > 0;
    if (closed) await this.dropOldVersions();
    return closed;
  }

  /**
   * PostgreSQL's counterpart of SQLite's WAL truncation: VACUUM removes the
   * window rows' dead versions, each an earlier set of answers, whose
   * succession would tell the order of answering. It runs outside any
   * transaction (VACUUM cannot run in one), after the answer or the close
   * has committed, so a failure here never undoes either: it is reported
   * for the operator, once, and autovacuum removes the versions later. A
   * transaction open elsewhere in the database at that moment holds back
   * the versions it might still see; the next answer's or the close's VACUUM
   * takes them (public for a test, which has only that way to wait for it).
   */
  async dropOldVersions(): Promise<void> {
    const { client, release } = await checkOut(this.pool);
    // A role that does not own the table gets a WARNING and no VACUUM, not an error.
    const onNotice = (notice: { severity?: string; message?: string }) => {
      if (notice.severity === 'WARNING') this.warnVacuum(notice.message ?? 'VACUUM skipped');
    };
    client.on('notice', onNotice);
    let broken: Error | undefined;
    try {
      await client.query('VACUUM pulse_windows');
    } catch (err) {
      broken = err as Error;
      this.warnVacuum(broken.message);
    } finally {
      client.off('notice', onNotice);
      release(broken);
    }
  }

  private warnVacuum(reason: string): void {
    if (this.vacuumWarned) return;
    this.vacuumWarned = true;
    console.error(
      `[howmight] VACUUM of pulse_windows after a pulse answer or close did not run (${reason}): earlier versions of pulse windows' answers stay in the table until autovacuum or an operator's VACUUM pulse_windows removes them; see docs/security.md, "The trust pulse"`,
    );
  }
}
