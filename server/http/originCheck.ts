import type { IncomingMessage } from 'node:http';

/**
 * Guards both sockets against cross-site WebSocket hijacking: a browser
 * handshake must come from the app's own origin or a configured one. A
 * handshake without an Origin header is not from a browser page and is
 * authenticated by its token alone.
 */
export function originChecker(allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins);
  return (req: IncomingMessage): boolean => {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    if (allowed.has(origin)) return true;
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  };
}
