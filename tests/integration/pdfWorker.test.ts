import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { Board } from '../../shared/board/Board.ts';
import { boardRef } from '../../shared/board/DocRef.ts';
import { LIMITS } from '../../shared/board/schema.ts';
import type { ServerTuning } from '../../server/index.ts';
import { download } from './exportSetup.ts';
import { STEP_IDS } from '../../shared/protocol/steps.ts';
import { connectControl, createSession, join, startTestServer, useCleanup, waitFor, type TestServer } from './helpers.ts';

useCleanup();

/** A session whose board is full: 2,000 notes of 500 characters, the PDF that takes seconds. */
async function fullBoard(server: TestServer) {
  const session = await createSession(server, { title: 'A full board' });
  const ada = await join(server, session.joinCode, 'Ada');
  // Written by the server, as a reveal would: no one participant may hold 2,000 notes.
  await server.rooms.withDoc(boardRef(session.id), (room) => {
    const board = new Board(room.doc);
    room.doc.transact(() => {
      for (let i = 0; i < LIMITS.itemsPerBoard; i++) {
        board.addNote({ actor: ada.participantId }, { text: `Note ${i} `.padEnd(LIMITS.noteText, 'lorem ipsum '), x: i % 50, y: i });
      }
    });
  });
  expect(await server.rooms.withDoc(boardRef(session.id), (room) => new Board(room.doc).noteCount)).toBe(LIMITS.itemsPerBoard);
  return session;
}

function start(pdf: ServerTuning['pdf'] = {}): Promise<TestServer> {
  return startTestServer(undefined, { pdf });
}

describe('PDF export', () => {
  it('renders in a worker: /healthz answers meanwhile, and the same brief again comes from the cache', async () => {
    const server = await start();
    const session = await fullBoard(server);
    let settled = false;
    const first = download(server, session.id, 'export.pdf', session.facilitatorToken).finally(() => (settled = true));
    await waitFor(() => server.pdf.rendering === 1, 5_000, 'the render to start');
    // The main thread is free while the worker renders: a request is answered before the PDF is done...
    const health = await fetch(`${server.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(settled).toBe(false);

    // And it stays free for the whole render: on the main thread the loop stood still for ~90% of it.
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    const started = performance.now();
    const pdf = await first;
    histogram.disable();
    expect(histogram.max / 1e6).toBeLessThan((performance.now() - started) / 4);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('x-cache')).toBe('miss');
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');

    const again = await download(server, session.id, 'export.pdf', session.facilitatorToken);
    expect(again.headers.get('x-cache')).toBe('hit');
    expect(again.bytes.equals(pdf.bytes)).toBe(true);
    expect(server.pdf.renders).toBe(1);
  }, 60_000);

  it('renders again when the brief changes: another names choice, another step', async () => {
    const server = await start();
    const session = await createSession(server);
    await join(server, session.joinCode, 'Ada');
    const get = async (file: string) => (await download(server, session.id, file, session.facilitatorToken)).headers.get('x-cache');
    expect(await get('export.pdf')).toBe('miss');
    expect(await get('export.pdf')).toBe('hit');
    expect(await get('export.pdf?names=0')).toBe('miss');
    const facilitator = await connectControl(server, session.facilitatorToken);
    expect((await facilitator.command({ type: 'goto', step: STEP_IDS[1] })).ok).toBe(true);
    expect(await get('export.pdf')).toBe('miss');
    expect(server.pdf.renders).toBe(3);
  }, 30_000);

  it('stops a render that takes too long and answers 503 saying so', async () => {
    const server = await start({ timeoutMs: 1_000 });
    const session = await fullBoard(server);
    const res = await download(server, session.id, 'export.pdf', session.facilitatorToken);
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text).error).toEqual({ code: 'unavailable', message: expect.stringMatching(/took longer than 1 seconds? and was stopped/) });
  }, 60_000);

  it('answers 503 busy when the queue is full', async () => {
    const server = await start({ workers: 1, maxQueue: 0 });
    const session = await fullBoard(server);
    const first = download(server, session.id, 'export.pdf', session.facilitatorToken);
    await waitFor(() => server.pdf.rendering === 1, 5_000, 'the render to start');
    const other = await download(server, session.id, 'export.pdf?names=0', session.facilitatorToken);
    expect(other.status).toBe(503);
    expect(other.headers.get('retry-after')).toBe('30');
    expect(JSON.parse(other.text).error).toEqual({ code: 'unavailable', message: expect.stringMatching(/busy making other PDFs/) });
    // The same brief as the one rendering waits for it rather than queueing.
    const same = download(server, session.id, 'export.pdf', session.facilitatorToken);
    expect((await first).status).toBe(200);
    expect((await same).headers.get('x-cache')).toBe('hit');
  }, 60_000);
});
