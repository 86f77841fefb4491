/**
 * The cost of synchronous = FULL (fsync on every commit) against NORMAL, on
 * this machine's disk: N appends of a typical update through the store's own
 * append statement, each mode in a fresh data dir, alternating rounds so both
 * see the same disk weather. Run: npx tsx bench/durability.ts [--appends 1000] [--rounds 3]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { Board } from '../shared/board/Board.ts';
import { SessionService } from '../server/sessions/SessionService.ts';
import { SqliteStore } from '../server/storage/sqlite/SqliteStore.ts';
import { summarize } from './stats.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const APPENDS = arg('appends', 1000);
const ROUNDS = arg('rounds', 3);
const MODES = ['NORMAL', 'FULL'] as const;

/** A real update as a client sends it: one small text edit of an existing note. */
function typicalUpdate(): Uint8Array {
  const board = new Board(new Y.Doc());
  const id = board.addNote({ actor: 'p1' }, { text: 'No common planning time', x: 10, y: 10 });
  let update: Uint8Array | null = null;
  board.doc.once('update', (u: Uint8Array) => (update = u));
  board.editNote({ actor: 'p1' }, id, 'No common planning time for teams');
  return update!;
}

async function run(mode: (typeof MODES)[number], update: Uint8Array): Promise<number[]> {
  const dir = fs.mkdtempSync(path.join(process.env.BENCH_DIR ?? os.tmpdir(), 'howmight-durability-'));
  const store = new SqliteStore(path.join(dir, 'howmight.sqlite'));
  try {
    // The store opens in FULL; NORMAL is set back by hand only here, to compare.
    store.setSynchronousForBenchmark(mode);
    const { session } = await new SessionService(store.sessions).create('Durability bench', 90);
    const micros: number[] = [];
    for (let i = 0; i < APPENDS; i++) {
      const start = process.hrtime.bigint();
      await store.documents.append([{ sessionId: session.id, docName: session.id, update }]);
      micros.push(Number(process.hrtime.bigint() - start) / 1_000);
    }
    return micros;
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const update = typicalUpdate();
const samples: Record<string, number[]> = { NORMAL: [], FULL: [] };
for (let round = 0; round < ROUNDS; round++) for (const mode of MODES) samples[mode]!.push(...(await run(mode, update)));

const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`${new Date().toISOString()} ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${os.platform()} ${os.release()}, node ${process.version}, load ${load}`);
console.log(`${ROUNDS} rounds × ${APPENDS} appends of a ${update.length}-byte update per mode, one commit each, in ${process.env.BENCH_DIR ?? os.tmpdir()}`);
console.log('| synchronous | appends/s | p50 µs | p95 µs | p99 µs | max µs |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const mode of MODES) {
  const s = summarize(samples[mode]!);
  const perSecond = Math.round(1_000_000 / s.mean);
  console.log(`| ${mode} | ${perSecond.toLocaleString('en-US')} | ${s.p50.toFixed(0)} | ${s.p95.toFixed(0)} | ${s.p99.toFixed(0)} | ${s.max.toFixed(0)} |`);
}
