import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll } from 'vitest';
import { PgStore, type PgStoreOptions } from '../../server/storage/postgres/PgStore.ts';

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
 * (search_path on connect), all dropped when the file's tests end.
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

afterAll(async () => {
  if (!server) return;
  const running = await server.catch(() => null);
  server = null;
  if (!running) return;
  try {
    if (schemas.length > 0) {
      const client = new pg.Client({ connectionString: running.url });
      await client.connect();
      try {
        for (const schema of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    }
  } finally {
    running.stop();
  }
});

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

/** A migrated store over a fresh schema of its own. */
export async function freshPgStore(options: Omit<PgStoreOptions, 'schema'> = {}): Promise<PgStore> {
  const { url, schema } = await freshSchema();
  return PgStore.open(url, { ...options, schema });
}

async function findOrStart(): Promise<Server> {
  const none = () => undefined;
  if (process.env.DATABASE_URL) {
    const url = process.env.DATABASE_URL;
    if (!(await accepts(url))) throw new Error('DATABASE_URL is set but PostgreSQL does not accept a connection there');
    return { url, stop: none };
  }
  if (process.env.TEST_POSTGRES !== 'throwaway') {
    for (const url of DEFAULT_LOCAL_URLS) if (await accepts(url)) return { url, stop: none };
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
  if (!bin && isRoot()) {
    const apt = (args: string[]) => spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (apt(['install', '-y', '--no-install-recommends', 'postgresql']).status !== 0) {
      apt(['update']);
      apt(['install', '-y', '--no-install-recommends', 'postgresql']);
    }
    bin = found();
  }
  if (!bin) throw new Error(MISSING);
  return bin;
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
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
