import { configFromEnv, type Config } from './config.ts';
import { startServer, type RunningServer } from './index.ts';
import { backupDirFor } from './storage/sqlite/backup.ts';
import { DamagedDatabaseError } from './storage/sqlite/DamagedDatabaseError.ts';
import { DatabaseUnavailableError, describeUrl } from './storage/postgres/PgStore.ts';
import { BusUnavailableError, describeRedisUrl } from './bus/RedisBus.ts';

let config: Config;
try {
  config = configFromEnv();
} catch (err) {
  // A configuration mistake is the operator's to fix: say what, without a stack trace.
  console.error(`[howmight] configuration error: ${(err as Error).message}`);
  process.exit(1);
}
let server: RunningServer;
try {
  server = await startServer(config);
} catch (err) {
  // An operator needs the file and the way back, not a stack trace (docs/operations.md).
  if (err instanceof DamagedDatabaseError) {
    console.error(`[howmight] ${err.explain(backupDirFor(process.env, config.dataDir))}`);
    process.exit(1);
  }
  // Host, port and database only: DATABASE_URL and REDIS_URL may hold a password.
  if (err instanceof DatabaseUnavailableError || err instanceof BusUnavailableError) {
    console.error(`[howmight] ${err.message}`);
    process.exit(1);
  }
  throw err;
}
const dataIn = config.databaseUrl ? `PostgreSQL at ${describeUrl(config.databaseUrl)}` : config.dataDir;
const sharedOver = config.redisUrl ? `, shared with other processes over Redis at ${describeRedisUrl(config.redisUrl)}` : '';
console.log(`[howmight] listening on http://localhost:${server.port} (data in ${dataIn}${sharedOver})`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`[howmight] ${signal}: saving boards and closing connections`);
  server.close().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error('[howmight] error while stopping', err);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
