import path from 'node:path';
import Database from 'better-sqlite3';
import { io, type Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import type { ClientToServerEvents, CommandResult, ServerToClientEvents, Welcome } from '../../shared/events.ts';
import { atStep, createSession, join, sleep, waitFor, type TestServer } from './helpers.ts';
import { freePort, spawnServer, type ServerProcess } from './serverProcess.ts';
import { contentOf, stockClient, synced, type StockClient } from './stockProvider.ts';
import { CLOSE } from '../../shared/closeCodes.ts';
import { useCleanup } from './cleanup.ts';

useCleanup();

/** The HTTP helpers only need the base URL. */
const http = (server: ServerProcess) => ({ baseUrl: server.baseUrl }) as TestServer;

function readDb<T>(dataDir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path.join(dataDir, 'howmight.sqlite'), { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

describe('kill -9 while five clients add notes', () => {
  it('every note any client had received from the server is there after a restart', async () => {
    const first = await spawnServer();
    const session = await createSession(http(first));
    const people = await Promise.all([1, 2, 3, 4, 5].map((i) => join(http(first), session.joinCode, `P${i}`)));
    await atStep(http(first), session, 'sort');
    const clients = people.map((p) => stockClient(first.port, session.id, p.participantToken));
    await Promise.all(clients.map((c) => synced(c)));

    // Everyone writes as fast as the event loop lets them until the server dies.
    let writing = true;
    const writers = clients.map(async (client, i) => {
      // A participant may hold 150 notes; nobody needs more to show what a crash keeps.
      for (let n = 0; writing && n < 150; n++) {
        client.board.addNote({ actor: people[i]!.participantId }, { text: `p${i}-n${n}`, x: n % 50, y: i * 10 });
        await sleep(5);
      }
    });
    await waitFor(() => clients.every((c) => c.receivedNoteIds.size >= 100), 10_000, 'notes flowing between clients');
    first.child.kill('SIGKILL');
    const { signal } = await first.exited;
    writing = false;
    await Promise.all(writers);
    expect(signal).toBe('SIGKILL');

    const seen = new Set(clients.flatMap((c) => [...c.receivedNoteIds]));
    expect(seen.size).toBeGreaterThanOrEqual(100);

    const second = await spawnServer({ dataDir: first.dataDir });
    const reader = stockClient(second.port, session.id, session.projectorToken);
    await synced(reader);
    const stored = new Set(reader.board.notes().map((n) => n.id));
    const lost = [...seen].filter((id) => !stored.has(id));
    expect(lost, `${lost.length} of ${seen.size} relayed notes lost`).toEqual([]);
  });
});

type ControlSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A socket.io client that reconnects by itself, like the app's. */
function reconnectingControl(port: number, token: string) {
  const socket: ControlSocket = io(`http://127.0.0.1:${port}`, {
    auth: { token },
    transports: ['websocket'],
    reconnectionDelay: 100,
    reconnectionDelayMax: 300,
  });
  const welcomes: Welcome[] = [];
  const disconnects: string[] = [];
  socket.on('welcome', (w) => welcomes.push(w));
  socket.on('disconnect', (reason) => disconnects.push(reason));
  const command = (payload: unknown) =>
    new Promise<CommandResult>((resolve, reject) =>
      socket.timeout(5_000).emit('command', payload, (err: Error | null, result: CommandResult) => (err ? reject(err) : resolve(result))),
    );
  return { socket, welcomes, disconnects, command };
}

describe('SIGTERM', () => {
  it('saves, closes every socket cleanly and exits 0; clients come back by themselves with the control state', async () => {
    const port = await freePort();
    const first = await spawnServer({ port });
    const session = await createSession(http(first));
    const ada = await join(http(first), session.joinCode, 'Ada');
    const ben = await join(http(first), session.joinCode, 'Ben');
    await atStep(http(first), session, 'sort');

    const a = stockClient(port, session.id, ada.participantToken);
    const b = stockClient(port, session.id, ben.participantToken);
    await Promise.all([synced(a), synced(b)]);
    const facilitator = reconnectingControl(port, session.facilitatorToken);
    const participant = reconnectingControl(port, ada.participantToken);
    await waitFor(() => facilitator.welcomes.length === 1 && participant.welcomes.length === 1, 5_000, 'welcomes');

    for (const command of [
      { type: 'goto', step: 'causes' },
      { type: 'reveal' },
      { type: 'goto', step: 'sort' },
      { type: 'timer', action: 'start' },
      { type: 'heaviest', category: 'structures' },
    ]) {
      expect(await facilitator.command(command)).toMatchObject({ ok: true });
    }
    const before = await facilitator.command({ type: 'timer', action: 'addMinute', id: 'before-stop' });
    if (!before.ok) throw new Error(before.error.message);

    for (let i = 0; i < 30; i++) a.board.addNote({ actor: ada.participantId }, { text: `before stop ${i}`, x: i, y: 0 });
    await waitFor(() => b.board.notes().length === 30, 5_000, 'the notes to reach Ben');

    first.child.kill('SIGTERM');
    const exit = await first.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(first.output.stdout).toContain('SIGTERM');
    // Clean closes: the WebSocket close handshake (1012 service restart), not a dropped TCP connection (1006).
    await waitFor(() => a.closes.length > 0 && b.closes.length > 0, 5_000, 'both providers to see the close');
    expect([a.closes[0], b.closes[0]]).toEqual([CLOSE.restart, CLOSE.restart]);
    await waitFor(() => facilitator.disconnects.length > 0 && participant.disconnects.length > 0, 5_000, 'socket.io disconnects');

    // Everything was flushed: one snapshot, an empty update log.
    const rows = readDb(first.dataDir, (db) => ({
      updates: (db.prepare('SELECT count(*) AS n FROM doc_updates').get() as { n: number }).n,
      snapshots: (db.prepare('SELECT count(*) AS n FROM doc_snapshots WHERE doc_name = ?').get(session.id) as { n: number }).n,
    }));
    expect(rows).toEqual({ updates: 0, snapshots: 1 });

    // Nobody reconnects anything by hand: the same address comes back.
    const second = await spawnServer({ port, dataDir: first.dataDir });
    await waitFor(() => facilitator.welcomes.length === 2 && participant.welcomes.length === 2, 10_000, 'welcomes after the restart');
    for (const welcome of [facilitator.welcomes[1]!, participant.welcomes[1]!]) {
      expect(welcome.control).toEqual(before.control);
      expect(welcome.control).toMatchObject({ step: 'sort', heaviest: 'structures', revealed: true });
      expect(welcome.control.timer.runningSince).toEqual(expect.any(Number));
    }
    await Promise.all([synced(a), synced(b)]);
    b.board.addNote({ actor: ben.participantId }, { text: 'after restart', x: 0, y: 0 });
    await waitFor(() => a.board.notes().length === 31, 10_000, 'a note written after the restart to reach Ada');
    expect(contentOf(a.board)).toEqual(contentOf(b.board));

    facilitator.socket.disconnect();
    participant.socket.disconnect();
    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  });
});
