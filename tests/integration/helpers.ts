import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { configFromEnv, type Config } from '../../server/config.ts';
import { startServer, type RunningServer, type ServerTuning } from '../../server/index.ts';
import { DATABASE_FILE_NAME } from '../../server/storage/sqlite/SqliteStore.ts';
import type { CreateSessionResponse, JoinSessionResponse } from '../../shared/api.ts';
import { Board } from '../../shared/board/Board.ts';
import type { StepId } from '../../shared/protocol/steps.ts';
import { toClose } from './cleanup.ts';
import { yjsProtocols } from '../../shared/yjsProtocols.ts';
import type {
  ClientToServerEvents,
  CommandResult,
  ControlUpdate,
  Problem,
  RosterEntry,
  ServerToClientEvents,
  Welcome,
} from '../../shared/events.ts';

/**
 * Integration helpers: the real server on port 0 with a real SQLite file in
 * a fresh temp dir, and real clients (stock y-websocket, socket.io-client,
 * fetch). Everything they open is registered with cleanup.ts, whose
 * `useCleanup` closes it after each test.
 */

export interface TestServer extends RunningServer {
  dataDir: string;
  /** http://127.0.0.1:<port>; `url` says localhost, which may resolve to ::1. */
  baseUrl: string;
}

export { cleanup, useCleanup } from './cleanup.ts';

/** Where the clients below connect: a test server, or anything else that serves the app (nginx in front of several). */
export type Reachable = Pick<TestServer, 'port' | 'baseUrl'>;

/**
 * Starts the server on a fresh data dir, or on `dataDir` to simulate a restart;
 * `config` overrides the defaults (trustProxy, publicUrl, allowedOrigins…).
 */
export async function startTestServer(dataDir?: string, tuning: ServerTuning = {}, config: Partial<Config> = {}): Promise<TestServer> {
  if (!dataDir) {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'howmight-test-'));
    const dir = dataDir;
    toClose(() => fs.rm(dir, { recursive: true, force: true }));
  }
  const running = await startServer({ ...configFromEnv({}), port: 0, host: '127.0.0.1', dataDir, ...config }, tuning);
  const server: TestServer = { ...running, dataDir, baseUrl: `http://127.0.0.1:${running.port}` };
  toClose(() => server.close());
  return server;
}

/** Closes the server and starts a new one on the same data dir. */
export async function restartServer(server: TestServer): Promise<TestServer> {
  await server.close();
  return startTestServer(server.dataDir);
}

/**
 * A connection of the test's own to the server's SQLite file, for what only
 * SQLite can show: every table's rows, the bytes as stored, a damaged or
 * missing table. Everything else is inspected through the store's interfaces.
 */
export function sqliteOf(server: TestServer): Database.Database {
  const open = ownConnections.get(server);
  if (open?.open) return open;
  const db = new Database(path.join(server.dataDir, DATABASE_FILE_NAME));
  ownConnections.set(server, db);
  toClose(() => db.close());
  return db;
}
const ownConnections = new WeakMap<TestServer, Database.Database>();

/** Rows in one of the SQLite file's tables. */
export function rowCount(server: TestServer, table: string): number {
  return (sqliteOf(server).prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
}

// ---------------------------------------------------------------- HTTP

export interface HttpResult<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** POSTs `body` (JSON unless it is already a string) and parses the JSON answer. */
export async function post<T = unknown>(
  server: Reachable,
  urlPath: string,
  body: unknown,
  contentType = 'application/json',
): Promise<HttpResult<T>> {
  const res = await fetch(server.baseUrl + urlPath, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

export async function createSession(
  server: Reachable,
  body: { title: string; lengthMinutes?: number } = { title: 'Attendance inquiry' },
): Promise<CreateSessionResponse> {
  const res = await post<CreateSessionResponse>(server, '/api/sessions', body);
  if (res.status !== 201) throw new Error(`createSession: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function join(server: Reachable, joinCode: string, name: string): Promise<JoinSessionResponse> {
  const res = await post<JoinSessionResponse>(server, '/api/sessions/join', { joinCode, name });
  if (res.status !== 200) throw new Error(`join: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

// ---------------------------------------------------------------- polling

export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------- content plane

export interface YjsClient {
  doc: Y.Doc;
  board: Board;
  provider: WebsocketProvider;
  destroy(): void;
}

/**
 * A stock y-websocket client, resolved once it has synced with the server.
 * `docName` is the session id for the shared board, or
 * privateDocName(sessionId, participantId) for a participant's private drafts
 * (read those with `new PrivateBoard(client.doc)`).
 */
export function connectYjs(server: Reachable, docName: string, token: string, timeoutMs = 5_000): Promise<YjsClient> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`ws://127.0.0.1:${server.port}/yjs`, docName, doc, {
    protocols: yjsProtocols(token),
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    connect: true,
    disableBc: true,
  });
  const destroy = () => {
    provider.destroy();
    doc.destroy();
  };
  toClose(destroy);
  const client: YjsClient = { doc, board: new Board(doc), provider, destroy };
  if (provider.synced) return Promise.resolve(client);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`y-websocket client did not sync within ${timeoutMs} ms`)), timeoutMs);
    provider.on('sync', (synced: boolean) => {
      if (!synced) return;
      clearTimeout(timer);
      resolve(client);
    });
  });
}

