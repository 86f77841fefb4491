import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { installDebianPackage } from '../../scripts/cluster/debianPackage.ts';
import { freePort } from '../../scripts/cluster/freePort.ts';
import { OutputTail } from '../../scripts/cluster/OutputTail.ts';
import { describeRedisUrl } from '../../server/bus/RedisBus.ts';

/**
 * A real Redis 7 for the tests that need one, found or made in this order:
 * 1. REDIS_URL, when set;
 * 2. redis://127.0.0.1:6379, if it answers PING;
 * 3. a throwaway `redis-server` on a free port in a temp dir, without
 *    persistence (Redis holds only rebuildable data, SCALEOUT.md §2), Debian's
 *    `redis-server` package installed first if root and missing; stopped when
 *    the file's tests end;
 * 4. otherwise the tests fail, with one line saying what to install.
 * Never skipped. Tests sharing one Redis stay apart by key and channel prefix
 * (freshRedisPrefix, the servers' REDIS_PREFIX); keys under the prefixes a
 * file handed out are deleted when its tests end.
 *
 * startThrowawayRedis is always a private instance, whatever REDIS_URL says:
 * an outage test stops and restarts it, which a shared one must never see.
 */
const DEFAULT_LOCAL_URL = 'redis://127.0.0.1:6379';
const MISSING =
  'Redis 7 is needed for this test: set REDIS_URL, run it on 127.0.0.1:6379, or run the tests as root so they install Debian\'s "redis-server" package';
/** The part of every test prefix before the pid: orphans are found by it. */
const PREFIX_HEAD = 'howmight_t';

export interface ThrowawayRedis {
  url: string;
  port: number;
  /** Ends the server (SIGTERM; nothing is saved) and waits for it to exit. A no-op when stopped. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty, and waits for PING. A no-op when running. */
  start(): Promise<void>;
  /** SIGSTOP: the port still accepts connections but nothing answers, like a hung server. */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
}

let shared: Promise<{ url: string }> | null = null;
const prefixes: string[] = [];
const privates: ThrowawayRedis[] = [];
let serial = 0;

// Found or started before the first test, outside its timeout: a first start may install a package.
beforeAll(async () => {
  await redisUrl();
}, 600_000);

afterAll(async () => {
  const running = shared ? await shared.catch(() => null) : null;
  shared = null;
  const dropping = prefixes.splice(0);
  try {
    // Before the private instances stop: the shared one may be one of them.
    if (running && dropping.length > 0) await deleteKeys(running.url, dropping.map((p) => `${p}*`));
  } finally {
    await Promise.allSettled(privates.splice(0).map((r) => r.stop()));
  }
}, 120_000);

/** The URL of the Redis the tests use (found or started once per test file). */
export function redisUrl(): Promise<string> {
  shared ??= findOrStart();
  return shared.then((s) => s.url);
}

/**
 * A key and channel prefix no other call, test file or test process uses
 * (`howmight_t<pid>_<n>_<random>`), for a server's REDIS_PREFIX. The pid lets
 * a later run delete what a dead test process left behind.
 */
export function freshRedisPrefix(): string {
  const prefix = `${PREFIX_HEAD}${process.pid}_${++serial}_${crypto.randomBytes(3).toString('hex')}`;
  prefixes.push(prefix);
  return prefix;
}

