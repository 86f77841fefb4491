import crypto from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Bus, PeerUpdate, SessionNotice } from './Bus.ts';

/** How long a subscribe may hold up a room's load while Redis is away: the log is the truth, the bus only speeds it up. */
const SUBSCRIBE_WAIT_MS = 1000;

/** Redis could not be reached at start; the message names host and port, never a password. */
export class BusUnavailableError extends Error {
  constructor(url: string, cause: string) {
    super(`cannot reach Redis at ${describeRedisUrl(url)}: ${cause}`);
    this.name = 'BusUnavailableError';
  }
}

/**
 * The bus on Redis pub/sub: one channel per document (`<prefix>:yjs:<doc>`,
 * each message `varuint(seq) ‖ update`) and one for session notices
 * (`<prefix>:sessions`, JSON). Two connections, as Redis requires: one
 * publishes, one subscribes. Redis holds nothing (no persistence needed).
 * While it is away, publishes are dropped rather than queued and every room
 * keeps serving its own process's sockets; when it is back, ioredis
 * resubscribes and `onReconnect` lets every room read what it missed.
 */
export class RedisBus implements Bus {
  readonly processId = crypto.randomUUID();
  onNotice: (notice: SessionNotice) => void = () => {};
  onReconnect: () => void = () => {};
  private readonly handlers = new Map<string, PeerUpdate>();
  private readonly noticeChannel: string;
  private readonly docPrefix: string;
  private readyOnce = false;
  private down = false;

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    prefix: string,
    private readonly log: (message: string) => void,
  ) {
    this.noticeChannel = `${prefix}:sessions`;
    this.docPrefix = `${prefix}:yjs:`;
    sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.deliver(channel.toString(), message));
    sub.on('ready', () => {
      if (this.readyOnce && this.down) {
        this.down = false;
        this.log('Redis is back: catching up from the database');
        this.onReconnect();
      }
      this.readyOnce = true;
    });
    for (const client of [pub, sub]) {
      client.on('error', (err: Error) => {
        if (this.down) return;
        this.down = true;
        this.log(`Redis connection lost (${err.message}): serving from this process and the database until it is back`);
      });
      client.on('end', () => (this.down = true));
      client.on('close', () => (this.down = true));
    }
  }

  /** Connects both clients and subscribes to the notices; rejects with BusUnavailableError if Redis does not answer in time. */
  static async open(url: string, prefix: string, log: (message: string) => void, timeoutMs = 10_000): Promise<RedisBus> {
    const options: RedisOptions = {
      // Reconnect for ever, quickly at first: a Redis restart should cost a second, not a minute.
      retryStrategy: (attempt) => Math.min(100 * attempt, 2000),
      maxRetriesPerRequest: null,
      lazyConnect: true,
    };
    // The publisher never queues while disconnected: a late publish is only an old message.
    const pub = new Redis(url, { ...options, enableOfflineQueue: false });
    const sub = new Redis(url, options);
    const opened = (async () => {
      await Promise.all([pub.connect(), sub.connect()]);
      const bus = new RedisBus(pub, sub, prefix, log);
      await sub.subscribe(bus.noticeChannel);
      return bus;
    })();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([opened, timeout]);
    } catch (err) {
      pub.disconnect();
      sub.disconnect();
      throw new BusUnavailableError(url, (err as Error).message);
    } finally {
      clearTimeout(timer);
    }
  }

  get connected(): boolean {
    return this.pub.status === 'ready' && this.sub.status === 'ready';
  }

  async subscribe(docName: string, onUpdate: PeerUpdate): Promise<void> {
    this.handlers.set(docName, onUpdate);
    const subscribed = this.sub.subscribe(this.docPrefix + docName).then(
      () => undefined,
      (err: Error) => this.log(`subscribing to ${docName} failed: ${err.message}`),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([subscribed, new Promise<void>((resolve) => (timer = setTimeout(resolve, SUBSCRIBE_WAIT_MS)))]);
    clearTimeout(timer);
  }

  unsubscribe(docName: string, onUpdate: PeerUpdate): void {
    if (this.handlers.get(docName) !== onUpdate) return;
    this.handlers.delete(docName);
    this.sub.unsubscribe(this.docPrefix + docName).catch(() => undefined);
  }

  publish(docName: string, seq: number, update: Uint8Array): void {
    if (this.pub.status !== 'ready') return;
    this.pub.publish(this.docPrefix + docName, Buffer.from(encodePeerMessage(seq, update))).catch(() => undefined);
  }

  notify(notice: SessionNotice): void {
    if (this.pub.status !== 'ready') return;
    this.pub.publish(this.noticeChannel, JSON.stringify({ from: this.processId, notice })).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.down = false;
    await Promise.allSettled([this.pub.quit(), this.sub.quit()]);
  }

  /** What a subscriber throws stays here: it must not reach ioredis's reader, which would drop the connection. */
  private deliver(channel: string, message: Buffer): void {
    try {
      this.dispatch(channel, message);
    } catch (err) {
      this.log(`handling a message on ${channel} failed: ${(err as Error).message}`);
    }
  }

  private dispatch(channel: string, message: Buffer): void {
    if (channel === this.noticeChannel) {
      const notice = parseNotice(message.toString(), this.processId);
      if (notice) this.onNotice(notice);
      return;
    }
    if (!channel.startsWith(this.docPrefix)) return;
    const handler = this.handlers.get(channel.slice(this.docPrefix.length));
    const decoded = handler && decodePeerMessage(message);
    if (decoded) handler(decoded.seq, decoded.update);
  }
}

export function encodePeerMessage(seq: number, update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, seq);
  encoding.writeUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** Null for anything that is not a seq followed by some bytes: Redis is ours, but a bad message must break nothing. */
export function decodePeerMessage(message: Uint8Array): { seq: number; update: Uint8Array } | null {
  try {
    const decoder = decoding.createDecoder(message);
    const seq = decoding.readVarUint(decoder);
    const update = message.subarray(decoder.pos);
    return Number.isSafeInteger(seq) && seq > 0 && update.length > 0 ? { seq, update } : null;
  } catch {
    return null;
  }
}

function parseNotice(text: string, self: string): SessionNotice | null {
  try {
    const { from, notice } = JSON.parse(text) as { from?: unknown; notice?: Partial<SessionNotice> };
    if (from === self || !notice || typeof notice.sessionId !== 'string') return null;
    if (notice.type === 'deleted') return { type: 'deleted', sessionId: notice.sessionId };
    if (notice.type === 'control' && Number.isSafeInteger(notice.version)) return { type: 'control', sessionId: notice.sessionId, version: notice.version! };
    return null;
  } catch {
    return null;
  }
}

/** Host and port of a redis:// URL, never its password. */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '6379'}`;
  } catch {
    return 'REDIS_URL is not a valid URL';
  }
}
