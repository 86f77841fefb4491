import * as encoding from 'lib0/encoding';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { Board } from '../shared/board/Board.ts';
import { cpuMs } from './processStats.ts';
import { provision, type ProvisionedRoom } from './provision.ts';
import { startOurs, startReference, tempDir, type ServerProcess } from './servers.ts';
import { inBatches, round, sleep, summarize, waitFor, type Summary } from './stats.ts';
import { yjsProtocols } from '../shared/yjsProtocols.ts';

export interface CapacityOptions {
  /** Concurrent meetings at each step of the ramp, ascending. */
  steps: number[];
  /** Writers per meeting (each meeting also has a projector). */
  people: number;
  /** Each writer moves its note once per period. */
  periodMs: number;
  /** Load per step, once every meeting of the step is connected. */
  stepMs: number;
  /** A step passes when its delay p99 is under this… */
  p99LimitMs: number;
  /** …and at least this share of the changes reached the recording sockets. */
  minDeliveredShare: number;
  /** After the first failing step, this many bisection steps between it and the last passing one. */
  refine: number;
  /** Give each of our participants and projectors an idle socket.io connection too, as a browser has (default). */
  socketIo?: boolean;
}

export interface CapacityStep {
  meetings: number;
  /** WebSockets open to the server (y-websocket, plus socket.io for ours). */
  sockets: number;
  /** Changes sent in the step's window. */
  sent: number;
  /** Deliveries the recording sockets (each meeting's projector and first participant) should see. */
  expected: number;
  delivered: number;
  deliveredShare: number;
  /** Delay from the generator's send to a recording socket's receipt (ms). */
  delay: Summary;
  /** Update frames every y-websocket socket of the generator received in the window, per second. */
  relayedPerSecond: number;
  /** Server CPU over the window and its drain, as a share of one core. */
  serverCpuShare: number;
  loadGenCpuShare: number;
  loadGenLoopDelayP99Ms: number;
  /** Sockets the server closed during the step. */
  socketsClosed: number;
  /** Time to connect and sync this step's new meetings and have their notes relayed (ms). */
  connectMs: number;
  passed: boolean;
  /** Why the step failed, when it did. */
  failure: string | null;
}

export interface CapacityResult {
  server: 'ours' | 'reference';
  options: CapacityOptions;
  steps: CapacityStep[];
  /** The largest step that passed (0 if none did). */
  capacity: number;
  /** Every step passed: the capacity is at least the last step, the ramp found no limit. */
  reachedTop: boolean;
  connectionsPerParticipant: number;
}

/**
 * A raw-socket load generator: no Y.Doc per client and no y-websocket
 * provider. Each writer's updates are made off the clock with the real Board
 * on a scratch Y.Doc that carries the writer's own client id, and sent as
 * pre-encoded y-websocket frames. A relayed update is recognised by the
 * (client, clock) of its first struct, read from the frame's header alone.
 */

const MESSAGE_SYNC = 0;
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;
/** Our sync step 1 with an empty state vector, and our step 2 with an empty update ([0 clients, empty delete set]). */
const STEP1_EMPTY = Buffer.from([MESSAGE_SYNC, SYNC_STEP1, 1, 0]);
const STEP2_EMPTY = Buffer.from([MESSAGE_SYNC, SYNC_STEP2, 2, 0, 0]);
/** A key is client * CLOCK_SPAN + clock; a writer's clock stays far below this over a run. */
const CLOCK_SPAN = 2 ** 20;
/** The first client id; writers are numbered from here, so ids never collide within a meeting. */
const FIRST_CLIENT = 1000;
/** Unmeasured load before the first step. */
const WARM_UP_MS = 3000;
/** The sending timer's granularity. */
const BUCKET_MS = 5;

/** The key `updateKey` reads for a struct of `client` at `clock`. */
export const keyOf = (client: number, clock: number): number => client * CLOCK_SPAN + clock;

function frameOf(update: Uint8Array): Buffer {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, SYNC_UPDATE);
  encoding.writeVarUint8Array(encoder, update);
  return Buffer.from(encoding.toUint8Array(encoder));
}

