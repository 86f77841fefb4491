import type { IncomingMessage } from 'node:http';
import type { Problem } from '../../shared/problem.ts';

export interface OriginPolicy {
  /** PUBLIC_URL: when set, the only host (with ALLOWED_ORIGINS' hosts) this server answers for. */
  publicUrl?: string;
  /** ALLOWED_ORIGINS: other origins whose pages may open the sockets. */
  allowedOrigins: readonly string[];
}

/** Why a request is refused: 421 for a Host we do not serve, 403 for a foreign Origin. */
export type Refusal = ({ status: 421 } & Problem<'misdirected'>) | ({ status: 403 } & Problem<'forbidden'>);

/**
 * Checks every HTTP request and both sockets' handshakes.
 *
 * Origin guards against cross-site WebSocket hijacking: a browser handshake
 * must come from the app's own origin or a configured one. A request without
 * an Origin header is not from a browser page and is authenticated by its
 * token alone.
 *
 * Host guards against DNS rebinding: a page on evil.example whose name is
 * re-pointed at this server talks to it "same-origin", with Host and Origin
 * both evil.example, so comparing the two proves nothing. With PUBLIC_URL set
 * we know our own name and refuse any other Host. Without it there is nothing
 * to compare against, and the old same-host rule is all we can do.
 */
export function requestChecker({ publicUrl, allowedOrigins }: OriginPolicy): (req: IncomingMessage) => Refusal | null {
  const allowed = new Set(allowedOrigins);
  const ownHosts = publicUrl ? new Set([hostOf(publicUrl), ...allowedOrigins.map(hostOf)].filter((h): h is string => !!h)) : null;
  const names = ownHosts ? [...ownHosts].join(', ') : '';
  return (req) => {
    const host = req.headers.host?.toLowerCase();
    const origin = req.headers.origin;
    if (ownHosts) {
      if (!host || !ownHosts.has(host)) {
        return { status: 421, code: 'misdirected', message: `This server answers only for ${names}; open the app at its own address.` };
      }
      if (origin !== undefined && !allowed.has(origin) && !ownHosts.has(hostOf(origin) ?? '')) {
        return { status: 403, code: 'forbidden', message: `Requests from pages on ${origin} are not allowed; open the app at its own address.` };
      }
      return null;
    }
    if (origin === undefined || allowed.has(origin) || hostOf(origin) === host) return null;
    return { status: 403, code: 'forbidden', message: `Requests from pages on ${origin} are not allowed; open the app at its own address.` };
  };
}

/** `host[:port]` of a URL or origin, lower case; null when it is not a URL. */
function hostOf(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase() || null;
  } catch {
    return null;
  }
}
