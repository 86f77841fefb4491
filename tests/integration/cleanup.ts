import { afterEach } from 'vitest';

/**
 * The one registry of what a test opened: servers, child processes, clients,
 * sockets, temp dirs. Helpers register each thing as they open it; `cleanup`
 * closes them newest first, so clients go before their server and a server
 * before its data dir is removed. Every integration test file calls
 * `useCleanup()` (or, for a file that shares one server, returns `cleanup`
 * from its `beforeAll`).
 */

type Closer = () => unknown;

const open: Closer[] = [];

/** Registers `close` to run after the current test (or file, see above). */
export function toClose(close: Closer): void {
  open.push(close);
}

export async function cleanup(): Promise<void> {
  const failures: unknown[] = [];
  for (const close of open.splice(0).reverse()) {
    // One failed close must not leave the rest open for the next test.
    await Promise.resolve().then(close).catch((err: unknown) => failures.push(err));
  }
  if (failures.length > 0) throw failures[0];
}

export function useCleanup(): void {
  afterEach(cleanup);
}