/** A private `redis-server` on a free port, stopped when the file's tests end (see ThrowawayRedis). */
export async function startThrowawayRedis(): Promise<ThrowawayRedis> {
  const bin = redisServerBin();
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'howmight-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const output = new OutputTail(50);
  const killNow = () => child?.kill('SIGKILL');
  // If the worker dies without afterAll, the server must not outlive it.
  process.once('exit', killNow);

  const start = async () => {
    if (child) return;
    output.clear();
    // No persistence and no config file: an empty server every start, as after a real restart without data.
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'];
    const started = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    output.follow(started.stdout, 'stdout');
    output.follow(started.stderr, 'stderr');
    let gone = false;
    exited = new Promise((resolve) =>
      started.once('exit', () => {
        gone = true;
        if (child === started) child = null;
        resolve();
      }),
    );
    started.once('error', () => undefined);
    const deadline = Date.now() + 15_000;
    while (!(await answersPing(url))) {
      if (gone || Date.now() > deadline) {
        started.kill('SIGKILL');
        await exited;
        throw new Error(`redis-server did not start on port ${port}: ${output.text().split('\n').slice(-5).join(' | ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const stop = async () => {
    const running = child;
    if (!running) return;
    running.kill('SIGTERM');
    // A paused server acts on SIGTERM only once continued.
    running.kill('SIGCONT');
    const late = setTimeout(() => running.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(late);
  };
  const redis: ThrowawayRedis = {
    url,
    port,
    start,
    stop,
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
  };
  // The last stop of the file also removes the directory.
  privates.push({
    ...redis,
    stop: async () => {
      await stop();
      process.off('exit', killNow);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  });
  await start();
  return redis;
}

async function findOrStart(): Promise<{ url: string }> {
  if (process.env.REDIS_URL) {
    const url = process.env.REDIS_URL;
    if (!(await answersPing(url))) throw new Error('REDIS_URL is set but Redis does not answer PING there');
    await checkVersion(url);
    return { url };
  }
  if (await answersPing(DEFAULT_LOCAL_URL)) {
    await checkVersion(DEFAULT_LOCAL_URL);
    // A shared server on this machine: only here are the pids in prefixes this machine's.
    await deleteOrphans(DEFAULT_LOCAL_URL);
    return { url: DEFAULT_LOCAL_URL };
  }
  // Stopped with the other private instances in afterAll.
  const redis = await startThrowawayRedis();
  return { url: redis.url };
}

/** One short-lived connection that never retries: a missing server must answer false at once, not reconnect forever. */
async function withClient<T>(url: string, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // A failed connect also emits 'error'; unheard, it would be logged as unhandled.
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await use(client);
  } finally {
    client.disconnect();
  }
}

async function answersPing(url: string): Promise<boolean> {
  try {
    return (await withClient(url, (c) => c.ping())) === 'PONG';
  } catch {
    return false;
  }
}

/** SCALEOUT.md relies on Redis 7 (SPUBLISH on a cluster): an older server fails the tests rather than passing them by luck. */
async function checkVersion(url: string): Promise<void> {
  const info = await withClient(url, (c) => c.info('server'));
  const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  if (!(Number(version.split('.')[0]) >= 7)) throw new Error(`Redis at ${describeRedisUrl(url)} is version ${version}; ${MISSING}`);
}

/** Keys matching any of `patterns`, by SCAN (never KEYS, which blocks a shared server) and UNLINK. */
async function deleteKeys(url: string, patterns: string[]): Promise<void> {
  await withClient(url, async (client) => {
    for (const match of patterns) {
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', match, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await client.unlink(...keys);
      } while (cursor !== '0');
    }
  });
}

/** Keys a test process on this machine left behind when it died before its afterAll: their prefix carries its pid, and no process has that pid now. */
async function deleteOrphans(url: string): Promise<void> {
  const dead = new Set<number>();
  await withClient(url, async (client) => {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${PREFIX_HEAD}*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const pid = Number(new RegExp(`^${PREFIX_HEAD}(\\d+)_`).exec(key)?.[1]);
        if (pid && !isAlive(pid)) dead.add(pid);
      }
    } while (cursor !== '0');
  });
  if (dead.size > 0) await deleteKeys(url, [...dead].map((pid) => `${PREFIX_HEAD}${pid}_*`));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** redis-server from PATH or /usr/bin; installed from Debian's package when root and missing. */
function redisServerBin(): string {
  const found = () =>
    [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), '/usr/bin', '/usr/local/bin']
      .map((dir) => path.join(dir, 'redis-server'))
      .find((file) => fs.existsSync(file));
  let bin = found();
  if (!bin && installDebianPackage('redis-server')) bin = found();
  if (!bin) throw new Error(MISSING);
  return bin;
}
