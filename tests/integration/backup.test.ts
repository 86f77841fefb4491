import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupDatabase, backupFileName } from '../../server/storage/sqlite/backup.ts';
import { DATABASE_FILE_NAME } from '../../server/storage/sqlite/SqliteStore.ts';
import { connectYjs, createSession, rowCount, sleep, startTestServer, useCleanup, waitFor, type TestServer } from './helpers.ts';
import { FACILITATOR_ACTOR } from '../../shared/board/Board.ts';

useCleanup();

const ROOT = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** A server with one board that a client keeps adding notes to until `stop()`. */
async function busyServer() {
  const server = await startTestServer();
  const session = await createSession(server);
  // The facilitator writes: a participant holds at most 150 notes, and a board 2,000 records.
  const client = await connectYjs(server, session.id, session.facilitatorToken);
  let writing = true;
  const writer = (async () => {
    for (let n = 0; writing && n < 1900; n++) {
      client.board.addNote({ actor: FACILITATOR_ACTOR }, { text: `note ${n}`, x: n % 50, y: 0 });
      await sleep(2);
    }
  })();
  // Compared below with the rows in the copy: a count of the file's own table.
  const stored = () => rowCount(server, 'doc_updates');
  await waitFor(() => stored() >= 50, 10_000, 'the first 50 notes to be stored');
  return {
    server,
    session,
    stored,
    stop: async () => {
      writing = false;
      await writer;
    },
  };
}

function inspect(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      journal: db.pragma('journal_mode', { simple: true }),
      sessions: (db.prepare('SELECT id FROM sessions').all() as Array<{ id: string }>).map((r) => r.id),
      updates: (db.prepare('SELECT count(*) AS n FROM doc_updates').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

const dbFile = (server: TestServer) => path.join(server.dataDir, DATABASE_FILE_NAME);

describe('backups', () => {
  it('copies a database the server is writing to: consistent, complete up to the copy, and restorable', async () => {
    const { server, session, stored, stop } = await busyServer();
    const backupDir = path.join(server.dataDir, 'backups');
    const before = stored();
    const result = await backupDatabase({ dbFile: dbFile(server), backupDir, keep: 7 });
    const after = stored();
    await stop();

    expect(path.dirname(result.file)).toBe(backupDir);
    expect(path.basename(result.file)).toMatch(/^howmight-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z\.sqlite$/);
    const copy = inspect(result.file);
    expect(copy).toMatchObject({ integrity: 'ok', journal: 'delete', sessions: [session.id] });
    expect(copy.updates).toBeGreaterThanOrEqual(before);
    expect(copy.updates).toBeLessThanOrEqual(after);
    expect(await fs.readdir(backupDir)).toEqual([path.basename(result.file)]);

    // The restore step from docs/operations.md: the copy in place of the database file.
    const restoredDir = path.join(server.dataDir, 'restored');
    await fs.mkdir(restoredDir);
    await fs.copyFile(result.file, path.join(restoredDir, DATABASE_FILE_NAME));
    const restored = await startTestServer(restoredDir);
    const reader = await connectYjs(restored, session.id, session.projectorToken);
    // One row per note, after the first: the board's schema version, stamped when its room first loaded.
    expect(reader.board.notes()).toHaveLength(copy.updates - 1);
  });

  it('keeps the newest N and leaves other files in the folder alone', async () => {
    const server = await startTestServer();
    await createSession(server);
    const backupDir = path.join(server.dataDir, 'backups');
    await fs.mkdir(backupDir);
    await fs.writeFile(path.join(backupDir, 'notes-from-the-operator.txt'), 'keep me');
    const times = [1, 2, 3, 4, 5].map((day) => new Date(Date.UTC(2026, 10, day, 21, 0, 0)));
    const results = [];
    for (const now of times) results.push(await backupDatabase({ dbFile: dbFile(server), backupDir, keep: 3, now }));

    expect(results.at(-1)!.deleted.map((f) => path.basename(f))).toEqual([backupFileName(times[1]!)]);
    expect((await fs.readdir(backupDir)).sort()).toEqual(
      [...times.slice(2).map(backupFileName), 'notes-from-the-operator.txt'].sort(),
    );
    expect(results.at(-1)!.kept.map((f) => path.basename(f))).toEqual(times.slice(2).map(backupFileName));
  });

  it('npm run backup (scripts/backup.ts) writes into DATA_DIR/backups, prints the file and honours BACKUP_KEEP', async () => {
    const { server, stop } = await busyServer();
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: server.dataDir, BACKUP_KEEP: '2' };
    const printed: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/backup.ts'], { cwd: ROOT, env });
      printed.push(stdout);
    }
    await stop();
    const files = (await fs.readdir(path.join(server.dataDir, 'backups'))).sort();
    expect(files).toHaveLength(2);
    expect(printed[2]).toContain(`backup written: ${path.join(server.dataDir, 'backups', files[1]!)}`);
    expect(printed[2]).toContain('older backup deleted:');
    for (const file of files) expect(inspect(path.join(server.dataDir, 'backups', file)).integrity).toBe('ok');
  });

  it('says so and exits 1 when there is no database to back up', async () => {
    const server = await startTestServer();
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: path.join(server.dataDir, 'nowhere') };
    const failure = await run(process.execPath, ['--import', 'tsx', 'scripts/backup.ts'], { cwd: ROOT, env }).then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(`There is no database at ${path.join(server.dataDir, 'nowhere', DATABASE_FILE_NAME)}`);
  });
});
