import { afterEach, describe, expect, it } from 'vitest';
import { PeerFeed } from '../../server/sync/PeerFeed.ts';
import { SqliteStore } from '../../server/storage/sqlite/SqliteStore.ts';
import { initialControl } from '../../shared/protocol/control.ts';

/**
 * The ordered apply loop on a real log (SQLite in memory): what it applies,
 * in which order, and when it reads the log. `apply` records the seqs; the
 * update bytes are opaque to the feed.
 */
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

async function feedOnLog(applied = 0) {
  const store = new SqliteStore(':memory:');
  stores.push(store);
  await store.sessions.createSession(
    { id: 's', title: 'T', lengthMinutes: 90, joinCode: 'FEED01', createdAt: 1, control: initialControl(90) },
    [],
  );
  const seen: number[] = [];
  let reads = 0;
  const feed = new PeerFeed(applied, {
    apply: (seq) => seen.push(seq),
    applySnapshot: (seq) => seen.push(-seq),
    read: (after) => {
      reads++;
      return store.documents.loadSince('doc', after);
    },
    log: () => {},
    gapWaitMs: 10,
  });
  // Synchronous inside: SQLite's append runs before the returned promise.
  const commit = (n = 1) => {
    for (let i = 0; i < n; i++) void store.documents.append([{ sessionId: 's', docName: 'doc', update: new Uint8Array([i + 1]) }]);
  };
  return { feed, seen, commit, reads: () => reads, store };
}

const row = new Uint8Array([9]);

describe('the ordered apply loop', () => {
  it('applies others\' commits in seq order whatever order they arrive in, each once, and skips its own', async () => {
    const { feed, seen } = await feedOnLog();
    feed.peer(2, row);
    feed.own(3);
    feed.peer(1, row);
    feed.peer(2, row);
    feed.peer(4, row);
    feed.peer(1, row);
    expect(seen).toEqual([1, 2, 4]);
    expect(feed.applied).toBe(4);
  });

  it('reads a gap from the log once it has waited for the bus', async () => {
    const { feed, seen, commit, reads } = await feedOnLog();
    commit(3);
    feed.peer(3, row);
    expect(seen).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual([1, 2, 3]);
    expect(reads()).toBe(1);
  });

  it('reads again after a read in flight, for a caller that needs what was committed after it began', async () => {
    const { feed, seen, commit } = await feedOnLog();
    commit();
    const first = feed.catchUp();
    commit();
    const second = feed.catchUp();
    await first;
    await second;
    expect(seen).toEqual([1, 2]);
  });

  it('takes the snapshot when a compaction covered rows it lacks, and goes on from there', async () => {
    const { feed, seen, commit, store } = await feedOnLog();
    commit(3);
    await store.documents.compact('s', 'doc', new Uint8Array([0, 0]), 2);
    await feed.catchUp();
    expect(seen).toEqual([-2, 3]);
    expect(feed.applied).toBe(3);
  });
});
