import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Board, BoardOrigin } from '../shared/board/Board.ts';
import type { Note } from '../shared/board/schema.ts';
import { BenchClient } from './clients.ts';
import { cpuByPid, cpuMs, cpuSince, machineCpu, steadyRss } from './processStats.ts';
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

/** The live section's result (ours or the reference, one process each): the run's figures plus memory per client. */
export interface LiveResult extends Pick<LiveRun, SharedFigures> {
  server: 'ours' | 'reference';
  /** RSS and V8 heap in use, each read after a full GC (both servers run with --expose-gc). */
  baselineRssBytes: number;
  idleRssBytes: number;
  rssPerClientBytes: number;
  heapPerClientBytes: number;
}

type SharedFigures =
  | 'options'
  | 'delay'
  | 'sent'
  | 'expected'
  | 'delivered'
  | 'deliveredShare'
  | 'serverCpuMs'
  | 'serverCpuMsPerDelivered'
  | 'serverCpuMsPerSent'
  | 'connectionsPerClient'
  | 'loadGenCpuShare'
  | 'loadGenLoopDelayP99Ms'
  | 'setupMs';

/** What the live load needs of a client: a Board on a synced document (BenchClient, or another protocol's client). */
export interface LiveClient {
  readonly board: Board;
  readonly origin: BoardOrigin;
  ready(timeoutMs?: number): Promise<void>;
  addNote(text: string, x: number, y: number): string;
  note(id: string): Note | null;
  /** Ids of notes touched by remote transactions. */
  onRemoteNoteChange(callback: (ids: Set<string>) => void): void;
  close(): void;
}

/** One room as the target provisioned it: its document name and its participants. */
export interface RoomPlan {
  name: string;
  /** `actor` is the note author (our write guard checks it against the token's participant); `token` is ours alone. */
  participants: Array<{ actor: string; token?: string }>;
}

/** Servers started and rooms provisioned by a LiveTarget. */
export interface LiveDeployment {
  /** One room more than measured: its clients connect, write a note each and leave before the baseline. */
  warmUp: RoomPlan;
  rooms: RoomPlan[];
  /** A client for one participant, connected where this deployment sends clients (a process, or nginx). */
  connect(room: RoomPlan, participant: number): LiveClient;
  /** The server processes; their CPU is summed. */
  serverPids(): number[];
  /** Processes counted apart from the servers (nginx's master and workers). */
  proxyPids?(): number[];
  /**
   * What the servers store in and talk through (PostgreSQL's processes, Redis),
   * when they run on this machine; read at the start and the end of the window.
   * Shared: whatever else uses them at the time counts too.
   */
  backingPids?(): Promise<number[]>;
  /** Heap and RSS after a full GC (one process only). */
  memory?(): Promise<Memory>;
  /**
   * Read after every client has closed: the server process (1, 2, 3…) each
   * participant's board socket was on, by actor. Lets the delays be split by
   * whether sender and receiver were on the same process.
   */
  placement?(): Promise<Map<string, number>>;
  /** Sockets each client holds. */
  connectionsPerClient: number;
  stop(): Promise<void>;
}

/** How to start the servers, provision the rooms and where each client connects. */
export interface LiveTarget {
  label: string;
  start(options: LiveOptions, log: (line: string) => void): Promise<LiveDeployment>;
}

/** Delays split by where receiver and sender were (from LiveDeployment.placement). */
export interface PlacementSplit {
  /** Deliveries per process, sender and receiver alike (board sockets per process). */
  socketsPerProcess: number[];
  sameProcess: Summary;
  otherProcess: Summary;
  /** Deliveries whose sender or receiver could not be placed. */
  unplaced: number;
}

