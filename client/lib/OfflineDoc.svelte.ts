import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import { yjsProtocols } from '../../shared/yjsProtocols.ts';
import * as Y from 'yjs';

export type SyncStatus = 'connecting' | 'connected' | 'disconnected';

export interface OfflineDocOptions {
  /** Keep an IndexedDB copy for offline work (not on the read-only projector). */
  keepLocalCopy: boolean;
  /** Start from the server alone; call `keepLocally()` once the old copy is gone. */
  fresh?: boolean;
}

/**
 * The offline plumbing of one Y.Doc: its websocket provider, its IndexedDB
 * copy, the browser's online and offline events, and the count of changes
 * made here that the server has not had yet. The count lives in localStorage
 * so it survives a reload while offline.
 */
export class OfflineDoc {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  readonly name: string;
  #pending = $state(0);
  #status = $state<SyncStatus>('connecting');
  #synced = $state(false);
  #local: IndexeddbPersistence | null = null;
  /** Never to connect again (SyncedDoc.retire). */
  #halted = false;
  /** The server closed for good (another window took over, the session was deleted): only the person resumes. */
  #stopped = false;
  readonly #pendingKey: string;
  /** What the document was opened with; SyncedDoc opens it afresh with the same. */
  protected readonly token: string;
  protected readonly keepLocalCopy: boolean;

  constructor(name: string, token: string, { keepLocalCopy, fresh = false }: OfflineDocOptions) {
    this.name = name;
    this.token = token;
    this.keepLocalCopy = keepLocalCopy;
    this.#pendingKey = `howmight.pending.${name}`;
    this.#pending = fresh ? 0 : Number(localStorage.getItem(this.#pendingKey)) || 0;
    if (!fresh) this.keepLocally();
    const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`;
    // No BroadcastChannel: every tab syncs through the server, so a change the
    // server refused in one tab cannot slip into another tab's fresh copy.
    this.provider = new WebsocketProvider(wsBase, name, this.doc, { protocols: yjsProtocols(token), maxBackoffTime: 5000, disableBc: true });
    this.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      const local = typeof origin === 'object' && origin !== null && 'actor' in origin;
      if (!local || (navigator.onLine && this.provider.wsconnected && this.provider.synced)) return;
      this.#pending++;
      localStorage.setItem(this.#pendingKey, String(this.#pending));
    });
    this.provider.on('status', ({ status }) => (this.#status = status));
    this.provider.on('closed', () => (this.#stopped = true));
    this.provider.on('sync', (synced: boolean) => {
      this.#synced = synced;
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

  get status(): SyncStatus {
    return this.#status;
  }

  /** Whether the provider has synced with the server since it last connected. */
  get synced(): boolean {
    return this.#synced;
  }

  get halted(): boolean {
    return this.#halted;
  }

  /** Keeps an IndexedDB copy (for a fresh doc, after the old copy was cleared). */
  keepLocally(): void {
    if (this.keepLocalCopy && !this.#local) this.#local = new IndexeddbPersistence(`howmight.${this.name}`, this.doc);
  }

  /** Reconnects after the server closed for good, when the person asks ("Use here"). */
  resume(): void {
    if (this.#halted) return;
    this.#stopped = false;
    this.provider.connect();
  }

  /** Disconnects for good: not even the network coming back reconnects it. */
  halt(): void {
    this.#halted = true;
    this.provider.disconnect();
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
    if (this.#halted || this.#stopped) return;
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
