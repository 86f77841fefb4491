/**
 * Hocuspocus 3.4.4 for the cluster benchmark, one process of several: the
 * stock Server with no storage extension (documents live in memory only)
 * and, when REDIS_URL is set, @hocuspocus/extension-redis 3.4.4 to share
 * documents between processes (keys and channels under REDIS_PREFIX). Run as
 * its own process so its CPU can be read from /proc. Prints `listening on
 * http://127.0.0.1:<port>` when ready.
 *
 * Even without a storage extension Hocuspocus runs its store hooks on a
 * debounce (2 s, at most 10 s, per document) after local changes, and the
 * Redis extension takes a Redlock lock in Redis for each of them.
 */
import type { AddressInfo } from 'node:net';
import { Redis as RedisExtension } from '@hocuspocus/extension-redis';
import { Server } from '@hocuspocus/server';
import { Redis } from 'ioredis';

const redisUrl = process.env.REDIS_URL;
const server = new Server({
  port: Number(process.env.PORT ?? 0),
  address: process.env.HOST ?? '127.0.0.1',
  quiet: true,
  extensions: redisUrl
    ? [new RedisExtension({ createClient: () => new Redis(redisUrl), prefix: process.env.REDIS_PREFIX ?? 'hocuspocus' })]
    : [],
});
await server.listen();
console.log(`listening on http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`);
