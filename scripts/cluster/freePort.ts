import net from 'node:net';

/**
 * A 127.0.0.1 port nobody listens on right now. Probed, then released, so the
 * caller can hand it to a child process (and give it back to the same process
 * after a restart); another process could take it in between, which on a
 * test machine is rare enough to accept.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port; rejects after timeoutMs or when `gaveUp()` says so. */
export async function waitForPort(port: number, timeoutMs: number, gaveUp: () => Error | null = () => null): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failed = gaveUp();
    if (failed) throw failed;
    if (await accepts(port)) return;
    if (Date.now() > deadline) throw new Error(`nothing accepted connections on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