/**
 * A raw WebSocket on /yjs/<docName> that sends nothing and records every frame
 * the server sends it (sync step 1, relayed updates, awareness, keep-alives):
 * exactly what reached that browser, before any client library decoded it.
 */
export function recordYjsFrames(server: TestServer, docName: string, token: string): Promise<{ frames: Uint8Array[]; close(): void }> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/yjs/${encodeURIComponent(docName)}`, yjsProtocols(token));
  toClose(() => ws.terminate());
  const frames: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => frames.push(new Uint8Array(data)));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ frames, close: () => ws.close() }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

/**
 * Opens a raw WebSocket to /yjs/<docName> and reports how the upgrade went:
 * the HTTP status of a refusal, or 101 when the socket opened.
 */
export function upgradeStatus(server: TestServer, docName: string, token?: string, origin?: string): Promise<number> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/yjs/${docName}`, token === undefined ? [] : yjsProtocols(token), origin ? { origin } : {});
  toClose(() => ws.terminate());
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', (err) => reject(err));
  });
}

// ---------------------------------------------------------------- control plane

export type ControlSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ControlClient {
  socket: ControlSocket;
  welcome: Welcome;
  /** Every event received since the socket connected, in order. */
  rosters: RosterEntry[][];
  controls: ControlUpdate[];
  problems: Problem[];
  /** Every event of any kind with its arguments, including the welcome. */
  events: Array<{ event: string; args: unknown[] }>;
  /** Sends a command and resolves with the server's ack. */
  command(payload: unknown): Promise<CommandResult>;
  close(): void;
}

function controlSocket(server: Reachable, token: unknown): ControlSocket {
  const socket: ControlSocket = io(server.baseUrl, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    autoConnect: false,
  });
  toClose(() => socket.disconnect());
  return socket;
}

/** A socket.io control client, resolved with its welcome. */
export function connectControl(server: Reachable, token: string, timeoutMs = 5_000): Promise<ControlClient> {
  const socket = controlSocket(server, token);
  const rosters: RosterEntry[][] = [];
  const controls: ControlUpdate[] = [];
  const problems: Problem[] = [];
  const events: Array<{ event: string; args: unknown[] }> = [];
  socket.onAny((event: string, ...args: unknown[]) => events.push({ event, args }));
  socket.on('roster', (r) => rosters.push(r));
  socket.on('control', (c) => controls.push(c));
  socket.on('problem', (p) => problems.push(p));
  const command = (payload: unknown) =>
    new Promise<CommandResult>((resolve, reject) => {
      socket.timeout(timeoutMs).emit('command', payload, (err: Error | null, result: CommandResult) =>
        err ? reject(err) : resolve(result),
      );
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no welcome within ${timeoutMs} ms`)), timeoutMs);
    socket.once('welcome', (welcome) => {
      clearTimeout(timer);
      resolve({ socket, welcome, rosters, controls, problems, events, command, close: () => socket.disconnect() });
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.connect();
  });
}

/** Resolves with the connect_error message of a handshake that should fail. */
export async function controlHandshakeError(server: TestServer, token: unknown, timeoutMs = 5_000): Promise<string> {
  return (await controlHandshakeRefusal(server, token, timeoutMs)).message;
}

/** The connect_error of a handshake that should fail: its message and the problem it carries as `data`. */
export function controlHandshakeRefusal(server: TestServer, token: unknown, timeoutMs = 5_000): Promise<{ message: string; data: unknown }> {
  const socket = controlSocket(server, token);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('handshake neither failed nor succeeded')), timeoutMs);
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      resolve({ message: err.message, data: (err as Error & { data?: unknown }).data });
    });
    socket.once('welcome', () => {
      clearTimeout(timer);
      reject(new Error('handshake unexpectedly succeeded'));
    });
    socket.connect();
  });
}

/** The last roster a client received, as name -> online. */
export function onlineByName(client: ControlClient): Record<string, boolean> {
  const roster = client.rosters.at(-1) ?? [];
  return Object.fromEntries(roster.map((e) => [e.name, e.online]));
}

/**
 * Runs the meeting to `step` as the facilitator would (and reveals the notes,
 * or opens voting, when asked), so participants' writes for that step are
 * accepted: the server refuses board writes a step does not take.
 */
export async function atStep(
  server: Reachable,
  session: CreateSessionResponse,
  step: StepId,
  options: { reveal?: boolean; voting?: boolean; locked?: boolean } = {},
): Promise<void> {
  const facilitator = await connectControl(server, session.facilitatorToken);
  const run = async (payload: unknown) => {
    const result = await facilitator.command(payload);
    if (!result.ok) throw new Error(`command ${JSON.stringify(payload)} failed: ${result.error.message}`);
  };
  if (options.reveal ?? (step === 'sort' || step === 'causes')) {
    await run({ type: 'goto', step: 'causes' });
    await run({ type: 'reveal' });
  }
  await run({ type: 'goto', step });
  if (options.voting) await run({ type: 'voting', status: 'open' });
  if (options.locked) await run({ type: 'lock', locked: true });
  facilitator.close();
}
