/**
 * How a Yjs socket carries its token: as a WebSocket subprotocol, in the
 * upgrade's `Sec-WebSocket-Protocol` header, never in the URL (URLs end up in
 * proxies' access logs and browser history). The client offers two
 * subprotocols, the app's and one holding the token; the server answers with
 * the app's, so the token is never sent back.
 */
export const YJS_PROTOCOL = 'howmight.v1';

const TOKEN_PREFIX = 'howmight.token.';
/** A subprotocol is an HTTP token; a Howmight token is base64url and a dot, so it always is one. */
const TOKEN_CHARS = /^[A-Za-z0-9._-]{1,200}$/;

/** The subprotocols a client offers; a token that could not be sent as one is left out (and refused as none). */
export function yjsProtocols(token: string): string[] {
  return TOKEN_CHARS.test(token) ? [YJS_PROTOCOL, TOKEN_PREFIX + token] : [YJS_PROTOCOL];
}

/** The token a `Sec-WebSocket-Protocol` header carries, or null. */
export function tokenFromProtocols(header: string | undefined): string | null {
  if (!header || header.length > 1_000) return null;
  for (const offered of header.split(',')) {
    const name = offered.trim();
    if (name.startsWith(TOKEN_PREFIX)) return name.slice(TOKEN_PREFIX.length);
  }
  return null;
}
