import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Origins allowed besides the app's own, for both sockets. */
  allowedOrigins: string[];
  publicUrl: string | undefined;
  trustProxy: boolean;
  clientDir: string;
  /** Print one line per request (method and path, never the query). */
  logRequests: boolean;
  /** First wait after a refused update before the same link may open a board again (doubles, up to a minute). */
  refusalBackoffMs: number;
}

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
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    clientDir: path.resolve(env.CLIENT_DIR ?? 'dist/client'),
    logRequests: env.LOG_REQUESTS === '1',
    refusalBackoffMs: nonNegative(env.REFUSAL_BACKOFF_MS, 1000, 'REFUSAL_BACKOFF_MS'),
  };
}

function nonNegative(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number of milliseconds, got ${value}`);
  return n;
}
