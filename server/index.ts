import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Server } from 'socket.io';
import { Redis } from 'ioredis';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Bus } from './bus/Bus.ts';
import { RedisBus } from './bus/RedisBus.ts';
import { ControlService } from './control/ControlService.ts';
import { attachControl, DEFAULT_CONTROL_LIMITS, type ControlLimits, type ControlServer } from './control/controlSocket.ts';
import { Presence } from './control/Presence.ts';
import { DraftProgress } from './control/DraftProgress.ts';
import { revealDrafts } from './control/revealDrafts.ts';
import { revealCards } from './control/revealCards.ts';
import { AnonymousNotes } from './control/anonymousNotes.ts';
import type { Config } from './config.ts';
import { DEFAULT_PDF_OPTIONS, PdfRenderer, type PdfRendererOptions } from './export/PdfRenderer.ts';
import type { ApiDeps } from './http/apiRouter.ts';
import { createHttpApp } from './http/createHttpApp.ts';
import { requestChecker, type Refusal } from './http/originCheck.ts';
import { deleteSession } from './sessions/deleteSession.ts';
import { carryForward } from './sessions/carryForward.ts';
import { JoinGuesses } from './sessions/JoinGuesses.ts';
import { SessionService } from './sessions/SessionService.ts';
import { CohortService } from './year/CohortService.ts';
import { MeetingService } from './year/MeetingService.ts';
import { deleteCohort } from './year/deleteCohort.ts';
import { PlaylistService } from './year/PlaylistService.ts';
import { removeMember } from './year/removeMember.ts';
import { closeMemberSockets } from './year/closeMemberSockets.ts';
import { startRetention } from './year/retention.ts';
import { PracticeLog } from './year/PracticeLog.ts';
import { PulseService } from './year/PulseService.ts';
import { BreakoutService } from './year/BreakoutService.ts';
import { gatherLog } from './year/gatherLog.ts';
import { attachYearSocket, type YearNotifier } from './year/yearSocket.ts';
import { DATABASE_FILE_NAME, DEFAULT_SQLITE_OPTIONS, SqliteStore, type SqliteStoreOptions } from './storage/sqlite/SqliteStore.ts';
import { PgStore } from './storage/postgres/PgStore.ts';
import { DEFAULT_ROOMS_OPTIONS, Rooms, type RoomsOptions } from './sync/Rooms.ts';
import { createYjsUpgrade } from './sync/yjsUpgrade.ts';

export interface RunningServer {
  port: number;
  url: string;
  /** SQLite under dataDir, or PostgreSQL when DATABASE_URL is set. */
  store: SqliteStore | PgStore;
  rooms: Rooms;
  io: ControlServer;
  /** The bus to the other processes (REDIS_URL), or null for one process. */
  bus: Bus | null;
  pdf: PdfRenderer;
  /** Runs the retention sweep now (tests; it also runs at start and every six hours). */
  sweepRetention(): Promise<string[]>;
  /** Flushes every room, closes every socket and the database. */
  close(): Promise<void>;
}

/** Caps well below the libraries' defaults (ws: 100 MiB, socket.io: 1 MB). */
export const LIMITS_TRANSPORT = {
  yjsFrameBytes: 2 * 1024 * 1024,
  socketIoPacketBytes: 16 * 1024,
} as const;

/** Knobs tests and benchmarks may turn; production uses the defaults. */
export interface ServerTuning {
  rooms?: Partial<RoomsOptions>;
  control?: Partial<ControlLimits>;
  /** SQLite's knobs; none apply to PostgreSQL. */
  store?: Partial<SqliteStoreOptions>;
  pdf?: Partial<PdfRendererOptions>;
  joinLimits?: ApiDeps['joinLimits'];
}

