import type { StoredDocument } from '../storage/DocumentLog.ts';

export interface PeerFeedDeps {
  /** Applies another process's committed update (seq order, each once) and relays it to this process's sockets. */
  apply(seq: number, update: Uint8Array): void;
  /** Applies a snapshot that covers rows up to `seq` (rows this process never saw were compacted into it). */
  applySnapshot(seq: number, snapshot: Uint8Array): void;
  /** The log after `afterSeq` (DocumentLog.loadSince). */
  read(afterSeq: number): Promise<StoredDocument>;
  log(message: string): void;
  /** How long a gap may wait for the bus to deliver the missing seqs before they are read from the log. */
  gapWaitMs: number;
}

/**
 * One document's committed updates, applied in seq order whichever process
 * committed them (docs/SCALEOUT.md §3, "the ordered apply loop"). `applied`
 * is the highest seq such that this process holds every row up to it: what a
 * snapshot taken here may say it covers. This process's own commits are in
 * the document already and only move that mark; another's are applied when
 * their turn comes. A gap (a message lost, or still on its way) is read from
 * the log after a short wait: any seq below one committed is committed too.
 */
export class PeerFeed {
  #applied: number;
  /** Seqs past `applied`: null for this process's own (already in the document), else the bytes to apply. */
  private readonly ahead = new Map<number, Uint8Array | null>();
  private reading: Promise<void> | null = null;
  /** The read that follows the one in flight. */
  private again: Promise<void> | null = null;
  private gapTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(applied: number, private readonly deps: PeerFeedDeps) {
    this.#applied = applied;
  }

  get applied(): number {
    return this.#applied;
  }

  /** This process committed `seq`; its update is in the document already. */
  own(seq: number): void {
    if (seq <= this.#applied) return;
    this.ahead.set(seq, null);
    this.drain();
  }

  /** Another process committed `seq` (from the bus, or read from the log). Duplicates and echoes are dropped. */
  peer(seq: number, update: Uint8Array): void {
    if (this.closed || seq <= this.#applied || this.ahead.has(seq)) return;
    this.ahead.set(seq, update);
    this.drain();
  }

  /** The log's head is `head` (the periodic comparison): reads what this process lacks. */
  behind(head: number): void {
    if (head > this.#applied) void this.catchUp();
  }

  /**
   * Reads and applies everything committed after `applied` by the time it is
   * called. One read at a time: a read in flight may have begun before what
   * the caller needs was committed, so one more follows it, shared by every
   * caller meanwhile.
   */
  catchUp(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.reading) {
      this.again ??= this.reading.then(() => {
        this.again = null;
        return this.catchUp();
      });
      return this.again;
    }
    this.reading = this.read().finally(() => {
      this.reading = null;
      if (this.hasGap()) this.waitForGap();
    });
    return this.reading;
  }

  close(): void {
    this.closed = true;
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = null;
    this.ahead.clear();
  }

  private async read(): Promise<void> {
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = null;
    let stored: StoredDocument;
    try {
      stored = await this.deps.read(this.#applied);
    } catch (err) {
      // The database is away: the next gap, comparison of heads or connect tries again.
      this.deps.log(`catching up failed: ${(err as Error).message}`);
      return;
    }
    if (this.closed) return;
    if (stored.snapshot && stored.snapshotSeq > this.#applied) {
      this.deps.applySnapshot(stored.snapshotSeq, stored.snapshot);
      this.#applied = stored.snapshotSeq;
      for (const seq of this.ahead.keys()) if (seq <= this.#applied) this.ahead.delete(seq);
    }
    for (const { seq, update } of stored.updates) this.peer(seq, update);
    this.drain();
  }

  private drain(): void {
    for (;;) {
      const next = this.#applied + 1;
      if (!this.ahead.has(next)) break;
      const update = this.ahead.get(next)!;
      this.ahead.delete(next);
      this.#applied = next;
      if (update) this.deps.apply(next, update);
    }
    if (this.hasGap()) this.waitForGap();
  }

  private hasGap(): boolean {
    return !this.closed && this.ahead.size > 0;
  }

  private waitForGap(): void {
    if (this.gapTimer || this.reading) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = null;
      void this.catchUp();
    }, this.deps.gapWaitMs);
    this.gapTimer.unref();
  }
}
