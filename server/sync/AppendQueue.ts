import type { Store } from '../store/Store.ts';

interface Pending {
  sessionId: string;
  docName: string;
  update: Uint8Array;
  /** Runs once the update is committed: the relay to the room's other sockets. */
  committed: () => void;
  /** Runs if the commit failed: nothing was relayed. */
  failed: (err: Error) => void;
}

/**
 * Group commit for the update log. With `synchronous = FULL` every commit waits
 * for the disk; updates accepted in the same turn of the event loop (from any
 * room) are committed together, in one transaction, and each is relayed only
 * after that commit has returned. Write-through is kept: nobody is shown an
 * update before it is durable, and an update lost to a crash before its commit
 * was shown to nobody (its writer still holds it and sends it again on
 * reconnect). Order within a document is the order of arrival.
 */
export class AppendQueue {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(private readonly store: Store) {}

  push(entry: Pending): void {
    this.pending.push(entry);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Drops a deleted session's queued updates: deleting must leave none of its text to be written after. */
  discardSession(sessionId: string): void {
    this.pending = this.pending.filter((entry) => entry.sessionId !== sessionId);
  }

  /** Commits everything queued now (a compaction calls it first, so the log and the snapshot agree). */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      this.store.appendUpdates(batch);
    } catch (err) {
      for (const entry of batch) entry.failed(err as Error);
      return;
    }
    for (const entry of batch) entry.committed();
  }
}
