import type Database from 'better-sqlite3';

export type Row = Record<string, unknown>;

/** A connection's statements, each prepared once on first use: the stores' one way to run SQL. */
export class Statements {
  private readonly cache = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  prepared(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) this.cache.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  run(sql: string, ...params: unknown[]): Database.RunResult {
    return this.prepared(sql).run(...params);
  }

  get(sql: string, ...params: unknown[]): Row | undefined {
    return this.prepared(sql).get(...params) as Row | undefined;
  }

  all(sql: string, ...params: unknown[]): Row[] {
    return this.prepared(sql).all(...params) as Row[];
  }
}