/** The composition root: wires store, HTTP, control and sync together and listens. */
export async function startServer(config: Config, tuning: ServerTuning = {}): Promise<RunningServer> {
  const log = (message: string) => console.log(`[howmight] ${message}`);
  const store = config.databaseUrl
    ? await PgStore.open(config.databaseUrl)
    : new SqliteStore(path.join(config.dataDir, DATABASE_FILE_NAME), { ...DEFAULT_SQLITE_OPTIONS, ...tuning.store });
  const bus = config.redisUrl ? await openBus(config.redisUrl, config.redisPrefix, log, store) : null;
  const sessions = new SessionService(store.sessions);
  // With several processes, who is online is asked of every process (socket.io's adapter); `io` is made below.
  const presence = new Presence(store.sessions, bus && ((sessionId) => onlineEverywhere(io, bus, sessionId)));
  const control: ControlService = new ControlService(store.sessions, presence, {
    revealDrafts: (sessionId, state) => revealDrafts(store.sessions, rooms, sessionId, { anonymous: state.anonymous }),
    revealCards: (sessionId, state) => revealCards(store.sessions, rooms, sessionId, state.presenterId),
    gatherLog: (sessionId) => gatherLog({ cohorts: store.cohorts, log: practiceLog, rooms }, sessionId),
    featureResource: (sessionId, _state, command) => playlists.feature(sessionId, command.type === 'feature' ? command.resource : null),
  });
  const playlists = new PlaylistService(store.playlists, store.cohorts);
  // The write guard reads the control state on every update: from the control service's memory, loaded before a room opens.
  const rooms = new Rooms(
    store.documents,
    { ...DEFAULT_ROOMS_OPTIONS, refusalBackoffMs: config.refusalBackoffMs, ...tuning.rooms },
    log,
    (sessionId) => ({ control: control.current(sessionId), now: Date.now() }),
    (sessionId) => control.load(sessionId),
    bus,
  );
  if (bus) {
    control.onSaved = (sessionId, state) => bus.notify({ type: 'control', sessionId, version: state.version });
    bus.onNotice = (notice) => {
      if (notice.type === 'control') {
        control.refresh(notice.sessionId, notice.version).catch((err: Error) => log(`reading the control state failed: ${err.message}`));
        return;
      }
      // Deleted on another process: its rows are gone; the rooms here close without saving.
      rooms.dropSession(notice.sessionId);
      presence.forget(notice.sessionId);
      control.forget(notice.sessionId);
      draftProgress.forget(notice.sessionId);
    };
    // Back after an outage: what was published meanwhile may be lost. Rooms read their
    // documents' missing rows; states changed elsewhere go to this process's sockets,
    // whose broadcast from the other process the adapter may have lost too.
    bus.onReconnect = () => {
      rooms.catchUpAll();
      control.refreshAll().then(
        (changed) => {
          for (const { sessionId, state } of changed) io.local.to(sessionId).emit('control', { control: state, serverTime: Date.now() });
        },
        (err: Error) => log(`reading control states after the bus came back failed: ${err.message}`),
      );
    };
  }
  // Reports go to the control plane's facilitator room, set up below.
  const draftProgress = new DraftProgress({
    rooms,
    sessions: store.sessions,
    presentIds: (sessionId) => presence.presentIds(sessionId),
    control: async (sessionId) => {
      await control.load(sessionId);
      return control.current(sessionId);
    },
    send: (sessionId, report) => controlPlane.reportDraftProgress(sessionId, report),
    log,
  });
  const anonymousNotes = new AnonymousNotes(rooms, (sessionId) => control.current(sessionId));
  // After an anonymous reveal, drafts that reach a participant's document late go up through the server.
  rooms.onDraftsChanged = (ref, byConnection) => {
    draftProgress.draftsChanged(ref);
    if (!byConnection) return;
    setImmediate(() => {
      anonymousNotes.draftsChanged(ref.sessionId, ref.participantId).catch((err: Error) => log(`revealing late drafts failed: ${err.message}`));
      // Tuning's feedback written after its reveal (a laptop back online) goes up too, while the feedback step lasts.
      const state = control.current(ref.sessionId);
      if (state?.step === 'tuningFeedback' && state.feedbackRevealed) {
        revealCards(store.sessions, rooms, ref.sessionId, state.presenterId).catch((err: Error) => log(`revealing late feedback failed: ${err.message}`));
      }
    });
  };
  const checkRequest = requestChecker({ publicUrl: config.publicUrl, allowedOrigins: config.allowedOrigins });
  // Reports go to the control plane, which exists a few lines below.
  const guesses = new JoinGuesses((sessionId, wrongCodes) => controlPlane.reportGuesses(sessionId, wrongCodes));
  const pdf = new PdfRenderer({ ...DEFAULT_PDF_OPTIONS, ...tuning.pdf });
  const isAllowedOrigin = (req: http.IncomingMessage) => checkRequest(req) === null;

  // The control server is created below; sockets are only closed once it exists.
  const cohorts = new CohortService(store.cohorts, store.sessions, Date.now, config.cohortRetentionDays, async (cohortId, memberId, message) => {
    await closeMemberSockets({ cohorts: store.cohorts, rooms, io }, cohortId, memberId, message);
    await yearSockets.closeMember(memberId, message);
  });
  // The year's push channel is attached to `io` below; until then nothing can be listening.
  const toYearSockets: YearNotifier = {
    toMembers: (ids, event, ...args) => yearSockets.toMembers(ids, event, ...args),
    closeMember: (memberId, message) => yearSockets.closeMember(memberId, message),
  };
  const practiceLog = new PracticeLog(store.logs, store.cohorts, toYearSockets);
  // The control plane is attached below; the groups' states go out through it.
  const breakouts = new BreakoutService({
    cohorts: store.cohorts,
    sessions: store.sessions,
    sessionService: sessions,
    control,
    presence,
    rooms,
    broadcast: (sessionId, state) => controlPlane.broadcastControl(sessionId, state),
  });
  const meetings = new MeetingService({
    cohorts: store.cohorts,
    sessions: store.sessions,
    sessionService: sessions,
    rooms,
    control,
    carryForward: (sessionId, plan) => carryForward(control, rooms, sessionId, plan),
  });

  const app = createHttpApp({
    sessions,
    store: store.sessions,
    rooms,
    pdf,
    guesses,
    joinLimits: tuning.joinLimits,
    carryForward: (sessionId, plan) => carryForward(control, rooms, sessionId, plan),
    year: {
      cohorts,
      meetings,
      cohortStore: store.cohorts,
      logStore: store.logs,
      sessionStore: store.sessions,
      playlists,
      publicUrl: config.publicUrl,
      pdf,
      deleteCohort: async (grant) => {
        await deleteCohort(cohortDeletion(), grant.cohort.id);
      },
      removeMember: (grant, memberId, mode) =>
        removeMember(
          {
            cohorts: store.cohorts,
            sessions: store.sessions,
            documents: store.documents,
            rooms,
            io,
            forgetLog: async (cohortId, id) => {
              await yearSockets.closeMember(id, 'You are no longer a member of this cohort.');
              await practiceLog.forget(cohortId, id);
            },
          },
          grant,
          memberId,
          mode,
        ),
      log: practiceLog,
      pulse: new PulseService(store.pulses, store.cohorts),
      breakouts,
    },
    publicUrl: config.publicUrl,
    clientDir: config.clientDir,
    trustProxy: config.trustProxy,
    logRequests: config.logRequests,
    // HTTP has no cross-site WebSocket risk; without PUBLIC_URL there is no name to check it against.
    checkRequest: config.publicUrl ? checkRequest : undefined,
    log,
    deleteSession: (sessionId, token) => deleteSession(cohortDeletion(), sessionId, token),
    health: store instanceof PgStore ? healthOf(store, bus) : undefined,
  });
  // A function: `io` is made below, after the HTTP server it listens on.
  const cohortDeletion = () => ({
    sessions: store.sessions,
    cohorts: store.cohorts,
    rooms,
    presence,
    control,
    io,
    draftProgress,
    groupsOf: async (sessionId: string) => (await store.cohorts.listBreakouts(sessionId)).map((g) => g.sessionId),
    bus,
  });
  const server = http.createServer(app);
  const adapterRedis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(100 * n, 2000) }) : null;
  adapterRedis?.on('error', () => undefined);

  const io: ControlServer = new Server(server, {
    maxHttpBufferSize: LIMITS_TRANSPORT.socketIoPacketBytes,
    allowRequest: (req, callback) => {
      const refusal = checkRequest(req);
      callback(refusal?.message ?? null, refusal === null);
    },
    // Other upgrade paths (/yjs) belong to the sync server.
    destroyUpgrade: false,
    serveClient: false,
    // WebSocket only, as the clients connect: no long-polling, so no session
    // has to stick to one process (docs/operations.md) and none holds polling buffers.
    transports: ['websocket'],
    // With several processes, a broadcast reaches the session's sockets on every one of them (docs/SCALEOUT.md §1).
    ...(adapterRedis ? { adapter: createAdapter(adapterRedis, ADAPTER_OPTIONS(config.redisPrefix)) } : {}),
  });
  // Only the handshake's auth is read, and it is copied at connect: the
  // upgrade request (headers, parser state) need not stay alive with each socket.
  io.on('connection', (socket) => {
    (socket.conn as { request: unknown }).request = null;
  });
  const controlPlane = attachControl(io, {
    sessions: store.sessions,
    service: sessions,
    control,
    anonymousNotes,
    presence,
    draftProgress,
    guessesFor: (sessionId) => guesses.countFor(sessionId),
    // A plenary's groups in lockstep follow its step.
    onChanged: (sessionId, state) => {
      if (state.breakouts.open && state.breakouts.lockstep) {
        breakouts.plenaryChanged(sessionId, state).catch((err: Error) => log(`moving the groups failed: ${err.message}`));
      }
    },
    limits: { ...DEFAULT_CONTROL_LIMITS, ...tuning.control },
  });

  const yearSockets = attachYearSocket(io as never, cohorts);

  const yjs = createYjsUpgrade({ sessions: store.sessions, rooms, maxPayload: LIMITS_TRANSPORT.yjsFrameBytes, isAllowedOrigin, log });
  server.on('upgrade', (req, socket, head) => {
    if (req.url?.startsWith('/socket.io/')) return;
    // Host and Origin are checked here so a refusal says why; the sync server checks Origin again.
    const refusal = checkRequest(req);
    if (refusal) return refuseUpgrade(socket, refusal);
    if (!yjs.handle(req, socket, head)) socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  // Nothing is kept forever (YEAR.md 7): cohorts past their retention go at start and every six hours.
  const retention = startRetention(cohortDeletion(), config.cohortRetentionDays, log);

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await retention.stop();
      controlPlane.close();
      draftProgress.close();
      guesses.close();
      await rooms.closeAll();
      yjs.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pdf.close();
      await bus?.close();
      await adapterRedis?.quit().catch(() => undefined);
      await store.close();
    })());

  return { port, url: `http://localhost:${port}`, store, rooms, io, bus, pdf, sweepRetention: () => retention.sweep(), close };
}

