import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Board } from '../../shared/board/Board.ts';
import { PgStore } from '../../server/storage/postgres/PgStore.ts';
import { freshDatabaseUrl, postgresUrl } from '../storage/postgresServer.ts';
import {
  atStep,
  connectControl,
  connectYjs,
  createSession,
  join,
  onlineByName,
  sleep,
  useCleanup,
  waitFor,
  type Reachable,
  type YjsClient,
} from '../integration/helpers.ts';
import { startCluster, type Cluster } from './cluster.ts';
import { startThrowawayRedis } from './redisServer.ts';
import { startTcpProxy } from '../tcpProxy.ts';

useCleanup();

/**
 * Real server processes behind real nginx, on PostgreSQL and Redis
 * (docs/operations.md, "Several processes"). Clients are the stock
 * y-websocket provider and socket.io-client; they reach the processes through
 * nginx, which spreads them, or one process directly where a test needs to
 * know which.
 */

const via = (url: string): Reachable => ({ baseUrl: url, port: Number(new URL(url).port) });
const texts = (board: Board) => board.notes().map((n) => n.text);

/** What PostgreSQL holds of a board, as its notes' texts. */
async function storedTexts(cluster: Cluster, sessionId: string): Promise<string[]> {
  const store = await PgStore.open(cluster.env.DATABASE_URL, { max: 1 });
  try {
    const stored = await store.documents.load(sessionId);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const row of stored.updates) Y.applyUpdate(doc, row.update);
    return texts(new Board(doc));
  } finally {
    await store.close();
  }
}

/** Every note text a client has seen that someone else wrote: what it "received". */
function watchReceived(client: YjsClient, actor: string, into: Set<string>): void {
  const look = () => {
    for (const note of client.board.notes()) if (note.authorId !== actor) into.add(note.text);
  };
  client.doc.on('update', look);
}

/** A meeting at the sort step with `people` participants joined through `at`. */
async function meeting(at: Reachable, people: number) {
  const session = await createSession(at, { title: 'Across processes' });
  const joined = [];
  for (let i = 0; i < people; i++) joined.push(await join(at, session.joinCode, `P${i + 1}`));
  await atStep(at, session, 'sort');
  return { session, joined };
}

const sameSet = (a: string[], b: string[]) => expect(new Set(a)).toEqual(new Set(b));

