import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SessionService } from '../../server/sessions/SessionService.ts';
import { DATABASE_FILE_NAME, SqliteStore } from '../../server/storage/sqlite/SqliteStore.ts';
import { tempDataDir } from './serverProcess.ts';
import { useCleanup } from './cleanup.ts';

useCleanup();

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Runs `server/main.ts` on `dataDir` and waits for it to exit (it must not start). */
function runServer(dataDir: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CLIENT_DIR: path.join(dataDir, 'no-client'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** A real database with a few sessions and log rows, as bytes. */
async function realDatabase(): Promise<Buffer> {
  const dir = await tempDataDir();
  const file = path.join(dir, 'seed.sqlite');
  const store = new SqliteStore(file);
  const sessions = new SessionService(store.sessions);
  for (let i = 0; i < 20; i++) {
    const { session } = await sessions.create(`Inquiry ${i}`, 90);
    for (let j = 0; j < 20; j++) await store.documents.append([{ sessionId: session.id, docName: session.id, update: crypto.randomBytes(200) }]);
  }
  await store.close();
  return fs.readFile(file);
}

const DAMAGE: Record<string, (real: Buffer) => Buffer> = {
  'random bytes': () => crypto.randomBytes(64 * 1024),
  'a file cut in half': (real) => real.subarray(0, Math.floor(real.length / 2)),
  'a garbage page in the middle': (real) => {
    const copy = Buffer.from(real);
    crypto.randomBytes(4096).copy(copy, 4096 * 2);
    return copy;
  },
  'a garbage header': (real) => {
    const copy = Buffer.from(real);
    crypto.randomBytes(100).copy(copy, 0);
    return copy;
  },
};

describe('a damaged database file', () => {
  it.each(Object.keys(DAMAGE))('with %s: the server exits 1 naming the file and the restore step, no stack trace', async (kind) => {
    const dataDir = await tempDataDir();
    const file = path.join(dataDir, DATABASE_FILE_NAME);
    await fs.writeFile(file, DAMAGE[kind]!(await realDatabase()));
    const damaged = await fs.readFile(file);

    const { code, stdout, stderr } = await runServer(dataDir);
    expect(code).toBe(1);
    const said = stdout + stderr;
    expect(stderr).toContain(`The database file ${file} is damaged (`);
    expect(stderr).toContain('Stop the server, move that file (and its -wal and -shm files, if any) aside');
    expect(stderr).toContain(`copy the newest backup from ${path.join(dataDir, 'backups')}/ in its place; see docs/operations.md`);
    expect(said).not.toContain('    at ');
    expect(said).not.toContain('listening on');
    // Nothing was written over: the bytes stay as they were for the operator.
    expect((await fs.readFile(file)).equals(damaged)).toBe(true);
  });

  it('names BACKUP_DIR when one is set', async () => {
    const dataDir = await tempDataDir();
    await fs.writeFile(path.join(dataDir, DATABASE_FILE_NAME), crypto.randomBytes(8192));
    const { code, stderr } = await runServer(dataDir, { BACKUP_DIR: '/srv/howmight-backups' });
    expect(code).toBe(1);
    expect(stderr).toContain('copy the newest backup from /srv/howmight-backups/ in its place');
  });
});
