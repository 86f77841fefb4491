import { configFromEnv } from './config.ts';
import { startServer } from './index.ts';

const config = configFromEnv();
const server = await startServer(config);
console.log(`[howmight] listening on http://localhost:${server.port} (data in ${config.dataDir})`);

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
