import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import { toClose } from './cleanup.ts';
import { yjsProtocols } from '../../shared/yjsProtocols.ts';

/** The raw sockets opened here are closed by the one registry (cleanup.ts); the old name stays for callers. */
export { useCleanup as useRawCleanup } from './cleanup.ts';

/**
 * A bare WebSocket on /yjs/<doc>: sends exactly the bytes a test crafts and
 * reports how the server closed it, which a stock provider hides.
 */
export interface RawYjs {
  ws: WebSocket;
  /** Resolves with the close code and reason (1006 when the TCP connection just dropped). */
  closed: Promise<{ code: number; reason: string }>;
  isOpen(): boolean;
}

export async function rawYjs(port: number, docName: string, token: string): Promise<RawYjs> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/yjs/${encodeURIComponent(docName)}`, yjsProtocols(token));
  toClose(() => ws.terminate());
  ws.on('error', () => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
  return { ws, closed, isOpen: () => ws.readyState === WebSocket.OPEN };
}

/** A y-websocket "sync update" message carrying `update`. */
export function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}
