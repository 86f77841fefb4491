import net from 'node:net';

export interface TcpProxy {
  /** The proxy's own port on 127.0.0.1: point a client (a server's REDIS_URL, DATABASE_URL, a browser) here. */
  port: number;
  /** Connections passing through right now. */
  readonly open: number;
  /**
   * An outage between the two sides: every open connection is destroyed, both
   * ways, and until restore() each new one is accepted and destroyed at once,
   * so a client sees its connection drop and its reconnects fail.
   */
  cut(): void;
  /** New connections pass again (the ones cut stay gone: clients reconnect, as after a real outage). */
  restore(): void;
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

/**
 * A real TCP forwarder from a free 127.0.0.1 port to targetHost:targetPort,
 * for outage tests without stopping the server itself (other tests share it):
 * Redis or PostgreSQL cut from a Howmight process, or a browser cut from the
 * app, where Chromium's emulated offline mode lets some requests through.
 * Bytes are passed through untouched.
 */
export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const live = new Set<{ client: net.Socket; upstream: net.Socket }>();
  let cut = false;
  const server = net.createServer({ noDelay: true }, (client) => {
    // Errors end both sides below; unheard, they would end the test process.
    client.on('error', () => undefined);
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = net.connect({ port: targetPort, host: targetHost, noDelay: true });
    upstream.on('error', () => undefined);
    const pair = { client, upstream };
    live.add(pair);
    // Whichever side ends or fails takes the other with it, as one TCP path would.
    const end = () => {
      live.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.once('close', end);
    upstream.once('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const destroyAll = () => {
    for (const { client, upstream } of live) {
      client.destroy();
      upstream.destroy();
    }
    live.clear();
  };
  return {
    port: (server.address() as net.AddressInfo).port,
    get open() {
      return live.size;
    },
    cut: () => {
      cut = true;
      destroyAll();
    },
    restore: () => {
      cut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        cut = true;
        destroyAll();
        server.close(() => resolve());
      }),
  };
}
