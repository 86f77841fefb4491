import type { BenchResults, BudgetCheck } from './budgets.ts';
import type { LiveRun } from './liveLoad.ts';

type Cell = number | string | null | undefined;
interface Row {
  section: string;
  figure: string;
  ours: Cell;
  reference?: Cell;
}

const fmt = (v: Cell): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 100) return String(Math.round(v));
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(Math.abs(v) >= 1 ? 2 : 3);
};

const ratio = (a: Cell, b: Cell): string =>
  typeof a === 'number' && typeof b === 'number' && b !== 0 && Number.isFinite(a) && Number.isFinite(b) ? `${(a / b).toFixed(2)}x` : '';

export function rows(r: BenchResults): Row[] {
  const out: Row[] = [];
  if (r.live) {
    const { ours: o, reference: f } = r.live;
    const s = `live ${o.options.rooms}x${o.options.clients}, P=${o.options.periodMs}ms, ${o.options.durationMs / 1000}s`;
    out.push(
      { section: s, figure: 'delay p50 (ms)', ours: o.delay.p50, reference: f.delay.p50 },
      { section: s, figure: 'delay p95 (ms)', ours: o.delay.p95, reference: f.delay.p95 },
      { section: s, figure: 'delay p99 (ms)', ours: o.delay.p99, reference: f.delay.p99 },
      { section: s, figure: 'delay max (ms)', ours: o.delay.max, reference: f.delay.max },
      { section: s, figure: 'changes sent', ours: o.sent, reference: f.sent },
      { section: s, figure: 'delivered share', ours: o.deliveredShare, reference: f.deliveredShare },
      { section: s, figure: 'server CPU ms / delivered change', ours: o.serverCpuMsPerDelivered, reference: f.serverCpuMsPerDelivered },
      { section: s, figure: 'server CPU ms / sent change', ours: o.serverCpuMsPerSent, reference: f.serverCpuMsPerSent },
      { section: s, figure: 'server RSS baseline (MB)', ours: o.baselineRssBytes / 2 ** 20, reference: f.baselineRssBytes / 2 ** 20 },
      { section: s, figure: 'server RSS per client, idle (KB)', ours: o.rssPerClientBytes / 1024, reference: f.rssPerClientBytes / 1024 },
      { section: s, figure: 'server heap per client, idle (KB)', ours: o.heapPerClientBytes / 1024, reference: f.heapPerClientBytes / 1024 },
      { section: s, figure: 'sockets per client', ours: o.connectionsPerClient, reference: f.connectionsPerClient },
      { section: s, figure: 'load generator CPU (share of 1 core)', ours: o.loadGenCpuShare, reference: f.loadGenCpuShare },
      { section: s, figure: 'load generator loop delay p99 (ms)', ours: o.loadGenLoopDelayP99Ms, reference: f.loadGenLoopDelayP99Ms },
    );
  }
  if (r.cluster) {
    const { oursOneProcess: one, oursThreeProcesses: o, hocuspocusThreeProcesses: h } = r.cluster;
    const opts = `${o.options.rooms}x${o.options.clients}, P=${o.options.periodMs}ms, ${o.options.durationMs / 1000}s`;
    const live = (s: string, a: LiveRun, b?: LiveRun) => {
      const row = (figure: string, f: (x: LiveRun) => Cell) => out.push({ section: s, figure, ours: f(a), ...(b ? { reference: f(b) } : {}) });
      row('delay p50 (ms)', (x) => x.delay.p50);
      row('delay p95 (ms)', (x) => x.delay.p95);
      row('delay p99 (ms)', (x) => x.delay.p99);
      row('delay max (ms)', (x) => x.delay.max);
      row('changes sent', (x) => x.sent);
      row('delivered share', (x) => x.deliveredShare);
      row(`server CPU ms / delivered change (sum of ${a.serverProcesses})`, (x) => x.serverCpuMsPerDelivered);
      row('server CPU ms / sent change', (x) => x.serverCpuMsPerSent);
      if (a.proxyCpuMs !== null) row('nginx CPU ms / delivered change', (x) => x.proxyCpuMsPerDelivered);
      if (a.backingCpuMs !== null) row('PostgreSQL + Redis CPU ms / delivered change (all their processes)', (x) => x.backingCpuMsPerDelivered);
      row('machine CPU busy / iowait (cores)', (x) => `${fmt(x.machineBusyCores)} / ${fmt(x.machineIowaitCores)}`);
      if (a.split) {
        row('  same process as sender: delay p50 / p99 (ms)', (x) => (x.split ? `${fmt(x.split.sameProcess.p50)} / ${fmt(x.split.sameProcess.p99)}` : ''));
        row('  other process: delay p50 / p99 (ms)', (x) => (x.split ? `${fmt(x.split.otherProcess.p50)} / ${fmt(x.split.otherProcess.p99)}` : ''));
        row('  deliveries same / other process', (x) => (x.split ? `${x.split.sameProcess.count} / ${x.split.otherProcess.count}` : ''));
        row('  board sockets per process', (x) => (x.split ? x.split.socketsPerProcess.join(' / ') : ''));
      }
      row('sockets per client', (x) => x.connectionsPerClient);
      row('load generator CPU (share of 1 core)', (x) => x.loadGenCpuShare);
      row('load generator loop delay p99 (ms)', (x) => x.loadGenLoopDelayP99Ms);
    };
    live(`cluster ${opts}: ours, 1 process on PostgreSQL + Redis`, one);
    live(`cluster ${opts}: 3 processes behind nginx; reference = Hocuspocus 3.4.4 + Redis, no storage`, o, h);
  }
  if (r.capacity) {
    const { ours: o, reference: f } = r.capacity;
    const s = `capacity: ${o.options.people}-person meetings + projector, P=${o.options.periodMs}ms, ${o.options.stepMs / 1000}s steps`;
    const atCapacity = (c: typeof o) => c.steps.find((x) => x.passed && x.meetings === c.capacity);
    const failed = (c: typeof o) => c.steps.find((x) => !x.passed);
    const tried = (c: typeof o) => c.steps.map((x) => `${x.meetings}${x.passed ? '' : 'x'}`).join(' ');
    const oc = atCapacity(o);
    const fc = atCapacity(f);
    const of = failed(o);
    const ff = failed(f);
    const served = (c: typeof o) => `${c.reachedTop ? '>= ' : ''}${c.capacity}`;
    const limit = `p99 < ${o.options.p99LimitMs} ms, delivered >= ${o.options.minDeliveredShare}`;
    out.push(
      { section: s, figure: `meetings served (${limit})`, ours: served(o), reference: served(f) },
      { section: s, figure: 'steps tried (meetings, x = failed)', ours: tried(o), reference: tried(f) },
      { section: s, figure: 'sockets per participant (ours: + idle socket.io)', ours: o.connectionsPerParticipant, reference: f.connectionsPerParticipant },
      { section: s, figure: '  at capacity: sockets open', ours: oc?.sockets, reference: fc?.sockets },
      { section: s, figure: '  at capacity: delay p50 (ms)', ours: oc?.delay.p50, reference: fc?.delay.p50 },
      { section: s, figure: '  at capacity: delay p99 (ms)', ours: oc?.delay.p99, reference: fc?.delay.p99 },
      { section: s, figure: '  at capacity: server CPU (share of 1 core)', ours: oc?.serverCpuShare, reference: fc?.serverCpuShare },
      { section: s, figure: '  at capacity: generator CPU (share of 1 core)', ours: oc?.loadGenCpuShare, reference: fc?.loadGenCpuShare },
      { section: s, figure: '  at capacity: generator loop delay p99 (ms)', ours: oc?.loadGenLoopDelayP99Ms, reference: fc?.loadGenLoopDelayP99Ms },
      { section: s, figure: '  first failing step', ours: of ? `${of.meetings}: ${of.failure}` : 'none', reference: ff ? `${ff.meetings}: ${ff.failure}` : 'none' },
      { section: s, figure: '  first failing step: server / generator CPU', ours: of ? `${fmt(of.serverCpuShare)} / ${fmt(of.loadGenCpuShare)}` : '', reference: ff ? `${fmt(ff.serverCpuShare)} / ${fmt(ff.loadGenCpuShare)}` : '' },
    );
  }
  for (const c of r.cold ?? []) {
    const s = `cold load ${c.notes} notes (${c.runs} runs)`;
    out.push(
      { section: s, figure: 'connect to synced, cold p50 (ms)', ours: c.cold.p50 },
      { section: s, figure: 'connect to synced, cold p95 (ms)', ours: c.cold.p95 },
      { section: s, figure: 'connect to synced, room in memory p50 (ms)', ours: c.warm.p50 },
      { section: s, figure: '  server: read rows from SQLite (ms)', ours: c.serverReadMs },
      { section: s, figure: '  server: apply to a new Y.Doc (ms)', ours: c.serverApplyMs },
      { section: s, figure: '  server: encode full state, step 2 (ms)', ours: c.serverEncodeMs },
      { section: s, figure: '  client: apply the doc (ms)', ours: c.clientApplyMs },
      { section: s, figure: 'stored: snapshot + log (KB)', ours: (c.storedSnapshotBytes + c.storedUpdateBytes) / 1024 },
      { section: s, figure: 'snapshot (encodeStateAsUpdate) (KB)', ours: c.snapshotBytes / 1024 },
      { section: s, figure: 'stored / snapshot', ours: (c.storedSnapshotBytes + c.storedUpdateBytes) / c.snapshotBytes },
      { section: s, figure: 'SQLite file + WAL (KB)', ours: c.sqliteFileBytes / 1024 },
    );
  }
  if (r.churn) {
    const c = r.churn;
    const s = `churn ${c.cycles} cycles / ${c.rooms} rooms`;
    out.push(
      { section: s, figure: 'cycles per second', ours: c.cyclesPerSecond },
      { section: s, figure: 'failed cycles', ours: c.failures },
      { section: s, figure: 'rooms gone after last leave (ms)', ours: c.roomsGoneAfterMs ?? 'never' },
      { section: s, figure: 'sockets gone after last leave (ms)', ours: c.socketsGoneAfterMs ?? 'not in 90 s' },
      { section: s, figure: 'rooms / ws / socket.io left', ours: `${c.end.census?.Room} / ${c.end.census?.WebSocket} / ${c.end.census?.IoSocket}` },
      { section: s, figure: 'heap start -> end (MB)', ours: `${(c.start.heapUsed / 2 ** 20).toFixed(1)} -> ${(c.end.heapUsed / 2 ** 20).toFixed(1)}` },
      { section: s, figure: 'heap growth', ours: `${(c.heapGrowth * 100).toFixed(1)}%`, reference: c.reference ? `${(c.reference.heapGrowth * 100).toFixed(1)}%` : '' },
    );
    if (c.reference) out.push({ section: s, figure: `rooms left in memory (reference: ${c.reference.cycles} cycles)`, ours: c.end.census?.Room, reference: c.reference.roomsLeft });
  }
  if (r.awareness) {
    const { ours: o, reference: f } = r.awareness;
    const s = `awareness, idle room of ${o.clients} (${o.windowSeconds}s)`;
    out.push(
      { section: s, figure: 'y-websocket msgs/s sent', ours: o.yjsMessagesPerSecond, reference: f.yjsMessagesPerSecond },
      { section: s, figure: '  of which awareness', ours: o.awarenessMessagesPerSecond, reference: f.awarenessMessagesPerSecond },
      { section: s, figure: 'socket.io packets/s (pings incl.)', ours: o.socketIoPacketsPerSecond, reference: 'n/a' },
      { section: s, figure: 'total server msgs/s', ours: o.totalPerSecond, reference: f.totalPerSecond },
    );
  }
  if (r.client) {
    const c = r.client;
    out.push(
      { section: 'client', figure: `participant view JS with the heaviest step (${c.heaviestStep}), gzip (KB)`, ours: c.participantJsGzipBytes / 1024 },
      { section: 'client', figure: 'participant view JS, raw (KB)', ours: c.participantJsBytes / 1024 },
      { section: 'client', figure: 'participant CSS, gzip (KB)', ours: c.participantCssGzipBytes / 1024 },
      { section: 'client', figure: 'participant view JS with its lazy imports, gzip (KB)', ours: c.participantJsWithLazyGzipBytes / 1024 },
      { section: 'client', figure: 'all JS chunks, gzip (KB)', ours: c.allJsGzipBytes / 1024 },
    );
  }
  for (const d of r.drag ?? []) {
    const s = `drag on ${d.step} board, ${d.notes} notes${d.clusters ? `, ${d.clusters} clusters` : ''}${d.zoom !== 1 ? `, zoom ${Math.round(d.zoom * 100)}%` : ''}`;
    out.push(
      { section: s, figure: 'frame interval p50 (ms)', ours: d.frames.p50 },
      { section: s, figure: 'frame interval p95 (ms)', ours: d.frames.p95 },
      { section: s, figure: 'frame interval p99 / max (ms)', ours: `${fmt(d.frames.p99)} / ${fmt(d.frames.max)}` },
      { section: s, figure: 'frames over 25 ms', ours: `${d.longFrames} of ${d.frames.count}` },
      { section: s, figure: 'long animation frames (>50 ms)', ours: d.longAnimationFrames },
      { section: s, figure: 'mouse move ack p50 (ms)', ours: d.moveAckMs },
      { section: s, figure: 'drop landed', ours: d.landed ? 'yes' : 'no' },
    );
  }
  if (r.paint) {
    const p = r.paint;
    for (const c of p.cases) {
      const s = `first paint, ${p.records} notes (${p.step}), ${p.cpuThrottle}x CPU: ${c.view}, room ${c.room} (${c.runs} runs)`;
      out.push(
        { section: s, figure: 'notes painted p50 (ms)', ours: c.painted.p50 },
        { section: s, figure: 'notes painted max (ms)', ours: c.painted.max },
        { section: s, figure: 'notes in the DOM p50 (ms)', ours: c.notesInDomMs },
        { section: s, figure: 'notes it had to show; notes in the page then (p50)', ours: `${c.expectedNotes}; ${c.drawnNotes}` },
        { section: s, figure: 'first contentful paint p50 / max (ms)', ours: `${fmt(c.fcp.p50)} / ${fmt(c.fcp.max)}` },
        { section: s, figure: 'long tasks before the paint (p50 count; longest ms)', ours: `${c.longTasks}; ${fmt(c.longestTaskMs)}` },
        { section: s, figure: 'JS fetched by then, gzip (KB)', ours: c.jsGzipBytes / 1024 },
      );
    }
    if (p.uncountedParticipantJs.length) out.push({ section: 'client', figure: 'JS the participant page fetched, not in the size figure', ours: p.uncountedParticipantJs.join(' ') });
  }
  return out;
}

export function printTable(r: BenchResults, budgets: BudgetCheck[], log: (line: string) => void): void {
  const table = rows(r).map((row) => [row.section, row.figure, fmt(row.ours), fmt(row.reference), ratio(row.ours, row.reference)]);
  const head = ['section', 'figure', 'ours', 'reference', 'ours/ref'];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  log('');
  log(line(head));
  log(`|${widths.map((w, i) => (i >= 2 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
  let last = '';
  for (const t of table) {
    log(line([t[0] === last ? '' : t[0]!, ...t.slice(1)]));
    last = t[0]!;
  }
  log('');
  const bw = Math.max(6, ...budgets.map((b) => b.budget.length));
  const mw = Math.max(8, ...budgets.map((b) => b.measured.length));
  log(`| ${'budget'.padEnd(bw)} | ${'measured'.padEnd(mw)} | met |`);
  log(`|${'-'.repeat(bw + 2)}|${'-'.repeat(mw + 2)}|-----|`);
  for (const b of budgets) log(`| ${b.budget.padEnd(bw)} | ${b.measured.padEnd(mw)} | ${b.met ? 'yes' : 'NO '} |`);
}
