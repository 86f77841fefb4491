import type pg from 'pg';

/** Either the pool (one statement, its own transaction) or a client inside one. */
export type Queryable = pg.Pool | pg.PoolClient;

/**
 * Runs `work` in one transaction on one pooled connection: all of it commits,
 * or none. A connection whose ROLLBACK fails is broken: it is destroyed, not
 * returned to the pool.
 */
export async function withTransaction<T>(pool: pg.Pool, work: (db: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackErr: Error) => (broken = rollbackErr));
    throw err;
  } finally {
    client.release(broken);
  }
}
