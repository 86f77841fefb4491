import net from 'node:net';
import v8 from 'node:v8';
import type { Request, Response } from 'express';
import { Socket as IoSocket } from 'socket.io';
import { WebSocket } from 'ws';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { Room } from '../sync/Room.ts';

/**
 * GET /__diag, mounted only when BENCH_DIAGNOSTICS=1 (npm run bench): after
 * a full GC (node --expose-gc), how many sync objects are still alive on the
 * heap, how many TCP sockets are open, and the heap in use, so the benchmark
 * can tell that rooms and sockets really leave memory.
 */
const COUNTED = { Room, Doc: Y.Doc, Awareness, WebSocket, IoSocket, NetSocket: net.Socket } as const;

const count = (ctor: unknown) => v8.queryObjects(ctor as new (...args: never[]) => unknown, { format: 'count' }) as number;

/** Each count walks the heap (about 0.1 s), so only rooms are counted unless ?census=1. */
export function diagnostics(req: Request, res: Response): void {
  (globalThis as { gc?: () => void }).gc?.();
  const census: Record<string, number> = {};
  const names = req.query.census === '1' ? (Object.keys(COUNTED) as Array<keyof typeof COUNTED>) : (['Room'] as const);
  for (const name of names) census[name] = count(COUNTED[name]);
  // The request's own connection is one of the open sockets.
  const openSockets = process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length - 1;
  res.setHeader('Cache-Control', 'no-store');
  res.json({ rooms: census.Room, heapUsed: process.memoryUsage().heapUsed, openSockets, census });
}
