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
  };
}
