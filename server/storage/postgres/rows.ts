import type { Queryable } from './transaction.ts';

/** A row as pg returns it, before the store turns it into a record. */
export type Row = Record<string, unknown>;

/** The first row of a query, or undefined. */
export async function one(db: Queryable, sql: string, params: unknown[]): Promise<Row | undefined> {
  return (await db.query(sql, params)).rows[0] as Row | undefined;
}

/** Every row of a query. */
export async function all(db: Queryable, sql: string, params: unknown[]): Promise<Row[]> {
  return (await db.query(sql, params)).rows as Row[];
}

/** How many rows a statement changed (SQLite's `changes`). */
export async function changes(db: Queryable, sql: string, params: unknown[]): Promise<number> {
  return (await db.query(sql, params)).rowCount ?? 0;
}