/** What one run of the live load measured, for any target. */
export interface LiveRun {
  target: string;
  options: LiveOptions;
  /** Propagation delay in ms, sender's change to each receiver seeing it. */
  delay: Summary;
  sent: number;
  expected: number;
  delivered: number;
  deliveredShare: number;
  serverProcesses: number;
  /** CPU summed over the server processes, over the window plus the drain. */
  serverCpuMs: number;
  serverCpuMsPerDelivered: number;
  serverCpuMsPerSent: number;
  /** nginx (master and workers), when the target has a proxy. */
  proxyCpuMs: number | null;
  proxyCpuMsPerDelivered: number | null;
  /** PostgreSQL (postmaster and all its children) and redis-server, when local (LiveDeployment.backingPids). */
  backingCpuMs: number | null;
  backingCpuMsPerDelivered: number | null;
  /** Of the whole machine over the window plus the drain, in cores (of `cores`): busy, and waiting on I/O. */
  machineBusyCores: number;
  machineIowaitCores: number;
  memory: { baseline: Memory; idle: Memory } | null;
  split: PlacementSplit | null;
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
  plan: RoomPlan;
  clients: LiveClient[];
  /** Each client's number in `actors`, in the order of `clients`. */
  indexes: number[];
  sent: number;
  deleteTimes: Map<string, number>;
}

/** Our server (one process, SQLite) or the stock y-websocket server: the `live` section. */
export async function liveLoad(kind: 'ours' | 'reference', options: LiveOptions, log: (line: string) => void): Promise<LiveResult> {
  const run = await runLive(kind === 'ours' ? oursTarget : referenceTarget, options, log);
  const { baseline, idle } = run.memory!;
  const total = options.rooms * options.clients;
  return {
    server: kind,
    options,
    delay: run.delay,
    sent: run.sent,
    expected: run.expected,
    delivered: run.delivered,
    deliveredShare: run.deliveredShare,
    serverCpuMs: run.serverCpuMs,
    serverCpuMsPerDelivered: run.serverCpuMsPerDelivered,
    serverCpuMsPerSent: run.serverCpuMsPerSent,
    baselineRssBytes: baseline.rss,
    idleRssBytes: idle.rss,
    rssPerClientBytes: (idle.rss - baseline.rss) / total,
    heapPerClientBytes: (idle.heap - baseline.heap) / total,
    connectionsPerClient: run.connectionsPerClient,
    loadGenCpuShare: run.loadGenCpuShare,
    loadGenLoopDelayP99Ms: run.loadGenLoopDelayP99Ms,
    setupMs: run.setupMs,
  };
}

/** Our server, one process on SQLite (a temp data dir provisioned before it starts). */
const oursTarget: LiveTarget = {
  label: 'ours',
  async start(options) {
    const dataDir = tempDir('howmight-live-');
    const [warmUp, ...provisioned] = await provision(dataDir, options.rooms + 1, options.clients);
    const server = await startOurs({ dataDir });
    await fetch(`${server.baseUrl}/healthz`);
    return singleProcess(server, provisionedRooms([warmUp!])[0]!, provisionedRooms(provisioned), options, server.yjsUrl, server.baseUrl);
  },
};

/** The stock y-websocket server: rooms by name, no tokens. */
const referenceTarget: LiveTarget = {
  label: 'reference',
  async start(options) {
    const server = await startReference();
    await fetch(`${server.baseUrl}/`);
    const plans = namedRooms(options);
    return singleProcess(server, plans.warmUp, plans.rooms, options, server.yjsUrl, null);
  },
};

/** Rooms named `bench-room-<i>` (and a warm-up room) with made-up actors, for servers without sessions. */
export function namedRooms(options: LiveOptions): { warmUp: RoomPlan; rooms: RoomPlan[] } {
  const actors = (prefix: string) => Array.from({ length: options.clients }, (_, c) => ({ actor: `${prefix}-${c}` }));
  return {
    warmUp: { name: 'bench-warm-up', participants: actors('w') },
    rooms: Array.from({ length: options.rooms }, (_, i) => ({ name: `bench-room-${i}`, participants: actors(`p${i}`) })),
  };
}

/** Provisioned sessions of ours as rooms: the session id names the document, each participant has a token. */
export function provisionedRooms(rooms: Array<{ sessionId: string; participants: Array<{ participantId: string; token: string }> }>): RoomPlan[] {
  return rooms.map((r) => ({ name: r.sessionId, participants: r.participants.map((p) => ({ actor: p.participantId, token: p.token })) }));
}

