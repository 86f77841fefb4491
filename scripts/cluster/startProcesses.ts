import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './freePort.ts';
import { OutputTail } from './OutputTail.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const READY = /\[howmight\] listening on /;

/** Every server process running now, killed if this process exits without closing them: they must not outlive it. One listener for all. */
const alive = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of alive) child.kill('SIGKILL');
});

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One server process of the cluster; it keeps its port and data dir across restart(). */
export interface ServerProcess {
  /** 1, 2, 3…: the name it goes by in messages. */
  index: number;
  port: number;
  /** http://127.0.0.1:<port>, the process itself, past nginx. */
  url: string;
  /** Of the current run; changes on restart(). */
  readonly pid: number;
  readonly running: boolean;
  /** Its DATA_DIR, a temp dir of its own. */
  dataDir: string;
  /**
   * Sends `signal` (SIGTERM by default) and resolves once the process has
   * exited; SIGKILL follows if it is still running after `killAfterMs`. For
   * signals that end it: SIGSTOP would never resolve. Resolves at once when it
   * has already exited.
   */
  kill(signal?: NodeJS.Signals, killAfterMs?: number): Promise<Exit>;
  /** Ends the current run if there is one (SIGTERM), then starts again on the same port and waits until it listens. */
  restart(): Promise<void>;
  /** Called with each exit, expected or not (the cluster runner says when a process died). */
  onExit(listener: (exit: Exit) => void): void;
  /** Its last ~200 lines of output, stdout and stderr interleaved. */
  output(): string;
  /** kill() (SIGTERM), then removes its data dir. */
  close(): Promise<void>;
}

export interface StartProcessesOptions {
  count: number;
  /**
   * Passed to every process over PATH and HOME, e.g. DATABASE_URL, REDIS_URL,
   * REDIS_PREFIX. PORT, HOST and DATA_DIR are the runner's; PUBLIC_URL is
   * dropped, since each process is also reached by its own address (see
   * `url`), which a PUBLIC_URL would refuse. TRUST_PROXY is `loopback` unless
   * given: nginx on 127.0.0.1 forwards each client's address.
   */
  env?: Record<string, string | undefined>;
  /** How long each may take to print "[howmight] listening on"; 60 s by default. */
  readyTimeoutMs?: number;
  /** Which lines to echo to this process's stdout, prefixed `[pN]`; `all` by default when CLUSTER_VERBOSE=1, else none. */
  echo?: 'all' | 'stderr' | 'none';
}

/**
 * N identical server processes, each `node --import tsx server/main.ts` on a
 * free 127.0.0.1 port with a data dir of its own (the tsx loader in this very
 * node, not the tsx CLI, which would run the server in a grandchild: a
 * kill -9 must reach the server). Started side by side; resolves once every
 * one listens. If any fails to start, the others are stopped and the error
 * carries that process's last stderr lines.
 */
export async function startProcesses(options: StartProcessesOptions): Promise<ServerProcess[]> {
  const echo = options.echo ?? (process.env.CLUSTER_VERBOSE === '1' ? 'all' : 'none');
  const ports = await distinctFreePorts(options.count);
  const processes = ports.map((port, i) => serverProcess(i + 1, port, options.env ?? {}, options.readyTimeoutMs ?? 60_000, echo));
  const started = await Promise.allSettled(processes.map((p) => p.restart()));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.allSettled(processes.map((p) => p.close()));
    throw failed.reason;
  }
  return processes;
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

function serverProcess(
  index: number,
  port: number,
  givenEnv: Record<string, string | undefined>,
  readyTimeoutMs: number,
  echo: 'all' | 'stderr' | 'none',
): ServerProcess {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `howmight-p${index}-`));
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), TRUST_PROXY: 'loopback' };
  for (const [name, value] of Object.entries(givenEnv)) if (value !== undefined) env[name] = value;
  Object.assign(env, { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir });
  delete env.PUBLIC_URL;

  const output = new OutputTail(200, (line, stream) => {
    if (echo === 'all' || (echo === 'stderr' && stream === 'stderr')) (stream === 'stderr' ? process.stderr : process.stdout).write(`[p${index}] ${line}\n`);
  });
  const listeners: ((exit: Exit) => void)[] = [];
  let child: ChildProcess | null = null;
  let exited: Promise<Exit> = Promise.resolve({ code: null, signal: null });

  const kill = async (signal: NodeJS.Signals = 'SIGTERM', killAfterMs = 10_000): Promise<Exit> => {
    const running = child;
    if (!running) return exited;
    running.kill(signal);
    const late = setTimeout(() => running.kill('SIGKILL'), killAfterMs);
    const exit = await exited;
    clearTimeout(late);
    return exit;
  };

  const start = async () => {
    output.clear();
    const started = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    alive.add(started);
    output.follow(started.stdout, 'stdout');
    output.follow(started.stderr, 'stderr');
    exited = new Promise((resolve) =>
      started.once('exit', (code, signal) => {
        alive.delete(started);
        if (child === started) child = null;
        const exit = { code, signal };
        resolve(exit);
        for (const listener of listeners) listener(exit);
      }),
    );
    const stderrTail = () => output.text('stderr').split('\n').slice(-20).join('\n') || '(nothing on stderr)';
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (err?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        started.stdout?.off('data', onData);
        if (err) reject(err);
        else resolve();
      };
      const onData = () => {
        if (READY.test(output.text('stdout'))) settle();
      };
      const timer = setTimeout(() => {
        started.kill('SIGKILL');
        settle(new Error(`server process ${index} (port ${port}) did not listen within ${readyTimeoutMs} ms:\n${stderrTail()}`));
      }, readyTimeoutMs);
      // After OutputTail's listener, so the line is already collected.
      started.stdout?.on('data', onData);
      started.once('error', (err) => settle(new Error(`server process ${index} could not be started: ${err.message}`)));
      void exited.then(({ code, signal }) =>
        settle(new Error(`server process ${index} (port ${port}) exited with ${signal ?? code} before listening:\n${stderrTail()}`)),
      );
    });
  };

  return {
    index,
    port,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    get pid() {
      return child?.pid ?? 0;
    },
    get running() {
      return child !== null;
    },
    kill,
    restart: async () => {
      await kill('SIGTERM');
      await start();
    },
    onExit: (listener) => void listeners.push(listener),
    output: () => output.text(),
    close: async () => {
      await kill('SIGTERM');
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
