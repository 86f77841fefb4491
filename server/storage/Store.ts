import type { CohortStore } from './CohortStore.ts';
import type { DocumentLog } from './DocumentLog.ts';
import type { LogStore } from './LogStore.ts';
import type { PulseStore } from './PulseStore.ts';
import type { PlaylistStore } from './PlaylistStore.ts';
import type { SessionStore } from './SessionStore.ts';

export type { LogAppend, LoggedUpdate, StoredDocument, DocumentLog } from './DocumentLog.ts';
export type { CreateSessionOutcome, ParticipantRecord, SessionRecord, SessionStore, TokenRecord } from './SessionStore.ts';

/**
 * Everything the server persists, behind promise-based interfaces:
 * the document log, the session store, the year's cohort store, its
 * practice log, its playlists and its trust pulse. All may
 * share one database (SQLite does); tests/storage/storageContract.ts is
 * what any implementation must pass.
 */
export interface Store {
  readonly documents: DocumentLog;
  readonly sessions: SessionStore;
  readonly cohorts: CohortStore;
  readonly logs: LogStore;
  readonly pulses: PulseStore;
  readonly playlists: PlaylistStore;
  close(): Promise<void>;
}
