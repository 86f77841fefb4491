import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { awareness } from './awareness.ts';
import { capacity, type CapacityOptions } from './capacity.ts';
import { checkBudgets, type BenchResults } from './budgets.ts';
import { churn } from './churn.ts';
import { clientSize } from './clientSize.ts';
import { cluster, clusterInfra } from './cluster.ts';
import { coldLoad } from './coldLoad.ts';
import { drag, DRAG_CASES } from './drag.ts';
import { firstPaint } from './firstPaint.ts';
import { liveLoad, type LiveOptions } from './liveLoad.ts';
import { ROOT } from './servers.ts';
import { printTable } from './table.ts';

/**
 * npm run bench [-- --quick] [--rooms 50 --clients 10 --period 2000 --duration 20]
 *                [--capacity-steps 10,20,40 --capacity-seconds 10 --capacity-people 15 --capacity-refine 2]
 *                [--only live,capacity,cold,churn,awareness,client,paint,cluster] [--yjs-only: no socket.io for our clients]
 * The cluster section (the live load on several processes, PostgreSQL + Redis, nginx) is in the default set
 * when PostgreSQL (DATABASE_URL, else postgres@127.0.0.1:5432/test) and Redis (REDIS_URL, else 127.0.0.1:6379) answer.
 * BENCH_PAINT_PROF=<dir>: a CPU profile of one more first paint (unminified build), its top self times printed.
 * Runs one section at a time (the servers under test are child processes),
 * prints one table and writes bench/results/latest.json.
 */
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rooms: { type: 'string' },
    clients: { type: 'string' },
    period: { type: 'string' },
    duration: { type: 'string' },
    only: { type: 'string' },
    'capacity-steps': { type: 'string' },
    'capacity-seconds': { type: 'string' },
    'capacity-people': { type: 'string' },
    'capacity-refine': { type: 'string' },
    'yjs-only': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});

const quick = values.quick!;
const num = (v: string | undefined, fallback: number) => (v === undefined ? fallback : Number(v));
const config = {
  live: {
    rooms: num(values.rooms, quick ? 5 : 50),
    clients: num(values.clients, quick ? 4 : 10),
    periodMs: num(values.period, quick ? 1000 : 2000),
    durationMs: num(values.duration, quick ? 5 : 20) * 1000,
    socketIo: !values['yjs-only'],
  } satisfies LiveOptions,
  capacity: {
    steps: values['capacity-steps']
      ? values['capacity-steps'].split(',').map((v) => Number(v.trim()))
      : quick
        ? [5, 10, 20, 40]
        : [10, 20, 40, 60, 80, 100, 120, 140, 160, 200, 240, 280, 320],
    people: num(values['capacity-people'], 15),
    periodMs: 2000,
    stepMs: num(values['capacity-seconds'], quick ? 4 : 10) * 1000,
    p99LimitMs: 100,
    minDeliveredShare: 0.99,
    refine: num(values['capacity-refine'], quick ? 1 : 2),
    socketIo: !values['yjs-only'],
  } satisfies CapacityOptions,
  cold: { sizes: [2000], runs: quick ? 3 : 10 },
  churn: { cycles: quick ? 500 : 10_000, rooms: quick ? 20 : 100, concurrency: quick ? 10 : 20, referenceCycles: quick ? 200 : 1000 },
  awareness: { clients: quick ? 20 : 50, windowMs: quick ? 20_000 : 30_000 },
  drag: { notes: 500, moves: quick ? 60 : 150 },
  paint: { runs: quick ? 2 : 3, cpuThrottle: 4 },
};
const sections = new Set((values.only ?? 'live,capacity,cold,churn,awareness,client,paint,cluster').split(',').map((s) => s.trim()));

// Every stock provider registers a process 'exit' handler.
process.setMaxListeners(0);
const log = (line: string) => console.log(line);

const machine = {
  nproc: Number(execFileSync('nproc', { encoding: 'utf8' }).trim()),
  cpu: os.cpus()[0]?.model ?? 'unknown',
  memory: execFileSync('free', ['-h'], { encoding: 'utf8' }).split('\n')[1]?.replace(/\s+/g, ' ').trim() ?? '',
  node: process.version,
  platform: `${os.type()} ${os.release()}`,
  loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
};
const git = (...args: string[]) => {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
};
const source = { commit: git('rev-parse', '--short', 'HEAD'), uncommittedFiles: git('status', '--porcelain').split('\n').filter(Boolean).length };
log(`howmight bench${quick ? ' (quick)' : ''}: ${machine.nproc} cores, node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`);

