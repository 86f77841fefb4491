/**
 * The database file cannot be read as a SQLite database, or SQLite's own
 * check finds it damaged. Thrown while opening, before anything is written,
 * so the file stays as it was for an operator to set aside.
 */
export class DamagedDatabaseError extends Error {
  constructor(
    readonly file: string,
    /** What SQLite said, e.g. "file is not a database". */
    readonly reason: string,
  ) {
    super(`The database file ${file} is damaged (${reason}).`);
    this.name = 'DamagedDatabaseError';
  }

  /**
   * What an operator reads instead of a stack trace: the file and the restore
   * step. The -wal and -shm files must go too: SQLite would replay a stale WAL
   * onto the restored copy.
   */
  explain(backupDir: string): string {
    return (
      `${this.message} Stop the server, move that file (and its -wal and -shm files, if any) aside, ` +
      `and copy the newest backup from ${backupDir}/ in its place; see docs/operations.md.`
    );
  }
}

/** SQLite's codes for a file that is not a database or is corrupt (extended codes included). */
export function isDamagedDatabaseCode(code: unknown): boolean {
  return typeof code === 'string' && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'));
}
