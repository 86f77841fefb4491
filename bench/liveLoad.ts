import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { BenchClient } from './clients.ts';
import { cpuMs, steadyRss } from './processStats.ts';
import { provision } from './provision.ts';
import { diagnostics, startOurs, startReference, tempDir, type ServerProcess } from './servers.ts';
import { inBatches, round, sleep, summarize, waitFor, type Summary } from './stats.ts';

export interface LiveOptions {
  rooms: number;
  clients: number;
  periodMs: number;
  durationMs: number;
  /** Give each of our clients a socket.io connection too, as a participant's browser has (default). */
  socketIo?: boolean;
}

export interface LiveResult {
  server: 'ours' | 'reference';
  options: LiveOptions;
  /** Propagation delay in ms, sender's change to each receiver seeing it. */
  delay: Summary;
  sent: number;
  expected: number;
  delivered: number;
  deliveredShare: number;
  serverCpuMs: number;
  serverCpuMsPerDelivered: number;
  serverCpuMsPerSent: number;
  /** RSS and V8 heap in use, each read after a full GC (both servers run with --expose-gc). */
  baselineRssBytes: number;
  idleRssBytes: number;
  rssPerClientBytes: number;
  heapPerClientBytes: number;
  /** Each client's connections: y-websocket, plus socket.io for ours. */
  connectionsPerClient: number;
  /** How busy the bench process (all the clients) was: CPU share of one core, and its event-loop delay. */
  loadGenCpuShare: number;
  loadGenLoopDelayP99Ms: number;
  setupMs: number;
}

/**
 * Changes carry their send time: an edit or an add writes it into the note's
 * text, a move encodes it in the coordinates (x, y is a base-20000 number of
 * 0.1 ms ticks since the bench's epoch). A delete cannot carry data, so its send time
 * is kept in a map this process shares with the receivers.
 */
const EPOCH = performance.now();
const SPAN = 20_000;
/** Times travel in tenths of a millisecond (x, y then cover about eleven hours). */
const TICKS_PER_MS = 10;
const now = () => Math.round((performance.now() - EPOCH) * TICKS_PER_MS);
const encodeXY = (t: number) => ({ x: (t % SPAN) - SPAN / 2, y: Math.floor(t / SPAN) - SPAN / 2 });
const decodeXY = (x: number, y: number) => (y + SPAN / 2) * SPAN + (x + SPAN / 2);
const textTime = (text: string): number | null => {
  const match = /^[ae]:(\d+)/.exec(text);
  return match ? Number(match[1]) : null;
};

interface Seen {
  x: number;
  y: number;
  text: string;
}

interface RoomState {
  name: string;
  clients: BenchClient[];
  sent: number;
  deleteTimes: Map<string, number>;
}

