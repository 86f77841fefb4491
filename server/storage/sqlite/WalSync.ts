import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const fdatasync = promisify(fs.fdatasync);
const fsync = promisify(fs.fsync);

/**
 * Makes what SQLite has written to a database's WAL durable, off the event
 * loop. A commit under `synchronous = NORMAL` writes its WAL frames into the
 * page cache and returns; `sync()` then runs fdatasync on the WAL file in
 * libuv's thread pool, and resolves once those frames (and everything written
 * to the WAL before them) are on disk: the guarantee `FULL` gives, without the
 * event loop waiting on the disk.
 *
 * On Linux an fsync flushes the file whichever descriptor wrote it, so this
 * class holds its own. If the WAL is ever replaced (a new inode at the same
 * path), it opens the new one, and syncs the directory once, so that the
 * file's name survives a power cut too.
 */
export class WalSync {
  private readonly walPath: string;
  private fd: number | null = null;
  private inode = -1;
  /** Set when a new WAL file was opened: the next sync covers its directory entry too. */
  private directoryDirty = false;
  private closed = false;
  /** The last sync asked for, so that close() can wait for it. */
  private tail: Promise<unknown> = Promise.resolve();
  /** Syncs finished, for the tests: an append must have waited for one. */
  completed = 0;

  constructor(databaseFile: string) {
    this.walPath = `${databaseFile}-wal`;
  }

  /** Resolves once everything written to the WAL before the call is on disk. Call it after a commit. */
  sync(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The database is closed.'));
    // A stat and an open cost microseconds and wait on no disk; only the syncs go to the pool.
    const { fd, retired } = this.currentFd();
    const syncDirectory = this.directoryDirty;
    this.directoryDirty = false;
    const previous = this.tail;
    const done = (async () => {
      if (syncDirectory) await syncDirectoryOf(this.walPath);
      await fdatasync(fd);
      this.completed++;
      // A replaced WAL's descriptor, once the syncs still running on it are done.
      if (retired !== null) {
        await previous;
        fs.closeSync(retired);
      }
    })();
    this.tail = done.catch(() => {});
    return done;
  }

  /** The descriptor of the file at the WAL's path now, and the one it replaces, if it was replaced. */
  private currentFd(): { fd: number; retired: number | null } {
    const inode = fs.statSync(this.walPath).ino;
    if (this.fd !== null && inode === this.inode) return { fd: this.fd, retired: null };
    const retired = this.fd;
    this.fd = fs.openSync(this.walPath, 'r');
    this.inode = fs.fstatSync(this.fd).ino;
    this.directoryDirty = true;
    return { fd: this.fd, retired };
  }

  /** Waits for the sync under way, then lets go of the file. */
  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

async function syncDirectoryOf(file: string): Promise<void> {
  const dir = fs.openSync(path.dirname(file), 'r');
  try {
    await fsync(dir);
  } finally {
    fs.closeSync(dir);
  }
}
