import net from 'node:net';
import path from 'node:path';

export type TrustProxy = false | number | string;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Origins allowed besides the app's own, for both sockets. */
  allowedOrigins: string[];
  publicUrl: string | undefined;
  /** Express's `trust proxy`: false, a hop count, or proxy addresses and subnets; never `true`. */
  trustProxy: TrustProxy;
  clientDir: string;
  /** Print one line per request (method and path, never the query). */
  logRequests: boolean;
  /** First wait after a refused update before the same link may open a board again (doubles, up to a minute). */
  refusalBackoffMs: number;
  /** Days after a cohort's last day before it is deleted with everything in it (YEAR.md 7: nothing is kept forever). */
  cohortRetentionDays: number;
  /** DATABASE_URL: a postgres:// connection string puts everything in PostgreSQL instead of SQLite under dataDir. May hold a password: never log it. */
  databaseUrl: string | undefined;
  /** REDIS_URL: with DATABASE_URL, several processes share documents and sessions over Redis (docs/operations.md, "Several processes"). May hold a password: never log it. */
  redisUrl: string | undefined;
  /** REDIS_PREFIX: the start of every Redis key and channel, so two deployments (or test runs) can share one Redis. */
  redisPrefix: string;
}

/** The default of COHORT_RETENTION_DAYS: the export window after the school year ends. */
export const DEFAULT_COHORT_RETENTION_DAYS = 30;

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${env.PORT}`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    allowedOrigins: (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    publicUrl: env.PUBLIC_URL?.replace(/\/$/, '') || undefined,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    clientDir: path.resolve(env.CLIENT_DIR ?? 'dist/client'),
    logRequests: env.LOG_REQUESTS === '1',
    refusalBackoffMs: nonNegative(env.REFUSAL_BACKOFF_MS, 1000, 'REFUSAL_BACKOFF_MS'),
    cohortRetentionDays: wholeDays(env.COHORT_RETENTION_DAYS, DEFAULT_COHORT_RETENTION_DAYS, 'COHORT_RETENTION_DAYS'),
    databaseUrl: databaseUrl(env.DATABASE_URL),
    ...redisSettings(env),
  };
}

/** REDIS_URL only makes sense with PostgreSQL: processes cannot share an embedded SQLite file. */
function redisSettings(env: NodeJS.ProcessEnv): Pick<Config, 'redisUrl' | 'redisPrefix'> {
  const redisUrl = env.REDIS_URL?.trim() || undefined;
  const redisPrefix = env.REDIS_PREFIX?.trim() || 'howmight';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(redisPrefix)) throw new Error('REDIS_PREFIX may hold only letters, digits, dots, dashes and underscores (at most 64)');
  if (!redisUrl) return { redisUrl, redisPrefix };
  let protocol: string;
  try {
    protocol = new URL(redisUrl).protocol;
  } catch {
    throw new Error('REDIS_URL must be a Redis URL such as redis://127.0.0.1:6379; it is not a URL');
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') throw new Error(`REDIS_URL must start with redis:// or rediss://, not ${protocol}//`);
  if (!env.DATABASE_URL?.trim()) {
    throw new Error('REDIS_URL is for several processes, which must share PostgreSQL: set DATABASE_URL too (SQLite serves one process)');
  }
  return { redisUrl, redisPrefix };
}

/** The value is never echoed: it may hold a password. */
function databaseUrl(raw: string | undefined): string | undefined {
  const value = raw?.trim() ?? '';
  if (value === '') return undefined;
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    throw new Error('DATABASE_URL must be a PostgreSQL connection string such as postgres://user:password@host:5432/database; it is not a URL');
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new Error(`DATABASE_URL must start with postgres:// or postgresql://, not ${protocol}//`);
  }
  return value;
}

/** Names express accepts for address ranges in `trust proxy`. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY: unset or `0` trusts no proxy; a number trusts that many hops
 * (`1`: one reverse proxy in front); otherwise a comma-separated list of proxy
 * addresses, subnets (`10.0.0.0/8`) or express's names (`loopback`). `true`
 * would trust every X-Forwarded-For entry, so a client could pick its own
 * address and escape every per-address limit: it is refused.
 */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = raw?.trim() ?? '';
  if (value === '' || value === '0' || value === 'false') return false;
  if (value === 'true') {
    throw new Error(
      'TRUST_PROXY=true would trust every X-Forwarded-For hop, so any client could choose its own address. ' +
        'Set the number of proxies in front of the server (TRUST_PROXY=1 for one) or their addresses (TRUST_PROXY=loopback,10.0.0.0/8).',
    );
  }
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((e) => e.trim());
  for (const entry of entries) {
    if (!isProxyRange(entry)) {
      throw new Error(`TRUST_PROXY must be a hop count or a comma-separated list of addresses and subnets; "${entry}" is neither.`);
    }
  }
  return entries.join(', ');
}

function isProxyRange(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  if (rest.length > 0 || !address) return false;
  const family = net.isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d+$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

function nonNegative(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number of milliseconds, got ${value}`);
  return n;
}

/** A whole number of days, at most ten years: a typo must not keep a year's notes forever, nor delete a cohort on its last day by surprise. */
function wholeDays(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 3650) throw new Error(`${name} must be a whole number of days from 0 to 3650, got ${value}`);
  return n;
}
