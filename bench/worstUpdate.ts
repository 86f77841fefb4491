/**
 * The worst single update a client can send under the caps of scanUpdate.ts,
 * on a full board (2,000 records with an edit history), and what it costs the
 * server: the write guard's check, the apply, and the re-read of the records it
 * touched, exactly as Room.write runs them (storage excluded). Each case runs
 * on a fresh copy of the board; the median of the runs is reported.
 * Run: npx tsx bench/worstUpdate.ts [--runs 11]
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { Board, FACILITATOR_ACTOR } from '../shared/board/Board.ts';
import { COLLECTIONS, LIMITS } from '../shared/board/schema.ts';
import { BOARD_RULES } from '../shared/board/writeRules.ts';
import { initialControl } from '../shared/protocol/control.ts';
import { DEFAULT_SCAN_LIMITS } from '../server/sync/scanUpdate.ts';
import { WriteGuard, WriteRefusal, type GuardContext, type Writer } from '../server/sync/WriteGuard.ts';
import { summarize } from './stats.ts';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] || 7) || 7;
const CAP = DEFAULT_SCAN_LIMITS.maxStructs;
const BYTES = DEFAULT_SCAN_LIMITS.maxBytes;
const TYPIST = 'typist';
const facilitator: Writer = { actor: FACILITATOR_ACTOR, facilitator: true };
const typist: Writer = { actor: TYPIST, facilitator: false };
const control = { ...initialControl(90), step: 'sort' as const, revealed: true };
const ctx = (): GuardContext => ({ control, now: Date.now() });

/** A full board: the typist's 150 notes, one of them retyped 3,000 times, and the facilitator's 1,850. */
function fullBoard(): { state: Uint8Array; typistClient: number; typedNote: string; typedRun: [number, number] } {
  const doc = new Y.Doc();
  const board = new Board(doc);
  const typistDoc = new Y.Doc();
  const typistBoard = new Board(typistDoc);
  const ids: string[] = [];
  typistDoc.transact(() => {
    for (let i = 0; i < 150; i++) ids.push(typistBoard.addNote({ actor: TYPIST }, { text: `typist note ${i}`, x: i, y: 0 }));
  });
  const typedNote = ids[0]!;
  const runStart = Y.getState(typistDoc.store, typistDoc.clientID);
  // Typing: one update per keystroke, so the history is long runs of deleted values.
  for (let i = 0; i < CAP; i++) typistBoard.editNote({ actor: TYPIST }, typedNote, `typed ${i}`);
  const runEnd = Y.getState(typistDoc.store, typistDoc.clientID);
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(typistDoc));
  for (let batch = 0; batch < 10; batch++) {
    doc.transact(() => {
      for (let i = 0; i < 185; i++) board.addNote({ actor: FACILITATOR_ACTOR }, { text: `${'f'.repeat(400)} ${batch}-${i}`, x: i, y: batch });
    });
  }
  const count = Object.keys(COLLECTIONS).reduce((n, name) => n + doc.getMap(name).size, 0);
  if (count !== LIMITS.itemsPerBoard) throw new Error(`board has ${count} records`);
  return { state: Y.encodeStateAsUpdate(doc), typistClient: typistDoc.clientID, typedNote, typedRun: [runStart, runEnd] };
}

/** `count` field values written by a fresh client, each placed after the given origin item. */
function valuesAfter(origins: Array<{ client: number; clock: number }>, value: (i: number) => unknown): Uint8Array {
  const encoder = encoding.createEncoder();
  const client = 0x7fff_0001;
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, origins.length);
  encoding.writeVarUint(encoder, client);
  encoding.writeVarUint(encoder, 0);
  origins.forEach((origin, i) => {
    encoding.writeUint8(encoder, 0x80 | 8);
    encoding.writeVarUint(encoder, origin.client);
    encoding.writeVarUint(encoder, origin.clock);
    encoding.writeVarUint(encoder, 1);
    encoding.writeAny(encoder, value(i) as never);
  });
  encoding.writeVarUint(encoder, 0);
  return encoding.toUint8Array(encoder);
}

/** The live item of each (record, field) on the board, as Yjs stores it. */
function fieldItems(doc: Y.Doc, field: string, filter: (author: string) => boolean): Array<{ client: number; clock: number }> {
  const out: Array<{ client: number; clock: number }> = [];
  for (const record of doc.getMap<Y.Map<unknown>>('notes').values()) {
    if (!filter(String(record.get('authorId')))) continue;
    const item = record._map.get(field);
    if (item) out.push({ client: item.id.client, clock: item.id.clock + item.length - 1 });
  }
  return out;
}

