/**
 * The cost of durability on this machine's disk: N appends of a typical update
 * through the store's own append, one commit each, in three modes, each in a
 * fresh data dir, alternating rounds so all see the same disk weather:
 * - NORMAL: no fsync at all (survives a process crash, not a power cut);
 * - FULL: the commit fsyncs the WAL, and the event loop waits for it;
 * - off-loop (what the server runs): committed under NORMAL, then the WAL is
 *   fdatasynced in the thread pool; the append resolves once it is durable.
 * For each, "loop" is the time the event loop spent in the append and
 * "durable" the time until its promise resolved.
 * Run: npx tsx bench/durability.ts [--appends 1000] [--rounds 3]
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
const MODES = ['NORMAL', 'FULL', 'off-loop'] as const;

/** A real update as a client sends it: one small text edit of an existing note. */
function typicalUpdate(): Uint8Array {
  const board = new Board(new Y.Doc());
  const id = board.addNote({ actor: 'p1' }, { text: 'No common planning time', x: 10, y: 10 });
  let update: Uint8Array | null = null;
  board.doc.once('update', (u: Uint8Array) => (update = u));
  board.editNote({ actor: 'p1' }, id, 'No common planning time for teams');
  return update!;
}

interface Sample {
  loop: number;
  durable: number;
}

async function run(mode: (typeof MODES)[number], update: Uint8Array): Promise<Sample[]> {
  const dir = fs.mkdtempSync(path.join(process.env.BENCH_DIR ?? os.tmpdir(), 'howmight-durability-'));
  const store = new SqliteStore(path.join(dir, 'howmight.sqlite'));
  try {
    // The store opens as the server runs it (off-loop); the other modes are set by hand only here, to compare.
    store.setSynchronousForBenchmark(mode);
    const { session } = await new SessionService(store.sessions).create('Durability bench', 90);
    const samples: Sample[] = [];
    for (let i = 0; i < APPENDS; i++) {
      const start = process.hrtime.bigint();
      const appended = store.documents.append([{ sessionId: session.id, docName: session.id, update }]);
      const loop = Number(process.hrtime.bigint() - start) / 1_000;
      await appended;
      samples.push({ loop, durable: Number(process.hrtime.bigint() - start) / 1_000 });
    }
    return samples;
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const update = typicalUpdate();
const samples: Record<string, Sample[]> = { NORMAL: [], FULL: [], 'off-loop': [] };
for (let round = 0; round < ROUNDS; round++) for (const mode of MODES) samples[mode]!.push(...(await run(mode, update)));

const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`${new Date().toISOString()} ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${os.platform()} ${os.release()}, node ${process.version}, load ${load}`);
console.log(`${ROUNDS} rounds × ${APPENDS} appends of a ${update.length}-byte update per mode, one commit each, in ${process.env.BENCH_DIR ?? os.tmpdir()}`);
console.log('| mode | appends/s, one at a time | loop p50 / p95 / p99 µs | durable p50 / p95 / p99 / max µs |');
console.log('| --- | ---: | ---: | ---: |');
for (const mode of MODES) {
  const loop = summarize(samples[mode]!.map((s) => s.loop));
  const durable = summarize(samples[mode]!.map((s) => s.durable));
  const perSecond = Math.round(1_000_000 / durable.mean);
  const us = (...values: number[]) => values.map((v) => v.toFixed(0)).join(' / ');
  console.log(
    `| ${mode} | ${perSecond.toLocaleString('en-US')} | ${us(loop.p50, loop.p95, loop.p99)} | ${us(durable.p50, durable.p95, durable.p99, durable.max)} |`,
  );
}
