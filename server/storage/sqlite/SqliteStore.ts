import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DamagedDatabaseError, isDamagedDatabaseCode } from './DamagedDatabaseError.ts';
import { MIGRATIONS } from './migrations.ts';
import { SqliteCohortStore } from './SqliteCohortStore.ts';
import { SqliteDocumentLog } from './SqliteDocumentLog.ts';
import { SqliteLogStore } from './SqliteLogStore.ts';
import { SqlitePulseStore } from './SqlitePulseStore.ts';
import { SqlitePlaylistStore } from './SqlitePlaylistStore.ts';
import { SqliteSessionStore } from './SqliteSessionStore.ts';
import { WalSync } from './WalSync.ts';
import type { Store } from '../Store.ts';

/** The database file's name inside DATA_DIR. */
export const DATABASE_FILE_NAME = 'howmight.sqlite';

export interface SqliteStoreOptions {
  /** How often the WAL is copied back into the main file (PASSIVE checkpoint). */
  checkpointIntervalMs: number;
}

export const DEFAULT_SQLITE_OPTIONS: SqliteStoreOptions = { checkpointIntervalMs: 30_000 };

/**
 * The embedded default store: one SQLite file in WAL mode holding both the
 * document log and the session store, on one connection. better-sqlite3 is
 * synchronous; the interfaces are promises so that a networked store can
 * stand in its place.
 */
export class SqliteStore implements Store {
  readonly documents: SqliteDocumentLog;
  readonly sessions: SqliteSessionStore;
  readonly cohorts: SqliteCohortStore;
  readonly logs: SqliteLogStore;
  readonly pulses: SqlitePulseStore;
  readonly playlists: SqlitePlaylistStore;
  private readonly db: Database.Database;
  private readonly checkpointTimer: NodeJS.Timeout | null;
  private readonly walSync: WalSync | null;

  constructor(
    readonly file: string,
    options: SqliteStoreOptions = DEFAULT_SQLITE_OPTIONS,
  ) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = openChecked(file);
    // FULL fsyncs the WAL on every commit, so an update is on disk before it is
    // relayed and a power cut loses nothing anyone has seen (NORMAL only
    // survives a process crash). Its cost is in BENCHMARKS.md, "Durability".
    // The document log's appends keep the guarantee with the fsync off the
    // event loop (SqliteDocumentLog, WalSync).
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    // Deleted sessions must not linger in free pages (docs/security.md).
    this.db.pragma('secure_delete = ON');
    this.migrate();
    // SQLite's own auto-checkpoint (every 1,000 pages) never runs on a quiet
    // board, so the WAL could hold a whole meeting alone; a timer bounds that
    // to one interval. unref: it must never keep the process alive.
    this.checkpointTimer =
      file === ':memory:' ? null : setInterval(() => this.timedCheckpoint(), options.checkpointIntervalMs).unref();
    this.walSync = file === ':memory:' ? null : new WalSync(file);
    this.documents = new SqliteDocumentLog(this.db, this.walSync);
    this.sessions = new SqliteSessionStore(this.db);
    this.cohorts = new SqliteCohortStore(this.db);
    this.logs = new SqliteLogStore(this.db);
    this.pulses = new SqlitePulseStore(this.db);
    this.playlists = new SqlitePlaylistStore(this.db);
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    for (let i = current; i < MIGRATIONS.length; i++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[i]!);
        this.db.pragma(`user_version = ${i + 1}`);
      })();
    }
  }

  /**
   * SQLite-only, for the tests and the benchmark that are about SQLite itself:
   * the settings this connection runs with, and a way to set synchronous back
   * to compare its cost (bench/durability.ts).
   */
  settings(): { synchronous: number; journalMode: string; secureDelete: number } {
    return {
      synchronous: this.db.pragma('synchronous', { simple: true }) as number,
      journalMode: this.db.pragma('journal_mode', { simple: true }) as string,
      secureDelete: this.db.pragma('secure_delete', { simple: true }) as number,
    };
  }

  /**
   * FULL or NORMAL: the document log's appends commit under that setting and
   * wait for it on the event loop; the default (`off-loop`) commits under NORMAL
   * and runs the fsync in the thread pool (SqliteDocumentLog).
   */
  setSynchronousForBenchmark(mode: 'FULL' | 'NORMAL' | 'off-loop'): void {
    this.db.pragma(`synchronous = ${mode === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
    this.documents.walSync = mode === 'off-loop' ? this.walSync : null;
  }

  /** Copies what the WAL holds into the main file without waiting for readers. */
  checkpoint(): void {
    if (this.db.open) this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  /** A failed checkpoint loses nothing (the WAL keeps it); it must not crash the process from a timer. */
  private timedCheckpoint(): void {
    try {
      this.checkpoint();
    } catch (err) {
      console.error(`[howmight] WAL checkpoint of ${this.file} failed; will retry`, err);
    }
  }

  async close(): Promise<void> {
    if (this.checkpointTimer) clearInterval(this.checkpointTimer);
    await this.walSync?.close();
    if (!this.db.open) return;
    // Leave everything in the main file and an empty WAL, so copying the
    // .sqlite file alone (or a backup tool that ignores -wal) gets it all.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}

/**
 * Opens the file in WAL mode and runs SQLite's quick_check, so a damaged file
 * stops the server at start with DamagedDatabaseError instead of failing on
 * some later query (or, worse, being written over).
 */
function openChecked(file: string): Database.Database {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    const problems = (db.pragma('quick_check', { simple: false }) as Array<{ quick_check: string }>)
      .map((row) => row.quick_check)
      .filter((line) => line !== 'ok');
    // quick_check prefixes its report with "*** in database main ***" and may span lines.
    const first = problems[0]?.replace(/\*\*\* in database \w+ \*\*\*/g, '').replace(/\s+/g, ' ').trim();
    if (first !== undefined) throw new DamagedDatabaseError(file, first || 'quick_check failed');
    return db;
  } catch (err) {
    db.close();
    if (isDamagedDatabaseCode((err as { code?: unknown }).code)) throw new DamagedDatabaseError(file, (err as Error).message);
    throw err;
  }
}
