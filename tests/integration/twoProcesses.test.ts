import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Board } from '../../shared/board/Board.ts';
import { encodeDocRef } from '../../shared/board/DocRef.ts';
import { freshDatabaseUrl } from '../storage/postgresServer.ts';
import { freshRedisPrefix, redisUrl } from '../cluster/redisServer.ts';
import {
  atStep,
  connectControl,
  connectYjs,
  createSession,
  join,
  onlineByName,
  startTestServer,
  useCleanup,
  waitFor,
  type TestServer,
} from './helpers.ts';

useCleanup();

/**
 * Two server instances on one PostgreSQL schema and one Redis prefix: what
 * two processes behind a load balancer share. (tests/cluster runs them as
 * separate processes behind nginx; here both live in the test's process, so
 * their rooms can be inspected.)
 */
async function twoServers(tuning: Parameters<typeof startTestServer>[1] = {}): Promise<[TestServer, TestServer]> {
  const databaseUrl = await freshDatabaseUrl();
  const config = { databaseUrl, redisUrl: await redisUrl(), redisPrefix: freshRedisPrefix() };
  const a = await startTestServer(undefined, tuning, config);
  const b = await startTestServer(undefined, tuning, config);
  return [a, b];
}

const texts = (board: Board) => board.notes().map((n) => n.text).sort();

describe('two processes on PostgreSQL and Redis', () => {
  it('relay each other\'s committed notes, so clients on either converge, and a fresh load matches', async () => {
    const [a, b] = await twoServers();
    const session = await createSession(a);
    const ada = await join(a, session.joinCode, 'Ada');
    const ben = await join(b, session.joinCode, 'Ben');
    await atStep(a, session, 'sort');
    const onA = await connectYjs(a, session.id, ada.participantToken);
    const onB = await connectYjs(b, session.id, ben.participantToken);
    for (let i = 0; i < 20; i++) {
      onA.board.addNote({ actor: ada.participantId }, { text: `ada ${i}`, x: i, y: 0 });
      onB.board.addNote({ actor: ben.participantId }, { text: `ben ${i}`, x: i, y: 50 });
    }
    await waitFor(() => onA.board.notes().length === 40 && onB.board.notes().length === 40, 10_000, 'both clients to hold 40 notes');
    expect(texts(onA.board)).toEqual(texts(onB.board));
    // Both rooms applied every row, in seq order, and the log holds exactly 40 note rows' worth, numbered densely.
    const roomA = a.rooms.get(session.id)!;
    const roomB = b.rooms.get(session.id)!;
    await waitFor(() => roomA.appliedSeq === roomB.appliedSeq, 5_000, 'both rooms to have applied the same rows');
    const stored = await a.store.documents.load(session.id);
    const seqs = stored.updates.map((u) => u.seq);
    expect(seqs).toEqual(seqs.map((_, i) => stored.snapshotSeq + i + 1));
    expect(stored.updates.at(-1)?.seq ?? stored.snapshotSeq).toBe(roomA.appliedSeq);
    // A client joining later, on either process, gets the same board.
    const late = await connectYjs(b, session.id, session.facilitatorToken);
    expect(texts(late.board)).toEqual(texts(onA.board));
    const fromLog = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(fromLog, stored.snapshot);
    for (const row of stored.updates) Y.applyUpdate(fromLog, row.update);
    expect(texts(new Board(fromLog))).toEqual(texts(onA.board));
  });

  it('let a facilitator on one steer participants on the other: the step, the lock and the roster', async () => {
    const [a, b] = await twoServers();
    const session = await createSession(a);
    const ada = await join(a, session.joinCode, 'Ada');
    const facilitator = await connectControl(a, session.facilitatorToken);
    const participant = await connectControl(b, ada.participantToken);
    await waitFor(() => onlineByName(facilitator).Ada === true, 5_000, 'the facilitator on A to see Ada, on B, online');

    const moved = await facilitator.command({ type: 'goto', step: 'story' });
    expect(moved.ok).toBe(true);
    await waitFor(() => participant.controls.at(-1)?.control.step === 'story', 5_000, 'the step to reach the participant on B');
    await atStep(a, session, 'sort');
    await waitFor(() => participant.controls.at(-1)?.control.step === 'sort', 5_000, 'sort to reach B');

    // B's write guard follows A's lock: once locked, B refuses the participant's note.
    const board = await connectYjs(b, session.id, ada.participantToken);
    board.board.addNote({ actor: ada.participantId }, { text: 'before the lock', x: 0, y: 0 });
    await waitFor(async () => texts(await storedBoard(a, session.id)).includes('before the lock'), 5_000, 'the first note to be stored');
    expect((await facilitator.command({ type: 'lock', locked: true })).ok).toBe(true);
    await waitFor(() => participant.controls.at(-1)?.control.locked === true, 5_000, 'the lock to reach B');
    const closed = new Promise<number>((resolve) => board.provider.ws?.addEventListener('close', (e) => resolve(e.code)));
    board.board.addNote({ actor: ada.participantId }, { text: 'after the lock', x: 0, y: 0 });
    expect(await closed).toBe(4400);
    expect(texts(await storedBoard(a, session.id))).toEqual(['before the lock']);

    participant.close();
    await waitFor(() => onlineByName(facilitator).Ada === false, 5_000, 'Ada to go offline for the facilitator on A');
  });

  it('read back a committed update the bus never carried (a process killed between its commit and its publish)', async () => {
    const [a, b] = await twoServers({ rooms: { peerCheckMs: 200 } });
    const session = await createSession(a);
    const onA = await connectYjs(a, session.id, session.facilitatorToken);
    const onB = await connectYjs(b, session.id, session.facilitatorToken);
    // Written straight to the log, as a third process that died before publishing would leave it.
    const elsewhere = new Y.Doc();
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(a.rooms.get(session.id)!.doc));
    let update: Uint8Array | null = null;
    elsewhere.on('update', (u: Uint8Array) => (update = u));
    new Board(elsewhere).addNote({ actor: 'facilitator' }, { text: 'committed, never published', x: 0, y: 0 });
    await a.store.documents.append([{ sessionId: session.id, docName: session.id, update: update! }]);
    await waitFor(
      () => texts(onA.board).includes('committed, never published') && texts(onB.board).includes('committed, never published'),
      5_000,
      'both processes to read the row back from the log and relay it',
    );
  });

  it('close the other process\'s rooms when a session is deleted on one', async () => {
    const [a, b] = await twoServers();
    const session = await createSession(a);
    const onB = await connectYjs(b, session.id, session.facilitatorToken);
    const closed = new Promise<number>((resolve) => onB.provider.ws?.addEventListener('close', (e) => resolve(e.code)));
    onB.provider.shouldConnect = false;
    const res = await fetch(`${a.baseUrl}/api/sessions/${session.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${session.facilitatorToken}` } });
    expect(res.status).toBe(204);
    expect(await closed).toBe(4410);
    await waitFor(() => b.rooms.get(session.id) === undefined, 5_000, 'B to drop the room');
  });
});

