import * as Y from 'yjs';
import type { StoredDocument } from '../storage/DocumentLog.ts';
import { encodeSyncStep2FromUpdate, encodeUpdate } from './messages.ts';

/**
 * A document as the log holds it: the stored snapshot and the committed rows
 * after it, as bytes. A client that has nothing (an empty state vector) is
 * sent these as they are, without the room's Y.Doc being encoded again, and
 * never anything the log has not committed yet. The messages are built once
 * per change of what is stored and shared by every such client.
 */
export class CommittedBytes {
  private snapshotMessage: Uint8Array | null;
  private rows: Array<{ seq: number; update: Uint8Array }>;
  private rowsMessage: Uint8Array | null = null;
  /** The last seq the snapshot covers (0 without one). */
  snapshotSeq: number;
  snapshotBytes: number;
  /** Bytes of the rows after the snapshot. */
  rowBytes: number;

  constructor(stored: StoredDocument) {
    this.snapshotMessage = stored.snapshot ? encodeSyncStep2FromUpdate(stored.snapshot) : null;
    this.snapshotSeq = stored.snapshotSeq;
    this.snapshotBytes = stored.snapshot?.length ?? 0;
    this.rows = [...stored.updates];
    this.rowBytes = sumBytes(this.rows);
  }

  /** Rows the log holds after the snapshot: what the next compaction removes. */
  get rowCount(): number {
    return this.rows.length;
  }

  /** An update the log has committed as `seq` (this process's, or another's). */
  committed(seq: number, update: Uint8Array): void {
    this.rows.push({ seq, update });
    this.rowBytes += update.length;
    this.rowsMessage = null;
  }

  /** The log now holds `snapshot` for every row up to `uptoSeq`. */
  compacted(snapshot: Uint8Array, uptoSeq: number): void {
    if (uptoSeq <= this.snapshotSeq) return;
    this.snapshotMessage = encodeSyncStep2FromUpdate(snapshot);
    this.snapshotSeq = uptoSeq;
    this.snapshotBytes = snapshot.length;
    this.rows = this.rows.filter((row) => row.seq > uptoSeq);
    this.rowBytes = sumBytes(this.rows);
    this.rowsMessage = null;
  }

  /**
   * What a client with an empty document is sent: sync step 2 with the
   * snapshot's bytes, then the rows since, merged into one update (a row is
   * small and there are at most a compaction's worth).
   */
  forEmptyClient(): Uint8Array[] {
    if (this.rows.length > 0 && !this.rowsMessage) {
      const merged = this.rows.length === 1 ? this.rows[0]!.update : Y.mergeUpdates(this.rows.map((row) => row.update));
      this.rowsMessage = this.snapshotMessage ? encodeUpdate(merged) : encodeSyncStep2FromUpdate(merged);
    }
    const messages: Uint8Array[] = [];
    if (this.snapshotMessage) messages.push(this.snapshotMessage);
    if (this.rowsMessage) messages.push(this.rowsMessage);
    // A document nobody wrote: step 2 with an empty update, so the client knows it is synced.
    if (messages.length === 0) messages.push(EMPTY_STEP2);
    return messages;
  }
}

const EMPTY_STEP2 = encodeSyncStep2FromUpdate(new Uint8Array([0, 0]));

function sumBytes(rows: ReadonlyArray<{ update: Uint8Array }>): number {
  return rows.reduce((n, row) => n + row.update.length, 0);
}
