import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { toClose } from './cleanup.ts';

/** The child processes and data dirs opened here are closed by the one registry (cleanup.ts); the old name stays for callers. */
export { useCleanup as useProcessCleanup } from './cleanup.ts';

/**
 * The real server as a child process (`node --import tsx server/main.ts`), for
 * what an in-process server cannot show: kill -9, SIGTERM and the exit code,
 * and everything the process prints.
 */
export interface ServerProcess {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  dataDir: string;
  /** Everything printed so far, stdout and stderr apart. */
  output: { stdout: string; stderr: string };
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const ROOT = path.resolve(import.meta.dirname, '../..');

export async function tempDataDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'howmight-proc-'));
  toClose(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A port nobody listens on right now, so a restarted server can come back on the same address. */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export async function spawnServer(
  options: { dataDir?: string; port?: number; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? (await tempDataDir());
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      PORT: String(options.port ?? 0),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      CLIENT_DIR: path.join(dataDir, 'no-client'),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Whatever a test left running is killed after it.
  toClose(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output.stderr}`)), options.timeoutMs ?? 15_000);
    const onData = () => {
      const match = /listening on http:\/\/localhost:(\d+)/.exec(output.stdout);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve(Number(match[1]));
    };
    child.stdout!.on('data', onData);
    void exited.then(({ code }) => reject(new Error(`server exited with ${code} before listening: ${output.stderr}`)));
  });
  return { child, port, baseUrl: `http://127.0.0.1:${port}`, dataDir, output, exited };
}
