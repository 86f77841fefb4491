import { performance } from 'node:perf_hooks';
import { BenchClient } from './clients.ts';
import { provision } from './provision.ts';
import { diagnostics, startOurs, startReference, tempDir, type Diagnostics } from './servers.ts';
import { inBatches, round, sleep, waitFor } from './stats.ts';

export interface ChurnResult {
  cycles: number;
  rooms: number;
  concurrency: number;
  cyclesPerSecond: number;
  failures: number;
  /** After the last client left: how long until no room was left in memory. */
  roomsGoneAfterMs: number | null;
  /** … and until no WebSocket, socket.io socket or TCP socket was left (checked about once a second). */
  socketsGoneAfterMs: number | null;
  start: Diagnostics;
  end: Diagnostics;
  heapGrowth: number;
  /** The reference server after the same kind of churn (providers only, fewer cycles). */
  reference: { cycles: number; roomsLeft: number; heapGrowth: number } | null;
}

/**
 * Connect/disconnect cycles, each a participant as the browser makes one: a
 * stock provider and a socket.io connection, sync, one small change, leave.
 */
export async function churn(
  cycles: number,
  roomCount: number,
  concurrency: number,
  referenceCycles: number,
  log: (line: string) => void,
): Promise<ChurnResult> {
  const dataDir = tempDir('howmight-churn-');
  const rooms = await provision(dataDir, roomCount, 1);
  const server = await startOurs({ dataDir });
  let failures = 0;
  const cycle = async (i: number) => {
    const room = rooms[i % rooms.length]!;
    const p = room.participants[0]!;
    const client = new BenchClient({
      yjsUrl: server.yjsUrl,
      room: room.sessionId,
      token: p.token,
      socketIoUrl: server.baseUrl,
      actor: p.participantId,
    });
    try {
      await client.ready(15_000);
      const notes = client.board.notes();
      if (notes.length < 5) client.addNote(`churn ${i}`, i % 1000, 0);
      else client.board.moveNote(client.origin, notes[i % notes.length]!.id, i % 1000, 100);
    } catch {
      failures++;
    } finally {
      client.close();
    }
  };
  try {
    // Warm up (code paths, statement caches) before taking the starting heap.
    await inBatches(
      Array.from({ length: Math.min(roomCount, 100) }, (_, i) => i),
      concurrency,
      cycle,
    );
    await waitFor(async () => (await diagnostics(server)).rooms === 0, 30_000, 200);
    await sleep(500);
    const start = await diagnostics(server, true);
    failures = 0;
    const t0 = performance.now();
    let lastLog = t0;
    await inBatches(
      Array.from({ length: cycles }, (_, i) => i),
      concurrency,
      async (i) => {
        await cycle(i);
        if (performance.now() - lastLog > 10_000) {
          lastLog = performance.now();
          log(`  churn: ${i + 1}/${cycles}`);
        }
      },
    );
    const lastLeft = performance.now();
    const elapsed = lastLeft - t0;
    let roomsGoneAfterMs: number | null = null;
    if (await waitFor(async () => (await diagnostics(server)).rooms === 0, 60_000, 100)) {
      roomsGoneAfterMs = performance.now() - lastLeft;
    }
    let socketsGoneAfterMs: number | null = null;
    const clean = (d: Diagnostics) => d.census?.WebSocket === 0 && d.census?.IoSocket === 0 && (d.openSockets ?? 0) <= 0;
    if (await waitFor(async () => clean(await diagnostics(server, true)), 90_000, 500)) {
      socketsGoneAfterMs = performance.now() - lastLeft;
    } else {
      log('  churn: sockets still in memory 90 s after the last client left');
    }
    const end = await diagnostics(server, true);
    const reference = referenceCycles > 0 ? await referenceChurn(referenceCycles, roomCount, concurrency) : null;
    return {
      cycles,
      rooms: roomCount,
      concurrency,
      cyclesPerSecond: round(cycles / (elapsed / 1000), 0),
      failures,
      roomsGoneAfterMs: roomsGoneAfterMs === null ? null : round(roomsGoneAfterMs, 0),
      socketsGoneAfterMs: socketsGoneAfterMs === null ? null : round(socketsGoneAfterMs, 0),
      start,
      end,
      heapGrowth: end.heapUsed / start.heapUsed - 1,
      reference,
    };
  } finally {
    await server.stop();
  }
}

async function referenceChurn(cycles: number, roomCount: number, concurrency: number) {
  const server = await startReference();
  try {
    const cycle = async (i: number) => {
      const client = new BenchClient({ yjsUrl: server.yjsUrl, room: `churn-${i % roomCount}` });
      try {
        await client.ready(15_000);
        const notes = client.board.notes();
        if (notes.length < 5) client.addNote(`churn ${i}`, i % 1000, 0);
        else client.board.moveNote(client.origin, notes[i % notes.length]!.id, i % 1000, 100);
      } finally {
        client.close();
      }
    };
    const all = Array.from({ length: cycles }, (_, i) => i);
    await inBatches(all.slice(0, Math.min(roomCount, 100)), concurrency, cycle);
    await sleep(1000);
    const start = await diagnostics(server);
    await inBatches(all, concurrency, cycle);
    await sleep(2000);
    const end = await diagnostics(server);
    return { cycles, roomsLeft: end.rooms, heapGrowth: end.heapUsed / start.heapUsed - 1 };
  } finally {
    await server.stop();
  }
}
