import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/api.ts';
import { createSession, post, startTestServer, useCleanup, type TestServer } from './helpers.ts';

useCleanup();

/** Just under the 4 MB create-session cap, so the body is read and only the nesting can refuse it. */
const LEVELS = 1_900_000;
const nested = () => `{"title":"Deep","from":${'['.repeat(LEVELS)}${']'.repeat(LEVELS)}}`;
/** The same size, flat: JSON.parse reads it in a few ms, and `from` is then refused as not an export. */
const flat = () => `{"title":"Flat","from":"${'x'.repeat(2 * LEVELS)}"}`;

/** The longest the event loop stood still while `run` ran (server and client share this process). */
async function longestStall(run: () => Promise<unknown>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  try {
    await run();
  } finally {
    histogram.disable();
  }
  return histogram.max / 1e6;
}

/** Sends the headers and `sent` bytes of a body announced as `length` bytes, and waits for an answer. */
function partialPost(server: TestServer, urlPath: string, length: number, sent: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: server.port, method: 'POST', path: urlPath, headers: { 'content-type': 'application/json', 'content-length': length } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: text });
          req.destroy();
        });
      },
    );
    req.on('error', reject);
    setTimeout(() => reject(new Error('no answer without the rest of the body: the server waited to read it')), 5_000).unref();
    // The rest of the body is never sent: only an answer that did not wait for it arrives.
    req.write(sent);
  });
}

describe('heavy HTTP bodies', () => {
  it('refuses deep nesting with 400 before parsing it, without stalling the server', async () => {
    const server = await startTestServer();
    const reference = await longestStall(async () => {
      const res = await post(server, '/api/sessions', flat());
      expect(res.status).toBe(400);
    });
    let answer: Awaited<ReturnType<typeof post<ApiError>>> | undefined;
    const stall = await longestStall(async () => {
      answer = await post<ApiError>(server, '/api/sessions', nested());
    });
    expect(answer?.status).toBe(400);
    expect(answer?.body.error).toEqual({ code: 'invalid', message: expect.stringMatching(/nests deeper than 32 levels/) });
    // Parsing it would hold the loop ~100 times longer than the flat body of the same size.
    expect(stall).toBeLessThan(Math.max(3 * reference, reference + 250));
    // And the server still works.
    await createSession(server);
  });

  it('refuses the NUL character in any text with 400, whatever the store (PostgreSQL cannot keep it)', async () => {
    const server = await startTestServer();
    const res = await post<ApiError>(server, '/api/sessions', JSON.stringify({ title: 'Before\u0000after' }));
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'invalid', message: 'Text may not contain the NUL character (U+0000).' });
    await createSession(server);
  });

  it('refuses an 8 MB body with 413 without parsing it', async () => {
    const server = await startTestServer();
    // The old 8 MB cap let this in and JSON.parse held the loop for over a second.
    const body = `{"title":"Big","from":${'['.repeat(4 * 1024 * 1024)}${']'.repeat(4 * 1024 * 1024)}}`;
    const res = await post<ApiError>(server, '/api/sessions', body);
    expect(res.status).toBe(413);
    expect(res.body.error).toEqual({ code: 'too-large', message: expect.stringMatching(/too large/) });
  });

  it('caps a join body at 4 KB', async () => {
    const server = await startTestServer();
    const res = await post<ApiError>(server, '/api/sessions/join', { joinCode: 'ABCDEF', name: 'Ana', pad: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
  });

  it('answers a client over its create limit 429 before reading its body', async () => {
    const server = await startTestServer();
    for (let i = 0; i < 30; i++) await createSession(server, { title: `Session ${i}` });
    // 3 MB announced, a few bytes sent: the 429 cannot have waited for (or parsed) the rest.
    const res = await partialPost(server, '/api/sessions', 3 * 1024 * 1024, '{"title":"One more","from":[[[[');
    expect(res.status).toBe(429);
    expect(JSON.parse(res.body).error).toEqual({ code: 'rate-limited', message: expect.stringMatching(/Too many attempts/) });
  });

  it('answers a client over its join limit 429 before reading its body', async () => {
    // A refill of one a minute: 120 sequential requests on a busy machine would otherwise earn a token back.
    const server = await startTestServer(undefined, { joinLimits: { joins: { burst: 120, perMinute: 1 } } });
    // 120 attempts a minute per address, each from a device id of its own.
    for (let i = 0; i < 120; i++) {
      await post(server, '/api/sessions/join', { joinCode: 'ZZZZZZ', name: 'Guess', deviceId: `device-${String(i).padStart(12, '0')}` });
    }
    const res = await partialPost(server, '/api/sessions/join', 3000, '{"joinCode":');
    expect(res.status).toBe(429);
  });
});