/**
 * A BenchClient per participant on `yjsUrl` (plus socket.io on `socketIoUrl`
 * when given, the participant has a token and options.socketIo is not false).
 */
export function benchClientFor(yjsUrl: string, socketIoUrl: string | null, options: LiveOptions) {
  return (room: RoomPlan, participant: number): LiveClient => {
    const { actor, token } = room.participants[participant]!;
    return new BenchClient({
      yjsUrl,
      room: room.name,
      ...(token ? { token } : {}),
      ...(token && socketIoUrl && options.socketIo !== false ? { socketIoUrl } : {}),
      actor,
    });
  };
}

/** A deployment of one server process of bench/servers.ts (memory read through its /__diag). */
function singleProcess(
  server: ServerProcess,
  warmUp: RoomPlan,
  rooms: RoomPlan[],
  options: LiveOptions,
  yjsUrl: string,
  socketIoUrl: string | null,
): LiveDeployment {
  return {
    warmUp,
    rooms,
    connect: benchClientFor(yjsUrl, socketIoUrl, options),
    serverPids: () => [server.pid],
    memory: () => settledMemory(server),
    connectionsPerClient: socketIoUrl && options.socketIo !== false ? 2 : 1,
    stop: () => server.stop(),
  };
}

/**
 * The live load against any target: every room's clients connect (five rooms
 * at a time), each adds two notes, then for `durationMs` each makes one change
 * every `periodMs` (60% move, 30% edit, 10% add or delete, only its own
 * notes) and every receiver records the delay.
 */
