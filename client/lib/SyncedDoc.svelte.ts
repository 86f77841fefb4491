import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/** After a refusal the server makes the same link wait at least this long (server/sync/RefusalBackoff.ts). */
export const REFUSAL_WAIT_MS = 1500;

/**
 * One synced Y.Doc: server sync plus (unless read-only) an IndexedDB copy for
 * offline work. It counts the changes made here that the server has not had
 * yet; the count lives in localStorage so it survives a reload while offline.
 *
 * A doc whose update the server refused is retired: every later update of its
 * client id builds on the refused one, so it can never sync again. `afresh()`
 * opens a new doc from the server's state to take its place.
 */
export class SyncedDoc {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly name: string;
  #pending = $state(0);
  #local: IndexeddbPersistence | null = null;
  #retired = false;
  /** The server closed for good (another window took over, the session was deleted): only the person resumes. */
  #stopped = false;
  readonly #pendingKey: string;
  readonly #token: string;
  readonly #keepLocalCopy: boolean;

  /** `fresh`: start from the server alone; call `keepLocally()` once the old copy is gone. */
  constructor(name: string, token: string, keepLocalCopy: boolean, fresh = false) {
    this.name = name;
    this.#token = token;
    this.#keepLocalCopy = keepLocalCopy;
    this.#pendingKey = `howmight.pending.${name}`;
    this.#pending = fresh ? 0 : Number(localStorage.getItem(this.#pendingKey)) || 0;
    if (!fresh) this.keepLocally();
    const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`;
    // No BroadcastChannel: every tab syncs through the server, so a change the
    // server refused in one tab cannot slip into another tab's fresh copy.
    this.provider = new WebsocketProvider(wsBase, name, this.doc, { params: { token }, maxBackoffTime: 5000, disableBc: true });
    this.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      const local = typeof origin === 'object' && origin !== null && 'actor' in origin;
      if (!local || (navigator.onLine && this.provider.wsconnected && this.provider.synced)) return;
      this.#pending++;
      localStorage.setItem(this.#pendingKey, String(this.#pending));
    });
    this.provider.on('closed', () => (this.#stopped = true));
    this.provider.on('sync', (synced: boolean) => {
      if (!synced) return;
      this.#pending = 0;
      localStorage.removeItem(this.#pendingKey);
    });
    addEventListener('offline', this.#onOffline);
    addEventListener('online', this.#onOnline);
    if (!navigator.onLine) this.#onOffline();
  }

  /** Changes made here that the server has not had yet. */
  get pending(): number {
    return this.#pending;
  }

  get retired(): boolean {
    return this.#retired;
  }

  /** Keeps an IndexedDB copy (for a fresh doc, after the old copy was cleared). */
  keepLocally(): void {
    if (this.#keepLocalCopy && !this.#local) this.#local = new IndexeddbPersistence(`howmight.${this.name}`, this.doc);
  }

  /** Reconnects after the server closed for good, when the person asks ("Use here"). */
  resume(): void {
    if (this.#retired) return;
    this.#stopped = false;
    this.provider.connect();
  }

  /** The server refused an update of this doc: it must not reconnect, even when the network comes back. */
  retire(): void {
    this.#retired = true;
    this.provider.disconnect();
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
    const fresh = new SyncedDoc(this.name, this.#token, this.#keepLocalCopy, true);
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

  /** Forgets this device's copy (the session was deleted, or the server refused what it held). */
  async forget(): Promise<void> {
    this.#pending = 0;
    localStorage.removeItem(this.#pendingKey);
    const local = this.#local;
    this.#local = null;
    await local?.clearData();
  }

  /**
   * The browser says when the network goes: drop the socket at once rather than
   * write into a dead one, and on return reconnect, which runs a full sync both ways.
   */
  readonly #onOffline = () => this.provider.disconnect();
  readonly #onOnline = () => {
    if (this.#retired || this.#stopped) return;
    this.provider.disconnect();
    this.provider.connect();
  };

  destroy(): void {
    removeEventListener('offline', this.#onOffline);
    removeEventListener('online', this.#onOnline);
    this.provider.destroy();
    void this.#local?.destroy();
    this.doc.destroy();
  }
}
