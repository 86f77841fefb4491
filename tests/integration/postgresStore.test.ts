import crypto from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PG_MIGRATIONS } from '../../server/storage/postgres/migrations.ts';
import { DocumentRefusedError } from '../../server/storage/postgres/PgDocumentLog.ts';
import { PgStore } from '../../server/storage/postgres/PgStore.ts';
import { initialControl } from '../../shared/protocol/control.ts';
import { configFromEnv } from '../../server/config.ts';
import { freshDatabaseUrl, freshPgStore, freshSchema, postgresUrl } from '../storage/postgresServer.ts';
import { startTcpProxy } from '../tcpProxy.ts';
import { createSession, startTestServer, useCleanup } from './helpers.ts';
import { storageContract } from '../storage/storageContract.ts';

storageContract('PostgreSQL', () => freshPgStore());
useCleanup();

const open: PgStore[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

/** Two "processes": two stores, each with its own pool, on one schema. */
async function twoProcesses(): Promise<[PgStore, PgStore]> {
  const { url, schema } = await freshSchema();
  const stores = await Promise.all([PgStore.open(url, { schema, max: 4 }), PgStore.open(url, { schema, max: 4 })]);
  open.push(...stores);
  return stores;
}

async function withSession(store: PgStore, id = 's1'): Promise<string> {
  const outcome = await store.sessions.createSession(
    { id, title: 'T', lengthMinutes: 90, joinCode: `J${id}`, createdAt: 1, control: initialControl(90) },
    [],
  );
  expect(outcome).toBe('created');
  return id;
}

const bytes = (n: number) => new Uint8Array(crypto.randomBytes(n));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('PostgreSQL across processes', () => {
  it('numbers appends from two pools on one document 1..N, no gap, no duplicate, every update once', async () => {
    const [a, b] = await twoProcesses();
    const s = await withSession(a);
    const perProcess = 60;
    const sent = new Map<string, number>(); // update → seq its append resolved with
    const run = async (store: PgStore, tag: number) => {
      // Several appends in flight per process (the pool has 4 connections); some carry a second document too,
      // in either order, so two processes lock the same two rows: they must not deadlock.
      await Promise.all(
        Array.from({ length: perProcess }, async (_, i) => {
          const u = bytes(12);
          const entries = [{ sessionId: s, docName: 'doc', update: u }];
          if (i % 5 === 0) entries[tag ? 'push' : 'unshift']({ sessionId: s, docName: 'other', update: bytes(4) });
          const seqs = await store.documents.append(entries);
          sent.set(hex(u), seqs[entries.findIndex((e) => e.update === u)]!);
        }),
      );
    };
    await Promise.all([run(a, 0), run(b, 1)]);

    const loaded = await b.documents.load('doc');
    const n = perProcess * 2;
    expect(loaded.updates.map((r) => r.seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(new Map(loaded.updates.map((r) => [hex(r.update), r.seq]))).toEqual(sent);
    expect((await a.documents.load('other')).updates.map((r) => r.seq)).toEqual(Array.from({ length: (perProcess / 5) * 2 }, (_, i) => i + 1));
  });

  it('of two compactors racing on the same rows exactly one wins, and no row is lost to either', async () => {
    const [a, b] = await twoProcesses();
    const s = await withSession(a);
    for (let i = 0; i < 10; i++) await a.documents.append([{ sessionId: s, docName: 'doc', update: bytes(8) }]);
    for (let round = 1; round <= 5; round++) {
      const upto = round * 10;
      const snapA = bytes(32);
      const snapB = bytes(32);
      // Appends keep arriving while both compact: each of them lands past `upto` and must survive.
      const [wonA, wonB, later] = await Promise.all([
        a.documents.compactIfNewer(s, 'doc', snapA, upto),
        b.documents.compactIfNewer(s, 'doc', snapB, upto),
        Promise.all(Array.from({ length: 10 }, () => b.documents.append([{ sessionId: s, docName: 'doc', update: bytes(8) }]))),
      ]);
      expect([wonA, wonB].filter(Boolean)).toHaveLength(1);
      const loaded = await a.documents.load('doc');
      expect(loaded.snapshot).toEqual(wonA ? snapA : snapB);
      expect(loaded.snapshotSeq).toBe(upto);
      expect(loaded.updates.map((r) => r.seq)).toEqual(Array.from({ length: 10 }, (_, i) => upto + i + 1));
      expect(later.flat().sort((x, y) => x - y)).toEqual(loaded.updates.map((r) => r.seq));
    }
  });

  it('refuses appends to a frozen document, and a group touching it writes nothing at all', async () => {
    const [store] = await twoProcesses();
    const s = await withSession(store);
    await store.documents.append([{ sessionId: s, docName: 'frozen', update: bytes(4) }]);
    await store.pool.query("UPDATE documents SET accepting_edits = false WHERE doc_id = 'frozen'");
    await expect(store.documents.append([{ sessionId: s, docName: 'frozen', update: bytes(4) }])).rejects.toBeInstanceOf(DocumentRefusedError);
    await expect(
      store.documents.append([
        { sessionId: s, docName: 'open', update: bytes(4) },
        { sessionId: s, docName: 'frozen', update: bytes(4) },
      ]),
    ).rejects.toBeInstanceOf(DocumentRefusedError);
    expect((await store.documents.load('open')).updates).toEqual([]);
    expect((await store.documents.load('frozen')).updates.map((r) => r.seq)).toEqual([1]);
    // A group that fails half-way (unknown session) leaves nothing either.
    await expect(
      store.documents.append([
        { sessionId: s, docName: 'open', update: bytes(4) },
        { sessionId: 'nobody', docName: 'stray', update: bytes(4) },
      ]),
    ).rejects.toThrow(/foreign key/);
    expect((await store.documents.load('open')).updates).toEqual([]);
    expect(await store.documents.append([{ sessionId: s, docName: 'open', update: bytes(4) }])).toEqual([1]);
  });

  it('migrates once when several processes start together, and a restart finds nothing to do', async () => {
    const { url, schema } = await freshSchema();
    const stores = await Promise.all(Array.from({ length: 4 }, () => PgStore.open(url, { schema, max: 2 })));
    open.push(...stores);
    const { rows } = await stores[0]!.pool.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((_, i) => i + 1));
    await withSession(stores[1]!);
    const again = await PgStore.open(url, { schema });
    open.push(again);
    expect((await again.sessions.getSession('s1'))?.title).toBe('T');
  });

  it('returns bigints as numbers on its own pool only, leaving pg\'s global parser alone', async () => {
    const [store] = await twoProcesses();
    const { rows } = await store.pool.query<{ n: unknown }>('SELECT 9007199254740991::bigint AS n');
    expect(rows[0]!.n).toBe(Number.MAX_SAFE_INTEGER);
    await expect(store.pool.query('SELECT 9007199254740992::bigint AS n')).rejects.toThrow(/does not fit/);
    expect(pg.types.getTypeParser(20)('42')).toBe('42');
  });

  it('fails only the transaction whose connection is cut under it, and the process lives on', async () => {
    const proxy = await startTcpProxy(Number(new URL(await postgresUrl()).port || 5432));
    try {
      const { schema } = await freshSchema();
      const url = new URL(await postgresUrl());
      url.host = `127.0.0.1:${proxy.port}`;
      const store = await PgStore.open(url.toString(), { schema, max: 2 });
      open.push(store);
      const id = await withSession(store);
      let cutNow!: () => void;
      const holding = new Promise<void>((resolve) => (cutNow = resolve));
      // A control change holds its connection (and the session's row lock) while it decides: cut it there.
      const change = store.sessions.changeControl(id, async (session) => {
        cutNow();
        await new Promise((resolve) => setTimeout(resolve, 200));
        return { save: { ...session.control, version: session.control.version + 1 }, value: 'saved' };
      });
      await holding;
      proxy.cut();
      await expect(change).rejects.toThrow();
      proxy.restore();
      // Unheard, the dropped connection's 'error' would have ended this process before here.
      expect((await store.sessions.getSession(id))?.control.version).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('says where it failed to connect without the password', async () => {
    const { url } = await freshSchema();
    const u = new URL(url);
    u.password = 'sekrit-pass';
    u.port = '1'; // nothing listens there
    const err = await PgStore.open(u.toString()).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(`${u.hostname}:1`);
    expect((err as Error).message).not.toContain('sekrit-pass');
  });
});

describe('the server on PostgreSQL', () => {
  it('stores in PostgreSQL when DATABASE_URL is set, and finds it again after a restart', async () => {
    const databaseUrl = await freshDatabaseUrl();
    const server = await startTestServer(undefined, {}, { databaseUrl });
    expect(server.store).toBeInstanceOf(PgStore);
    const made = await createSession(server, { title: 'On PostgreSQL' });
    await server.close();
    const again = await startTestServer(undefined, {}, { databaseUrl });
    expect((await again.store.sessions.getSession(made.id))?.title).toBe('On PostgreSQL');
    const { rows } = await (again.store as PgStore).pool.query('SELECT title FROM sessions');
    expect(rows).toEqual([{ title: 'On PostgreSQL' }]);
  });

  it('takes DATABASE_URL only as a postgres:// URL, and never repeats it in its complaint', () => {
    expect(configFromEnv({}).databaseUrl).toBeUndefined();
    expect(configFromEnv({ DATABASE_URL: 'postgresql://u:p@db:5432/howmight' }).databaseUrl).toBe('postgresql://u:p@db:5432/howmight');
    for (const bad of ['mysql://u:sekrit@db/x', 'u:sekrit at db']) {
      let message = '';
      try {
        configFromEnv({ DATABASE_URL: bad });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/DATABASE_URL must/);
      expect(message).not.toContain('sekrit');
    }
  });
});
