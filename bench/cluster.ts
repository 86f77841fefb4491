import crypto from 'node:crypto';
import fs from 'node:fs';
import { Redis } from 'ioredis';
import pg from 'pg';
import { startNginx, type RunningNginx } from '../scripts/cluster/startNginx.ts';
import { startProcesses } from '../scripts/cluster/startProcesses.ts';
import { describeUrl } from '../server/storage/postgres/PgStore.ts';
import { HocuspocusClient } from './hocuspocusClient.ts';
import { benchClientFor, namedRooms, provisionedRooms, runLive, type LiveDeployment, type LiveOptions, type LiveRun, type LiveTarget, type RoomPlan } from './liveLoad.ts';
import { withChildren } from './processStats.ts';
import { provision } from './provision.ts';
import { startHocuspocus } from './servers.ts';

/**
 * Issue 18: the live load of the `live` section (same rooms, clients, change
 * mix and delay measurement) against several processes on PostgreSQL + Redis:
 * 1. ours, one process on PostgreSQL + Redis, clients straight to it;
 * 2. ours, three processes behind nginx, clients through nginx;
 * 3. Hocuspocus 3.4.4 + @hocuspocus/extension-redis 3.4.4, three processes
 *    behind nginx, no storage extension (bench/hocuspocusServer.ts), clients
 *    through nginx (bench/hocuspocusClient.ts).
 * Each of ours gets a fresh schema (dropped after) and a fresh REDIS_PREFIX;
 * Hocuspocus a fresh prefix of its own. Behind nginx the delays are also split
 * by whether receiver and sender were on the same process: which process each
 * client's board socket went to is read from nginx's access log (its line
 * names the upstream, and the URL names the client) after every client closed.
 */

export interface ClusterInfra {
  databaseUrl: string;
  redisUrl: string;
  /** PostgreSQL's and Redis's processes on this machine (read again at each call: backends come and go). */
  backingPids?: () => Promise<number[]>;
}

export interface ClusterResult {
  /** Host, port and database (never the credentials). */
  postgres: string;
  oursOneProcess: LiveRun;
  oursThreeProcesses: LiveRun;
  hocuspocusThreeProcesses: LiveRun;
}

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx', '/usr/bin/nginx'];

/** PostgreSQL, Redis (DATABASE_URL / REDIS_URL, else the local defaults) and nginx, or why the section cannot run. */
export async function clusterInfra(): Promise<ClusterInfra | { why: string }> {
  const databaseUrl = process.env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
  const redisUrl = process.env.REDIS_URL?.trim() || DEFAULT_REDIS_URL;
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    return { why: `no PostgreSQL at ${describeUrl(databaseUrl)} (${(err as Error).message}); set DATABASE_URL` };
  } finally {
    await client.end().catch(() => undefined);
  }
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    return { why: `no Redis at ${new URL(redisUrl).host} (${(err as Error).message}); set REDIS_URL` };
  } finally {
    redis.disconnect();
  }
  if (!NGINX.some((file) => fs.existsSync(file)) && process.getuid?.() !== 0) return { why: 'nginx is not installed (apt-get install nginx)' };
  return { databaseUrl, redisUrl };
}

export async function cluster(infra: ClusterInfra, options: LiveOptions, log: (line: string) => void): Promise<ClusterResult> {
  const backing = await backingProcesses(infra);
  if (!backing.postgres) log('  cluster: PostgreSQL is not a process on this machine, or not readable in /proc: its CPU is not counted');
  if (!backing.redis) log('  cluster: Redis is not a process on this machine: its CPU is not counted');
  infra = { ...infra, backingPids: backing.pids };
  const oursOneProcess = await runLive(oursOnPostgres(1, infra), options, log);
  const oursThreeProcesses = await runLive(oursOnPostgres(3, infra), options, log);
  const hocuspocusThreeProcesses = await runLive(hocuspocusBehindNginx(3, infra), options, log);
  return { postgres: describeUrl(infra.databaseUrl), oursOneProcess, oursThreeProcesses, hocuspocusThreeProcesses };
}