export async function liveLoad(kind: 'ours' | 'reference', options: LiveOptions, log: (line: string) => void): Promise<LiveResult> {
  const setupStart = performance.now();
  let server: ServerProcess;
  let rooms: RoomState[];
  const delays: number[] = [];
  let measuring = false;
  let measureStart = Infinity;

  const makeClients = (name: string, tokens: Array<string | undefined>, actors: string[]): RoomState => ({
    name,
    clients: tokens.map(
      (token, i) =>
        new BenchClient({
          yjsUrl: server.yjsUrl,
          room: name,
          ...(token ? { token } : {}),
          ...(token && options.socketIo !== false ? { socketIoUrl: server.baseUrl } : {}),
          actor: actors[i]!,
        }),
    ),
    sent: 0,
    deleteTimes: new Map(),
  });

  if (kind === 'ours') {
    const dataDir = tempDir('howmight-live-');
    // One room more than measured: it warms the server up before the baseline.
    const [warmUp, ...provisioned] = await provision(dataDir, options.rooms + 1, options.clients);
    server = await startOurs({ dataDir });
    await fetch(`${server.baseUrl}/healthz`);
    await warm(makeClients(warmUp!.sessionId, warmUp!.participants.map((x) => x.token), warmUp!.participants.map((x) => x.participantId)));
    const baseline = await settledMemory(server);
    rooms = [];
    // Connect room by room, a few at a time, as a class arriving would.
    await inBatches(provisioned, 5, async (p) => {
      const room = makeClients(
        p.sessionId,
        p.participants.map((x) => x.token),
        p.participants.map((x) => x.participantId),
      );
      rooms.push(room);
      await Promise.all(room.clients.map((c) => c.ready()));
    });
    return measure(baseline);
  }
  server = await startReference();
  await fetch(`${server.baseUrl}/`);
  await warm(
    makeClients(
      'bench-warm-up',
      Array.from({ length: options.clients }, () => undefined),
      Array.from({ length: options.clients }, (_, c) => `w-${c}`),
    ),
  );
  const baseline = await settledMemory(server);
  rooms = [];
  await inBatches(
    Array.from({ length: options.rooms }, (_, i) => i),
    5,
    async (i) => {
      const room = makeClients(
        `bench-room-${i}`,
        Array.from({ length: options.clients }, () => undefined),
        Array.from({ length: options.clients }, (_, c) => `p${i}-${c}`),
      );
      rooms.push(room);
      await Promise.all(room.clients.map((c) => c.ready()));
    },
  );
  return measure(baseline);

  /**
   * One room's clients connect, each adds a note, and they leave: the code
   * paths of a connection are compiled (and their code is on the heap) before
   * the baseline, so the memory per client counts what each one keeps.
   */
  async function warm(room: RoomState): Promise<void> {
    await Promise.all(room.clients.map((c) => c.ready()));
    for (const [i, client] of room.clients.entries()) client.addNote(`w:${i}`, i, 0);
    await waitFor(() => room.clients.every((c) => c.board.noteCount === room.clients.length), 10_000, 50);
    for (const client of room.clients) client.close();
    await sleep(1500);
  }

  async function measure(baseline: Memory): Promise<LiveResult> {
    try {
      const total = options.rooms * options.clients;
      log(`  ${kind}: ${total} clients connected and synced`);
      // Each client owns a few notes: it edits, moves and deletes only its own.
      const owned = new Map<BenchClient, string[]>();
      for (const room of rooms) {
        for (const [i, client] of room.clients.entries()) {
          owned.set(client, [client.addNote(`n:${i}a`, i * 10, 0), client.addNote(`n:${i}b`, i * 10, 200)]);
          watch(room, client);
        }
      }
      const allSeen = await waitFor(
        () => rooms.every((room) => room.clients.every((c) => c.board.noteCount === room.clients.length * 2)),
        30_000,
        100,
      );
      if (!allSeen) log(`  ${kind}: warning: not every client saw every initial note`);
      await sleep(2000);
      const idle = await settledMemory(server);
      const setupMs = performance.now() - setupStart;

      const loop = monitorEventLoopDelay({ resolution: 5 });
      loop.enable();
      const cpuBefore = cpuMs(server.pid);
      const benchCpuBefore = process.cpuUsage();
      const wallBefore = performance.now();
      measuring = true;
      measureStart = now();
      const timers: NodeJS.Timeout[] = [];
      for (const room of rooms) {
        for (const client of room.clients) {
          const act = () => change(room, client, owned.get(client)!);
          timers.push(
            setTimeout(() => {
              act();
              timers.push(setInterval(act, options.periodMs));
            }, Math.random() * options.periodMs),
          );
        }
      }
      await sleep(options.durationMs);
      for (const t of timers) clearTimeout(t);
      measuring = false;
      const sent = rooms.reduce((n, r) => n + r.sent, 0);
      const expected = rooms.reduce((n, r) => n + r.sent * (r.clients.length - 1), 0);
      // Let the last changes arrive.
      await waitFor(() => delays.length >= expected, 5000, 50);
      const cpuAfter = cpuMs(server.pid);
      const benchCpu = process.cpuUsage(benchCpuBefore);
      const wall = performance.now() - wallBefore;
      loop.disable();
      const delivered = delays.length;
      const serverCpuMs = cpuAfter - cpuBefore;
      return {
        server: kind,
        options,
        delay: summarize(delays),
        sent,
        expected,
        delivered,
        deliveredShare: expected ? delivered / expected : NaN,
        serverCpuMs,
        serverCpuMsPerDelivered: serverCpuMs / delivered,
        serverCpuMsPerSent: serverCpuMs / sent,
        baselineRssBytes: baseline.rss,
        idleRssBytes: idle.rss,
        rssPerClientBytes: (idle.rss - baseline.rss) / total,
        heapPerClientBytes: (idle.heap - baseline.heap) / total,
        connectionsPerClient: kind === 'ours' && options.socketIo !== false ? 2 : 1,
        loadGenCpuShare: (benchCpu.user + benchCpu.system) / 1000 / wall,
        loadGenLoopDelayP99Ms: loop.percentile(99) / 1e6,
        setupMs: round(setupMs, 0),
      };
    } finally {
      for (const room of rooms) for (const client of room.clients) client.close();
      await sleep(200);
      await server.stop();
    }
  }

  function watch(room: RoomState, client: BenchClient): void {
    // Only other clients' notes change remotely: each client touches its own alone.
    const seen = new Map<string, Seen>();
    client.onRemoteNoteChange((ids) => {
      const at = now();
      for (const id of ids) {
        const note = client.note(id);
        const before = seen.get(id);
        let sentAt: number | null = null;
        if (note && !before) sentAt = textTime(note.text);
        else if (!note && before) sentAt = room.deleteTimes.get(id) ?? null;
        else if (note && before) {
          if (note.x !== before.x || note.y !== before.y) sentAt = decodeXY(note.x, note.y);
          else if (note.text !== before.text) sentAt = textTime(note.text);
        }
        if (note) seen.set(id, { x: note.x, y: note.y, text: note.text });
        else seen.delete(id);
        // Changes sent before the window (setup) do not count; those in the drain after it do.
        if (sentAt !== null && sentAt >= measureStart) delays.push((at - sentAt) / TICKS_PER_MS);
      }
    });
  }

  function change(room: RoomState, client: BenchClient, mine: string[]): void {
    if (!measuring) return;
    const t = now();
    const r = Math.random();
    const pick = () => mine[Math.floor(Math.random() * mine.length)]!;
    if (r < 0.6 && mine.length > 0) {
      const { x, y } = encodeXY(t);
      client.board.moveNote(client.origin, pick(), x, y);
    } else if (r < 0.9 && mine.length > 0) {
      client.board.editNote(client.origin, pick(), `e:${t} ${'x'.repeat(Math.floor(Math.random() * 40))}`);
    } else if (mine.length >= 3) {
      const id = mine.shift()!;
      room.deleteTimes.set(id, t);
      client.board.deleteNote(client.origin, id);
    } else {
      mine.push(client.addNote(`a:${t}`, 0, 0));
    }
    room.sent++;
  }
}

interface Memory {
  rss: number;
  heap: number;
}

/**
 * Memory once garbage is gone: a full GC (/__diag, which both servers have),
 * then the median of a few RSS samples. Without the GC, RSS per client would
 * count whatever the connecting phase left for the collector.
 */
async function settledMemory(server: ServerProcess): Promise<Memory> {
  const { heapUsed } = await diagnostics(server);
  return { rss: await steadyRss(server.pid), heap: heapUsed };
}