/**
 * (client, clock) of the first struct group of a sync-update frame as one
 * number, or -1 for any other frame or an update without structs. Reads only
 * varuints: message type, sync type, the payload's length, then the update's
 * number of clients, number of structs, client id and clock (Yjs update v1).
 */
export function updateKey(frame: Uint8Array): number {
  if (frame.length < 6 || frame[0] !== MESSAGE_SYNC || frame[1] !== SYNC_UPDATE) return -1;
  let pos = 2;
  const varUint = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (pos >= frame.length) return -1;
      const byte = frame[pos++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
  };
  if (varUint() < 0) return -1; // payload length
  const clients = varUint();
  if (clients <= 0) return -1;
  if (varUint() < 0) return -1; // structs of the first client
  const client = varUint();
  const clock = varUint();
  if (client < 0 || clock < 0 || clock >= CLOCK_SPAN) return -1;
  return keyOf(client, clock);
}

/** One person at the meeting: a raw y-websocket socket, a note of their own, and the moves to send. */
class Writer {
  readonly doc: Y.Doc;
  readonly board: Board;
  readonly noteId: string;
  readonly createFrame: Buffer;
  private readonly frames: Buffer[] = [];
  private readonly keys: number[] = [];
  private next = 0;
  private moves = 0;
  ws: WebSocket | null = null;

  constructor(
    readonly clientId: number,
    readonly actor: string,
    readonly meeting: Meeting,
  ) {
    this.doc = new Y.Doc();
    this.doc.clientID = clientId;
    this.board = new Board(this.doc);
    const made: Uint8Array[] = [];
    const keep = (update: Uint8Array) => made.push(update);
    this.doc.on('update', keep);
    this.noteId = this.board.addNote({ actor }, { text: `Note of ${actor}`, x: -1000, y: -1000 });
    this.doc.off('update', keep);
    if (made.length !== 1) throw new Error(`adding a note made ${made.length} updates, expected one`);
    this.createFrame = frameOf(made[0]!);
    this.doc.on('update', (update: Uint8Array) => {
      const frame = frameOf(update);
      this.frames.push(frame);
      this.keys.push(updateKey(frame));
    });
  }

  /** Makes moves (off the clock) until `count` are queued; each changes both x and y. */
  topUp(count: number): void {
    if (this.next > 0) {
      this.frames.splice(0, this.next);
      this.keys.splice(0, this.next);
      this.next = 0;
    }
    while (this.frames.length < count) {
      const k = ++this.moves;
      this.board.moveNote({ actor: this.actor }, this.noteId, ((k * 37) % 2000) - 1000, ((k * 53) % 2000) - 1000);
    }
  }

  /** Sends the next move; returns its key, or -1 if none was queued. */
  send(): number {
    const frame = this.frames[this.next];
    if (!frame || !this.ws || this.ws.readyState !== WebSocket.OPEN) return -1;
    const key = this.keys[this.next++]!;
    this.ws.send(frame);
    return key;
  }
}

interface Meeting {
  index: number;
  docName: string;
  projectorToken?: string;
  tokens?: string[];
  writers: Writer[];
  projector: WebSocket | null;
  ios: Socket[];
  /** Updates the projector has seen at all (setup included): shows the notes arrived. */
  projectorUpdates: number;
  sent: number;
  sentByRecorder: number;
}