describe('two processes racing on one session', () => {
  it('serialise two facilitators\' commands in PostgreSQL: every ack counted once, one final state everywhere', async () => {
    const [a, b] = await twoServers();
    const session = await createSession(a);
    const onA = await connectControl(a, session.facilitatorToken);
    const onB = await connectControl(b, session.facilitatorToken);
    const watcher = await connectControl(b, (await join(a, session.joinCode, 'Ada')).participantToken);
    const before = (await a.store.sessions.getSession(session.id))!.control.timer.durationMs;
    const addMinute = { type: 'timer', action: 'addMinute' };
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? onA : onB).command(addMinute)));
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const stored = (await a.store.sessions.getSession(session.id))!.control;
    expect(stored.version).toBe(30);
    expect(stored.timer.durationMs).toBe(before + 30 * 60_000);
    // Every socket, on either process, gets that version and state (a browser keeps the highest version it was sent).
    const newest = (client: typeof onA) => client.controls.reduce<(typeof client.controls)[number] | null>((a, c) => (a && a.control.version >= c.control.version ? a : c), null);
    for (const client of [onA, onB, watcher]) {
      await waitFor(() => newest(client)?.control.version === 30, 5_000, 'the last version to reach every socket');
      expect(newest(client)!.control).toEqual(stored);
    }
  });

  it('compact the same document from both processes without losing a row', async () => {
    const [a, b] = await twoServers({ rooms: { compactAfter: 15 } });
    const session = await createSession(a);
    const onA = await connectYjs(a, session.id, session.facilitatorToken);
    const onB = await connectYjs(b, session.id, session.facilitatorToken);
    for (let i = 0; i < 60; i++) {
      (i % 2 === 0 ? onA : onB).board.addNote({ actor: 'facilitator' }, { text: `note ${i}`, x: i, y: 0 });
      if (i % 10 === 9) await waitFor(() => onA.board.notes().length === i + 1 && onB.board.notes().length === i + 1, 5_000, `${i + 1} notes on both`);
    }
    // Unloading compacts too: both rooms at once, on the same rows.
    onA.destroy();
    onB.destroy();
    await waitFor(() => !a.rooms.get(session.id) && !b.rooms.get(session.id), 5_000, 'both rooms to unload');
    const stored = await a.store.documents.load(session.id);
    expect(stored.snapshotSeq).toBeGreaterThan(0);
    expect(texts(await storedBoard(a, session.id))).toHaveLength(60);
    expect(new Set(texts(await storedBoard(b, session.id)))).toEqual(new Set(Array.from({ length: 60 }, (_, i) => `note ${i}`)));
  });

  it('report the database and the bus on /healthz', async () => {
    const [a] = await twoServers();
    const res = await fetch(`${a.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, database: 'ok', bus: 'ok' });
  });
});

async function storedBoard(server: TestServer, sessionId: string): Promise<Board> {
  const stored = await server.store.documents.load(encodeDocRef({ kind: 'board', sessionId }));
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const row of stored.updates) Y.applyUpdate(doc, row.update);
  return new Board(doc);
}