const results: BenchResults = {};
const started = Date.now();
// The paint section serves the same build, so it needs the client section's build too.
if (sections.has('client') || sections.has('paint')) {
  log('client: bundle size');
  results.client = clientSize(log);
}
if (sections.has('live')) {
  const l = config.live;
  log(`live load: ${l.rooms} rooms x ${l.clients} clients, a change every ${l.periodMs} ms each, ${l.durationMs / 1000} s`);
  const ours = await liveLoad('ours', l, log);
  const reference = await liveLoad('reference', l, log);
  results.live = { ours, reference };
}
if (sections.has('cluster')) {
  const infra = await clusterInfra();
  if ('why' in infra) {
    if (values.only) throw new Error(`cluster: cannot run: ${infra.why}`);
    log(`cluster: skipped, ${infra.why}`);
  } else {
    const l = config.live;
    log(`cluster: live load of ${l.rooms} rooms x ${l.clients} clients on PostgreSQL + Redis (1 process; 3 behind nginx; Hocuspocus 3 behind nginx), a change every ${l.periodMs} ms each, ${l.durationMs / 1000} s`);
    results.cluster = await cluster(infra, l, log);
  }
}
if (sections.has('capacity')) {
  const c = config.capacity;
  const bad = c.steps.find((m, i) => !Number.isInteger(m) || m < 1 || (i > 0 && m <= c.steps[i - 1]!));
  if (bad !== undefined || c.steps.length === 0) throw new Error(`--capacity-steps must be ascending whole numbers of meetings, got ${c.steps.join(',')}`);
  if (!Number.isInteger(c.people) || c.people < 2) throw new Error(`--capacity-people must be a whole number of at least 2, got ${c.people}`);
  if (!Number.isInteger(c.refine) || c.refine < 0) throw new Error(`--capacity-refine must be a whole number, got ${c.refine}`);
  if (!(c.stepMs >= 1000)) throw new Error(`--capacity-seconds must be at least 1, got ${c.stepMs / 1000}`);
  log(`capacity: meetings of ${c.people} + a projector, a move every ${c.periodMs} ms each, ${c.stepMs / 1000} s per step at ${c.steps.join(', ')} meetings, until p99 >= ${c.p99LimitMs} ms`);
  const ours = await capacity('ours', c, log);
  const reference = await capacity('reference', c, log);
  results.capacity = { ours, reference };
}
if (sections.has('cold')) {
  log(`cold load: ${config.cold.sizes.join(' and ')} notes, ${config.cold.runs} runs each`);
  results.cold = await coldLoad(config.cold.sizes, config.cold.runs, log);
}
if (sections.has('churn')) {
  const c = config.churn;
  log(`churn: ${c.cycles} connect/disconnect cycles over ${c.rooms} rooms, ${c.concurrency} at a time`);
  results.churn = await churn(c.cycles, c.rooms, c.concurrency, c.referenceCycles, log);
}
if (sections.has('awareness')) {
  const a = config.awareness;
  log(`awareness: idle room of ${a.clients} clients, counting for ${a.windowMs / 1000} s`);
  const ours = await awareness('ours', a.clients, a.windowMs, log);
  const reference = await awareness('reference', a.clients, a.windowMs, log);
  results.awareness = { ours, reference };
}
if (sections.has('client')) {
  results.drag = [];
  for (const kind of DRAG_CASES) {
    log(`client: dragging a note in Chromium, ${config.drag.notes} notes (${kind})`);
    results.drag.push(await drag(results.client!.outDir, kind, config.drag.notes, config.drag.moves, log));
  }
}
if (sections.has('paint')) {
  const p = config.paint;
  log(`paint: a full board's first paint in Chromium at ${p.cpuThrottle}x CPU throttle, ${p.runs} runs per case`);
  results.paint = await firstPaint(
    results.client!.outDir,
    results.client!.participantJsFiles,
    { ...p, ...(process.env.BENCH_PAINT_PROF ? { profileDir: process.env.BENCH_PAINT_PROF } : {}) },
    log,
  );
}
if (results.client) fs.rmSync(results.client.outDir, { recursive: true, force: true });

const budgets = checkBudgets(results);
printTable(results, budgets, log);
const out = values.out ?? path.join(ROOT, 'bench/results/latest.json');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(
  out,
  `${JSON.stringify({ at: new Date().toISOString(), quick, machine, source, config, seconds: Math.round((Date.now() - started) / 1000), results, budgets }, null, 2)}\n`,
);
log(`\nwrote ${path.relative(process.cwd(), out)} (${Math.round((Date.now() - started) / 1000)} s)`);
