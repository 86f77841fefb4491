import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installDebianPackage, isRoot } from './debianPackage.ts';
import { freePort, waitForPort } from './freePort.ts';
import { NGINX_ACCESS_LOG, NGINX_ERROR_LOG, nginxConf } from './nginxConf.ts';
import { OutputTail } from './OutputTail.ts';

export interface RunningNginx {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  pid: number;
  /** Holds nginx.conf, the logs and temp files; removed by stop(). */
  prefixDir: string;
  /** The access log so far (each line ends with `up=<upstream that answered>`). */
  accessLog(): string;
  /** Fast shutdown (SIGTERM: open sockets are closed, not drained), waits for exit, removes prefixDir. Safe to call twice. */
  stop(): Promise<void>;
}

const CANDIDATES = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx', '/usr/bin/nginx'];
const MISSING = 'nginx is needed to run the cluster: install Debian\'s "nginx" package (apt-get install nginx), or run this as root to have it installed';

/**
 * nginx in front of the given server ports, as a child of this process (never
 * a daemon: it must not outlive the cluster), in a temp prefix dir of its own
 * so it needs neither root nor /etc/nginx. Resolves once the port accepts
 * connections; rejects with nginx's own last lines if it exits first.
 */
export async function startNginx(options: { upstreamPorts: readonly number[]; listenPort?: number; listenHost?: string }): Promise<RunningNginx> {
  const bin = nginxBin();
  const port = options.listenPort ?? (await freePort());
  const prefixDir = fs.mkdtempSync(path.join(os.tmpdir(), 'howmight-nginx-'));
  // As root, nginx's workers run as nobody and must reach the temp dirs the master makes (and chowns) in here.
  fs.chmodSync(prefixDir, 0o755);
  const conf = nginxConf({ listenPort: port, listenHost: options.listenHost, upstreamPorts: options.upstreamPorts, prefixDir });
  fs.writeFileSync(path.join(prefixDir, 'nginx.conf'), conf);
  const errorLog = path.join(prefixDir, NGINX_ERROR_LOG);
  // -e: the log nginx writes before it has read the conf, else the compiled-in /var/log/nginx/error.log.
  const child = spawn(bin, ['-p', prefixDir, '-e', errorLog, '-c', 'nginx.conf', '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = new OutputTail(50);
  output.follow(child.stdout, 'stdout');
  output.follow(child.stderr, 'stderr');
  const killNow = () => child.kill('SIGKILL');
  process.once('exit', killNow);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    }),
  );
  let spawnError: Error | null = null;
  child.once('error', (err) => (spawnError = err));
  const why = () => {
    const log = fs.existsSync(errorLog) ? fs.readFileSync(errorLog, 'utf8') : '';
    // nginx prints to stderr what it also logs, and retries a failed bind four times: each line once.
    const lines = [output.text(), log].join('\n').split('\n').map((l) => l.replace(/^\S+ \S+ \[(\w+)\] \d+#\d+: /, '[$1] ').trim());
    return [...new Set(lines.filter(Boolean))].slice(-3).join(' | ');
  };

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      if (!exit) {
        child.kill('SIGTERM');
        const late = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(late);
      }
      process.off('exit', killNow);
      fs.rmSync(prefixDir, { recursive: true, force: true });
    })());

  const pidFile = path.join(prefixDir, 'nginx.pid');
  // nginx writes its pid file only once it holds its listening socket: an answer on the port alone could be someone else's.
  const ownsPort = () => {
    try {
      return Number(fs.readFileSync(pidFile, 'utf8').trim()) === child.pid;
    } catch {
      return false;
    }
  };
  try {
    const deadline = Date.now() + 15_000;
    while (!ownsPort()) {
      if (spawnError) throw new Error(`nginx could not be started: ${(spawnError as Error).message}`);
      if (exit) throw new Error(`nginx exited before listening on port ${port}: ${why()}`);
      if (Date.now() > deadline) throw new Error(`nginx did not start within 15 s: ${why()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await waitForPort(port, 5_000, () => (exit ? new Error(`nginx exited after starting: ${why()}`) : null));
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    prefixDir,
    accessLog: () => {
      const file = path.join(prefixDir, NGINX_ACCESS_LOG);
      return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    },
    stop,
  };
}

/** The nginx binary; Debian's package installed first when root and missing. */
function nginxBin(): string {
  const found = () => CANDIDATES.find((file) => fs.existsSync(file));
  let bin = found();
  if (!bin && isRoot() && installDebianPackage('nginx')) bin = found();
  if (!bin) throw new Error(MISSING);
  return bin;
}