/** Ours on `count` processes sharing a fresh schema and Redis prefix; behind nginx when more than one. */
function oursOnPostgres(count: number, infra: ClusterInfra): LiveTarget {
  return {
    label: count === 1 ? 'ours, 1 process on PostgreSQL + Redis' : `ours, ${count} processes behind nginx`,
    async start(options) {
      const cleanup = new Cleanup();
      try {
        const schema = await freshSchema(infra.databaseUrl);
        cleanup.add(schema.drop);
        const prefix = freshPrefix('howmight_bench');
        cleanup.add(() => deleteKeys(infra.redisUrl, prefix));
        // The warm-up room first; PgStore.open migrates the new schema before any server starts.
        const [warmUp, ...provisioned] = await provision({ databaseUrl: schema.url }, options.rooms + 1, options.clients);
        const processes = await startProcesses({
          count,
          env: { DATABASE_URL: schema.url, REDIS_URL: infra.redisUrl, REDIS_PREFIX: prefix, LOG_REQUESTS: '0' },
        });
        cleanup.add(async () => void (await Promise.allSettled(processes.map((p) => p.close()))));
        const nginx = count > 1 ? await startNginx({ upstreamPorts: processes.map((p) => p.port) }) : null;
        if (nginx) cleanup.add(nginx.stop);
        const base = nginx?.url ?? processes[0]!.url;
        const health = await fetch(`${base}/healthz`);
        if (!health.ok) throw new Error(`/healthz answered ${health.status}: ${await health.text()}`);
        const rooms = provisionedRooms(provisioned);
        const actors = new Map(rooms.flatMap((r) => r.participants.map((p) => [p.actor, p.actor] as const)));
        const deployment: LiveDeployment = {
          warmUp: provisionedRooms([warmUp!])[0]!,
          rooms,
          connect: benchClientFor(`${base.replace(/^http/, 'ws')}/yjs`, base, options),
          serverPids: () => processes.map((p) => p.pid),
          ...(infra.backingPids ? { backingPids: infra.backingPids } : {}),
          connectionsPerClient: options.socketIo !== false ? 2 : 1,
          stop: () => cleanup.run(),
        };
        if (nginx) {
          deployment.proxyPids = () => withChildren(nginx.pid);
          deployment.placement = () => placementFromLog(nginx, processes.map((p) => p.port), 'actor', actors);
        }
        return deployment;
      } catch (err) {
        await cleanup.run();
        throw err;
      }
    },
  };
}

/** Hocuspocus on `count` processes with its Redis extension (a fresh prefix), behind nginx. */
function hocuspocusBehindNginx(count: number, infra: ClusterInfra): LiveTarget {
  return {
    label: `Hocuspocus, ${count} processes behind nginx`,
    async start(options) {
      const cleanup = new Cleanup();
      try {
        const prefix = freshPrefix('hocuspocus_bench');
        cleanup.add(() => deleteKeys(infra.redisUrl, prefix));
        const started = await Promise.allSettled(Array.from({ length: count }, () => startHocuspocus({ REDIS_URL: infra.redisUrl, REDIS_PREFIX: prefix })));
        const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
        cleanup.add(async () => void (await Promise.allSettled(servers.map((s) => s.stop()))));
        const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
        if (failed) throw failed.reason;
        const ports = servers.map((s) => Number(new URL(s.baseUrl).port));
        const nginx = await startNginx({ upstreamPorts: ports });
        cleanup.add(nginx.stop);
        const wsBase = nginx.url.replace(/^http/, 'ws');
        const { warmUp, rooms } = namedRooms(options);
        const actors = new Map(rooms.flatMap((r) => r.participants.map((p) => [p.actor, p.actor] as const)));
        return {
          warmUp,
          rooms,
          // The /yjs/ location of nginx.conf (its socket timeouts); Hocuspocus takes any path, the document is named in each message.
          connect: (room: RoomPlan, i: number) => {
            const { actor } = room.participants[i]!;
            return new HocuspocusClient({ url: `${wsBase}/yjs/${encodeURIComponent(room.name)}?actor=${encodeURIComponent(actor)}`, room: room.name, actor });
          },
          serverPids: () => servers.map((s) => s.pid),
          proxyPids: () => withChildren(nginx.pid),
          ...(infra.backingPids ? { backingPids: infra.backingPids } : {}),
          placement: () => placementFromLog(nginx, ports, 'actor', actors),
          connectionsPerClient: 1,
          stop: () => cleanup.run(),
        };
      } catch (err) {
        await cleanup.run();
        throw err;
      }
    },
  };
}

