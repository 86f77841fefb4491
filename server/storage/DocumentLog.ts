/** One row of a document's log: an update and its place in that document's sequence. */
export interface LoggedUpdate {
  /** Dense per document: 1, 2, 3… continuing past a compaction. */
  seq: number;
  update: Uint8Array;
}

export interface StoredDocument {
  snapshot: Uint8Array | null;
  /** The last seq the snapshot covers (0 without one). */
  snapshotSeq: number;
  /** The rows after the snapshot, in seq order. */
  updates: LoggedUpdate[];
}

export interface LogAppend {
  sessionId: string;
  docName: string;
  update: Uint8Array;
}

/**
 * Every document as a snapshot plus the updates since, each numbered. The
 * numbering is what lets compaction remove exactly what its snapshot merged,
 * so an update appended meanwhile (by this process or another) survives.
 */
export interface DocumentLog {
  load(docName: string): Promise<StoredDocument>;
  /**
   * What a process that has applied every row up to `afterSeq` lacks: the rows
   * after it, read in one consistent view. If a compaction has merged some of
   * them into the snapshot meanwhile, the snapshot comes too (`snapshotSeq >
   * afterSeq`); otherwise `snapshot` is null and `updates` starts at afterSeq + 1.
   */
  loadSince(docName: string, afterSeq: number): Promise<StoredDocument>;
  /** The last committed seq of each named document that has one (several processes compare it with what they applied). */
  heads(docNames: readonly string[]): Promise<Map<string, number>>;
  /**
   * Appends the updates in order, all or none, in one commit (one fsync for a
   * whole group). Resolves with the seq each was given, once durable.
   */
  append(entries: readonly LogAppend[]): Promise<number[]>;
  /** Stores `snapshot` as covering rows up to `uptoSeq` and deletes exactly those rows (`seq <= uptoSeq`). */
  compact(sessionId: string, docName: string, snapshot: Uint8Array, uptoSeq: number): Promise<void>;
  /**
   * Deletes one document for good, its log rows and its snapshot (a removed
   * member's private drafts), leaving none of its bytes on disk; the rest of
   * its session stays. Numbering starts again at 1 if the name is reused.
   */
  deleteDocument(docName: string): Promise<void>;
}
