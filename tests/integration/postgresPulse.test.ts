import crypto from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { PgStore } from '../../server/storage/postgres/PgStore.ts';
import { freshPgStore } from '../storage/postgresServer.ts';

/**
 * The trust pulse's anonymity on PostgreSQL, read from the database as its
 * superuser would (docs/security.md, "The trust pulse", "On PostgreSQL"):
 * what the store can make true there, tried the way someone holding the
 * database would try it. What it cannot (the WAL, freed bytes) is written
 * in the doc, not pretended here.
 */
const CORE = ['ben1', 'ben2', 'int1', 'int2', 'pre1', 'pre2', 'com1', 'com2'];
const patternOf = (i: number) => Object.fromEntries(CORE.map((id, k) => [id, ((i >> k) & 1) + 1 + (k === 7 ? (i >> 3) % 4 : 0)]));

const stores: PgStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

async function twentyAnswers(): Promise<{ store: PgStore; windowId: string; order: string[] }> {
  const store = await freshPgStore();
  stores.push(store);
  const cohort = { id: 'c1', name: 'C', startsOn: '2026-09-01', endsOn: '2027-06-30', lengthMinutes: 90 as const, joinCode: 'PULSE1', createdAt: 1 };
  expect(await store.cohorts.createCohort(cohort, { id: 'fac', cohortId: 'c1', name: 'Fran', role: 'facilitator', createdAt: 1 }, [])).toBe('created');
  const order = Array.from({ length: 20 }, (_, i) => `member-${String(i).padStart(2, '0')}`);
  for (const [i, id] of order.entries()) {
    await store.cohorts.addMember(
      { id, cohortId: 'c1', name: `M${i}`, challenge: '', communityId: null, createdAt: i, removedAt: null },
      { id: `t-${id}`, secretHash: crypto.randomBytes(32), cohortId: 'c1', kind: 'member', holderId: id },
    );
  }
  const windowId = 'w1';
  await store.pulses.openWindow({ id: windowId, cohortId: 'c1', label: 'Linkage', instrument: 1, items: CORE, floor: 5, openedAt: 1, closesAt: 10_000, closedAt: null, results: null, notes: '' });
  for (const [i, id] of order.entries()) expect(await store.pulses.answer(windowId, id, { communityId: null, answers: patternOf(i) }, 5)).toBe('answered');
  return { store, windowId, order };
}

/** The tuples PostgreSQL could still return from the table's pages (LP_NORMAL), live or dead, read with pageinspect. */
async function tuplesInPages(store: PgStore, table: string): Promise<number> {
  const { rows: who } = await store.pool.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
  if (!who[0]?.rolsuper) throw new Error('this test reads table pages with pageinspect, which needs a PostgreSQL superuser: point DATABASE_URL at one');
  const { rows: ext } = await store.pool.query<{ schema: string }>("SELECT extnamespace::regnamespace::text AS schema FROM pg_extension WHERE extname = 'pageinspect'");
  let schema = ext[0]?.schema;
  const created = schema === undefined;
  if (created) {
    // In this test's own schema, dropped with it.
    await store.pool.query('CREATE EXTENSION pageinspect');
    schema = (await store.pool.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]!.s;
  }
  const { rows: size } = await store.pool.query<{ pages: number }>('SELECT pg_relation_size($1::regclass) / current_setting($2)::int AS pages', [table, 'block_size']);
  let normal = 0;
  for (let page = 0; page < Number(size[0]!.pages); page++) {
    const { rows } = await store.pool.query<{ n: number }>(
      `SELECT count(*) AS n FROM "${schema}".heap_page_items("${schema}".get_raw_page($1, $2)) WHERE lp_flags = 1`,
      [table, page],
    );
    normal += Number(rows[0]!.n);
  }
  return normal;
}

/** How many times the table was vacuumed by a VACUUM command (autovacuum not counted). */
async function vacuumsOf(store: PgStore, table: string): Promise<number> {
  const { rows } = await store.pool.query<{ n: number }>('SELECT vacuum_count AS n FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = $1', [table]);
  return Number(rows[0]!.n);
}

/**
 * The window rows' tuples once the store's VACUUM could remove what it
 * should: another test file's transaction open in the same database at
 * that moment holds back the versions it might still see, so this waits
 * (the store's own VACUUM again, as its next answer would) for at most 5 s.
 */
async function tuplesOnceVacuumed(store: PgStore): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const n = await tuplesInPages(store, 'pulse_windows');
    if (n === 1 || attempt === 50) return n;
    await new Promise((resolve) => setTimeout(resolve, 100));
    await store.pulses.dropOldVersions();
  }
}

describe('the trust pulse on PostgreSQL', () => {
  it('someone reading the database cannot pair answers with receipts by any stored order, nor from old versions of the window row', async () => {
    const { store, windowId, order } = await twentyAnswers();
    const q = async <T>(sql: string, params: unknown[] = []) => (await store.pool.query(sql, params)).rows as T[];
    const columns = async (table: string) =>
      (await q<{ column_name: string }>('SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position', [table])).map((r) => r.column_name);
    expect(await columns('pulse_receipts')).toEqual(['window_id', 'member_id']);
    expect(await columns('pulse_windows')).not.toContain('member_id');

    const stored = (JSON.parse((await q<{ answers: string }>('SELECT answers FROM pulse_windows WHERE id = $1', [windowId]))[0]!.answers) as Array<{ a: Record<string, number> }>).map((s) =>
      JSON.stringify(s.a),
    );
    const given = order.map((_, i) => JSON.stringify(patternOf(i)));
    expect([...stored].sort()).toEqual([...given].sort());
    const truth = new Map(order.map((id, i) => [id, given[i]!]));
    // Receipts in their physical order (ctid), which on PostgreSQL is the order of answering (docs: a known limit).
    const receipts = (await q<{ member_id: string }>('SELECT member_id FROM pulse_receipts WHERE window_id = $1 ORDER BY ctid', [windowId])).map((r) => r.member_id);
    const rightByStoredOrder = receipts.filter((id, i) => truth.get(id) === stored[i]).length;
    const rightByAnswerOrder = given.filter((g, i) => stored[i] === g).length;
    // A random pairing gets one right on average; 8 of 20 happens about once in 100,000 runs.
    expect(rightByStoredOrder).toBeLessThan(8);
    expect(rightByAnswerOrder).toBeLessThan(8);

    // Each answer rewrote the row; the versions before it, each the answers
    // so far, would give the order of answering one by one. The store
    // vacuums after every answer (PostgreSQL counts each manual VACUUM)...
    expect(await vacuumsOf(store, 'pulse_windows')).toBeGreaterThanOrEqual(order.length);
    // ...which leaves only the live version as a tuple.
    expect(await tuplesOnceVacuumed(store)).toBe(1);

    const results = { floor: 5, respondents: null, members: 20, cohort: {} as never, communities: {}, weakest: null };
    expect(await store.pulses.close(windowId, 9_000, results)).toBe(true);
    expect(await vacuumsOf(store, 'pulse_windows')).toBeGreaterThanOrEqual(order.length + 1);
    expect(await store.pulses.answersOf(windowId)).toEqual([]);
    expect(await tuplesOnceVacuumed(store)).toBe(1);
    const [row] = await q<{ answers: string }>('SELECT answers FROM pulse_windows WHERE id = $1', [windowId]);
    expect(row!.answers).toBe('[]');
  });
});