/**
 * Which process each client's board socket was on, from nginx's access log:
 * an upgraded request is logged when its socket closes, with the upstream
 * that took it (`up=127.0.0.1:PORT`). The URL's `param` (the client's actor,
 * a label our clients and the Hocuspocus client add) names the client;
 * `actorOf` maps it to its actor.
 */
async function placementFromLog(nginx: RunningNginx, ports: number[], param: string, actorOf: Map<string, string>): Promise<Map<string, number>> {
  const placement = new Map<string, number>();
  const read = () => {
    for (const line of nginx.accessLog().split('\n')) {
      const match = /"GET (\/yjs\/\S+) HTTP\/[\d.]+" 101 up=(\S+)/.exec(line);
      if (!match) continue;
      const value = new URL(match[1]!, 'http://x').searchParams.get(param);
      const actor = value === null ? undefined : actorOf.get(value);
      // After a retry nginx lists every upstream it tried; the last one took it.
      const port = Number(match[2]!.split(',').pop()!.trim().split(':').pop());
      const index = ports.indexOf(port);
      if (actor !== undefined && index >= 0) placement.set(actor, index + 1);
    }
  };
  // The last sockets' lines follow their close by a moment.
  for (let tries = 0; tries < 20 && placement.size < actorOf.size; tries++) {
    read();
    if (placement.size < actorOf.size) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return placement;
}

/**
 * PostgreSQL's postmaster (the parent of a backend this process opens) and
 * Redis's server process (INFO's process_id), if each is a process here:
 * /proc/<pid> exists and its command is postgres / redis-server.
 */
async function backingProcesses(infra: ClusterInfra): Promise<{ postgres: number | null; redis: number | null; pids: () => Promise<number[]> }> {
  const comm = (pid: number) => {
    try {
      return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      return '';
    }
  };
  const ppid = (pid: number) => {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  };
  let postgres: number | null = null;
  const client = new pg.Client({ connectionString: infra.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const backend = rows[0]!.pid;
    if (comm(backend) === 'postgres') postgres = ppid(backend);
  } catch {
    postgres = null;
  } finally {
    await client.end();
  }
  let redis: number | null = null;
  const r = new Redis(infra.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const pid = Number(/process_id:(\d+)/.exec(await r.info('server'))?.[1]);
    if (pid && comm(pid).startsWith('redis')) redis = pid;
  } finally {
    r.disconnect();
  }
  const pids = async () => [...(postgres ? withChildren(postgres) : []), ...(redis ? [redis] : [])];
  return { postgres, redis, pids };
}

/** Steps to undo what a start did, run last first, each whatever the others did. */
class Cleanup {
  private readonly steps: Array<() => Promise<void>> = [];
  private running: Promise<void> | null = null;
  add(step: () => Promise<void>): void {
    this.steps.push(step);
  }
  run(): Promise<void> {
    return (this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await step();
        } catch (err) {
          console.error(`cluster bench: cleanup step failed: ${(err as Error).message}`);
        }
      }
    })());
  }
}

const freshPrefix = (head: string) => `${head}_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;

/** A new schema in the database and a connection string whose connections work in it (search_path in its options). */
async function freshSchema(databaseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = freshPrefix('howmight_bench');
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE SCHEMA ${schema}`);
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => run(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}

/** Every key under `prefix`, by SCAN (never KEYS, which blocks a shared server) and UNLINK. */
async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