/**
 * socket.io's Redis streams adapter, its keys under the prefix. It counts the
 * processes by their Redis subscriptions, so one that died (its connection
 * closed) is not waited for when every process is asked who is online.
 */
const ADAPTER_OPTIONS = (prefix: string) => ({
  streamName: `${prefix}:socket.io`,
  channelPrefix: `${prefix}:socket.io`,
  sessionKeyPrefix: `${prefix}:sio:session:`,
  maxLen: 10_000,
});

/** The bus, or the store closed and the reason: a process that cannot reach Redis at start does not start. */
async function openBus(url: string, prefix: string, log: (message: string) => void, store: { close(): Promise<void> }): Promise<Bus> {
  try {
    return await RedisBus.open(url, prefix, log);
  } catch (err) {
    await store.close();
    throw err;
  }
}

/**
 * /healthz on PostgreSQL: one `SELECT 1` (at most one a second, however often
 * it is asked, answered within a second or counted unreachable) and the bus.
 */
function healthOf(store: PgStore, bus: Bus | null): NonNullable<Parameters<typeof createHttpApp>[0]['health']> {
  let last: { at: number; database: 'ok' | 'unreachable' } | null = null;
  let probing: Promise<'ok' | 'unreachable'> | null = null;
  const probe = () =>
    Promise.race([
      store.pool.query('SELECT 1').then(() => 'ok' as const),
      new Promise<'unreachable'>((resolve) => setTimeout(() => resolve('unreachable'), 1_000).unref()),
    ]).catch(() => 'unreachable' as const);
  return async () => {
    if (!last || Date.now() - last.at > 1_000) {
      probing ??= probe().finally(() => (probing = null));
      last = { at: Date.now(), database: await probing };
    }
    return { database: last.database, bus: bus ? (bus.connected ? 'ok' : 'down') : 'none' };
  };
}

/**
 * Participants online in a session on any process, by socket count; null
 * while Redis is away or if some process did not answer within two seconds
 * (the adapter's own timeout covers only the answers, not the question, which
 * would wait in ioredis's queue for as long as Redis is down).
 */
async function onlineEverywhere(io: ControlServer, bus: Bus, sessionId: string): Promise<Map<string, number> | null> {
  if (!bus.connected) return null;
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), 2_000)));
  try {
    const sockets = await Promise.race([io.in(sessionId).timeout(2_000).fetchSockets(), gaveUp]);
    if (!sockets) return null;
    const online = new Map<string, number>();
    for (const socket of sockets) {
      const id = socket.data.participantId;
      if (id) online.set(id, (online.get(id) ?? 0) + 1);
    }
    return online;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

function refuseUpgrade(socket: Duplex, { status, message }: Refusal): void {
  const text = status === 421 ? 'Misdirected Request' : 'Forbidden';
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
  );
}
