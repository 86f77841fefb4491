import type { Decision, Visibility } from '../../shared/year/practiceLog.ts';
import type { PulseResultsView } from '../../shared/year/pulse.ts';
import type { LogEntryRecord } from './LogStore.ts';
import type { PulseWindowRecord } from './PulseStore.ts';

/**
 * Rows as both stores read them back: the SQLite and PostgreSQL schemas keep
 * the same tables and column names, so one mapping from a row to its record
 * serves each.
 */
export type StoredRow = Record<string, unknown>;

export function logEntryOf(r: StoredRow): LogEntryRecord {
  return {
    id: String(r.id),
    cohortId: String(r.cohort_id),
    authorId: String(r.author_id),
    commitmentId: r.commitment_id === null ? null : String(r.commitment_id),
    tried: String(r.tried),
    what: String(r.what),
    soWhat: String(r.so_what),
    nowWhat: String(r.now_what),
    actual: String(r.actual),
    decision: (r.decision ?? null) as Decision | null,
    visibility: r.visibility as Visibility,
    peerId: r.peer_id === null ? null : String(r.peer_id),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    editedAt: Number(r.edited_at),
    sharedAt: r.shared_at === null ? null : Number(r.shared_at),
  };
}

export function pulseWindowOf(r: StoredRow): PulseWindowRecord {
  return {
    id: String(r.id),
    cohortId: String(r.cohort_id),
    label: String(r.label),
    instrument: Number(r.instrument),
    items: JSON.parse(String(r.items)) as string[],
    floor: Number(r.floor),
    openedAt: Number(r.opened_at),
    closesAt: Number(r.closes_at),
    closedAt: r.closed_at === null ? null : Number(r.closed_at),
    results: r.results === null ? null : (JSON.parse(String(r.results)) as PulseResultsView),
    notes: String(r.notes),
  };
}
