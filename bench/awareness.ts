import { BenchClient, FrameCounter } from './clients.ts';
import { provision } from './provision.ts';
import { startOurs, startReference, tempDir, type ServerProcess } from './servers.ts';
import { round, sleep, waitFor } from './stats.ts';

export interface AwarenessResult {
  server: 'ours' | 'reference';
  clients: number;
  windowSeconds: number;
  /** y-websocket frames the server sent, all clients together, per second. */
  yjsMessagesPerSecond: number;
  awarenessMessagesPerSecond: number;
  syncMessagesPerSecond: number;
  /** engine.io packets (pings included) the socket.io connections received, per second (ours only). */
  socketIoPacketsPerSecond: number;
  totalPerSecond: number;
}

/**
 * An idle room: every client is a stock provider with a local awareness
 * state (a name and colour, as a cursor-sharing client would set), and
 * nobody edits. Counts what the server sends once everyone has synced.
 */
export async function awareness(kind: 'ours' | 'reference', clients: number, windowMs: number, log: (line: string) => void): Promise<AwarenessResult> {
  const counter = new FrameCounter();
  const io = { packets: 0 };
  let server: ServerProcess;
  let list: BenchClient[];
  const state = (i: number) => ({ user: { name: `Participant ${i + 1}`, color: '#f5a623' } });
  if (kind === 'ours') {
    const dataDir = tempDir('howmight-awareness-');
    const [room] = await provision(dataDir, 1, clients);
    server = await startOurs({ dataDir });
    list = room!.participants.map(
      (p, i) =>
        new BenchClient({
          yjsUrl: server.yjsUrl,
          room: room!.sessionId,
          token: p.token,
          socketIoUrl: server.baseUrl,
          actor: p.participantId,
          counter,
          ioCounter: io,
          awarenessState: state(i),
        }),
    );
  } else {
    server = await startReference();
    list = Array.from({ length: clients }, (_, i) => new BenchClient({ yjsUrl: server.yjsUrl, room: 'awareness', counter, awarenessState: state(i) }));
  }
  try {
    await Promise.all(list.map((c) => c.ready()));
    const everyoneSeen = await waitFor(() => list.every((c) => c.provider.awareness.getStates().size === clients), 20_000, 100);
    if (!everyoneSeen) log(`  awareness (${kind}): not every client saw all ${clients} awareness states`);
    await sleep(3000);
    counter.reset();
    io.packets = 0;
    await sleep(windowMs);
    const seconds = windowMs / 1000;
    const yjs = counter.frames / seconds;
    const sio = io.packets / seconds;
    return {
      server: kind,
      clients,
      windowSeconds: seconds,
      yjsMessagesPerSecond: round(yjs, 1),
      awarenessMessagesPerSecond: round((counter.byType.get(1) ?? 0) / seconds, 1),
      syncMessagesPerSecond: round((counter.byType.get(0) ?? 0) / seconds, 1),
      socketIoPacketsPerSecond: round(sio, 1),
      totalPerSecond: round(yjs + sio, 1),
    };
  } finally {
    for (const c of list) c.close();
    await sleep(200);
    await server.stop();
  }
}
