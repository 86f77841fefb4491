import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { PgStore, type PgStoreOptions } from '../../server/storage/postgres/PgStore.ts';
import { installDebianPackage, isRoot } from '../../scripts/cluster/debianPackage.ts';
import { freePort } from '../../scripts/cluster/freePort.ts';

/**
 * A real PostgreSQL for the tests that need one, found or made in this order:
 * 1. DATABASE_URL, when set;
 * 2. 127.0.0.1:5432 as user postgres (database `test`, else `postgres`), if it accepts;
 * 3. a throwaway cluster: initdb in a temp dir and started on a free port (as the
 *    `postgres` user when root, since initdb refuses root), Debian's `postgresql`
 *    package installed first if root and initdb is missing; stopped when the file's
 *    tests end. TEST_POSTGRES=throwaway goes straight here;
 * 4. otherwise the tests fail, with one line saying what to install.
 * Never skipped. Each store gets a schema of its own in that database
 * (search_path on connect, emptied for reuse once its store closed), all
 * dropped when the file's tests end.
 */
const DEFAULT_LOCAL_URLS = ['postgres://postgres@127.0.0.1:5432/test', 'postgres://postgres@127.0.0.1:5432/postgres'];
const MISSING =
  'PostgreSQL 15 is needed for this test: set DATABASE_URL, run it on 127.0.0.1:5432 (user postgres, trust), or run the tests as root so they install Debian\'s "postgresql" package';

interface Server {
  url: string;
  stop(): void;
}

let server: Promise<Server> | null = null;
const schemas: string[] = [];
let serial = 0;

// Found or started before the first test, outside its timeout: a first start may install a package and run initdb,
// and a first connection to a shared server sweeps what dead test processes left there.
beforeAll(async () => {
  await postgresUrl();
}, 600_000);

afterAll(async () => {
  if (!server) return;
  const running = await server.catch(() => null);
  server = null;
  idle.length = 0;
  if (!running) return;
  try {
    const dropping = schemas.splice(0);
    if (dropping.length > 0) await dropSchemas(running.url, dropping);
  } finally {
    running.stop();
  }
}, 120_000);

/** One by one: a migrated schema is some 130 relations, and one transaction dropping dozens runs out of lock slots. */
async function dropSchemas(url: string, names: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const name of names) await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * Schemas a test process on this machine left behind when it died before its
 * afterAll: their names carry its pid, and no process has that pid now.
 */
async function dropOrphans(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let names: string[];
  try {
    const { rows } = await client.query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname ~ '^howmight_t[0-9]+_'");
    names = rows.map((r) => r.nspname).filter((name) => !isAlive(Number(/^howmight_t(\d+)_/.exec(name)![1])));
  } finally {
    await client.end();
  }
  if (names.length > 0) await dropSchemas(url, names);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The connection string of the database the tests use (found or started once per test file). */
export function postgresUrl(): Promise<string> {
  server ??= findOrStart();
  return server.then((s) => s.url);
}

/** A new, empty schema in the test database, dropped after the file's tests. */
export async function freshSchema(): Promise<{ url: string; schema: string }> {
  const url = await postgresUrl();
  const schema = `howmight_t${process.pid}_${++serial}_${crypto.randomBytes(3).toString('hex')}`;
  schemas.push(schema);
  return { url, schema };
}

/**
 * A connection string whose connections work in a new, empty schema of their
 * own (search_path in its `options`), as a server's DATABASE_URL.
 */
export async function freshDatabaseUrl(): Promise<string> {
  const { url, schema } = await freshSchema();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await client.end();
  }
  const withSchema = new URL(url);
  withSchema.searchParams.set('options', `-c search_path=${schema}`);
  return withSchema.toString();
}

/**
 * A migrated store over an empty schema of its own. Migrating costs about half
 * a second of DDL, so a schema whose store has closed is emptied and handed
 * to the next store of this file instead.
 */
export async function freshPgStore(options: Omit<PgStoreOptions, 'schema'> = {}): Promise<PgStore> {
  const url = await postgresUrl();
  let schema = idle.pop();
  if (schema) await emptySchema(url, schema);
  else schema = (await freshSchema()).schema;
  const store = await PgStore.open(url, { ...options, schema });
  const close = store.close.bind(store);
  const reusable = schema;
  store.close = async () => {
    await close();
    if (!idle.includes(reusable)) idle.push(reusable);
  };
  return store;
}

/** Migrated schemas whose store has closed. */
const idle: string[] = [];

async function emptySchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = $1 AND tablename <> 'schema_migrations'",
      [schema],
    );
    // DELETE, not TRUNCATE: on these few rows it takes milliseconds where TRUNCATE's new files take most of a second.
    // Every foreign key cascades or sets null, so any order works.
    await client.query(`BEGIN; ${rows.map((r) => `DELETE FROM ${r.name};`).join(' ')} COMMIT`);
  } finally {
    await client.end();
  }
}

async function findOrStart(): Promise<Server> {
  const none = () => undefined;
  if (process.env.DATABASE_URL) {
    const url = process.env.DATABASE_URL;
    if (!(await accepts(url))) throw new Error('DATABASE_URL is set but PostgreSQL does not accept a connection there');
    return { url, stop: none };
  }
  if (process.env.TEST_POSTGRES !== 'throwaway') {
    for (const url of DEFAULT_LOCAL_URLS) {
      if (!(await accepts(url))) continue;
      // A shared database on this machine: only here are the pids in schema names this machine's.
      await dropOrphans(url);
      return { url, stop: none };
    }
  }
  return startThrowaway();
}

async function accepts(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  // A failed connect can also emit 'error'; unheard, it would end the worker.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** initdb and pg_ctl, newest major version first; installed from Debian's package when root and missing. */
function postgresBin(): string {
  const found = () => {
    const root = '/usr/lib/postgresql';
    const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
    return versions.map((v) => path.join(root, v, 'bin')).find((bin) => fs.existsSync(path.join(bin, 'initdb')));
  };
  let bin = found();
  if (!bin && installDebianPackage('postgresql')) bin = found();
  if (!bin) throw new Error(MISSING);
  return bin;
}


async function startThrowaway(): Promise<Server> {
  const bin = postgresBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'howmight-pg-'));
  const data = path.join(dir, 'data');
  // initdb refuses to run as root: as root, the cluster is the postgres user's.
  const asOwner = (cmd: string, args: string[]) => (isRoot() ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] as const : [cmd, args] as const);
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = asOwner(cmd, args);
    execFileSync(file, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  if (isRoot()) execFileSync('chown', ['postgres:', dir]);
  const port = await freePort();
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Already stopped.
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
    // fsync off: a throwaway cluster needs no durability against power loss, and the machine's disk is shared.
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    run(path.join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']);
  } catch (err) {
    stop();
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`starting a throwaway PostgreSQL failed: ${stderr || (err as Error).message}`);
  }
  // If the worker dies without afterAll, the postmaster must not outlive it.
  process.once('exit', stop);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
}