export async function runLive(target: LiveTarget, options: LiveOptions, log: (line: string) => void): Promise<LiveRun> {
  const setupStart = performance.now();
  const deployment = await target.start(options, log);
  const rooms: RoomState[] = [];
  /** Every client's actor, by its number. */
  const actors: string[] = [];
  /** The number of the client that made each note: only its maker changes it. */
  const maker = new Map<string, number>();
  const delays: number[] = [];
  const senders: number[] = [];
  const receivers: number[] = [];
  let measuring = false;
  let measureStart = Infinity;

  const makeClients = (plan: RoomPlan): RoomState => ({
    plan,
    clients: plan.participants.map((_, i) => deployment.connect(plan, i)),
    indexes: plan.participants.map((p) => actors.push(p.actor) - 1),
    sent: 0,
    deleteTimes: new Map(),
  });
  const addNote = (room: RoomState, i: number, text: string, x: number, y: number): string => {
    const id = room.clients[i]!.addNote(text, x, y);
    maker.set(id, room.indexes[i]!);
    return id;
  };

  let closed = false;
  const closeClients = async () => {
    if (closed) return;
    closed = true;
    for (const room of rooms) for (const client of room.clients) client.close();
    await sleep(200);
  };
  try {
    await warm(makeClients(deployment.warmUp));
    const baseline = deployment.memory ? await deployment.memory() : null;
    // Connect room by room, a few at a time, as a class arriving would.
    await inBatches(deployment.rooms, 5, async (plan) => {
      const room = makeClients(plan);
      rooms.push(room);
      await Promise.all(room.clients.map((c) => c.ready()));
    });
    const run = await measure(baseline);
    await closeClients();
    if (deployment.placement) run.split = splitByPlacement(await deployment.placement());
    return run;
  } finally {
    await closeClients();
    await deployment.stop();
  }

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

  async function measure(baseline: Memory | null): Promise<LiveRun> {
    const total = options.rooms * options.clients;
    log(`  ${target.label}: ${total} clients connected and synced`);
    // Each client owns a few notes: it edits, moves and deletes only its own.
    const owned = new Map<LiveClient, string[]>();
    for (const room of rooms) {
      for (const [i, client] of room.clients.entries()) {
        owned.set(client, [addNote(room, i, `n:${i}a`, i * 10, 0), addNote(room, i, `n:${i}b`, i * 10, 200)]);
        watch(room, i);
      }
    }
    const allSeen = await waitFor(
      () => rooms.every((room) => room.clients.every((c) => c.board.noteCount === room.clients.length * 2)),
      30_000,
      100,
    );
    if (!allSeen) log(`  ${target.label}: warning: not every client saw every initial note`);
    await sleep(2000);
    const idle = deployment.memory ? await deployment.memory() : null;
    const setupMs = performance.now() - setupStart;

    const serverPids = deployment.serverPids();
    const proxyPids = deployment.proxyPids?.() ?? [];
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const cpuBefore = sumCpu(serverPids);
    const proxyBefore = sumCpu(proxyPids);
    const backingBefore = deployment.backingPids ? cpuByPid(await deployment.backingPids()) : null;
    const machineBefore = machineCpu();
    const benchCpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    measuring = true;
    measureStart = now();
    const timers: NodeJS.Timeout[] = [];
    for (const room of rooms) {
      for (const [i, client] of room.clients.entries()) {
        const act = () => change(room, i, owned.get(client)!);
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
    const cpuAfter = sumCpu(serverPids);
    const proxyAfter = sumCpu(proxyPids);
    const machineAfter = machineCpu();
    const backingCpuMs = backingBefore && deployment.backingPids ? cpuSince(backingBefore, cpuByPid(await deployment.backingPids())) : null;
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const wall = performance.now() - wallBefore;
    loop.disable();
    const delivered = delays.length;
    const serverCpuMs = cpuAfter - cpuBefore;
    const proxyCpuMs = proxyPids.length ? proxyAfter - proxyBefore : null;
    return {
      target: target.label,
      options,
      delay: summarize(delays),
      sent,
      expected,
      delivered,
      deliveredShare: expected ? delivered / expected : NaN,
      serverProcesses: serverPids.length,
      serverCpuMs,
      serverCpuMsPerDelivered: serverCpuMs / delivered,
      serverCpuMsPerSent: serverCpuMs / sent,
      proxyCpuMs,
      proxyCpuMsPerDelivered: proxyCpuMs === null ? null : proxyCpuMs / delivered,
      backingCpuMs,
      backingCpuMsPerDelivered: backingCpuMs === null ? null : backingCpuMs / delivered,
      machineBusyCores: (machineAfter.busyMs - machineBefore.busyMs) / wall,
      machineIowaitCores: (machineAfter.iowaitMs - machineBefore.iowaitMs) / wall,
      memory: baseline && idle ? { baseline, idle } : null,
      split: null,
      connectionsPerClient: deployment.connectionsPerClient,
      loadGenCpuShare: (benchCpu.user + benchCpu.system) / 1000 / wall,
      loadGenLoopDelayP99Ms: loop.percentile(99) / 1e6,
      setupMs: round(setupMs, 0),
    };
  }

  function watch(room: RoomState, i: number): void {
    const client = room.clients[i]!;
    const receiver = room.indexes[i]!;
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
        if (sentAt !== null && sentAt >= measureStart) {
          delays.push((at - sentAt) / TICKS_PER_MS);
          senders.push(maker.get(id) ?? -1);
          receivers.push(receiver);
        }
      }
    });
  }

  function change(room: RoomState, i: number, mine: string[]): void {
    if (!measuring) return;
    const client = room.clients[i]!;
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
      mine.push(addNote(room, i, `a:${t}`, 0, 0));
    }
    room.sent++;
  }

  function splitByPlacement(placement: Map<string, number>): PlacementSplit {
    const processOf = (index: number) => (index >= 0 ? placement.get(actors[index]!) : undefined);
    const same: number[] = [];
    const other: number[] = [];
    let unplaced = 0;
    for (let k = 0; k < delays.length; k++) {
      const from = processOf(senders[k]!);
      const to = processOf(receivers[k]!);
      if (from === undefined || to === undefined) unplaced++;
      else (from === to ? same : other).push(delays[k]!);
    }
    const socketsPerProcess: number[] = [];
    for (const room of rooms) {
      for (const index of room.indexes) {
        const p = processOf(index);
        if (p !== undefined) socketsPerProcess[p - 1] = (socketsPerProcess[p - 1] ?? 0) + 1;
      }
    }
    return { socketsPerProcess: Array.from(socketsPerProcess, (n) => n ?? 0), sameProcess: summarize(same), otherProcess: summarize(other), unplaced };
  }
}

function sumCpu(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
}

export interface Memory {
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
