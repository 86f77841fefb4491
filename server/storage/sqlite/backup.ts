import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

const BACKUP_NAME = /^howmight-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z\.sqlite$/;

export interface BackupOptions {
  /** The live database file (the server may be running on it). */
  dbFile: string;
  backupDir: string;
  /** How many backups to keep, the newest; older ones are deleted. */
  keep: number;
  now?: Date;
}

export interface BackupResult {
  file: string;
  bytes: number;
  kept: string[];
  deleted: string[];
}

/** BACKUP_DIR, or `<DATA_DIR>/backups`. */
export function backupDirFor(env: NodeJS.ProcessEnv, dataDir: string): string {
  return path.resolve(env.BACKUP_DIR || path.join(dataDir, 'backups'));
}

/** BACKUP_KEEP, default 7; at least 1 (keeping none would delete the copy just made). */
export function backupKeepFrom(env: NodeJS.ProcessEnv): number {
  const keep = Number(env.BACKUP_KEEP ?? 7);
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`BACKUP_KEEP must be a whole number of at least 1, got ${env.BACKUP_KEEP}`);
  return keep;
}

/** howmight-2026-12-01T07-54-00.123Z.sqlite: UTC, sorts by time, no ':' for other file systems. */
export function backupFileName(now: Date): string {
  return `howmight-${now.toISOString().replace(/:/g, '-')}.sqlite`;
}

/**
 * Writes a consistent copy of the database with SQLite's online backup API
 * (safe while the server writes: WAL readers never block the writer), checks
 * it, then deletes all but the newest `keep` backups. The copy is written
 * under a temporary name and renamed only once it passed integrity_check, so
 * a backup that failed halfway never counts as one of the kept.
 */
export async function backupDatabase(options: BackupOptions): Promise<BackupResult> {
  if (!fs.existsSync(options.dbFile)) throw new Error(`There is no database at ${options.dbFile} to back up.`);
  fs.mkdirSync(options.backupDir, { recursive: true });
  const file = path.join(options.backupDir, backupFileName(options.now ?? new Date()));
  const partial = `${file}.partial`;
  const source = new Database(options.dbFile, { fileMustExist: true });
  try {
    // After the first step, copy every remaining page in one read transaction: a
    // consistent snapshot that a concurrent write cannot restart (WAL readers never
    // block the writer, so the server does not wait for it either).
    await source.backup(partial, { progress: () => 0x7fffffff });
  } finally {
    source.close();
  }
  try {
    const copy = new Database(partial);
    try {
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new Error(`The copy failed its integrity check (${String(check)}); the database itself may be damaged.`);
      // A backup is one self-contained file: no -wal beside it to forget when copying it back.
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    fs.renameSync(partial, file);
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  }
  const all = fs.readdirSync(options.backupDir).filter((name) => BACKUP_NAME.test(name)).sort();
  const deleted = all.slice(0, Math.max(0, all.length - options.keep));
  for (const name of deleted) fs.rmSync(path.join(options.backupDir, name), { force: true });
  return {
    file,
    bytes: fs.statSync(file).size,
    kept: all.slice(deleted.length).map((name) => path.join(options.backupDir, name)),
    deleted: deleted.map((name) => path.join(options.backupDir, name)),
  };
}
