import type { DocumentLog } from '../storage/DocumentLog.ts';

interface Pending {
  sessionId: string;
  docName: string;
  update: Uint8Array;
  /** Runs once the update is committed, with its seq: the relay to the room's other sockets. */
  committed: (seq: number) => void;
  /** Runs if the commit failed: nothing was relayed. */
  failed: (err: Error) => void;
}

/**
 * Group commit for the update log. With `synchronous = FULL` every commit waits
 * for the disk; updates accepted in the same turn of the event loop (from any
 * room) are committed together, in one append, and each is relayed only
 * after that append has resolved. Write-through is kept: nobody is shown an
 * update before it is durable, and an update lost to a crash before its commit
 * was shown to nobody (its writer still holds it and sends it again on
 * reconnect). One append runs at a time and what arrives meanwhile forms the
 * next group, so order within a document is the order of arrival.
 */
export class AppendQueue {
  private pending: Pending[] = [];
  private scheduled = false;
  private running: Promise<void> | null = null;

  constructor(private readonly log: DocumentLog) {}

  push(entry: Pending): void {
    this.pending.push(entry);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  /** Drops a deleted session's queued updates: deleting must leave none of its text to be written after. */
  discardSession(sessionId: string): void {
    this.pending = this.pending.filter((entry) => entry.sessionId !== sessionId);
  }

  /** Drops one deleted document's queued updates (a removed member's private drafts). */
  discardDocument(docName: string): void {
    this.pending = this.pending.filter((entry) => entry.docName !== docName);
  }

  /** Commits everything queued now; resolves once all of it is committed (or failed) and relayed. */
  flush(): Promise<void> {
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      let seqs: number[];
      try {
        seqs = await this.log.append(batch);
      } catch (err) {
        for (const entry of batch) entry.failed(err as Error);
        continue;
      }
      batch.forEach((entry, i) => entry.committed(seqs[i]!));
    }
  }
}
