import type pg from 'pg';

/** Either the pool (one statement, its own transaction) or a client inside one. */
export type Queryable = pg.Pool | pg.PoolClient;

/**
 * A pooled connection for several statements. While it is checked out the
 * pool does not listen to it, so a connection that drops (PostgreSQL
 * restarted, the network cut) would emit an 'error' nobody hears, and end the
 * process. Heard here instead: the statement in flight fails as it would
 * anyway, and the connection is destroyed on release, not pooled again.
 */
export async function checkOut(pool: pg.Pool): Promise<{ client: pg.PoolClient; release(broken?: Error): void }> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (err: Error) => (lost = err);
  client.on('error', onError);
  return {
    client,
    release: (broken) => {
      client.off('error', onError);
      client.release(broken ?? lost);
    },
  };
}

/**
 * Runs `work` in one transaction on one pooled connection: all of it commits,
 * or none. A connection whose ROLLBACK fails is broken: it is destroyed, not
 * returned to the pool.
 */
export async function withTransaction<T>(pool: pg.Pool, work: (db: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const { client, release } = await checkOut(pool);
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
    release(broken);
  }
}
