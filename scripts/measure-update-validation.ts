/**
 * What checking a client's update costs the server (issue 5, item 13):
 * `npx tsx scripts/measure-update-validation.ts`. A 500-note board receives
 * 2,000 one-note edits; compares applying them unchecked, through the
 * UpdateValidator's shadow document, and through a fresh clone per update.
 */
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { UpdateValidator } from '../server/sync/UpdateValidator.ts';
import { Board } from '../shared/board/Board.ts';
import { COLLECTIONS, LIMITS } from '../shared/board/schema.ts';

const NOTES = 500;
const EDITS = 2_000;

function boardWithNotes(): { doc: Y.Doc; ids: string[] } {
  const doc = new Y.Doc();
  const board = new Board(doc);
  const ids: string[] = [];
  for (let i = 0; i < NOTES; i++) ids.push(board.addNote({ actor: 'p1' }, { text: `Root cause number ${i}: ${'x'.repeat(80)}`, x: i, y: i }));
  return { doc, ids };
}

/** The edits a participant's client would send: one note's text changed per update. */
function edits(): { base: Uint8Array; updates: Uint8Array[] } {
  const { doc, ids } = boardWithNotes();
  const base = Y.encodeStateAsUpdate(doc);
  const board = new Board(doc);
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < EDITS; i++) board.editNote({ actor: 'p1' }, ids[i % NOTES]!, `edited ${i}`);
  return { base, updates };
}

function time(label: string, run: (update: Uint8Array) => void, base: Uint8Array, updates: Uint8Array[]): number {
  const started = performance.now();
  for (const update of updates) run(update);
  const perUpdate = ((performance.now() - started) / updates.length) * 1000;
  console.log(`${label.padEnd(44)} ${perUpdate.toFixed(1).padStart(8)} µs/update`);
  void base;
  return perUpdate;
}

const { base, updates } = edits();

// Warm the JIT up on a throwaway copy so the first measurement is not penalised.
const warm = new Y.Doc();
Y.applyUpdate(warm, base);
for (const u of updates) Y.applyUpdate(warm, u);

const plain = new Y.Doc();
Y.applyUpdate(plain, base);
const unchecked = time('apply only (no validation)', (u) => Y.applyUpdate(plain, u), base, updates);

const real = new Y.Doc();
Y.applyUpdate(real, base);
const validator = new UpdateValidator(real, COLLECTIONS, LIMITS.itemsPerBoard);
const shadowed = time('shadow doc: check, then apply', (u) => {
  const problem = validator.check(u);
  if (problem) throw new Error(problem);
  Y.applyUpdate(real, u);
}, base, updates);

const cloned = new Y.Doc();
Y.applyUpdate(cloned, base);
const clone = time('clone per update: copy, apply, check, apply', (u) => {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(cloned));
  Y.applyUpdate(copy, u);
  new Board(copy).notes();
  copy.destroy();
  Y.applyUpdate(cloned, u);
}, base.slice(), updates.slice(0, 200));

console.log(`\nvalidation adds ${(shadowed - unchecked).toFixed(1)} µs per update on a ${NOTES}-note board (a clone per update would add ${(clone - unchecked).toFixed(0)} µs)`);
