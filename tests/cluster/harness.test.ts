import net from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateSessionResponse, LookupSessionResponse } from '../../shared/api.ts';
import { connectControl, connectYjs, useCleanup, type TestServer } from '../integration/helpers.ts';
import { startCluster, type Cluster } from './cluster.ts';
import { startThrowawayRedis } from './redisServer.ts';
import { startTcpProxy } from '../tcpProxy.ts';

/**
 * The cluster harness itself, on today's server: three real processes behind
 * nginx share PostgreSQL, a dead one is skipped, and the outage tools (TCP
 * cut, Redis stop and start) do what the outage tests will rely on.
 */

useCleanup();

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster({ processes: 3 });
}, 90_000);

afterAll(async () => {
  await cluster?.close();
}, 30_000);

async function createSession(title: string): Promise<CreateSessionResponse> {
  const created = await fetch(`${cluster.url}/api/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  expect(created.status).toBe(201);
  return (await created.json()) as CreateSessionResponse;
}

async function healthz(base: string): Promise<number> {
  const res = await fetch(`${base}/healthz`);
  expect(await res.json()).toEqual({ ok: true, database: 'ok', bus: 'ok' });
  return res.status;
}

describe('a three-process cluster behind nginx', () => {
  it('answers /healthz through nginx from every process', async () => {
    for (let i = 0; i < 30; i++) expect(await healthz(cluster.url)).toBe(200);
    const answered = new Set([...cluster.nginx.accessLog().matchAll(/GET \/healthz[^"]*" 200 up=127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1])));
    expect([...answered].sort()).toEqual(cluster.processes.map((p) => p.port).sort());
  });

  it('a session created through nginx is read back by each process directly', async () => {
    const session = await createSession('Cluster inquiry');
    // Host came through nginx with its port.
    expect(session.urls.participant.startsWith(`${cluster.url}/`)).toBe(true);
    for (const p of cluster.processes) {
      const res = await fetch(`${p.url}/api/sessions/lookup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ joinCode: session.joinCode, joinSecret: session.joinSecret }),
      });
      expect(res.status, `process ${p.index}`).toBe(200);
      expect(((await res.json()) as LookupSessionResponse).title).toBe('Cluster inquiry');
    }
  });

  it('both sockets upgrade through nginx', async () => {
    const session = await createSession('Sockets');
    // The integration helpers need only the address.
    const viaNginx = { port: cluster.nginx.port, baseUrl: cluster.url } as TestServer;
    const control = await connectControl(viaNginx, session.facilitatorToken);
    expect(control.welcome).toBeTruthy();
    const yjs = await connectYjs(viaNginx, session.id, session.facilitatorToken);
    expect(yjs.provider.wsconnected).toBe(true);
  });

  it('after kill -9 of one process nginx still answers, and the process comes back on its port', async () => {
    const victim = cluster.processes[0]!;
    const exit = await victim.kill('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
    expect(victim.running).toBe(false);
    for (let i = 0; i < 20; i++) expect(await healthz(cluster.url)).toBe(200);
    await victim.restart();
    expect(await healthz(victim.url)).toBe(200);
  }, 60_000);
});

describe('the outage tools', () => {
  it('a cut TCP proxy drops open connections and refuses new ones until restored', async () => {
    const target = cluster.processes[1]!;
    const proxy = await startTcpProxy(target.port);
    try {
      expect(await healthz(`http://127.0.0.1:${proxy.port}`)).toBe(200);
      const socket = net.connect(proxy.port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      await expect.poll(() => proxy.open).toBeGreaterThan(0);
      const dropped = new Promise((resolve) => socket.once('close', resolve));
      proxy.cut();
      await dropped;
      await expect(fetch(`http://127.0.0.1:${proxy.port}/healthz`)).rejects.toThrow();
      proxy.restore();
      expect(await healthz(`http://127.0.0.1:${proxy.port}`)).toBe(200);
    } finally {
      await proxy.close();
    }
  });

  it('a throwaway Redis stops and starts again on the same port', async () => {
    const redis = await startThrowawayRedis();
    const ping = async () => {
      const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
      client.on('error', () => undefined);
      try {
        await client.connect();
        return await client.ping();
      } finally {
        client.disconnect();
      }
    };
    expect(await ping()).toBe('PONG');
    await redis.stop();
    await expect(ping()).rejects.toThrow();
    await redis.start();
    expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
    expect(await ping()).toBe('PONG');
    await redis.stop();
  });
});
