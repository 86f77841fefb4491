import type { Decision, Visibility } from '../../shared/year/practiceLog.ts';

export interface LogEntryRecord {
  id: string;
  cohortId: string;
  authorId: string;
  commitmentId: string | null;
  tried: string;
  what: string;
  soWhat: string;
  nowWhat: string;
  actual: string;
  decision: Decision | null;
  visibility: Visibility;
  peerId: string | null;
  createdAt: number;
  updatedAt: number;
  /** The author's clock at the edit, which decides between two devices' saves. */
  editedAt: number;
  sharedAt: number | null;
}

export interface LogNoteRecord {
  id: string;
  entryId: string;
  authorId: string;
  text: string;
  createdAt: number;
}

/** What the facilitator's counts need of an entry: no text. */
export type LogEntryMeta = Pick<LogEntryRecord, 'id' | 'authorId' | 'visibility' | 'createdAt' | 'updatedAt'>;

/**
 * The practice log's rows (migration 5). Lists are oldest first, in insertion
 * order on ties. Every row cascades from its cohort and its author.
 */
export interface LogStore {
  /** Stores the entry, or the newer edit of it: an older `editedAt` than the stored one changes nothing ('stale'). */
  saveEntry(entry: LogEntryRecord): Promise<'saved' | 'stale'>;
  getEntry(id: string): Promise<LogEntryRecord | null>;
  listEntriesOf(authorId: string): Promise<LogEntryRecord[]>;
  countEntriesOf(authorId: string): Promise<number>;
  /** Every entry of the cohort that is not private, with its text. */
  listSharedEntries(cohortId: string): Promise<LogEntryRecord[]>;
  /** Every entry of the cohort, without its text. */
  listEntryMeta(cohortId: string): Promise<LogEntryMeta[]>;
  deleteEntry(id: string): Promise<void>;

  addNote(note: LogNoteRecord): Promise<void>;
  listNotesOn(entryIds: readonly string[]): Promise<LogNoteRecord[]>;
  countNotesOn(entryId: string): Promise<number>;

  /** Records that the member has seen these items (entries or notes) now. */
  markSeen(memberId: string, itemIds: readonly string[], at: number): Promise<void>;
  seenBy(memberId: string): Promise<Map<string, number>>;

  /** A removed member's entries, the notes they wrote and what they had seen. */
  deleteLogOf(memberId: string): Promise<void>;
}
