import pg from 'pg';
import { migrate, PG_MIGRATIONS } from './migrations.ts';
import { PgCohortStore } from './PgCohortStore.ts';
import { PgDocumentLog } from './PgDocumentLog.ts';
import { PgLogStore } from './PgLogStore.ts';
import { PgPlaylistStore } from './PgPlaylistStore.ts';
import { PgPulseStore } from './PgPulseStore.ts';
import { PgSessionStore } from './PgSessionStore.ts';
import type { Store } from '../Store.ts';

export interface PgStoreOptions {
  /** Connections in the pool (pg's default is 10). */
  max?: number;
  /**
   * The schema every connection works in (tests give each store its own);
   * created if missing. Unset: the database's default search_path.
   */
  schema?: string;
}

/**
 * The store for several processes: every table in one PostgreSQL database,
 * over one pool. `PgStore.open` connects, migrates and returns it; nothing in
 * it holds state between calls, so any number of processes may share the
 * database (docs/SCALEOUT.md).
 */
export class PgStore implements Store {
  readonly documents: PgDocumentLog;
  readonly sessions: PgSessionStore;
  readonly cohorts: PgCohortStore;
  readonly logs: PgLogStore;
  readonly pulses: PgPulseStore;
  readonly playlists: PgPlaylistStore;
  private closed = false;

  private constructor(readonly pool: pg.Pool) {
    this.documents = new PgDocumentLog(pool);
    this.sessions = new PgSessionStore(pool);
    this.cohorts = new PgCohortStore(pool);
    this.logs = new PgLogStore(pool);
    this.pulses = new PgPulseStore(pool);
    this.playlists = new PgPlaylistStore(pool);
  }

  /** Connects to `url` (a postgres:// connection string), brings the schema up to date and returns the store. */
  static async open(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
    const pool = createPool(url, options);
    try {
      await migrate(pool, PG_MIGRATIONS, options.schema === undefined ? undefined : plainIdent(options.schema));
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw new DatabaseUnavailableError(url, err as Error);
    }
    return new PgStore(pool);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/** PostgreSQL refused or could not be reached at start; the message names host, port and database, never the credentials. */
export class DatabaseUnavailableError extends Error {
  constructor(url: string, cause: Error) {
    super(`cannot open the PostgreSQL database at ${describeUrl(url)}: ${cause.message}`, { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

/**
 * int8 (bigint: seqs, ms timestamps, counts) as a JavaScript number, for this
 * pool only: pg returns strings by default, and a global parser would change
 * every other pool in the process. A value past 2^53 would lose digits, so it
 * is refused instead.
 */
const INT8_OID = 20;
const PG_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID && format !== 'binary') return parseInt8;
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};

function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`bigint ${value} does not fit a JavaScript number`);
  return n;
}

export function createPool(url: string, options: PgStoreOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types: PG_TYPES,
    ...(options.schema !== undefined ? { options: `-c search_path=${plainIdent(options.schema)}` } : {}),
  });
  // An idle client that loses its connection (PostgreSQL restarted) emits
  // 'error' on the pool; unhandled, that would kill the process. The pool drops
  // it and the next query connects afresh.
  pool.on('error', (err) => console.error(`[howmight] PostgreSQL connection lost: ${err.message}`));
  return pool;
}

/** A schema name as tests make them: lower case, digits and underscores, so it needs no quoting anywhere. */
function plainIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain PostgreSQL identifier: ${name}`);
  return name;
}

/** Host, port and database of a connection string, never its user or password: the URL itself must not reach a log. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname || ''}`;
  } catch {
    return 'DATABASE_URL is not a valid URL';
  }
}
