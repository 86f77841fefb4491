import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Starts the servers under test as child processes, so /proc can measure them alone. */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ServerProcess {
  kind: 'ours' | 'reference' | 'hocuspocus';
  pid: number;
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  /** ws://127.0.0.1:<port>/yjs for ours, ws://127.0.0.1:<port> for the reference and Hocuspocus. */
  yjsUrl: string;
  dataDir: string;
  stop(): Promise<void>;
  /** The last lines the process printed, for error messages. */
  output(): string;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

async function launch(kind: ServerProcess['kind'], script: string, env: NodeJS.ProcessEnv, dataDir: string): Promise<ServerProcess> {
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each server process there when it exits.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
  const child: ChildProcess = spawn(process.execPath, ['--expose-gc', ...profile, '--import', 'tsx', script], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  };
  child.stderr!.on('data', keep);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} server did not start:\n${log}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      keep(chunk);
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${kind} server exited with ${code}:\n${log}`));
    });
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    kind,
    pid: child.pid!,
    baseUrl,
    yjsUrl: kind === 'ours' ? `ws://127.0.0.1:${port}/yjs` : `ws://127.0.0.1:${port}`,
    dataDir,
    output: () => log,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Our server (server/main.ts) on a free port with its own data dir (SQLite) and the diagnostics endpoint on. */
export function startOurs(options: { dataDir?: string; clientDir?: string } = {}): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? tempDir('howmight-bench-');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    BENCH_DIAGNOSTICS: '1',
    LOG_REQUESTS: '0',
  };
  if (options.clientDir) env.CLIENT_DIR = options.clientDir;
  // One process on SQLite, even when the bench was given a database and Redis for the cluster section.
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  return launch('ours', 'server/main.ts', env, dataDir);
}

/** The stock y-websocket server with persistence off. */
export function startReference(): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1' };
  delete env.YPERSISTENCE;
  return launch('reference', 'bench/referenceServer.ts', env, '');
}

/**
 * Hocuspocus (bench/hocuspocusServer.ts) with no storage extension; with
 * REDIS_URL in `env`, its Redis extension (keys and channels under REDIS_PREFIX).
 */
export function startHocuspocus(env: Record<string, string> = {}): Promise<ServerProcess> {
  const full: NodeJS.ProcessEnv = { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1' };
  return launch('hocuspocus', 'bench/hocuspocusServer.ts', full, '');
}

export interface Diagnostics {
  rooms: number;
  heapUsed: number;
  /** Instances by constructor name, counted in a heap snapshot (after a full GC). */
  census?: Record<string, number>;
  /** Open TCP sockets (server side) still held by the process. */
  openSockets?: number;
}

/** GET /__diag on a connection of its own, closed after, so it does not count itself among open sockets later. */
export function diagnostics(server: ServerProcess, census = false): Promise<Diagnostics> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${server.baseUrl}/__diag${census ? '?census=1' : ''}`, { agent: false, headers: { Connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`/__diag answered ${res.statusCode}; is BENCH_DIAGNOSTICS wired in?`));
        else resolve(JSON.parse(body) as Diagnostics);
      });
    });
    req.on('error', reject);
  });
}