interface Case {
  name: string;
  writer: Writer;
  build(doc: Y.Doc): Uint8Array;
}

const board = fullBoard();
const CASES: Case[] = [
  {
    name: `${CAP} moves of colleagues' notes (x, y)`,
    writer: typist,
    build: (doc) => {
      const xs = fieldItems(doc, 'x', (a) => a !== TYPIST);
      const ys = fieldItems(doc, 'y', (a) => a !== TYPIST);
      return valuesAfter([...xs, ...ys].slice(0, CAP), (i) => i % 1000);
    },
  },
  {
    name: `${CAP} text values, each splitting a run of deleted history`,
    writer: typist,
    build: () => {
      const [start, end] = board.typedRun;
      const step = Math.max(1, Math.floor((end - start) / CAP));
      const origins = Array.from({ length: CAP }, (_, i) => ({ client: board.typistClient, clock: Math.min(end - 2, start + 1 + i * step) }));
      return valuesAfter(origins, (i) => `split ${i}`);
    },
  },
  {
    name: `texts rewritten at 500 characters up to ${BYTES / 1024} KiB (the facilitator)`,
    writer: facilitator,
    build: (doc) => valuesAfter(fieldItems(doc, 'text', () => true).slice(0, Math.floor(BYTES / 510)), (i) => `${i} ${'t'.repeat(490)}`),
  },
  {
    name: `${CAP} short texts rewritten (the facilitator)`,
    writer: facilitator,
    build: (doc) => valuesAfter(fieldItems(doc, 'text', () => true).slice(0, CAP), (i) => `short ${i}`),
  },
  {
    name: `${DEFAULT_SCAN_LIMITS.maxDeletedItems / 10} notes deleted with their fields (the facilitator)`,
    writer: facilitator,
    build: (doc) => {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
      const before = Y.encodeStateVector(copy);
      const keys = [...copy.getMap('notes').keys()].slice(-DEFAULT_SCAN_LIMITS.maxDeletedItems / 10);
      copy.transact(() => {
        for (const key of keys) copy.getMap('notes').delete(key);
      });
      return Y.encodeStateAsUpdate(copy, before);
    },
  },
  {
    name: `values of 5,000 characters up to ${BYTES / 1024} KiB (refused: too long)`,
    writer: facilitator,
    build: (doc) => valuesAfter(fieldItems(doc, 'text', () => true).slice(0, Math.floor(BYTES / 5010)), () => 'z'.repeat(5000)),
  },
];

function once(c: Case): { ms: number; checkMs: number; outcome: string; bytes: number } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, board.state);
  const guard = new WriteGuard(doc, { schemas: COLLECTIONS, rules: BOARD_RULES, shared: true, itemCap: LIMITS.itemsPerBoard });
  const update = c.build(doc);
  const started = performance.now();
  let checked = started;
  let outcome = 'accepted';
  try {
    const writes = guard.check(update, c.writer, ctx());
    checked = performance.now();
    const before = guard.snapshot(writes);
    Y.applyUpdate(doc, update);
    const undone = guard.verify(writes, before, { actor: 'server' });
    if (undone) outcome = `put back: ${undone}`;
  } catch (err) {
    if (!(err instanceof WriteRefusal)) throw err;
    checked = performance.now();
    outcome = `refused: ${err.message}`;
  }
  const ms = performance.now() - started;
  doc.destroy();
  return { ms, checkMs: checked - started, outcome, bytes: update.length };
}

console.log(
  `worst update under the caps (${BYTES / 1024} KiB, ${CAP} structs, ${DEFAULT_SCAN_LIMITS.maxDeleteRanges} delete ranges, ${DEFAULT_SCAN_LIMITS.maxDeletedItems} deleted items) on a full board, ${RUNS} runs each`,
);
for (const c of CASES) {
  const samples = Array.from({ length: RUNS }, () => once(c));
  const stats = summarize(samples.map((s) => s.ms));
  const check = summarize(samples.map((s) => s.checkMs));
  console.log(
    `${c.name.padEnd(66)} ${String(Math.round(samples[0]!.bytes / 1024)).padStart(4)} KiB  median ${stats.p50.toFixed(1)} ms (check ${check.p50.toFixed(1)})  max ${stats.max.toFixed(1)} ms  ${samples[0]!.outcome.slice(0, 50)}`,
  );
}
