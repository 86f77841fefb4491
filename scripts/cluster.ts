// `npm run cluster`: several server processes on one PostgreSQL and one Redis,
// behind nginx, to try the scaled-out setup on one machine (SCALEOUT.md).
//   DATABASE_URL       required, e.g. postgres://postgres@127.0.0.1:5432/postgres
//   REDIS_URL          default redis://127.0.0.1:6379
//   REDIS_PREFIX       passed on when set (the server's default is `howmight`)
//   CLUSTER_PROCESSES  default 3
//   CLUSTER_PORT       nginx's port, default 8080
//   CLUSTER_VERBOSE=1  echo every process's output, not only its stderr
// Ctrl-C stops nginx, then each process with SIGTERM (they save and close), and waits.
import { Redis } from 'ioredis';
import { describeUrl } from '../server/storage/postgres/PgStore.ts';
import { describeRedisUrl } from '../server/bus/RedisBus.ts';
import { startNginx, type RunningNginx } from './cluster/startNginx.ts';
import { startProcesses, type ServerProcess } from './cluster/startProcesses.ts';

const log = (line: string) => console.log(`[cluster] ${line}`);
/** One line and exit 1: what is wrong is the operator's to fix, not a stack trace to read. */
const fail = (line: string): never => {
  console.error(`[cluster] ${line}`);
  process.exit(1);
};

const databaseUrl = process.env.DATABASE_URL?.trim() || fail('set DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (the processes share one PostgreSQL)');
const redisUrl = process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379';
const count = whole(process.env.CLUSTER_PROCESSES, 3, 'CLUSTER_PROCESSES', 1, 64);
const port = whole(process.env.CLUSTER_PORT, 8080, 'CLUSTER_PORT', 1, 65535);

function whole(raw: string | undefined, fallback: number, name: string, min: number, max: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) fail(`${name} must be a whole number from ${min} to ${max}, got ${raw}`);
  return n;
}

/** Host and port only (describeRedisUrl): a Redis URL may hold a password, as DATABASE_URL may. */
function describeRedis(url: string): string {
  if (!URL.canParse(url)) fail('REDIS_URL must be a URL such as redis://127.0.0.1:6379');
  return describeRedisUrl(url);
}

/** Asked once up front, so a missing Redis is one line here rather than three processes' errors. */
async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

const redisAt = describeRedis(redisUrl);
if (!(await redisAnswers(redisUrl))) fail(`no Redis answers at ${redisAt}: start one (redis-server) or set REDIS_URL`);

// The user's own settings (ALLOWED_ORIGINS, LOG_REQUESTS…) go to every process; PORT, HOST, DATA_DIR are the runner's.
const env = { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl };
let processes: ServerProcess[] = [];
let nginx: RunningNginx | null = null;
let stopping = false;

const stop = async (signal: string) => {
  if (stopping) {
    // A second Ctrl-C: do not wait for a graceful stop.
    for (const p of processes) void p.kill('SIGKILL');
    process.exit(1);
  }
  stopping = true;
  log(`${signal}: stopping nginx, then each process (SIGTERM)`);
  await nginx?.stop().catch((err: Error) => console.error(`[cluster] nginx: ${err.message}`));
  await Promise.all(
    processes.map(async (p) => {
      const pid = p.pid;
      const exit = await p.kill('SIGTERM');
      await p.close();
      if (pid) log(`process ${p.index} (pid ${pid}) exited with ${exit.signal ?? exit.code}`);
    }),
  );
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

try {
  log(`starting ${count} processes on PostgreSQL at ${describeUrl(databaseUrl)} and Redis at ${redisAt}${process.env.REDIS_PREFIX ? ` (prefix ${process.env.REDIS_PREFIX})` : ''}…`);
  processes = await startProcesses({ count, env, echo: process.env.CLUSTER_VERBOSE === '1' ? 'all' : 'stderr' });
  for (const p of processes) {
    log(`process ${p.index}: pid ${p.pid}, port ${p.port}`);
    p.onExit((exit) => {
      if (!stopping) log(`process ${p.index} (port ${p.port}) exited with ${exit.signal ?? exit.code}; nginx sends its clients to the others`);
    });
  }
  nginx = await startNginx({ upstreamPorts: processes.map((p) => p.port), listenPort: port });
  log(`nginx (pid ${nginx.pid}) on port ${nginx.port}: open ${nginx.url}`);
  log('Ctrl-C to stop');
} catch (err) {
  await Promise.allSettled(processes.map((p) => p.close()));
  fail((err as Error).message);
}