describe('three processes behind nginx', () => {
  it('spread the clients, converge every one, and let a facilitator on one process steer participants on the others', async () => {
    // The diagnostics endpoint counts each process's rooms: which processes nginx sent board sockets to.
    const cluster = await startCluster({ processes: 3, env: { BENCH_DIAGNOSTICS: '1' } });
    const front = via(cluster.url);
    const { session, joined } = await meeting(front, 6);
    const boards = await Promise.all(joined.map((p) => connectYjs(front, session.id, p.participantToken)));
    for (const [i, board] of boards.entries()) {
      for (let n = 0; n < 5; n++) board.board.addNote({ actor: joined[i]!.participantId }, { text: `P${i + 1} note ${n}`, x: n * 10, y: i * 10 });
    }
    await waitFor(() => boards.every((b) => b.board.notes().length === 30), 15_000, 'every client to hold all 30 notes');
    for (const board of boards) sameSet(texts(board.board), texts(boards[0]!.board));
    sameSet(await storedTexts(cluster, session.id), texts(boards[0]!.board));

    // nginx spread the six board sockets: every process holds the room.
    const [first, second, third] = cluster.processes.map((p) => via(p.url));
    const rooms = await Promise.all(cluster.processes.map(async (p) => ((await (await fetch(`${p.url}/__diag`)).json()) as { rooms: number }).rooms));
    expect(rooms.every((count) => count > 0)).toBe(true);

    // The facilitator on process 1; participants' control sockets on 2 and 3.
    const facilitator = await connectControl(first!, session.facilitatorToken);
    const onSecond = await connectControl(second!, joined[0]!.participantToken);
    const onThird = await connectControl(third!, joined[1]!.participantToken);
    await waitFor(() => onlineByName(facilitator).P1 === true && onlineByName(facilitator).P2 === true, 10_000, 'the roster on 1 to show people on 2 and 3');
    expect((await facilitator.command({ type: 'goto', step: 'hmw' })).ok).toBe(true);
    for (const client of [onSecond, onThird]) {
      await waitFor(() => client.controls.some((c) => c.control.step === 'hmw'), 10_000, 'the step to reach processes 2 and 3');
    }
    // Their write guards follow: the sort step's moves are over, a lock refuses everything.
    expect((await facilitator.command({ type: 'lock', locked: true })).ok).toBe(true);
    await waitFor(() => onThird.controls.some((c) => c.control.locked), 10_000, 'the lock to reach process 3');
    const late = await connectYjs(third!, session.id, joined[2]!.participantToken);
    const closed = new Promise<number>((resolve) => late.provider.ws?.addEventListener('close', (e) => resolve(e.code)));
    late.board.addNote({ actor: joined[2]!.participantId }, { text: 'after the lock', x: 0, y: 0 });
    expect(await closed).toBe(4400);
    expect(await storedTexts(cluster, session.id)).not.toContain('after the lock');
  });

  it('lose nothing anyone received when one process is killed with -9 mid-meeting, and its clients carry on on the others', async () => {
    const cluster = await startCluster({ processes: 3, env: { BENCH_DIAGNOSTICS: '1' } });
    const front = via(cluster.url);
    const { session, joined } = await meeting(front, 9);
    const boards = await Promise.all(joined.map((p) => connectYjs(front, session.id, p.participantToken)));
    const received = new Set<string>();
    boards.forEach((b, i) => watchReceived(b, joined[i]!.participantId, received));
    let n = 0;
    const writing = setInterval(() => {
      for (const [i, b] of boards.entries()) b.board.addNote({ actor: joined[i]!.participantId }, { text: `P${i + 1} #${n}`, x: n % 40, y: i * 10 });
      n++;
    }, 60);
    await sleep(1_000);
    const victim = cluster.processes[1]!;
    // nginx gave it some of the board sockets: the kill has clients to move.
    expect(((await (await fetch(`${victim.url}/__diag`)).json()) as { rooms: number }).rooms).toBeGreaterThan(0);
    const exit = await victim.kill('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    await sleep(2_000);
    clearInterval(writing);
    const written = n * boards.length;
    // Every client reconnected (through nginx, to a survivor) and holds every note anyone wrote.
    await waitFor(() => boards.every((b) => b.provider.wsconnected && b.board.notes().length === written), 20_000, `all ${written} notes on every client`);
    const stored = await storedTexts(cluster, session.id);
    for (const text of received) expect(stored).toContain(text);
    expect(stored).toHaveLength(written);
    sameSet(stored, texts(boards[0]!.board));
    // The survivors keep serving: a new client gets the whole board.
    const fresh = await connectYjs(front, session.id, session.facilitatorToken);
    expect(fresh.board.notes()).toHaveLength(written);
  });

  it('keep serving through a Redis outage and catch up when it is back, without losing a note or a command', async () => {
    const redis = await startThrowawayRedis();
    const cluster = await startCluster({ processes: 2, env: { REDIS_URL: redis.url } });
    const [first, second] = cluster.processes.map((p) => via(p.url));
    const { session, joined } = await meeting(first!, 4);
    // Two clients on each process.
    const boards = await Promise.all(joined.map((p, i) => connectYjs(i < 2 ? first! : second!, session.id, p.participantToken)));
    const facilitator = await connectControl(first!, session.facilitatorToken);
    const participant = await connectControl(second!, joined[3]!.participantToken);

    await redis.stop();
    for (const [i, b] of boards.entries()) b.board.addNote({ actor: joined[i]!.participantId }, { text: `during the outage ${i}`, x: i, y: 0 });
    // Same-process clients still see each other at once.
    await waitFor(() => texts(boards[0]!.board).includes('during the outage 1'), 5_000, 'a note to reach the other client of its own process');
    expect((await facilitator.command({ type: 'goto', step: 'hmw' })).ok).toBe(true);
    const health = (await (await fetch(`${cluster.processes[0]!.url}/healthz`)).json()) as { bus: string };
    expect(health.bus).toBe('down');

    await redis.start();
    await waitFor(() => boards.every((b) => b.board.notes().length === 4), 15_000, 'every note on every client once Redis is back');
    await waitFor(() => participant.controls.some((c) => c.control.step === 'hmw'), 15_000, 'the command made during the outage to reach process 2\'s client');
    sameSet(await storedTexts(cluster, session.id), texts(boards[0]!.board));
  });

  it('refuse edits with a clear message while PostgreSQL is away, show nothing unsaved, and resume after', async () => {
    const proxy = await startTcpProxy(Number(new URL(await postgresUrl()).port || 5432));
    const viaProxy = new URL(await freshDatabaseUrl());
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const cluster = await startCluster({ processes: 2, env: { DATABASE_URL: viaProxy.toString() } });
    const [first, second] = cluster.processes.map((p) => via(p.url));
    const { session, joined } = await meeting(first!, 2);
    const writer = await connectYjs(first!, session.id, joined[0]!.participantToken);
    const reader = await connectYjs(second!, session.id, joined[1]!.participantToken);
    writer.board.addNote({ actor: joined[0]!.participantId }, { text: 'saved before', x: 0, y: 0 });
    await waitFor(() => texts(reader.board).includes('saved before'), 5_000, 'the first note across');

    const closes: string[] = [];
    writer.provider.ws?.addEventListener('close', (e) => closes.push(`${e.code} ${e.reason}`));
    proxy.cut();
    writer.board.addNote({ actor: joined[0]!.participantId }, { text: 'written while the database is away', x: 0, y: 0 });
    await waitFor(() => closes.length > 0, 5_000, 'the writer to be told');
    expect(closes[0]).toBe('1011 Server error: a change could not be saved.');
    expect((await fetch(`${cluster.processes[0]!.url}/healthz`)).status).toBe(503);
    await sleep(2_000);
    // Nobody was shown what could not be saved.
    expect(texts(reader.board)).not.toContain('written while the database is away');

    proxy.restore();
    await waitFor(() => texts(reader.board).includes('written while the database is away'), 20_000, 'the unsaved note, re-sent once the database is back');
    sameSet(await storedTexts(cluster, session.id), ['saved before', 'written while the database is away']);
    expect((await fetch(`${cluster.processes[0]!.url}/healthz`)).status).toBe(200);
    // Connections dropped under them, in and out of transactions: neither process went down.
    expect(cluster.processes.map((p) => p.running)).toEqual([true, true]);
    await proxy.close();
  });

  it('re-sync a reconnect storm of 200 clients after the process holding a third of them is killed', async () => {
    const cluster = await startCluster({ processes: 3 });
    const front = via(cluster.url);
    const clients: YjsClient[] = [];
    for (let s = 0; s < 20; s++) {
      const session = await createSession(front, { title: `Storm ${s}` });
      const tokens = [session.facilitatorToken, session.facilitatorToken, session.facilitatorToken, session.projectorToken, session.projectorToken, session.projectorToken];
      for (let p = 0; p < 4; p++) tokens.push((await join(front, session.joinCode, `S${s}P${p}`)).participantToken);
      clients.push(...(await Promise.all(tokens.map((t) => connectYjs(front, session.id, t, 20_000)))));
    }
    expect(clients).toHaveLength(200);
    // Each session's first three clients are its facilitator's: one writes a note before the kill, and one after.
    for (let s = 0; s < 20; s++) clients[s * 10]!.board.addNote({ actor: 'facilitator' }, { text: `session ${s}`, x: 0, y: 0 });
    await waitFor(() => clients.every((c, i) => texts(c.board).includes(`session ${Math.floor(i / 10)}`)), 20_000, 'every client to see its session\'s note');

    const synced = new Map<YjsClient, number>();
    const dropped = new Set<YjsClient>();
    const killedAt = Date.now();
    for (const client of clients) {
      client.provider.on('status', ({ status }: { status: string }) => {
        if (status === 'disconnected') dropped.add(client);
      });
      client.provider.on('sync', (isSynced: boolean) => {
        if (isSynced && !synced.has(client)) synced.set(client, Date.now() - killedAt);
      });
    }
    await cluster.processes[0]!.kill('SIGKILL');
    // Until nginx has passed the dead sockets' close on, every client still looks connected and synced.
    await waitFor(() => dropped.size > 20, 10_000, 'the dead process\'s clients to see their sockets drop');
    await waitFor(
      () => clients.every((c) => c.provider.wsconnected && c.provider.synced) && [...dropped].every((c) => synced.has(c)),
      30_000,
      'all 200 clients connected and synced after the kill, the dropped ones synced again',
    );
    const reconnected = [...synced.values()];
    console.log(`reconnect storm: ${dropped.size} clients dropped, ${reconnected.length} re-synced, the last ${Math.max(...reconnected)} ms after the kill`);
    expect(reconnected.length).toBeGreaterThan(20);
    // A note written after the storm reaches every client of its session, wherever each landed.
    for (let s = 0; s < 20; s++) clients[s * 10 + 1]!.board.addNote({ actor: 'facilitator' }, { text: `after ${s}`, x: 1, y: 1 });
    await waitFor(() => clients.every((c, i) => texts(c.board).includes(`after ${Math.floor(i / 10)}`)), 30_000, 'the notes written after the storm on every client');
  });
});
