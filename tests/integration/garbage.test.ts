import net from 'node:net';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { Board } from '../../shared/board/Board.ts';
import { atStep, createSession, join, sleep, waitFor, type TestServer } from './helpers.ts';
import { spawnServer } from './serverProcess.ts';
import { mulberry32 } from './mulberry32.ts';
import { rawYjs, updateMessage } from './rawYjs.ts';
import { stockClient, synced } from './stockProvider.ts';
import { CLOSE } from '../../shared/closeCodes.ts';
import { useCleanup } from './cleanup.ts';

useCleanup();

function randomBytes(random: () => number, max: number): Uint8Array {
  const out = new Uint8Array(Math.floor(random() * max));
  for (let i = 0; i < out.length; i++) out[i] = Math.floor(random() * 256);
  return out;
}

/** Well-formed sync messages cut short, and well-formed envelopes around cut-short updates. */
function truncatedYjsMessages(random: () => number, count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const board = new Board(doc);
  for (let i = 0; i < 20; i++) board.addNote({ actor: 'p1' }, { text: `note ${i} `.repeat(5), x: i, y: i });
  const update = Y.encodeStateAsUpdate(doc);
  const full = updateMessage(update);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) out.push(full.subarray(0, 1 + Math.floor(random() * (full.length - 2))));
    else {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      syncProtocol.writeUpdate(encoder, update.subarray(0, 1 + Math.floor(random() * (update.length - 2))));
      out.push(encoding.toUint8Array(encoder));
    }
  }
  return out;
}

/** A raw engine.io websocket speaking socket.io's text protocol by hand. */
async function rawSocketIo(port: number): Promise<{ ws: WebSocket; closed: Promise<number>; received: string[] }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
  ws.on('error', () => {});
  const received: string[] = [];
  ws.on('message', (data) => received.push(data.toString()));
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise((resolve) => ws.once('open', resolve));
  await waitFor(() => received.length > 0, 2_000, 'the engine.io open packet');
  return { ws, closed, received };
}

describe('garbage from clients', () => {
  it('random frames, truncated Yjs messages and malformed socket.io packets close only the offending connection', async () => {
    // The attacker reconnects after every close; the back-off that would slow it down has its own test.
    const server = await spawnServer({ env: { REFUSAL_BACKOFF_MS: '0' } });
    const http = { baseUrl: server.baseUrl } as TestServer;
    const random = mulberry32(0xbadf00d);
    const target = await createSession(http);
    const bystanders = await createSession(http, { title: 'Bystanders' });
    const attacker = await join(http, target.joinCode, 'Mallory');
    const ada = await join(http, bystanders.joinCode, 'Ada');
    const ben = await join(http, bystanders.joinCode, 'Ben');
    await atStep(http, target, 'sort');
    await atStep(http, bystanders, 'sort');
    const a = stockClient(server.port, bystanders.id, ada.participantToken);
    const b = stockClient(server.port, bystanders.id, ben.participantToken);
    const victim = stockClient(server.port, target.id, target.facilitatorToken);
    await Promise.all([synced(a), synced(b), synced(victim)]);
    let frames = 0;

    // Before authentication: raw TCP garbage, and upgrades without a token.
    for (let i = 0; i < 50; i++) {
      const socket = net.connect(server.port, '127.0.0.1');
      socket.on('error', () => {});
      socket.write(randomBytes(random, 2_000));
      socket.end();
    }
    for (let i = 0; i < 20; i++) {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/yjs/${target.id}`);
      ws.on('error', () => {});
      ws.on('unexpected-response', (_req, res) => {
        expect(res.statusCode).toBe(401);
        ws.terminate();
      });
    }

    // After authentication: random binary frames, text frames and truncated Yjs messages.
    const closes: number[] = [];
    const attacks: Array<Uint8Array | string> = [];
    for (let i = 0; i < 2_000; i++) attacks.push(randomBytes(random, 300));
    for (const message of truncatedYjsMessages(random, 200)) attacks.push(message);
    for (let i = 0; i < 50; i++) attacks.push('not binary '.repeat(i));
    for (let i = 0; i < attacks.length; i += 20) {
      const socket = await rawYjs(server.port, target.id, attacker.participantToken);
      for (const frame of attacks.slice(i, i + 20)) {
        if (socket.isOpen()) socket.ws.send(frame);
        frames++;
      }
      // Flush with a frame that is never valid, so every socket ends closed.
      if (socket.isOpen()) socket.ws.send(new Uint8Array([0x7f]));
      closes.push((await socket.closed).code);
    }
    expect(closes.every((code) => code === CLOSE.badMessage), `close codes: ${[...new Set(closes)].join(', ')}`).toBe(true);

    // Truncated messages each on their own connection: each one alone closes it.
    for (const message of truncatedYjsMessages(random, 40)) {
      const socket = await rawYjs(server.port, target.id, attacker.participantToken);
      socket.ws.send(message);
      expect((await socket.closed).code).toBe(CLOSE.badMessage);
      frames++;
    }

    // socket.io: garbage before the namespace handshake, then after it.
    const beforeAuth = ['4', '40', '40{', '40{"token":1}', '42["command",{"type":"lock","locked":true}]', '\u0000\u00ff', '9'];
    for (const packet of beforeAuth) {
      const io = await rawSocketIo(server.port);
      io.ws.send(packet);
      await sleep(20);
      io.ws.terminate();
    }
    const afterAuth = [
      '42["command",',
      '42[{}]',
      '42["command",{"type":"goto","step":{"$gt":""}}]',
      '42["command",null]',
      '42["projectorLink"]',
      '42["nope",1,2,3]',
      '43',
      '45-["command"]',
      `42["command",${'['.repeat(5_000)}`,
      '4' + 'x'.repeat(1_000),
    ];
    for (const packet of afterAuth) {
      const io = await rawSocketIo(server.port);
      io.ws.send(`40${JSON.stringify({ token: attacker.participantToken })}`);
      await waitFor(() => io.received.some((m) => m.startsWith('40')), 2_000, 'the namespace connect');
      io.ws.send(packet);
      io.ws.send(Buffer.from(randomBytes(random, 100)));
      await Promise.race([io.closed, sleep(300)]);
      io.ws.terminate();
    }
    expect(frames).toBeGreaterThan(2_000);

    // The process is up, and every board still syncs, the attacked one included.
    await sleep(200);
    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    a.board.addNote({ actor: ada.participantId }, { text: 'still syncing', x: 0, y: 0 });
    await waitFor(() => b.board.notes().length === 1, 5_000, 'the bystanders to sync');
    const late = stockClient(server.port, target.id, attacker.participantToken);
    await synced(late);
    late.board.addNote({ actor: attacker.participantId }, { text: 'the target board works', x: 0, y: 0 });
    await waitFor(() => victim.board.notes().length === 1, 5_000, 'the target board to sync');
    expect(victim.closes).toEqual([]);
    expect(server.output.stderr).not.toMatch(/Unhandled|uncaught|TypeError/i);
  });
});
