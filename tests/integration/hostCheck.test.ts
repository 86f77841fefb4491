import http from 'node:http';
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CreateSessionResponse } from '../../shared/api.ts';
import { createSession, rowCount, startTestServer, useCleanup, type TestServer } from './helpers.ts';
import { yjsProtocols } from '../../shared/yjsProtocols.ts';

useCleanup();

/**
 * DNS rebinding: a page on evil.example whose name now points at the server
 * sends Host and Origin both evil.example. With PUBLIC_URL set, only its host
 * (and ALLOWED_ORIGINS' hosts) may appear in Host, and in Origin when present.
 */
const PUBLIC = 'https://howmight.school.example';
const OWN = 'howmight.school.example';
const EXTRA = 'https://board.district.example';

function start(): Promise<TestServer> {
  return startTestServer(undefined, {}, { publicUrl: PUBLIC, allowedOrigins: [EXTRA] });
}

interface Answer {
  status: number;
  body: string;
}

/** An HTTP request with a Host of our choosing (fetch does not let us set it). */
function request(server: TestServer, method: string, urlPath: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, method, path: urlPath, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function createVia(server: TestServer, headers: Record<string, string>): Promise<Answer> {
  return request(server, 'POST', '/api/sessions', { 'content-type': 'application/json', ...headers }, JSON.stringify({ title: 'Rebind' }));
}

/** The status of a /yjs upgrade with the given headers (101 when it opened). */
function yjsUpgrade(server: TestServer, docName: string, token: string, headers: Record<string, string>): Promise<Answer> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/yjs/${docName}`, yjsProtocols(token), { headers });
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    ws.on('open', () => {
      resolve({ status: 101, body: '' });
      ws.close();
    });
    ws.on('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

/** Whether a socket.io handshake with these headers gets a welcome. */
function controlHandshake(server: TestServer, token: string, headers: Record<string, string>): Promise<'welcome' | string> {
  const socket = io(server.baseUrl, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: headers,
  });
  return new Promise((resolve) => {
    socket.once('welcome', () => {
      socket.disconnect();
      resolve('welcome');
    });
    socket.once('connect_error', (err) => {
      socket.disconnect();
      resolve(err.message);
    });
  });
}

describe('Host check with PUBLIC_URL set', () => {
  it('answers HTTP requests for its own host and ALLOWED_ORIGINS hosts, 421 for any other', async () => {
    const server = await start();
    expect((await createVia(server, { host: OWN })).status).toBe(201);
    expect((await createVia(server, { host: OWN, origin: PUBLIC })).status).toBe(201);
    expect((await createVia(server, { host: 'board.district.example' })).status).toBe(201);

    const rebound = await createVia(server, { host: 'evil.example', origin: 'http://evil.example' });
    expect(rebound.status).toBe(421);
    expect(JSON.parse(rebound.body).error).toEqual({ code: 'misdirected', message: expect.stringMatching(/answers only for howmight\.school\.example/) });
    expect((await request(server, 'GET', '/', { host: 'evil.example' })).status).toBe(421);
    expect((await request(server, 'GET', '/api/sessions/x/export.json', { host: '127.0.0.1' })).status).toBe(421);
    expect(rowCount(server, 'sessions')).toBe(3);
  });

  it('refuses a foreign Origin on the right Host with 403', async () => {
    const server = await start();
    const res = await createVia(server, { host: OWN, origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).error).toEqual({ code: 'forbidden', message: expect.stringMatching(/evil\.example are not allowed/) });
  });

  it('leaves /healthz open for load balancers that call it by address', async () => {
    const server = await start();
    expect((await request(server, 'GET', '/healthz', { host: '10.0.0.12:3000' })).status).toBe(200);
  });

  it('refuses a /yjs upgrade with a foreign Host (421) or Origin (403), with a reason', async () => {
    const server = await start();
    const session = await createVia(server, { host: OWN });
    const { id, facilitatorToken } = JSON.parse(session.body) as CreateSessionResponse;
    expect((await yjsUpgrade(server, id, facilitatorToken, { host: OWN, origin: PUBLIC })).status).toBe(101);
    expect((await yjsUpgrade(server, id, facilitatorToken, { host: OWN })).status).toBe(101);
    const rebound = await yjsUpgrade(server, id, facilitatorToken, { host: 'evil.example', origin: 'http://evil.example' });
    expect(rebound).toEqual({ status: 421, body: expect.stringMatching(/answers only for/) });
    expect((await yjsUpgrade(server, id, facilitatorToken, { host: OWN, origin: 'http://evil.example' })).status).toBe(403);
  });

  it('refuses a socket.io handshake with a foreign Host or Origin', async () => {
    const server = await start();
    const session = await createVia(server, { host: OWN });
    const { facilitatorToken } = JSON.parse(session.body) as CreateSessionResponse;
    expect(await controlHandshake(server, facilitatorToken, { host: OWN })).toBe('welcome');
    expect(await controlHandshake(server, facilitatorToken, { host: OWN, origin: EXTRA })).toBe('welcome');
    expect(await controlHandshake(server, facilitatorToken, { host: 'evil.example', origin: 'http://evil.example' })).not.toBe('welcome');
    expect(await controlHandshake(server, facilitatorToken, { host: OWN, origin: 'http://evil.example' })).not.toBe('welcome');
    // socket.io is WebSocket only: long-polling is refused whatever the host.
    for (const host of [OWN, 'evil.example']) {
      const polling = await request(server, 'GET', '/socket.io/?EIO=4&transport=polling', { host });
      expect(polling.status).toBe(400);
      expect(polling.body).toMatch(/Transport unknown/);
    }
  });
});

describe('without PUBLIC_URL', () => {
  it('keeps answering any Host (there is no name to check against)', async () => {
    const server = await startTestServer();
    expect((await createVia(server, { host: 'whatever.example' })).status).toBe(201);
    await createSession(server);
  });
});
