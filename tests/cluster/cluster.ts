import { afterAll } from 'vitest';
import { startNginx, type RunningNginx } from '../../scripts/cluster/startNginx.ts';
import { startProcesses, type ServerProcess } from '../../scripts/cluster/startProcesses.ts';
import { freshDatabaseUrl } from '../storage/postgresServer.ts';
import { freshRedisPrefix, redisUrl } from './redisServer.ts';

export interface Cluster {
  /** nginx in front of every process: what a browser would open. */
  url: string;
  processes: ServerProcess[];
  nginx: RunningNginx;
  /** What every process was given; DATABASE_URL may hold a password, so keep it out of messages. */
  env: { DATABASE_URL: string; REDIS_URL: string; REDIS_PREFIX: string } & Record<string, string>;
  /** Stops nginx and every process (SIGTERM, then SIGKILL), whatever state they are in; safe to call twice. */
  close(): Promise<void>;
}

const open = new Set<Cluster>();

// Whatever a test file left open goes with its last test.
afterAll(async () => {
  await Promise.allSettled([...open].map((c) => c.close()));
}, 60_000);

/**
 * Several real server processes behind nginx, on the test PostgreSQL (a fresh
 * schema of their own) and the test Redis (a fresh key and channel prefix),
 * unless `env` names DATABASE_URL, REDIS_URL or REDIS_PREFIX; `env` also goes
 * to every process as is. If any part fails to start, what did start is
 * stopped before the error is thrown.
 */
export async function startCluster({ processes = 3, env = {} }: { processes?: number; env?: Record<string, string> } = {}): Promise<Cluster> {
  const given = { ...env };
  const full = {
    ...given,
    DATABASE_URL: given.DATABASE_URL ?? (await freshDatabaseUrl()),
    REDIS_URL: given.REDIS_URL ?? (await redisUrl()),
    REDIS_PREFIX: given.REDIS_PREFIX ?? freshRedisPrefix(),
  };
  const started = await startProcesses({ count: processes, env: full });
  let nginx: RunningNginx;
  try {
    nginx = await startNginx({ upstreamPorts: started.map((p) => p.port) });
  } catch (err) {
    await Promise.allSettled(started.map((p) => p.close()));
    throw err;
  }
  let closing: Promise<void> | null = null;
  const cluster: Cluster = {
    url: nginx.url,
    processes: started,
    nginx,
    env: full,
    close: () =>
      (closing ??= (async () => {
        open.delete(cluster);
        const results = await Promise.allSettled([nginx.stop(), ...started.map((p) => p.close())]);
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      })()),
  };
  open.add(cluster);
  return cluster;
}
