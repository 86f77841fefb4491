import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ControlService } from '../../server/control/ControlService.ts';
import { Presence } from '../../server/control/Presence.ts';
import { SessionService } from '../../server/sessions/SessionService.ts';
import { DATABASE_FILE_NAME, SqliteStore } from '../../server/storage/sqlite/SqliteStore.ts';

const open: Array<{ store: SqliteStore; dir: string }> = [];
afterEach(async () => {
  for (const { store, dir } of open.splice(0)) {
    await store.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
});

/**
 * Two control services on one store stand for two server processes: each
 * keeps its own order, so only the store's compare-and-set keeps them from
 * writing over each other.
 */
describe('control state changes with a version check', () => {
  it('loses no command when two writers race on the same session', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'howmight-race-'));
    const store = new SqliteStore(path.join(dir, DATABASE_FILE_NAME));
    open.push({ store, dir });
    const { session } = await new SessionService(store.sessions).create('Race', 90);
    const writer = () => new ControlService(store.sessions, new Presence(store.sessions), { revealDrafts: async () => {}, revealCards: async () => {}, gatherLog: async () => {}, featureResource: async () => {} });
    const [a, b] = [writer(), writer()];
    const addMinute = { type: 'timer', action: 'addMinute' };
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).command(session.id, 'facilitator', addMinute)),
    );
    expect(outcomes.every((o) => o.ok && o.changed)).toBe(true);
    const stored = (await store.sessions.getSession(session.id))!.control;
    expect(stored.version).toBe(20);
    expect(stored.timer.durationMs).toBe(session.control.timer.durationMs + 20 * 60_000);
  });
});
