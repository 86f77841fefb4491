/**
 * `npm run backup`: a consistent copy of DATA_DIR/howmight.sqlite into
 * BACKUP_DIR (default DATA_DIR/backups), keeping the newest BACKUP_KEEP
 * (default 7). Safe while the server runs. See docs/operations.md.
 */
import path from 'node:path';
import { configFromEnv } from '../server/config.ts';
import { backupDatabase, backupDirFor, backupKeepFrom } from '../server/storage/sqlite/backup.ts';
import { DATABASE_FILE_NAME } from '../server/storage/sqlite/SqliteStore.ts';

try {
  const { dataDir } = configFromEnv();
  const result = await backupDatabase({
    dbFile: path.join(dataDir, DATABASE_FILE_NAME),
    backupDir: backupDirFor(process.env, dataDir),
    keep: backupKeepFrom(process.env),
  });
  console.log(`[howmight] backup written: ${result.file} (${result.bytes.toLocaleString('en-US')} bytes)`);
  for (const file of result.deleted) console.log(`[howmight] older backup deleted: ${file}`);
  console.log(`[howmight] ${result.kept.length} backup(s) kept in ${path.dirname(result.file)}`);
} catch (err) {
  console.error(`[howmight] backup failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