export async function capacity(kind: 'ours' | 'reference', options: CapacityOptions, log: (line: string) => void): Promise<CapacityResult> {
  const useIo = kind === 'ours' && options.socketIo !== false;
  const maxMeetings = Math.max(...options.steps);
  let server: ServerProcess;
  let provisioned: ProvisionedRoom[] = [];
  if (kind === 'ours') {
    const dataDir = tempDir('howmight-capacity-');
    const started = performance.now();
    provisioned = await provision(dataDir, maxMeetings, options.people);
    log(`  ours: provisioned ${maxMeetings} sessions x ${options.people} participants in ${Math.round(performance.now() - started)} ms`);
    server = await startOurs({ dataDir });
    await fetch(`${server.baseUrl}/healthz`);
  } else {
    server = await startReference();
    await fetch(`${server.baseUrl}/`);
  }
  await sleep(500);

  const meetings: Meeting[] = [];
  const sentAt = new Map<number, number>();
  let delays: number[] = [];
  let recording = false;
  let relayed = 0;
  let closedByServer = 0;
  let firstClose = '';
  let closing = false;
  /** Sockets the generator closed itself (meetings dropped while bisecting): their close is no failure. */
  const dropped = new WeakSet<WebSocket>();
  let nextClient = FIRST_CLIENT;

  /**
   * Opens a raw socket and does the minimal handshake: our step 1 (empty
   * state vector) on open, an empty step 2 in answer to the server's step 1;
   * resolves when the server's step 2 (the document) has arrived. `onFrame`
   * takes every frame after that.
   */
  const openSocket = (docName: string, token: string | undefined, onFrame: (data: Buffer) => void): Promise<WebSocket> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(`${server.yjsUrl}/${docName}`, token ? yjsProtocols(token) : [], { perMessageDeflate: false });
      let synced = false;
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`${kind}: a socket to ${docName} did not sync in 30 s`));
      }, 30_000);
      ws.on('open', () => ws.send(STEP1_EMPTY));
      ws.on('message', (data: Buffer) => {
        if (synced) return onFrame(data);
        if (data[0] !== MESSAGE_SYNC) return;
        if (data[1] === SYNC_STEP1) ws.send(STEP2_EMPTY);
        else if (data[1] === SYNC_STEP2) {
          synced = true;
          clearTimeout(timer);
          resolve(ws);
        }
      });
      ws.on('error', (err) => {
        clearTimeout(timer);
        if (!synced) reject(new Error(`${kind}: socket to ${docName}: ${err.message}`));
      });
      ws.on('close', (code, reason) => {
        clearTimeout(timer);
        if (!synced) reject(new Error(`${kind}: socket to ${docName} closed (${code} ${reason.toString()}) before syncing`));
        else if (!closing && !dropped.has(ws)) {
          closedByServer++;
          firstClose ||= `${code} ${reason.toString()}`;
        }
      });
    });

  const openIo = (token: string): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const socket = io(server.baseUrl, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
      const timer = setTimeout(() => reject(new Error(`${kind}: socket.io not welcomed in 30 s`)), 30_000);
      socket.once('welcome', () => {
        clearTimeout(timer);
        resolve(socket);
      });
      socket.once('connect_error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });

  /** A recording socket: decodes the header of each update and looks up its send time. */
  const recorder = (own: number) => (data: Buffer) => {
    if (data[0] !== MESSAGE_SYNC || data[1] !== SYNC_UPDATE) return;
    relayed++;
    if (!recording) return;
    const key = updateKey(data);
    if (key < 0 || Math.floor(key / CLOCK_SPAN) === own) return;
    const at = sentAt.get(key);
    if (at !== undefined) delays.push(performance.now() - at);
  };
  const counter = (data: Buffer) => {
    if (data[0] === MESSAGE_SYNC && data[1] === SYNC_UPDATE) relayed++;
  };

  const addMeetings = async (count: number): Promise<void> => {
    const fresh: Meeting[] = [];
    for (let i = 0; i < count; i++) {
      const index = meetings.length;
      const p = provisioned[index];
      const meeting: Meeting = {
        index,
        docName: p ? p.sessionId : `capacity-${index}`,
        writers: [],
        projector: null,
        ios: [],
        projectorUpdates: 0,
        sent: 0,
        sentByRecorder: 0,
      };
      if (p) {
        meeting.projectorToken = p.projectorToken;
        meeting.tokens = p.participants.map((x) => x.token);
      }
      for (let w = 0; w < options.people; w++) meeting.writers.push(new Writer(nextClient++, p ? p.participants[w]!.participantId : `p${index}.${w}`, meeting));
      meetings.push(meeting);
      fresh.push(meeting);
    }
    // Meeting by meeting, a few at a time, as rooms fill when a session starts.
    await inBatches(fresh, 5, async (m) => {
      const projectorFrames = recorder(-1);
      m.projector = await openSocket(m.docName, m.projectorToken, (data) => {
        if (data[0] === MESSAGE_SYNC && data[1] === SYNC_UPDATE) m.projectorUpdates++;
        projectorFrames(data);
      });
      if (useIo) m.ios.push(await openIo(m.projectorToken!));
      await Promise.all(
        m.writers.map(async (w, i) => {
          w.ws = await openSocket(m.docName, m.tokens?.[i], i === 0 ? recorder(w.clientId) : counter);
          if (useIo) m.ios.push(await openIo(m.tokens![i]!));
        }),
      );
      for (const w of m.writers) w.ws!.send(w.createFrame);
    });
    const arrived = await waitFor(() => fresh.every((m) => m.projectorUpdates >= options.people), 30_000, 50);
    if (!arrived) throw new Error(`${kind}: not every projector saw its meeting's ${options.people} notes (${firstClose || 'no socket closed'})`);
  };

  /** Ends the last meetings: their sockets close, and the server unloads their rooms. */
  const dropMeetings = (count: number): void => {
    for (const m of meetings.splice(meetings.length - count, count)) {
      for (const ws of [m.projector, ...m.writers.map((w) => w.ws)]) {
        if (!ws) continue;
        dropped.add(ws);
        ws.close();
      }
      for (const w of m.writers) w.doc.destroy();
      for (const socket of m.ios) socket.disconnect();
    }
  };

  const steps: CapacityStep[] = [];

  /** Sends each bucket's writers' next move at its time for `durationMs`, recording each send time by key. */
  const drive = (buckets: Writer[][], durationMs: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      let due = 0;
      const tick = () => {
        const now = performance.now();
        const end = Math.min(now, t0 + durationMs);
        while (t0 + due * BUCKET_MS <= end) {
          for (const w of buckets[due % buckets.length]!) {
            const at = performance.now();
            const key = w.send();
            if (key < 0) continue;
            sentAt.set(key, at);
            w.meeting.sent++;
            if (w === w.meeting.writers[0]) w.meeting.sentByRecorder++;
          }
          due++;
        }
        if (now >= t0 + durationMs) resolve();
        else setTimeout(tick, BUCKET_MS);
      };
      tick();
    });

  const runStep = async (target: number): Promise<CapacityStep> => {
    const connectStart = performance.now();
    let failure: string | null = null;
    try {
      if (target < meetings.length) dropMeetings(meetings.length - target);
      else await addMeetings(target - meetings.length);
    } catch (err) {
      failure = `connecting failed: ${(err as Error).message}`;
    }
    const connectMs = performance.now() - connectStart;
    const writers = meetings.flatMap((m) => m.writers);
    // The first step starts with a short unmeasured load: a fresh server process compiles and warms up its hot path then.
    const warmUpMs = steps.length === 0 ? WARM_UP_MS : 0;
    const movesPerWriter = Math.ceil((options.stepMs + warmUpMs) / options.periodMs) + 2;
    for (const w of writers) w.topUp(movesPerWriter);
    const closedBefore = closedByServer;
    // Let the connection storm settle before the clock starts, and our server
    // check the new rooms' records (Rooms' inspectAfterMs, 2 s after a load).
    await sleep(3000);

    // Each writer sends at its own phase; one timer walks 5 ms buckets of the period.
    const buckets: Writer[][] = Array.from({ length: Math.ceil(options.periodMs / BUCKET_MS) }, () => []);
    for (const w of writers) buckets[Math.floor(Math.random() * buckets.length)]!.push(w);
    if (warmUpMs > 0) {
      await drive(buckets, warmUpMs);
      await sleep(1000);
    }
    for (const m of meetings) {
      m.sent = 0;
      m.sentByRecorder = 0;
    }
    sentAt.clear();
    delays = [];
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const serverCpuBefore = cpuMs(server.pid);
    const genCpuBefore = process.cpuUsage();
    const relayedBefore = relayed;
    const t0 = performance.now();
    recording = true;
    await drive(buckets, options.stepMs);
    const sent = meetings.reduce((n, m) => n + m.sent, 0);
    // The projector sees every change; the recording participant every change but its own.
    const expected = meetings.reduce((n, m) => n + 2 * m.sent - m.sentByRecorder, 0);
    await waitFor(() => delays.length >= expected, 5000, 20);
    recording = false;
    const wall = performance.now() - t0;
    const serverCpu = cpuMs(server.pid) - serverCpuBefore;
    const genCpu = process.cpuUsage(genCpuBefore);
    loop.disable();
    const delay = summarize(delays);
    const deliveredShare = expected ? delays.length / expected : 0;
    if (!failure) {
      if (!(delay.p99 < options.p99LimitMs)) failure = `p99 ${round(delay.p99)} ms`;
      else if (deliveredShare < options.minDeliveredShare) failure = `delivered ${round(deliveredShare, 3)}`;
    }
    return {
      meetings: meetings.length,
      sockets: meetings.reduce((n, m) => n + 1 + m.writers.length + m.ios.length, 0),
      sent,
      expected,
      delivered: delays.length,
      deliveredShare,
      delay,
      relayedPerSecond: round(((relayed - relayedBefore) * 1000) / wall, 0),
      serverCpuShare: round(serverCpu / wall, 3),
      loadGenCpuShare: round((genCpu.user + genCpu.system) / 1000 / wall, 3),
      loadGenLoopDelayP99Ms: round(loop.percentile(99) / 1e6, 1),
      socketsClosed: closedByServer - closedBefore,
      connectMs: round(connectMs, 0),
      passed: failure === null,
      failure,
    };
  };

  const report = (step: CapacityStep) => {
    const d = step.delay;
    log(
      `  ${kind} ${step.meetings} meetings (${step.sockets} sockets): delay p50 ${round(d.p50)} p95 ${round(d.p95)} p99 ${round(d.p99)} ms, ` +
          `delivered ${round(step.deliveredShare, 3)} of ${step.expected}, ${step.relayedPerSecond} relayed/s, server CPU ${step.serverCpuShare} core, ` +
          `generator ${step.loadGenCpuShare} core (loop p99 ${step.loadGenLoopDelayP99Ms} ms)${step.socketsClosed ? `, ${step.socketsClosed} sockets closed (${firstClose})` : ''}: ` +
          `${step.passed ? 'ok' : `FAILED (${step.failure})`}`,
    );
    if (step.loadGenCpuShare > 0.8 || step.loadGenLoopDelayP99Ms > 50) log(`  ${kind}: warning: the generator's event loop lagged (busy, or starved of CPU by other processes); this step's delays include its own queueing`);
  };
  const run = async (target: number) => {
    const step = await runStep(target);
    steps.push(step);
    report(step);
    return step;
  };
  try {
    let passing = 0;
    let failing: CapacityStep | null = null;
    for (const target of options.steps) {
      const step = await run(target);
      if (!step.passed) {
        failing = step;
        break;
      }
      passing = target;
    }
    // Between the last step that passed and the first that failed, a few bisection steps (meetings are dropped or added).
    let hi = failing?.meetings ?? 0;
    const connected = failing !== null && !failing.failure?.startsWith('connecting');
    for (let r = 0; connected && r < options.refine && hi - passing > 1; r++) {
      const mid = Math.round((passing + hi) / 2);
      const step = await run(mid);
      if (step.passed) passing = mid;
      else hi = mid;
    }
  } finally {
    closing = true;
    for (const m of meetings) {
      m.projector?.terminate();
      for (const w of m.writers) {
        w.ws?.terminate();
        w.doc.destroy();
      }
      for (const s of m.ios) s.disconnect();
    }
    await sleep(200);
    await server.stop();
  }
  return {
    server: kind,
    options,
    steps,
    capacity: Math.max(0, ...steps.filter((s) => s.passed).map((s) => s.meetings)),
    reachedTop: steps.length === options.steps.length && steps.every((s) => s.passed),
    connectionsPerParticipant: useIo ? 2 : 1,
  };
}
