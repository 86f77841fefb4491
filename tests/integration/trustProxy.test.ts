import { describe, expect, it } from 'vitest';
import { parseTrustProxy } from '../../server/config.ts';
import { startTestServer, useCleanup, type TestServer } from './helpers.ts';

useCleanup();

/** A wrong join code sent with an X-Forwarded-For header. */
async function miss(server: TestServer, forwardedFor: string): Promise<number> {
  const res = await fetch(`${server.baseUrl}/api/sessions/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ joinCode: 'ZZZZZZ', name: 'Guesser' }),
  });
  await res.body?.cancel();
  return res.status;
}

/** Misses allowed per address before 429 (apiRouter's MISSES.burst). */
const MISS_BURST = 20;

describe('TRUST_PROXY', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['0', false],
    ['1', 1],
    ['2', 2],
    ['loopback', 'loopback'],
    ['loopback, 10.0.0.0/8,fd00::/8', 'loopback, 10.0.0.0/8, fd00::/8'],
    ['203.0.113.7', '203.0.113.7'],
  ])('reads %j as %j', (raw, expected) => {
    expect(parseTrustProxy(raw)).toEqual(expected);
  });

  it('refuses `true` at startup, saying what to set instead', () => {
    expect(() => parseTrustProxy('true')).toThrow(/every X-Forwarded-For hop.*TRUST_PROXY=1/s);
  });

  it.each(['yes', '10.0.0.0/40', 'example.com', '1.2.3.4/8/9'])('refuses %j', (raw) => {
    expect(() => parseTrustProxy(raw)).toThrow(/TRUST_PROXY must be a hop count/);
  });

  it('with one hop keys a client on the last X-Forwarded-For entry, so forged leftmost entries do not escape the miss limit', async () => {
    const server = await startTestServer(undefined, {}, { trustProxy: parseTrustProxy('1') });
    const statuses: number[] = [];
    for (let i = 0; i < MISS_BURST + 1; i++) statuses.push(await miss(server, `10.9.${i}.1, 192.0.2.${i}, 198.51.100.7`));
    expect(statuses.slice(0, MISS_BURST).every((s) => s === 404)).toBe(true);
    expect(statuses[MISS_BURST]).toBe(429);
    // Another client behind the same proxy is someone else.
    expect(await miss(server, '198.51.100.8')).toBe(404);
  });

  it('with two hops keys a client on the second entry from the right', async () => {
    const server = await startTestServer(undefined, {}, { trustProxy: parseTrustProxy('2') });
    const statuses: number[] = [];
    for (let i = 0; i < MISS_BURST + 1; i++) statuses.push(await miss(server, `10.9.${i}.1, 198.51.100.7, 192.0.2.${i}`));
    expect(statuses[MISS_BURST]).toBe(429);
  });

  it('without TRUST_PROXY ignores X-Forwarded-For altogether', async () => {
    const server = await startTestServer();
    const statuses: number[] = [];
    for (let i = 0; i < MISS_BURST + 1; i++) statuses.push(await miss(server, `198.51.100.${i}`));
    expect(statuses[MISS_BURST]).toBe(429);
  });
});
