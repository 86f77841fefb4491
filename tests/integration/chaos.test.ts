import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/index.ts';
import { Board } from '../../shared/board/Board.ts';
import { atStep, createSession, join, sleep, waitFor, type TestServer } from './helpers.ts';
import { mulberry32 } from './mulberry32.ts';
import { freePort } from './serverProcess.ts';
import { contentOf, stockClient, synced, type StockClient } from './stockProvider.ts';
import { CLOSE } from '../../shared/closeCodes.ts';
import { toClose, useCleanup } from './cleanup.ts';

useCleanup();

const SEED = Number(process.env.CHAOS_SEED ?? 20_260_523);
const CLIENTS = 4;
const STEPS = 400;

let running: RunningServer | null = null;

/** The real server on a fixed port, so the same providers find it again after a restart. */
async function start(port: number, dir: string): Promise<RunningServer> {
  const server = await startServer({ ...configFromEnv({}), port, host: '127.0.0.1', dataDir: dir });
  toClose(() => server.close());
  running = server;
  return server;
}

describe('convergence under chaos', () => {
  it(`seed ${SEED}: random edits, drops, offline work and a restart end with one board everywhere`, async () => {
    const random = mulberry32(SEED);
    const pick = <T,>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'howmight-chaos-'));
    toClose(() => fs.rm(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    let server = await start(port, dataDir);
    const http = { baseUrl: `http://127.0.0.1:${port}` } as TestServer;
    const session = await createSession(http);
    const people = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => join(http, session.joinCode, `P${i}`)));
    await atStep(http, session, 'sort');
    const clients: StockClient[] = people.map((p) => stockClient(port, session.id, p.participantToken));
    await Promise.all(clients.map((c) => synced(c)));

    const deleted = new Set<string>();
    const counts = { add: 0, edit: 0, move: 0, delete: 0, offline: 0, online: 0 };
    for (let step = 0; step < STEPS; step++) {
      if (step === STEPS / 2) {
        // A restart in the middle, with some clients offline and some mid-edit.
        await server.close();
        await sleep(100 + random() * 200);
        server = await start(port, dataDir);
      }
      const i = Math.floor(random() * CLIENTS);
      const client = clients[i]!;
      const actor = { actor: people[i]!.participantId };
      const own = client.board.notes().filter((n) => n.authorId === actor.actor);
      const roll = random();
      try {
        if (roll < 0.4) {
          client.board.addNote(actor, { text: `s${step}-c${i}`, x: Math.floor(random() * 500), y: Math.floor(random() * 500) });
          counts.add++;
        } else if (roll < 0.55) {
          const note = pick(own);
          if (note) client.board.editNote(actor, note.id, `${note.text}+${step}`.slice(-200));
          counts.edit++;
        } else if (roll < 0.72) {
          const note = pick(client.board.notes());
          if (note) client.board.moveNote(actor, note.id, Math.floor(random() * 900), Math.floor(random() * 900));
          counts.move++;
        } else if (roll < 0.8) {
          const note = pick(own);
          if (note) {
            client.board.deleteNote(actor, note.id);
            deleted.add(note.id);
          }
          counts.delete++;
        } else if (roll < 0.9) {
          if (client.provider.shouldConnect) client.provider.disconnect();
          counts.offline++;
        } else {
          if (!client.provider.shouldConnect) client.provider.connect();
          counts.online++;
        }
      } catch (err) {
        // Another client's concurrent delete can make a local edit meaningless; that is allowed.
        if (!(err as Error).message.match(/gone|Nothing to change/)) throw err;
      }
      if (random() < 0.3) await sleep(Math.floor(random() * 25));
    }

    for (const client of clients) if (!client.provider.shouldConnect) client.provider.connect();
    await Promise.all(clients.map((c) => synced(c, 10_000)));
    const serverBoard = () => new Board(running!.rooms.get(session.id)!.doc);
    const settled = () => {
      const reference = JSON.stringify(contentOf(serverBoard()));
      return clients.every((c) => JSON.stringify(contentOf(c.board)) === reference);
    };
    await waitFor(settled, 10_000, 'every client and the server to hold the same board');

    const final = contentOf(serverBoard());
    for (const client of clients) expect(contentOf(client.board)).toEqual(final);
    // Every note the server ever relayed to someone is there, unless its author deleted it.
    const acknowledged = new Set(clients.flatMap((c) => [...c.receivedNoteIds]));
    const present = new Set(serverBoard().notes().map((n) => n.id));
    const missing = [...acknowledged].filter((id) => !deleted.has(id) && !present.has(id));
    expect(missing).toEqual([]);
    // The run really exercised what it claims to.
    expect(acknowledged.size).toBeGreaterThan(50);
    expect(counts.offline).toBeGreaterThan(10);
    expect(clients.some((c) => c.closes.includes(CLOSE.restart))).toBe(true);
    expect(final.notes!.length).toBeGreaterThan(50);
  });
});
