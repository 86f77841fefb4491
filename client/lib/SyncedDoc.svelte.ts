import { OfflineDoc } from './OfflineDoc.svelte.ts';

/** After a refusal the server makes the same link wait at least this long (server/sync/RefusalBackoff.ts). */
export const REFUSAL_WAIT_MS = 1500;

/**
 * One synced Y.Doc (its offline plumbing is OfflineDoc) that the server may
 * refuse. A doc whose update the server refused is retired: every later
 * update of its client id builds on the refused one, so it can never sync
 * again. `afresh()` opens a new doc from the server's state to take its place.
 */
export class SyncedDoc extends OfflineDoc {
  /** `fresh`: start from the server alone; call `keepLocally()` once the old copy is gone. */
  constructor(name: string, token: string, keepLocalCopy: boolean, fresh = false) {
    super(name, token, { keepLocalCopy, fresh });
  }

  get retired(): boolean {
    return this.halted;
  }

  /** The server refused an update of this doc: it must not reconnect, even when the network comes back. */
  retire(): void {
    this.halt();
  }

  /**
   * Opens the same document again with a new client id, from the server's
   * state only, and resolves once it has synced. It waits out the server's
   * back-off first; a 429 at the door is a failed connection, which the
   * provider retries with a growing delay.
   */
  async afresh(signal: AbortSignal): Promise<SyncedDoc> {
    await new Promise((resolve) => setTimeout(resolve, REFUSAL_WAIT_MS));
    signal.throwIfAborted();
    const fresh = new SyncedDoc(this.name, this.token, this.keepLocalCopy, true);
    try {
      await new Promise<void>((resolve, reject) => {
        const onSync = (synced: boolean) => {
          if (!synced) return;
          fresh.provider.off('sync', onSync);
          resolve();
        };
        fresh.provider.on('sync', onSync);
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      });
    } catch (err) {
      fresh.destroy();
      throw err;
    }
    return fresh;
  }
}
