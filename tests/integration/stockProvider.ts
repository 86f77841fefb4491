import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { Board } from '../../shared/board/Board.ts';
import type { Note } from '../../shared/board/schema.ts';
import { toClose } from './cleanup.ts';
import { yjsProtocols } from '../../shared/yjsProtocols.ts';

/** The providers opened here are closed by the one registry (cleanup.ts); the old name stays for callers. */
export { useCleanup as useProviderCleanup } from './cleanup.ts';

/**
 * A stock y-websocket provider against any port (a child process, or a server
 * that restarts on the same port), with fast reconnects and a record of how
 * each connection closed.
 */
export interface StockClient {
  doc: Y.Doc;
  board: Board;
  provider: WebsocketProvider;
  /** Close codes of every connection the provider saw end. */
  closes: number[];
  /** Ids of notes that reached this client from the server (not written here). */
  receivedNoteIds: Set<string>;
  destroy(): void;
}

export function stockClient(port: number, docName: string, token: string, doc = new Y.Doc()): StockClient {
  const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/yjs`, docName, doc, {
    protocols: yjsProtocols(token),
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 250,
  });
  const closes: number[] = [];
  provider.on('connection-close', (event: CloseEvent | null) => {
    if (event) closes.push(event.code);
  });
  const receivedNoteIds = new Set<string>();
  const notes = doc.getMap('notes');
  notes.observe((event) => {
    if (event.transaction.origin !== provider) return;
    for (const [key, change] of event.changes.keys) if (change.action !== 'delete') receivedNoteIds.add(key);
  });
  let destroyed = false;
  const client: StockClient = {
    doc,
    board: new Board(doc),
    provider,
    closes,
    receivedNoteIds,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      provider.destroy();
      doc.destroy();
    },
  };
  toClose(() => client.destroy());
  return client;
}

/** Resolves once the provider has (re)synced with the server. */
export function synced(client: StockClient, timeoutMs = 10_000): Promise<void> {
  if (client.provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no sync within ${timeoutMs} ms`)), timeoutMs);
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return;
      clearTimeout(timer);
      client.provider.off('sync', onSync);
      resolve();
    };
    client.provider.on('sync', onSync);
  });
}

/** A board's content in a comparable form: every collection, sorted. */
export function contentOf(board: Board): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const name of ['norms', 'hopes', 'stories', 'needs', 'assumptions', 'notes', 'questions', 'votes', 'commitments'] as const) {
    out[name] = board.list(name).sort((a, b) => a.id.localeCompare(b.id));
  }
  return out;
}

export function noteTexts(notes: Note[]): string[] {
  return notes.map((n) => n.text).sort();
}
